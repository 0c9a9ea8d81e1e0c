"""Does a translation carry every noun, adjective and negation of the English, and invent none?

No chapter shows it: ``benchmarks/bench_translator.py`` reports it for the translator of chapter 9.

Exact match and BLEU need a reference; a reader who types a sentence of their own has none. The
lexicon still tells which content words the French must contain: every English noun and adjective
of the corpus's lexicon has known French forms (gender and number included), so a translation can be
checked word by word without a reference. A negation ("not", "n't", "never") must come out as one
("pas", "jamais"), since dropping it turns the meaning around. Other function words, verbs and
pronouns are not checked.

    faithfulness("the woman found the key under the bed", "la femme a trouvé le lit").dropped  # ['key']

``book.corpus.READER_SENTENCES`` are the reader set's sentences in the corpus's own words
(``book/data/reader-set.tsv``, topic "the book's words"), as readers type them; the corpus never generates
one of them, so none is in the training data.
"""

import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from book.corpus.lexicon import ADJECTIVES, NOUNS
from book.corpus.splits import READER_SENTENCES
from book.translation.tokenizer import tokenize
from book.translation.translator import Translator, UnfinishedTranslationWarning, UnknownWordsWarning

_ENGLISH: dict[str, str] = {
    **{form: noun.en for noun in NOUNS for form in (noun.en, noun.en_plural)},
    **{adjective.en: adjective.en for adjective in ADJECTIVES},
}
_FRENCH: dict[str, str] = {
    **{form: noun.en for noun in NOUNS for form in (noun.fr, noun.fr_plural)},
    **{form: adjective.en for adjective in ADJECTIVES for form in adjective.forms},
}


NEGATION = "not"
"""The lemma a negation counts as, in either language."""


def english_content(text: str) -> Counter[str]:
    """The lexicon's nouns and adjectives in English ``text`` as English lemmas, and its negations."""
    words = tokenize(text)
    negations = [NEGATION for word in words if word in ("not", "never", "cannot") or word.endswith("n't")]
    return Counter([_ENGLISH[word] for word in words if word in _ENGLISH] + negations)


def french_content(text: str) -> Counter[str]:
    """The lexicon's nouns and adjectives in French ``text`` as English lemmas, and its negations."""
    words = tokenize(text)
    negations = [NEGATION for word in words if word in ("pas", "jamais")]
    return Counter([_FRENCH[word] for word in words if word in _FRENCH] + negations)


@dataclass(frozen=True)
class Faithfulness:
    """What a translation lost (``dropped``) and added (``invented``): English lemmas, or ``NEGATION``."""

    dropped: list[str]
    invented: list[str]

    @property
    def faithful(self) -> bool:
        """True when the translation carries every noun, adjective and negation, and no other."""
        return not self.dropped and not self.invented


def faithfulness(english: str, french: str) -> Faithfulness:
    """Compare the content words of ``english`` with those of its translation ``french``."""
    source, target = english_content(english), french_content(french)
    return Faithfulness(sorted((source - target).elements()), sorted((target - source).elements()))


@dataclass(frozen=True)
class ReaderCheck:
    """One sentence's translation and verdict: "faithful", "flagged" (it reported unknown words, so a
    reader was told) or "silent" (a content word lost or invented without a word of warning)."""

    english: str
    french: str
    unknown: list[str]
    result: Faithfulness

    @property
    def verdict(self) -> str:
        """ "faithful", "flagged" or "silent"."""
        if self.result.faithful:
            return "faithful"
        return "flagged" if self.unknown else "silent"


def check_reader_sentences(
    translator: Translator, sentences: Sequence[str] = READER_SENTENCES
) -> list[ReaderCheck]:
    """Translate each sentence with ``translator`` and judge it (``ReaderCheck.verdict``)."""
    checks = []
    for english in sentences:
        unknown = translator.read(english)[1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnknownWordsWarning)  # reported in the check instead
            warnings.simplefilter("ignore", UnfinishedTranslationWarning)  # judged like any output
            french = translator.translate(english)
        checks.append(ReaderCheck(english, french, unknown, faithfulness(english, french)))
    return checks
