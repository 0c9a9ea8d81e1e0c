"""Word-level tokenizer and vocabulary for the translator (chapter 2 first uses them).

`tokenize` lowercases, splits punctuation off and keeps a French elision as a token of its own
("l'animal" -> ["l'", "animal"]), so "l'" is one word the model can learn for every noun.
`detokenize` puts the spaces back; for every sentence of the corpus,
``detokenize(tokenize(s)) == s.lower()``. Typographic apostrophes (’) become plain ones.

`Vocab` maps tokens to ids, with the special tokens at fixed ids: <pad>=0, <bos>=1, <eos>=2,
<unk>=3.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

PAD, BOS, EOS, UNK = "<pad>", "<bos>", "<eos>", "<unk>"
SPECIALS = (PAD, BOS, EOS, UNK)
PAD_ID, BOS_ID, EOS_ID, UNK_ID = range(4)

ELISIONS = ("l'", "d'", "j'", "n'", "qu'", "m'", "t'", "s'", "c'", "jusqu'", "lorsqu'", "puisqu'")
"""French words that lose their vowel before a vowel; each becomes a token of its own."""

# A word (letters/digits, with inner hyphens or apostrophes, possibly ending in an apostrophe),
# or any single other non-space character (punctuation).
_TOKEN = re.compile(r"\w+(?:[-']\w+)*'?|[^\w\s]")
NO_SPACE_BEFORE = {".", ",", "!", "?", ";", ":", ")", "]", "}", "%"}
"""Tokens `detokenize` glues to the word before them."""
NO_SPACE_AFTER = {"(", "[", "{"}
"""Tokens `detokenize` glues to the word after them."""


def tokenize(text: str) -> list[str]:
    """Lowercase `text` and split it into words, punctuation marks and French elisions.

    "L'animal n'a pas traversé." -> ["l'", "animal", "n'", "a", "pas", "traversé", "."].
    A word with an apostrophe that is not a French elision stays whole ("didn't").
    """
    tokens = []
    for token in _TOKEN.findall(text.lower().replace("’", "'")):
        head, apostrophe, rest = token.partition("'")
        if apostrophe and rest and head + "'" in ELISIONS:
            tokens += [head + "'", *tokenize(rest)]
        else:
            tokens.append(token)
    return tokens


def detokenize(tokens: Sequence[str]) -> str:
    """Join tokens into text: no space after an elision ("l'animal") or "(", none before "." "," etc."""
    text = ""
    previous = ""
    for token in tokens:
        glued = not text or token in NO_SPACE_BEFORE or previous in ELISIONS or previous in NO_SPACE_AFTER
        text += token if glued else " " + token
        previous = token
    return text


def id_tokens(itos: Sequence[str], ids: Iterable[int]) -> list[str]:
    """Every id of `ids` (a list or a 1-D tensor) as its token in `itos`, special tokens included; an id
    out of range raises ValueError. Word and subword vocabularies (``subwords.SubwordVocab``) share it."""
    tokens = []
    for i in ids:
        i = int(i)
        if not 0 <= i < len(itos):
            raise ValueError(f"token id {i} out of range for a vocabulary of {len(itos)}")
        tokens.append(itos[i])
    return tokens


def text_tokens(tokens: Iterable[str]) -> list[str]:
    """`tokens` up to the first <eos>, without special tokens: what a sequence of ids says."""
    kept = []
    for token in tokens:
        if token == EOS:
            break
        if token not in SPECIALS:
            kept.append(token)
    return kept


@dataclass(frozen=True)
class Vocab:
    """Token <-> id mapping; ids 0-3 are <pad>, <bos>, <eos>, <unk>.

    Two vocabularies are equal when they hold the same tokens in the same order.
    """

    itos: tuple[str, ...]
    stoi: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if tuple(self.itos[: len(SPECIALS)]) != SPECIALS:
            raise ValueError(f"a vocabulary must start with {SPECIALS}, got {tuple(self.itos[:4])}")
        if len(set(self.itos)) != len(self.itos):
            duplicates = sorted(t for t, c in Counter(self.itos).items() if c > 1)
            raise ValueError(f"duplicate tokens in vocabulary: {duplicates[:10]}")
        object.__setattr__(self, "stoi", {token: i for i, token in enumerate(self.itos)})

    @classmethod
    def build(cls, sentences: Iterable[str], min_freq: int = 1) -> Vocab:
        """Vocabulary of every token seen at least `min_freq` times, most frequent first
        (ties in alphabetical order), so the same sentences always give the same ids."""
        counts = Counter(token for sentence in sentences for token in tokenize(sentence))
        kept = sorted((t for t, c in counts.items() if c >= min_freq), key=lambda t: (-counts[t], t))
        return cls(SPECIALS + tuple(t for t in kept if t not in SPECIALS))

    def __len__(self) -> int:
        return len(self.itos)

    def __contains__(self, token: str) -> bool:
        return token in self.stoi

    def encode(self, text: str, add_specials: bool = True) -> list[int]:
        """Token ids of `text`, (seq,) with seq = tokens + 2 when wrapped in <bos> ... <eos>.

        Unknown words become <unk>; `unknown_words` lists them.
        """
        ids = [self.stoi.get(token, UNK_ID) for token in tokenize(text)]
        return [BOS_ID, *ids, EOS_ID] if add_specials else ids

    def decode(self, ids: Iterable[int]) -> str:
        """Text of a sequence of ids (a list or a 1-D tensor): stops at the first <eos> and
        leaves out <pad>, <bos> and <unk>."""
        return detokenize(self.lookup(ids))

    def lookup(self, ids: Iterable[int]) -> list[str]:
        """The tokens of `ids` up to the first <eos>, without special tokens."""
        return text_tokens(self.tokens(ids))

    def tokens(self, ids: Iterable[int]) -> list[str]:
        """Every id of `ids` (a list or a 1-D tensor) as its token, special tokens included."""
        return id_tokens(self.itos, ids)

    def unknown_words(self, text: str) -> list[str]:
        """Tokens of `text` that are not in the vocabulary, in order of first appearance."""
        return list(dict.fromkeys(t for t in tokenize(text) if t not in self.stoi))

    def to_dict(self) -> dict[str, list[str]]:
        """Plain JSON-able data for a checkpoint: {"tokens": [...]}."""
        return {"tokens": list(self.itos)}

    @classmethod
    def from_dict(cls, data: dict[str, list[str]]) -> Vocab:
        """Inverse of `to_dict`; raises ValueError for data that is not a vocabulary."""
        if not isinstance(data, dict) or not isinstance(data.get("tokens"), list):
            raise ValueError('vocabulary data must be a dict with a "tokens" list')
        return cls(tuple(data["tokens"]))
