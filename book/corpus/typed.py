"""English as people type it: the contractions, capitals and final marks that `as_typed` writes into half
of the corpus, and `plain_english`, which undoes them.

Chapter 9 ("The translator") explains the corpus; `book.corpus` lists the modules that build it.
"""

import random
import re

from book.translation.tokenizer import tokenize

CONTRACTIONS: dict[str, str] = {
    "do not": "don't",
    "does not": "doesn't",
    "did not": "didn't",
    "is not": "isn't",
    "are not": "aren't",
    "was not": "wasn't",
    "were not": "weren't",
    "cannot": "can't",
    "could not": "couldn't",
    "will not": "won't",
    "i am": "i'm",
    "he is": "he's",
    "she is": "she's",
    "it is": "it's",
    "we are": "we're",
    "they are": "they're",
}
"""The grammar's words -> their contraction, applied in this order ("is not" before "he is")."""

_EXPANSIONS = {short: full for full, short in CONTRACTIONS.items()}

TYPED_SHARE = 0.5
"""Share of sentences written as people type them: contractions, capitals, a final . ! or ?"""


def as_typed(english: str, french: str, question: bool, rng: random.Random) -> tuple[str, str]:
    """A sentence pair as a person types it: mostly contracted ("didn't"), "I" and often the first
    letter capitalised, and a final mark (., ! or, for a question, ?) that the French repeats."""
    if rng.random() < 0.7:
        for full, short in CONTRACTIONS.items():
            english = re.sub(rf"\b{full}\b", short, english)
    english = re.sub(r"\bi\b", "I", english)
    if rng.random() < 0.7:
        english = english[0].upper() + english[1:]
    if question:
        mark = "?" if rng.random() < 0.8 else ""
    else:
        mark = rng.choices((".", "!", ""), (0.65, 0.1, 0.25))[0]
    return english + mark, french + mark


def up_to_last_word(tokens: list[str]) -> list[str]:
    """``tokens`` without the marks after the last word: [..., "wide", "!"] -> [..., "wide"]."""
    end = len(tokens)
    while end and not tokens[end - 1][0].isalnum():
        end -= 1
    return tokens[:end]


def typed_words(text: str) -> list[str]:
    """The tokens of ``text`` up to its last word, as typed: "It's too wide!" -> ["it's", "too", "wide"]."""
    return up_to_last_word(tokenize(text))


def spelled_out(words: list[str]) -> str:
    """Typed words as the grammar writes them: ["it's", "too", "wide"] -> "it is too wide"."""
    return " ".join(_EXPANSIONS.get(word, word) for word in words)


def plain_english(text: str) -> str:
    """English as the grammar writes it: lowercase, contractions spelled out, no final mark.

    "The animal didn't cross the street." -> "the animal did not cross the street".
    """
    return spelled_out(typed_words(text))
