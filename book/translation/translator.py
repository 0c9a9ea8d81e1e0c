"""A ready-to-use translator: text in, text out, with the attention behind every word on request.

Chapter 1 uses the shipped one as a black box; chapter 9 trains one.

    >>> from book.translation.translator import Translator
    >>> translator = Translator.pretrained()
    >>> translator.translate("the animal did not cross the street because it was too tired")
    "l'animal n'a pas traversé la rue parce qu'il était trop fatigué"

``Translator.pretrained()`` loads the checkpoint shipped in ``book/data/translator.pt`` (trained by
``python -m book.train``; its metrics and the command that made it are in
``book/data/translator-metrics.json``). Input is normalised like the corpus: lowercased, typographic
apostrophes made plain, and punctuation the model never saw dropped. Words outside the vocabulary are
read as <unk> and reported with an ``UnknownWordsWarning``. A translation that does not end within the
output limit (``decoding.output_limit``: twice the input's length and 10 more) stops there, and says so
with an ``UnfinishedTranslationWarning``: the model was repeating itself or wandering.
"""

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from book.attention import AttentionMaps
from book.model import Transformer
from book.translation.checkpoint import Checkpoint, load_checkpoint
from book.translation.decoding import output_limit, trace, translate_ids
from book.translation.tokenizer import Vocab, detokenize, tokenize

PRETRAINED_PATH = Path(__file__).parent.parent / "data" / "translator.pt"
"""The checkpoint shipped with the book."""


class UnknownWordsWarning(UserWarning):
    """Some words of the input are not in the translator's vocabulary; they were read as <unk>."""


class UnfinishedTranslationWarning(UserWarning):
    """The model did not end a translation within its output limit: the translation stops there."""


@dataclass
class Analysis:
    """One translation with everything behind it, for plots.

    ``source_ids`` are what the encoder read (with <bos>, <eos>, and <unk> for unknown words),
    ``target_ids`` what the decoder produced, one per step, ending with <eos>; ``source_tokens`` and
    ``target_tokens`` are the same as words. ``attention`` holds every layer's weights: encoder
    (1, heads, src_len, src_len), decoder_self (1, heads, steps, steps) and cross
    (1, heads, steps, src_len); row t is step t.
    """

    text: str
    translation: str
    source_ids: list[int]
    target_ids: list[int]
    source_tokens: list[str]
    target_tokens: list[str]
    unknown_words: list[str]
    attention: AttentionMaps


class Translator:
    """A trained Transformer with its vocabularies, translating sentences of text.

    ``beam_size`` 1 decodes greedily; more uses beam search.
    """

    def __init__(
        self,
        model: Transformer,
        src_vocab: Vocab,
        tgt_vocab: Vocab,
        direction: str = "en-fr",
        corpus: dict | None = None,
        beam_size: int = 1,
    ) -> None:
        self.model = model.eval()
        self.src_vocab = src_vocab
        self.tgt_vocab = tgt_vocab
        self.direction = direction
        self.corpus = corpus or {}
        self.beam_size = beam_size

    @classmethod
    def from_checkpoint(cls, checkpoint: Checkpoint, beam_size: int = 1) -> "Translator":
        """A translator from a loaded ``Checkpoint``."""
        return cls(
            checkpoint.model,
            checkpoint.src_vocab,
            checkpoint.tgt_vocab,
            checkpoint.direction,
            checkpoint.corpus,
            beam_size,
        )

    def to_checkpoint(self, metadata: dict | None = None) -> Checkpoint:
        """This translator as a ``Checkpoint`` to save, with ``metadata`` (scores, the command...)."""
        return Checkpoint(
            self.model, self.src_vocab, self.tgt_vocab, self.direction, self.corpus, metadata or {}
        )

    def with_beam(self, beam_size: int) -> "Translator":
        """The same model and vocabularies, decoding with ``beam_size`` (1: greedy)."""
        return Translator(self.model, self.src_vocab, self.tgt_vocab, self.direction, self.corpus, beam_size)

    @classmethod
    def load(cls, path: str | Path, device: str = "cpu", beam_size: int = 1) -> "Translator":
        """A translator from a checkpoint file written by ``python -m book.train``."""
        return cls.from_checkpoint(load_checkpoint(path, device), beam_size)

    @classmethod
    def pretrained(cls, device: str = "cpu", beam_size: int = 1) -> "Translator":
        """The translator shipped with the book (English -> French)."""
        if not PRETRAINED_PATH.is_file():
            raise FileNotFoundError(
                f"no shipped checkpoint at {PRETRAINED_PATH}; train one with "
                f"`python -m book.train --out {PRETRAINED_PATH}`"
            )
        return cls.load(PRETRAINED_PATH, device, beam_size)

    @property
    def max_words(self) -> int:
        """The longest input, in tokens: the model's positions minus <bos> and <eos>."""
        return self.model.config.max_len - 2

    def read(self, text: str) -> tuple[str, list[str]]:
        """``text`` as the corpus writes it, and the words of it outside the vocabulary.

        Lowercases, splits off punctuation and elisions, and drops punctuation marks that are not
        in the vocabulary. Raises ValueError for empty input or input longer than ``max_words``.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        tokens = [t for t in tokenize(text) if t in self.src_vocab or any(c.isalnum() for c in t)]
        if not tokens:
            raise ValueError(f"nothing to translate: {text!r} has no words")
        if len(tokens) > self.max_words:
            raise ValueError(
                f"the text has {len(tokens)} tokens; this translator reads at most {self.max_words}"
            )
        normalized = detokenize(tokens)
        return normalized, self.src_vocab.unknown_words(normalized)

    def _prepare(self, text: str) -> str:
        """Normalise ``text`` and warn about its unknown words."""
        normalized, unknown = self.read(text)
        if unknown:
            warnings.warn(
                f"unknown words, read as <unk>: {', '.join(unknown)} (in {text!r})",
                UnknownWordsWarning,
                stacklevel=3,
            )
        return normalized

    def translate(self, text: str) -> str:
        """Translate one sentence -> detokenized text."""
        return self.translate_batch([text])[0]

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        """Translate many sentences at once (faster than one at a time)."""
        if isinstance(texts, str):
            raise TypeError("translate_batch takes a list of sentences; use translate for one")
        sources = [self.src_vocab.encode(self._prepare(text)) for text in texts]
        outputs = translate_ids(self.model, sources, self.beam_size)
        for text, source, output in zip(texts, sources, outputs, strict=True):
            if len(output) == output_limit(self.model, len(source)):  # no <eos> within the limit
                warnings.warn(
                    f"the translation did not end within {len(output)} words and stops there; "
                    f"the model may be repeating itself (in {text!r})",
                    UnfinishedTranslationWarning,
                    stacklevel=2,
                )
        return [self.tgt_vocab.decode(output) for output in outputs]

    def analyze(self, text: str) -> Analysis:
        """Translate one sentence greedily and keep its tokens, unknown words and attention maps."""
        normalized, unknown = self.read(text)
        steps = trace(self.model, self.src_vocab, self.tgt_vocab, normalized)
        return Analysis(
            text=normalized,
            translation=steps.translation,
            source_ids=steps.source_ids,
            target_ids=steps.output_ids,
            source_tokens=steps.source_tokens,
            target_tokens=steps.output_tokens,
            unknown_words=unknown,
            attention=steps.attention,
        )
