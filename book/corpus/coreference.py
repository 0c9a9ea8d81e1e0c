"""The lecture's coreference sentence, read back: its two nouns, its adjective, and where each word is.

"the <noun 1> did not <verb> the <noun 2> because it was too <adjective>": the adjective decides which
noun "it" stands for. Its *side* is "animate" when the adjective fits noun 1, the animal ("tired"), and
"object" when it fits noun 2 ("wide"). ``parse`` reads a sentence of this pattern, as the grammar writes
it or as people type it ("The animal didn't cross the street because it's too wide!"), into a
``CorefSentence``: the lemmas, the side, the held-out combination it belongs to, and the source position
of every role, which is what chapter 5 and chapter 9 average attention over.
"""

import re
from dataclasses import dataclass

from book.corpus.lexicon import COREF_ADJECTIVES, NOUNS
from book.corpus.typed import spelled_out, typed_words, up_to_last_word
from book.translation.tokenizer import tokenize

ROLES = ("noun 1", "noun 2", "adjective", "pronoun", "<bos>/<eos>", "other")
"""The groups of source tokens of a coreference sentence; they cover every token, once."""

SIDES = ("animate", "object")
"""Which noun the adjective fits, and so which noun the pronoun stands for: noun 1 or noun 2."""

ADJECTIVE_SIDES: dict[str, str] = {
    adjective.en: side for side in SIDES for adjective in COREF_ADJECTIVES[side]
}
"""Coreference adjective (English) -> the side it puts the pronoun on."""

_LEMMAS = {form: noun.en for noun in NOUNS for form in (noun.en, noun.en_plural)}

_PATTERN = re.compile(
    r"the (\w+) (?:did|does|do) not \w+ the (\w+) because (?:it|they) (?:was|were|is|are) too (\w+)"
)
"""The sentence as the grammar writes it (``spelled_out`` undoes the typing)."""


def adjective_side(english: str) -> str | None:
    """ "animate" or "object" for a sentence ending in a coreference adjective, else None."""
    return _side(typed_words(english))


def _side(words: list[str]) -> str | None:
    """The side of the coreference adjective that ``words`` (tokens up to the last word) end with."""
    return ADJECTIVE_SIDES.get(words[-1]) if words else None


@dataclass(frozen=True)
class CorefSentence:
    """A coreference sentence, parsed. Nouns and the adjective are English lemmas ("animal", "tired")."""

    noun1: str
    noun2: str
    adjective: str
    side: str  # one of SIDES
    positions: dict[str, list[int]]  # role of ROLES -> source token positions, <bos> at 0

    @property
    def referent(self) -> str:
        """The noun "it" stands for."""
        return self.noun1 if self.side == "animate" else self.noun2

    @property
    def combination(self) -> tuple[str, str, str, str]:
        """The sentence's coreference triple as ``book.corpus.splits.held_out_combinations`` lists it."""
        return ("coref", self.noun1, self.noun2, self.adjective)


def parse(english: str) -> CorefSentence:
    """Read a coreference sentence; raises ValueError for any other sentence."""
    tokens = tokenize(english)
    words = up_to_last_word(tokens)  # the tokens as typed ("didn't", "it's"), up to the adjective
    match = _PATTERN.fullmatch(spelled_out(words))
    side = _side(words)
    if match is None or side is None or not {match[1], match[2]} <= _LEMMAS.keys():
        raise ValueError(f"not a coreference sentence: {english!r}")
    because = words.index("because")
    # Source positions count <bos> as 0, so token i of the sentence sits at i + 1.
    found = {"noun 1": [2], "noun 2": [because], "adjective": [len(words)], "pronoun": [because + 2]}
    found["<bos>/<eos>"] = [0, len(tokens) + 1]
    taken = {p for positions in found.values() for p in positions}
    found["other"] = [p for p in range(len(tokens) + 2) if p not in taken]
    return CorefSentence(_LEMMAS[match[1]], _LEMMAS[match[2]], match[3], side, found)
