"""Sentence pairs -> padded tensors, in batches of similar lengths sized in tokens (chapter 9).

A batch of sentences padded to its longest one wastes compute on the padding. Sorting the pairs by
length first ("bucketing") puts similar lengths together, and sizing each batch by its number of
tokens rather than sentences (as the paper does: about 25,000 source and 25,000 target tokens a batch)
gives every training step about the same amount of work: many short sentences or fewer long ones.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from book.translation.pairs import Pair
from book.translation.tokenizer import PAD_ID, Vocab

Example = tuple[list[int], list[int]]
"""One encoded pair: source ids and target ids, each wrapped in <bos> ... <eos>."""


@dataclass
class Batch:
    """A training batch.

    src (batch, src_len): source ids. tgt_in (batch, tgt_len): the decoder's input,
    "<bos> w1 ... wn". tgt_out (batch, tgt_len): the words to predict, "w1 ... wn <eos>",
    the input shifted left by one. Padding is ``PAD_ID`` (0).
    """

    src: torch.Tensor
    tgt_in: torch.Tensor
    tgt_out: torch.Tensor

    @property
    def target_tokens(self) -> int:
        """Number of target words to predict (padding not counted)."""
        return int((self.tgt_out != PAD_ID).sum())

    def to(self, device: torch.device | str) -> "Batch":
        """The same batch on ``device``."""
        return Batch(self.src.to(device), self.tgt_in.to(device), self.tgt_out.to(device))


def encode_pairs(pairs: Sequence[Pair], src_vocab: Vocab, tgt_vocab: Vocab) -> list[Example]:
    """Token ids of every pair, each side wrapped in <bos> ... <eos>."""
    return [(src_vocab.encode(p.source), tgt_vocab.encode(p.target)) for p in pairs]


def pad(sequences: Sequence[Sequence[int]], pad_id: int = PAD_ID) -> torch.Tensor:
    """Lists of ids of different lengths -> (len(sequences), longest) tensor, padded at the end."""
    if not sequences:
        raise ValueError("cannot pad an empty list of sequences")
    longest = max(len(s) for s in sequences)
    padded = torch.full((len(sequences), longest), pad_id, dtype=torch.long)
    for row, sequence in enumerate(sequences):
        padded[row, : len(sequence)] = torch.tensor(sequence, dtype=torch.long)
    return padded


def make_batch(examples: Sequence[Example]) -> Batch:
    """Pad a few examples into one ``Batch``."""
    src = pad([s for s, _ in examples])
    tgt = pad([t for _, t in examples])
    return Batch(src, tgt[:, :-1], tgt[:, 1:])


def batch_indices(
    lengths: Sequence[int], max_tokens: int, rng: random.Random | None = None
) -> list[list[int]]:
    """Group example indices into batches of similar length, each at most ``max_tokens`` padded tokens.

    ``lengths[i]`` is example i's longer side. A batch of n examples whose longest has length L holds
    n * L padded tokens. With ``rng``, ties in length are broken at random and the batches come out
    in random order (a new grouping every epoch); without, the order is fixed.
    """
    if max_tokens < max(lengths, default=0):
        raise ValueError(f"max_tokens ({max_tokens}) is smaller than the longest example ({max(lengths)})")
    order = list(range(len(lengths)))
    if rng is not None:
        rng.shuffle(order)
    order.sort(key=lambda i: lengths[i])  # stable: equal lengths keep the shuffled order
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        # sorted ascending, so example i is the longest of the batch it joins
        if current and (len(current) + 1) * lengths[i] > max_tokens:
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    if rng is not None:
        rng.shuffle(batches)
    return batches


def token_batches(
    examples: Sequence[Example], max_tokens: int, rng: random.Random | None = None
) -> list[Batch]:
    """Bucketed batches of ``examples`` holding at most ``max_tokens`` padded tokens per side.

    See ``batch_indices``; every example lands in exactly one batch.
    """
    lengths = [max(len(s), len(t) - 1) for s, t in examples]
    return [make_batch([examples[i] for i in group]) for group in batch_indices(lengths, max_tokens, rng)]
