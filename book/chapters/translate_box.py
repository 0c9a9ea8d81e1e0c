"""The live translation box of chapters 1 and 9: type an English sentence, read its French translation.

Chapter 1 gives it the shipped translator, chapter 9 the one it trains. A sentence is translated when the
reader presses Enter or Translate (or leaves the box after typing); the newest translation is on top of the
list, with the words the model does not know and a note when the translation did not end (the
translator's ``UnknownWordsWarning`` and ``UnfinishedTranslationWarning``), and input the
translator refuses (nothing to translate, too long) is answered with its message. Whatever is typed is
shown as text, never read as HTML. It needs a kernel, so it is shown with ``live_only``'s note, and the
examples it is given are translated when it is made, for the page stored without one.
"""

import html
import warnings
from collections.abc import Sequence
from typing import Protocol

import ipywidgets as widgets

from book.chapters.explorable import LiveOnly
from book.translation.translator import UnfinishedTranslationWarning, UnknownWordsWarning

SHOWN = (UnknownWordsWarning, UnfinishedTranslationWarning)
"""The translator's warnings the box shows under a translation: unknown words, and a translation that did
not end."""

NOTE = "Type an English sentence and press Enter or Translate."


class Translates(Protocol):
    """What the box needs of a translator, like ``book.translation.translator.Translator``:
    ``translate(text) -> str``, which raises ValueError for input it refuses and warns
    ``UnknownWordsWarning`` for words it does not know."""

    def translate(self, text: str) -> str: ...


def translation_html(translator: Translates, sentence: str) -> str:
    """One entry of the list, all of it escaped: the sentence in bold, then its translation or why there is
    none, then the translator's notes (``SHOWN``). Other warnings are passed on, not shown."""
    with warnings.catch_warnings(record=True) as caught:
        for category in SHOWN:
            warnings.simplefilter("always", category)
        try:
            answer = f"&rarr; {html.escape(translator.translate(sentence))}"
        except ValueError as error:
            answer = f"&rarr; <i>not translated: {html.escape(str(error))}</i>"
    lines = [f"<b>{html.escape(sentence)}</b>", answer]
    for warning in caught:
        if issubclass(warning.category, SHOWN):
            lines.append(f"<i>{html.escape(str(warning.message))}</i>")
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return "<div style='margin-bottom: 0.8em'>" + "<br>".join(lines) + "</div>"


class TranslateBox(LiveOnly):
    """A text box and a Translate button above the list of translations, newest first, under a note.

    ``text`` sends its sentence on Enter and when it loses focus (``continuous_update=False``), and an
    emptied box sends nothing; ``button`` translates what the box holds, even an empty box (which the
    translator answers with its message). A sentence already on top is not translated twice: a click on
    the button makes the box lose focus, so the sentence typed arrives before the click does.
    """

    def __init__(self, translator: Translates, examples: Sequence[str]) -> None:
        if isinstance(examples, str):
            raise TypeError("examples must be a list of sentences, got one str")
        if not examples:
            raise ValueError("a translate box needs at least one example sentence")
        text = widgets.Text(
            value=examples[-1],
            description="English",
            placeholder="Type an English sentence, then press Enter",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(40em, 100%)"),
        )
        button = widgets.Button(description="Translate", tooltip="Translate the sentence into French")
        results = widgets.HTML()
        row = widgets.HBox([text, button], layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__(widgets.VBox([row, results]), NOTE)
        self.translator, self.text, self.button, self.results = translator, text, button, results
        self.newest: str | None = None
        for example in examples:
            self.submit(example)
        text.observe(self.on_text, names="value")
        button.on_click(lambda _: self.submit(text.value))

    def on_text(self, change: dict) -> None:
        """The box sent a new sentence (Enter, or focus left it): translate it, unless it is blank."""
        if change["new"].strip():
            self.submit(change["new"])

    def submit(self, sentence: str) -> None:
        """Put the translation of ``sentence`` on top of the list, unless it is already there."""
        if sentence == self.newest:
            return
        self.newest = sentence
        self.results.value = translation_html(self.translator, sentence) + self.results.value


def translate_box(translator: Translates, examples: Sequence[str]) -> TranslateBox:
    """A live box that translates the sentences typed into it with ``translator``.

    ``examples`` are translated now, in order, so the list starts with the last on top, and the box holds
    it; the page stored without a kernel shows these.
    """
    return TranslateBox(translator, examples)
