"""Subword vocabularies for real corpora: sentencepiece's unigram model, trained on your own pairs.

The book's word-level ``Vocab`` knows only the words of its training pairs; a real corpus of a few hundred
thousand pairs has too many rare words for that. The paper used word pieces: frequent words stay whole and
rare ones are cut into pieces ("▁incroy" "able"), so every word can be read. ``SubwordVocab.train`` learns
such pieces with sentencepiece (Kudo and Richardson, 2018) from the training sentences, and the learned
model is kept inside the translator's checkpoint (``to_dict``), so loading needs no other file.

A ``SubwordVocab`` answers like a ``Vocab`` (``encode``, ``decode``, ``tokens``, ``unknown_words``...),
with the same special ids: <pad>=0, <bos>=1, <eos>=2, <unk>=3. Text is lowercased, with typographic
apostrophes made plain, as the word-level tokenizer does. ``vocab_from_dict`` reads either kind back.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import sentencepiece

from book.translation.tokenizer import (
    BOS,
    BOS_ID,
    EOS,
    EOS_ID,
    PAD,
    PAD_ID,
    SPECIALS,
    UNK,
    UNK_ID,
    Vocab,
    id_tokens,
    text_tokens,
    tokenize,
)

DEFAULT_SIZE = 8000
"""Pieces in a subword vocabulary unless asked otherwise (a soft limit: a small corpus gets fewer)."""


def normalize(text: str) -> str:
    """``text`` as the subword model reads it: lowercased, typographic apostrophes made plain."""
    return text.lower().replace("’", "'")


class SubwordVocab:
    """Pieces <-> ids, learned by sentencepiece; ids 0-3 are <pad>, <bos>, <eos>, <unk>.

    ``model`` is sentencepiece's serialized model (bytes). Two subword vocabularies are equal when
    their models are.
    """

    def __init__(self, model: bytes) -> None:
        self.model = bytes(model)
        self.processor = sentencepiece.SentencePieceProcessor(model_proto=self.model)
        self.itos = tuple(self.processor.id_to_piece(i) for i in range(self.processor.get_piece_size()))
        if self.itos[: len(SPECIALS)] != SPECIALS:
            raise ValueError(f"a subword vocabulary must start with {SPECIALS}, got {self.itos[:4]}")
        self.stoi = {piece: i for i, piece in enumerate(self.itos)}

    @classmethod
    def train(cls, sentences: Iterable[str], size: int = DEFAULT_SIZE) -> SubwordVocab:
        """Learn a unigram subword model of at most ``size`` pieces from ``sentences``.

        One thread and a fixed order make the same sentences always give the same pieces.
        """
        if size <= len(SPECIALS):
            raise ValueError(f"a subword vocabulary needs more than {len(SPECIALS)} pieces, got {size}")
        buffer = io.BytesIO()
        sentencepiece.SentencePieceTrainer.train(
            sentence_iterator=(normalize(s) for s in sentences),
            model_writer=buffer,
            vocab_size=size,
            hard_vocab_limit=False,
            model_type="unigram",
            character_coverage=1.0,
            pad_id=PAD_ID,
            bos_id=BOS_ID,
            eos_id=EOS_ID,
            unk_id=UNK_ID,
            pad_piece=PAD,
            bos_piece=BOS,
            eos_piece=EOS,
            unk_piece=UNK,
            num_threads=1,
            minloglevel=2,
        )
        return cls(buffer.getvalue())

    def __len__(self) -> int:
        return len(self.itos)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SubwordVocab) and other.model == self.model

    def __hash__(self) -> int:
        return hash(self.model)

    def __contains__(self, word: str) -> bool:
        """Whether ``word`` is read without an <unk> piece."""
        return UNK_ID not in self.encode(word, add_specials=False)

    def __reduce__(self) -> tuple:
        return SubwordVocab, (self.model,)

    def encode(self, text: str, add_specials: bool = True) -> list[int]:
        """Piece ids of ``text``, wrapped in <bos> ... <eos> unless ``add_specials`` is False."""
        ids = self.processor.encode(normalize(text))
        return [BOS_ID, *ids, EOS_ID] if add_specials else ids

    def decode(self, ids: Iterable[int]) -> str:
        """Text of a sequence of ids (a list or a 1-D tensor): stops at the first <eos> and leaves out
        <pad>, <bos> and <unk>."""
        return self.processor.decode([self.stoi[piece] for piece in self.lookup(ids)])

    def lookup(self, ids: Iterable[int]) -> list[str]:
        """The pieces of ``ids`` up to the first <eos>, without special tokens."""
        return text_tokens(self.tokens(ids))

    def tokens(self, ids: Iterable[int]) -> list[str]:
        """Every id of ``ids`` as its piece ("▁" marks a word's start), special tokens included."""
        return id_tokens(self.itos, ids)

    def unknown_words(self, text: str) -> list[str]:
        """Words of ``text`` holding a character the model never saw (read as <unk>), in order."""
        return list(dict.fromkeys(word for word in tokenize(text) if word not in self))

    def to_dict(self) -> dict[str, bytes]:
        """Plain data for a checkpoint: {"sentencepiece": the serialized model}."""
        return {"sentencepiece": self.model}


def vocab_from_dict(data: dict) -> Vocab | SubwordVocab:
    """A word-level ``Vocab`` or a ``SubwordVocab`` from its ``to_dict`` data; ValueError otherwise."""
    if isinstance(data, dict) and isinstance(data.get("sentencepiece"), bytes):
        try:
            return SubwordVocab(data["sentencepiece"])
        except RuntimeError as error:  # sentencepiece's error for a damaged model
            raise ValueError(f"damaged sentencepiece model ({error})") from error
    return Vocab.from_dict(data)
