"""The inputs every exercise's function is tried on: seeded random tensors, edge cases, a scripted decoder.

This module holds inputs only, never a right answer: the grader builds them in the child process that runs
a student's function, and again in the judge (``book.coursework.checks``), which alone knows what the
function should return. ``CASES["4.1"]()`` is the list of cases of exercise 4.1.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

from book.config import get_config
from book.masks import causal_mask, padding_mask, target_mask
from book.model import Transformer


@dataclass(frozen=True)
class Case:
    """One input to try: ``make()`` builds fresh arguments (so a function that edits them in place
    spoils nothing), ``description`` names the input in a failure message."""

    description: str
    make: Callable[[], tuple]


def randn(*shape: int, seed: int) -> torch.Tensor:
    """Seeded normal samples that leave the global random state alone."""
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed))


# 1.1 count_parameters


def tiny_model(share: bool) -> torch.nn.Module:
    """A tiny Transformer; ``share`` ties its source and target embeddings (one tensor, two layers)."""
    return Transformer(
        get_config("tiny", src_vocab=40, tgt_vocab=40 if share else 50, share_embeddings=share)
    )


def _count_parameters() -> list[Case]:
    return [
        Case("nn.Linear(3, 2)", lambda: (torch.nn.Linear(3, 2),)),
        Case("a tiny Transformer", lambda: (tiny_model(share=False),)),
        Case("a tiny Transformer with shared embeddings", lambda: (tiny_model(share=True),)),
    ]


# 2.1 embed


def _tokens(batch: int, seq: int, vocab: int, seed: int) -> torch.Tensor:
    ids = torch.randint(vocab, (batch, seq), generator=torch.Generator().manual_seed(seed))
    ids[0, 0] = vocab - 1  # the last row of the table must be reachable too
    return ids


def _embed() -> list[Case]:
    return [
        Case(
            "a batch of 2 sequences of 5 ids (vocabulary 11, d_model 8)",
            lambda: (_tokens(2, 5, 11, seed=1), randn(11, 8, seed=2)),
        ),
        Case("a batch of one (3 ids, d_model 6)", lambda: (_tokens(1, 3, 7, seed=3), randn(7, 6, seed=4))),
        Case("a single token (d_model 4)", lambda: (torch.tensor([[2]]), randn(5, 4, seed=5))),
    ]


# 3.1 project_qkv and 3.2 attention_scores


def _projections(words: int, d_model: int, d_k: int, seed: int) -> tuple[torch.Tensor, ...]:
    shapes = [(words, d_model), (d_model, d_k), (d_model, d_k), (d_model, d_k)]
    return tuple(randn(*shape, seed=seed + i) for i, shape in enumerate(shapes))


def _project_qkv() -> list[Case]:
    return [
        Case("4 words with d_model = d_k = 4", lambda: _projections(4, 4, 4, seed=30)),
        Case("3 words, d_model 8, d_k 4", lambda: _projections(3, 8, 4, seed=10)),
        Case("a single word", lambda: _projections(1, 8, 4, seed=20)),
    ]


def _attention_scores() -> list[Case]:
    return [
        Case("3 queries and 5 keys (d_k 4)", lambda: (randn(3, 4, seed=40), randn(5, 4, seed=41))),
        Case("4 queries and 4 keys", lambda: (randn(4, 4, seed=42), randn(4, 4, seed=43))),
        Case("one query and one key", lambda: (randn(1, 6, seed=44), randn(1, 6, seed=45))),
    ]


# 4.1 attend


def _qkv(shape_q: tuple, shape_k: tuple, d_v: int, seed: int) -> tuple[torch.Tensor, ...]:
    return (
        randn(*shape_q, seed=seed),
        randn(*shape_k, seed=seed + 1),
        randn(*shape_k[:-1], d_v, seed=seed + 2),
    )


def _padded(seed: int) -> tuple[torch.Tensor, ...]:
    ids = torch.tensor([[4, 7, 3, 5], [6, 2, 0, 0]])  # the second sentence ends in two pads
    return (*_qkv((2, 2, 4, 8), (2, 2, 4, 8), 8, seed), padding_mask(ids, 0))


def _causal(seed: int) -> tuple[torch.Tensor, ...]:
    return (*_qkv((1, 1, 5, 4), (1, 1, 5, 4), 4, seed), causal_mask(5))


def _padded_causal(seed: int) -> tuple[torch.Tensor, ...]:
    ids = torch.tensor([[3, 8, 5, 0]])
    return (*_qkv((1, 2, 4, 6), (1, 2, 4, 6), 6, seed), target_mask(ids, 0))


def _attend() -> list[Case]:
    return [
        Case("3 queries and 5 keys without a mask (d_k 4, d_v 6)", lambda: _qkv((3, 4), (5, 4), 6, seed=50)),
        Case("a batch of 2 with 2 heads and a padding mask", lambda: _padded(seed=60)),
        Case("5 positions with a causal mask (the future fully masked)", lambda: _causal(seed=70)),
        Case("a batch of one with padding and causal masks", lambda: _padded_causal(seed=80)),
        Case("a single query and a single key", lambda: _qkv((1, 4), (1, 4), 3, seed=90)),
        Case(
            "a single query and key with a mask",
            lambda: (*_qkv((1, 4), (1, 4), 3, seed=95), torch.ones(1, 1, dtype=torch.bool)),
        ),
    ]


# 5.1 multi_head_attention


def _mha_inputs(batch: int, seq: int, d_model: int, heads: int, seed: int) -> tuple:
    x = randn(batch, seq, d_model, seed=seed)
    weights = [randn(d_model, d_model, seed=seed + i) / math.sqrt(d_model) for i in range(1, 5)]
    return (x, *weights, heads)


def _multi_head_attention() -> list[Case]:
    pads = padding_mask(torch.tensor([[5, 3, 8, 0], [2, 0, 0, 0]]), 0)
    return [
        Case("a batch of 2, 5 words, d_model 8, 2 heads, no mask", lambda: _mha_inputs(2, 5, 8, 2, seed=100)),
        Case(
            "a batch of 2, 4 words, d_model 12, 3 heads, padding mask",
            lambda: (*_mha_inputs(2, 4, 12, 3, seed=110), pads.clone()),
        ),
        Case(
            "a batch of one, 5 words, 4 heads, causal mask",
            lambda: (*_mha_inputs(1, 5, 8, 4, seed=120), causal_mask(5)),
        ),
        Case("a batch of one with a single word", lambda: _mha_inputs(1, 1, 8, 2, seed=130)),
    ]


# 6.1 positional_encoding


def _positional_encoding() -> list[Case]:
    return [
        Case("max_len 50, d_model 16", lambda: (50, 16)),
        Case("max_len 7, d_model 6", lambda: (7, 6)),
        Case("a single position (max_len 1, d_model 4)", lambda: (1, 4)),
        Case("max_len 10, d_model 2", lambda: (10, 2)),
    ]


# 7.1 layer_norm


def _norm_inputs(shape: tuple[int, ...], seed: int, scale: float = 2.0, offset: float = 3.0) -> tuple:
    d_model = shape[-1]
    return (
        randn(*shape, seed=seed) * scale + offset,
        1 + 0.5 * randn(d_model, seed=seed + 1),
        randn(d_model, seed=seed + 2),
    )


def _with_constant_row(seed: int) -> tuple:
    x, gain, bias = _norm_inputs((1, 3, 5), seed)
    x[0, 1] = 0.7  # one position whose vector is constant: variance 0
    return x, gain, bias


def _layer_norm() -> list[Case]:
    return [
        Case("x of shape (2, 3, 8)", lambda: _norm_inputs((2, 3, 8), seed=140)),
        Case(
            "x of shape (4, 6) with eps=1e-3 and small values",
            lambda: (*_norm_inputs((4, 6), seed=150, scale=0.05, offset=-1.0), 1e-3),
        ),
        Case("a batch of one with a constant vector (variance 0)", lambda: _with_constant_row(seed=160)),
        Case("a single token of shape (1, 1, 4)", lambda: _norm_inputs((1, 1, 4), seed=170)),
    ]


# 8.1 subsequent_mask


def _subsequent_mask() -> list[Case]:
    return [Case(f"size {size}", lambda size=size: (size,)) for size in (4, 1, 6)]


# 8.2 greedy_search

VOCAB = 10
"""The scripted decoder's vocabulary size."""
FILLER = 9
"""The id the scripted decoder favours once its script runs out."""


def scripted_logits(script: list[int], generated: int) -> torch.Tensor:
    """(vocab,) scores after ``generated`` ids: seeded noise with the script's next id on top."""
    scores = randn(VOCAB, seed=200 + generated)
    favourite = script[generated] if generated < len(script) else FILLER
    scores[favourite] = scores.max() + 1.0
    return scores


def scripted_step(script: list[int], bos: int, max_len: int) -> Callable[[list[int]], torch.Tensor]:
    """A toy decoder: step(prefix) -> log-probs (vocab,) whose most likely next id follows ``script``.

    The prefix starts with bos; after n generated ids the most likely next id is ``script[n]``
    (``FILLER`` once the script runs out). Calls beyond what max_len allows raise, so an endless
    loop fails fast with a clear message. The script is not an attribute: the only way to learn the
    next id is to call step and take the argmax, which is the exercise.
    """
    calls = 0

    def step(prefix: list[int]) -> torch.Tensor:
        nonlocal calls
        calls += 1
        if calls > max_len + 5:
            raise RuntimeError(
                f"step was called {calls} times with max_len={max_len}: stop after max_len generated tokens"
            )
        ids = prefix.tolist() if isinstance(prefix, torch.Tensor) else list(prefix)
        if not ids or ids[0] != bos:
            raise ValueError(f"step(prefix): the prefix must start with bos={bos}, got {ids}")
        return scripted_logits(script, len(ids) - 1).log_softmax(-1)

    return step


BOS, EOS = 1, 2
"""The scripted decoder's begin and end ids."""


def _greedy_search() -> list[Case]:
    scripts = [
        ("eos after 3 ids (max_len 8)", [5, 7, 3, EOS, 4, 6, 8], 8),
        ("no eos before max_len 5", [4, 4, 6, 3, 5, 7, 8, 3], 5),
        ("eos as the first id", [EOS, 5, 6], 6),
        ("max_len 1", [6, EOS], 1),
        ("eos right after max_len 3", [3, 5, 6, EOS], 3),
    ]
    return [
        Case(description, lambda s=script, n=limit: (scripted_step(s, BOS, n), BOS, EOS, n))
        for description, script, limit in scripts
    ]


# 9.1 noam_rate and 9.2 smoothed_targets


def _noam_rate() -> list[Case]:
    settings = [
        (1, 512, 4000),
        (2000, 512, 4000),
        (4000, 512, 4000),
        (4001, 512, 4000),
        (100000, 512, 4000),
        (1, 32, 10),
        (10, 32, 10),
        (37, 32, 10),
    ]
    return [
        Case(f"step {s}, d_model {d}, warmup {w}", lambda s=s, d=d, w=w: (s, d, w)) for s, d, w in settings
    ]


def _smoothed_targets() -> list[Case]:
    return [
        Case(
            "6 targets with padding (vocabulary 7, smoothing 0.1, pad_id 0)",
            lambda: (torch.tensor([3, 0, 5, 1, 0, 6]), 7, 0.1, 0),
        ),
        Case("smoothing 0 (plain one-hot rows)", lambda: (torch.tensor([2, 4, 1]), 5, 0.0, 0)),
        Case("a single target (smoothing 0.2)", lambda: (torch.tensor([2]), 4, 0.2, 0)),
        Case("pad_id 3", lambda: (torch.tensor([3, 1, 2, 3, 0]), 5, 0.1, 3)),
        Case("only padding", lambda: (torch.tensor([0, 0]), 4, 0.1, 0)),
    ]


CASES: dict[str, Callable[[], list[Case]]] = {
    "1.1": _count_parameters,
    "2.1": _embed,
    "3.1": _project_qkv,
    "3.2": _attention_scores,
    "4.1": _attend,
    "5.1": _multi_head_attention,
    "6.1": _positional_encoding,
    "7.1": _layer_norm,
    "8.1": _subsequent_mask,
    "8.2": _greedy_search,
    "9.1": _noam_rate,
    "9.2": _smoothed_targets,
}
