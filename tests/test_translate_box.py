"""The live translation box: Enter and the button translate, newest on top, unknown words and refused input
are shown as messages, and whatever is typed is shown as text."""

import re
import warnings

import pytest

from book.chapters.explorable import LiveOnly
from book.chapters.translate_box import NOTE, TranslateBox, translate_box
from book.translation.translator import Translator, UnfinishedTranslationWarning, UnknownWordsWarning

EXAMPLES = ["the cat eats", "the bird sees the zebra"]


class FakeTranslator:
    """Upper-cases its input; refuses blank input as Translator does and does not know "zebra"."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def translate(self, text: str) -> str:
        self.calls.append(text)
        if not text.strip():
            raise ValueError(f"nothing to translate: {text!r} has no words")
        if "zebra" in text:
            warnings.warn("unknown words, read as <unk>: zebra", UnknownWordsWarning, stacklevel=2)
        return text.upper()


def entries(box: TranslateBox) -> list[list[str]]:
    """The list's entries, newest first, each as the words a reader sees (tags dropped, entities kept)."""
    return [re.sub(r"<[^>]+>", " ", entry).split() for entry in box.results.value.split("</div>")[:-1]]


def press_enter(box: TranslateBox, sentence: str) -> None:
    """What the frontend sends when the reader types ``sentence`` and presses Enter (or leaves the box)."""
    box.text.set_state({"value": sentence})


@pytest.fixture
def box() -> TranslateBox:
    return translate_box(FakeTranslator(), EXAMPLES)


def test_examples_are_translated_at_creation_newest_on_top(box) -> None:
    assert isinstance(box, LiveOnly) and NOTE in box.children[0].value
    assert box.translator.calls == EXAMPLES
    assert box.text.value == EXAMPLES[-1]
    newest, oldest = entries(box)
    assert newest[:5] == ["the", "bird", "sees", "the", "zebra"]
    assert oldest == ["the", "cat", "eats", "&rarr;", "THE", "CAT", "EATS"]


def test_enter_translates_and_puts_the_result_on_top(box) -> None:
    assert box.text.continuous_update is False  # the value reaches Python on Enter, not on every key
    press_enter(box, "the dog runs")
    assert len(entries(box)) == 3
    assert entries(box)[0] == ["the", "dog", "runs", "&rarr;", "THE", "DOG", "RUNS"]


def test_the_button_translates_and_a_sentence_on_top_is_not_repeated(box) -> None:
    press_enter(box, "the dog runs")  # a click first takes the focus from the box: its sentence arrives
    box.button.click()
    assert box.translator.calls == [*EXAMPLES, "the dog runs"]
    press_enter(box, "")  # an emptied box sends nothing by itself...
    assert len(entries(box)) == 3
    box.button.click()  # ...the button asks, and the translator's message is shown
    assert len(entries(box)) == 4
    assert "not translated: nothing to translate: &#x27;&#x27; has no words" in box.results.value


def test_unknown_words_are_shown_under_their_translation(box) -> None:
    newest = entries(box)[0]
    assert newest[-6:] == ["unknown", "words,", "read", "as", "&lt;unk&gt;:", "zebra"]
    assert "zebra" not in " ".join(entries(box)[1])


def test_typed_html_is_shown_as_text(box) -> None:
    press_enter(box, "the dog eats <b>the</b> apple")
    newest = box.results.value.split("</div>")[0]
    assert "&lt;b&gt;the&lt;/b&gt;" in newest and "&lt;B&gt;THE&lt;/B&gt;" in newest
    assert "<b>the</b>" not in newest


def test_other_warnings_are_passed_on_not_shown() -> None:
    class Warns(FakeTranslator):
        def translate(self, text: str) -> str:
            warnings.warn("old API", DeprecationWarning, stacklevel=2)
            return super().translate(text)

    with pytest.warns(DeprecationWarning, match="old API"):
        box = translate_box(Warns(), ["the dog"])
    assert "old API" not in box.results.value


def test_accessible_names_and_bad_examples() -> None:
    box = translate_box(FakeTranslator(), ["the dog"])
    assert box.text.description and box.text.placeholder
    assert box.button.description == "Translate" and box.button.tooltip
    with pytest.raises(TypeError, match="list of sentences"):
        translate_box(FakeTranslator(), "the dog")
    with pytest.raises(ValueError, match="at least one example"):
        translate_box(FakeTranslator(), [])


def test_the_shipped_translator_in_the_box() -> None:
    box = translate_box(Translator.pretrained(), ["i see the red car"])
    assert "&rarr; je vois la voiture rouge</div>" in box.results.value
    press_enter(box, "the bird sees the zebra")
    newest = box.results.value.split("</div>")[0]
    assert "unknown words, read as &lt;unk&gt;: zebra" in newest


def test_a_translation_that_did_not_end_is_said_so() -> None:
    class Wandering(FakeTranslator):
        def translate(self, text: str) -> str:
            warnings.warn(
                "the translation did not end within 22 words", UnfinishedTranslationWarning, stacklevel=2
            )
            return "le chat est sous le chat est sous le chat"

    box = translate_box(Wandering(), ["the cat"])
    assert entries(box)[0][-8:] == ["the", "translation", "did", "not", "end", "within", "22", "words"]
