"""The phrases chapters glue into their text read right for every value a run can give."""

import pytest

from book.chapters.prose import QUOTE_MIME, Quotes, counted, listing, number, out_of, subject


def test_numbers_are_words_up_to_ten() -> None:
    assert [number(n) for n in (0, 1, 7, 10, 11, 1500)] == ["no", "one", "seven", "ten", "11", "1,500"]


def test_counted_agrees_in_number() -> None:
    assert counted(0, "head") == "no heads"
    assert counted(1, "head") == "one head"
    assert counted(4, "head") == "four heads"
    assert counted(2, "mouse", "mice") == "two mice"


def test_subject_and_verb_agree() -> None:
    assert subject(0, "head", "follows", "follow") == "no head follows"
    assert subject(1, "head", "follows", "follow") == "one head follows"
    assert subject(3, "head", "has", "have") == "three heads have"


@pytest.mark.parametrize(
    ("n", "total", "phrase"),
    [
        (0, 0, "no sentences"),
        (0, 1, "not the one sentence"),
        (1, 1, "the one sentence"),
        (0, 2, "neither sentence"),
        (1, 2, "one of the two sentences"),
        (2, 2, "both sentences"),
        (0, 8, "none of the eight sentences"),
        (3, 8, "three of the eight sentences"),
        (8, 8, "all eight sentences"),
        (12, 50, "12 of the 50 sentences"),
    ],
)
def test_out_of_reads_right_for_every_count(n: int, total: int, phrase: str) -> None:
    assert out_of(n, total, "sentence") == phrase


def test_out_of_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError, match="n=3, total=2"):
        out_of(3, 2, "sentence")


def test_listing_joins_like_a_sentence() -> None:
    assert listing(["a"]) == "a"
    assert listing(["a", "b"]) == "a and b"
    assert listing(["1", "2", "4"]) == "1, 2 and 4"
    with pytest.raises(ValueError):
        listing([])


def test_quotes_format_keep_and_record_each_value(capsys: pytest.CaptureFixture) -> None:
    quote = Quotes()
    quote("bleu", 99.714, ".1f")
    quote("steps", 2000, ",d")
    assert (quote.bleu, quote.steps) == ("99.7", "2,000")
    assert repr(quote.bleu) == "99.7"  # Jupyter shows it without quotation marks
    quote("bleu", 98.0, ".1f")  # a cell run again replaces the value
    assert quote.bleu == "98.0"
    recorded = capsys.readouterr().out  # outside a kernel, display prints what nbval would compare
    assert QUOTE_MIME in recorded and "steps = 2,000" in recorded and "bleu = 98.0" in recorded


def test_quotes_refuse_what_would_read_wrong() -> None:
    quote = Quotes()
    with pytest.raises(AttributeError, match="nothing is quoted as 'bleu' yet"):
        _ = quote.bleu
    with pytest.raises(ValueError, match="quotation marks"):
        quote("words", '"animal" and "street"')
    with pytest.raises(ValueError, match="public Python name"):
        quote("exact match", 1.0)
