"""The reader set: everyday sentences with hand-written French references, and how a translator is scored
on them (chrF and BLEU against every reference, the share of sentences it knows every word of)."""

from collections import Counter

import pytest

from book.corpus.splits import BOOK_WORDS, READER_SENTENCES, READER_SET
from book.translation.evaluation import corpus_bleu, corpus_chrf, reference_streams
from book.translation.reader_set import load_reader_set, score_reader_set
from book.translation.translator import Translator

TOPICS = {
    "greetings", "family", "food", "home", "the city", "school and work", "time", "weather",
    "likes and wants", "questions", "linking words", BOOK_WORDS,
}  # fmt: skip


def test_the_reader_set_covers_a_first_course_with_every_accepted_translation() -> None:
    everyday = [s for s in READER_SET if s.topic != BOOK_WORDS]
    assert len(everyday) >= 200 and set(Counter(s.topic for s in READER_SET)) == TOPICS
    assert min(Counter(s.topic for s in everyday).values()) >= 8
    assert len({s.english for s in READER_SET}) == len(READER_SET)  # no sentence twice
    assert all(len(set(s.references)) == len(s.references) >= 1 for s in READER_SET)
    # where French must choose what English leaves open, every choice is a reference
    chosen = {s.english: set(s.references) for s in READER_SET}
    assert {"Je t'aime.", "Je vous aime."} <= chosen["I love you."]  # tu or vous
    assert {"Je suis fatigué.", "Je suis fatiguée."} <= chosen["I am tired."]  # the speaker's gender
    assert {"Ils veulent jouer.", "Elles veulent jouer."} <= chosen["They want to play."]  # ils or elles
    assert sum(len(s.references) > 1 for s in everyday) >= 100
    assert [s.english for s in READER_SET if s.topic == BOOK_WORDS] == list(READER_SENTENCES)


def test_a_malformed_line_is_named(tmp_path) -> None:
    path = tmp_path / "set.tsv"
    path.write_text("# comment\n\nfood\tI am hungry.\tJ'ai faim.\nfood\tI am thirsty.\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"set\.tsv, line 4: expected a topic, an English sentence"):
        load_reader_set(path)
    path.write_text("food\tI am hungry.\tJ'ai faim.\t\tOn a faim.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        load_reader_set(path)


def test_scores_count_a_translation_right_when_it_matches_any_reference() -> None:
    references = [("Je suis fatigué.", "Je suis fatiguée."), ("Il pleut.",)]
    streams = reference_streams(references)
    assert streams == [["je suis fatigué.", "il pleut."], ["je suis fatiguée.", None]]
    hypotheses = ["je suis fatiguée.", "il pleut."]
    assert corpus_chrf(hypotheses, references) == pytest.approx(100.0)
    assert corpus_bleu(hypotheses, references) == pytest.approx(100.0)
    first_only = [references[0][0], references[1][0]]
    assert corpus_chrf(hypotheses, first_only) < 95.0 and corpus_bleu(hypotheses, first_only) < 95.0
    with pytest.raises(ValueError, match="at least one reference"):
        reference_streams([(), ("Il pleut.",)])


def test_the_shipped_translator_on_the_reader_set() -> None:
    translator = Translator.pretrained()
    book_words = [s for s in READER_SET if s.topic == BOOK_WORDS]
    scores = score_reader_set(translator, book_words)
    assert len(scores.hypotheses) == len(book_words) and scores.chrf > 90.0  # its own words: it translates
    everyday = score_reader_set(translator, [s for s in READER_SET if s.topic == "greetings"])
    assert everyday.known == 0.0 and everyday.chrf < 40.0  # everyday English is beyond its 1,036 words
    assert everyday.unknown[0] == translator.src_vocab.unknown_words("hello!")
    known = [not translator.src_vocab.unknown_words(translator.read(s.english)[0]) for s in READER_SET]
    assert score_reader_set(translator, READER_SET).known == pytest.approx(sum(known) / len(known))
    with pytest.raises(ValueError, match="no reader sentences"):
        score_reader_set(translator, [])
