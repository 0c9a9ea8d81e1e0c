"""Numbers inside sentences: phrases that read right for every value a run can give.

A chapter's text quotes what its cells computed. A count glued into a fixed sentence ("2 of the two
translations match", "On 0 the model prefers ...") reads wrong for some values, so the chapters glue
these phrases instead: a subject with its verb, or a count placed where no verb has to agree with it.

    counted(1, "head")             -> "one head"
    counted(3, "head")             -> "three heads"
    subject(2, "head", "follows", "follow") -> "two heads follow"
    out_of(2, 2, "sentence")       -> "both sentences"
    out_of(0, 8, "position")       -> "none of the eight positions"
    listing(["1", "2", "4"])       -> "1, 2 and 4"

The numbers reach the text through ``Quotes``: a hidden cell calls ``quote("exact_match", 99.94, ".1f")``
and the markdown reads ``{eval}`quote.exact_match```. The same text then shows the value wherever the
chapter is read: JupyterLab (with jupyterlab-myst) evaluates the expression in the running kernel, and
shows the result stored with the cell before the chapter runs; the site renders that stored result
(``tools/execute.py`` stores it, ``tools/sphinx_eval.py`` renders it).
"""

from collections.abc import Sequence
from typing import Any

from IPython.display import display

QUOTE_MIME = "application/vnd.attention-built.quote"
"""The output each ``quote`` call records in its cell, so that nbval compares the quoted text on every run."""

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number(n: int) -> str:
    """``n`` in words up to ten ("no" for 0), in digits above."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` of a thing: "no heads", "one head", "three heads", "12 heads"."""
    return f"{number(n)} {noun if n == 1 else plural or noun + 's'}"


def subject(n: int, noun: str, verb: str, verb_plural: str, plural: str | None = None) -> str:
    """``n`` things as the subject of ``verb``, agreeing: "no head follows", "one head follows",
    "two heads follow"."""
    if n <= 1:
        return f"{number(n)} {noun} {verb}"
    return f"{number(n)} {plural or noun + 's'} {verb_plural}"


def out_of(n: int, total: int, noun: str, plural: str | None = None) -> str:
    """``n`` of ``total`` things, as the object of a sentence (so that no verb has to agree with it):
    "neither sentence", "one of the two sentences", "all eight positions", "none of the eight positions",
    "12 of the 50 sentences", and "no sentences" when there are none."""
    if not 0 <= n <= total:
        raise ValueError(f"out_of needs 0 <= n <= total, got n={n}, total={total}")
    plural = plural or noun + "s"
    if total == 0:
        return f"no {plural}"
    if total == 1:
        return f"the one {noun}" if n else f"not the one {noun}"
    if total == 2:
        return (f"neither {noun}", f"one of the two {plural}", f"both {plural}")[n]
    if n == total:
        return f"all {number(total)} {plural}"
    return f"{'none' if n == 0 else number(n)} of the {number(total)} {plural}"


def listing(items: Sequence[str]) -> str:
    """Items joined as a sentence lists them: "a", "a and b", "a, b and c"."""
    if not items:
        raise ValueError("listing needs at least one item")
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


class Quoted(str):
    """Text a sentence quotes. Its repr is the text itself, so Jupyter shows it without quotation marks."""

    def __repr__(self) -> str:
        return str(self)


class Quotes:
    """The values a chapter's text quotes, by name, each formatted as its sentence prints it.

    ``quote("bleu", 99.71, ".1f")`` stores ``quote.bleu == "99.7"``; the markdown reads
    ``{eval}`quote.bleu```. Quoting a name again replaces its value, as a reader re-running a cell expects.
    """

    def __call__(self, name: str, value: Any, spec: str = "") -> None:
        """Format ``value`` by ``spec`` (as ``format(value, spec)`` does) and keep the text as ``name``."""
        if not name.isidentifier() or name.startswith("_"):
            raise ValueError(f"a quoted name must be a public Python name, got {name!r}")
        text = Quoted(format(value, spec))
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
            raise ValueError(
                f"{name!r} would read {text}: JupyterLab drops quotation marks around a whole value, "
                "so quote words with “ ” instead"
            )
        setattr(self, name, text)
        display({QUOTE_MIME: f"{name} = {text}"}, raw=True)

    def __getattr__(self, name: str) -> Quoted:  # only called for names never quoted
        raise AttributeError(f"nothing is quoted as {name!r} yet: run the cell that quotes it first")
