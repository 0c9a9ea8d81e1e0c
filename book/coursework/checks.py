"""Checks of the chapters' code exercises: ``check_<name>(your_function)`` prints a line, returns a bool.

Each check runs the student's function on seeded random inputs and edge cases (masks, one token,
a batch of one) and compares it with the book's own component (``book/``) or with the formula the
exercise states. When the answer is wrong it also runs the common mistaken variants and, if one of
them produced exactly the student's answer, names that mistake.
"""

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F

from book.attention import MultiHeadAttention
from book.attention import scaled_dot_product_attention as book_attention
from book.config import get_config
from book.coursework.runner import Case, CheckResult, compare_on_cases, run_check
from book.embeddings import TokenEmbedding
from book.masks import causal_mask as book_causal_mask
from book.masks import padding_mask, target_mask
from book.model import Transformer, parameter_count
from book.normalization import LayerNorm
from book.positional import sinusoid_table


def _randn(*shape: int, seed: int) -> torch.Tensor:
    """Seeded normal samples that leave the global random state alone."""
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed))


def _report(result: CheckResult) -> bool:
    print(result.line())
    return result.passed


# 1.1 count_parameters ---------------------------------------------------------------------------


def _tiny_model(share: bool) -> torch.nn.Module:
    return Transformer(
        get_config("tiny", src_vocab=40, tgt_vocab=40 if share else 50, share_embeddings=share)
    )


def verify_count_parameters(count_parameters: Callable) -> str:
    """Count a Linear layer and two tiny Transformers, one with its embeddings shared."""
    cases = [
        Case("nn.Linear(3, 2)", lambda: (torch.nn.Linear(3, 2),)),
        Case("a tiny Transformer", lambda: (_tiny_model(share=False),)),
        Case("a tiny Transformer with shared embeddings", lambda: (_tiny_model(share=True),)),
    ]
    mistakes = [
        (
            "a shared tensor was counted twice; model.parameters() lists each tensor once",
            lambda model: sum(p.numel() for _, p in model.named_parameters(remove_duplicate=False)),
        ),
        (
            "buffers (such as the positional encoding table) are not parameters",
            lambda model: (
                sum(p.numel() for p in model.parameters()) + sum(b.numel() for b in model.buffers())
            ),
        ),
        (
            "count the numbers in each tensor (numel), not the tensors",
            lambda model: len(list(model.parameters())),
        ),
    ]
    compare_on_cases(count_parameters, parameter_count, cases, mistakes, "the count")
    return "count_parameters counts a Linear layer and tiny Transformers, shared embeddings once"


def check_count_parameters(count_parameters: Callable) -> bool:
    """Exercise 1.1: count_parameters(model) -> int, each shared tensor counted once."""
    return _report(run_check("1.1", verify_count_parameters, count_parameters))


# 2.1 embed --------------------------------------------------------------------------------------


def _tokens(batch: int, seq: int, vocab: int, seed: int) -> torch.Tensor:
    ids = torch.randint(vocab, (batch, seq), generator=torch.Generator().manual_seed(seed))
    ids[0, 0] = vocab - 1  # the last row of the table must be reachable too
    return ids


def _book_embedding(tokens: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    layer = TokenEmbedding(*weight.shape)
    layer.lookup.weight.copy_(weight)
    return layer(tokens)


def verify_embed(embed: Callable) -> str:
    """Random ids, a batch of one, and a single token, against ``book.embeddings.TokenEmbedding``."""
    cases = [
        Case(
            "a batch of 2 sequences of 5 ids (vocabulary 11, d_model 8)",
            lambda: (_tokens(2, 5, 11, seed=1), _randn(11, 8, seed=2)),
        ),
        Case("a batch of one (3 ids, d_model 6)", lambda: (_tokens(1, 3, 7, seed=3), _randn(7, 6, seed=4))),
        Case("a single token (d_model 4)", lambda: (torch.tensor([[2]]), _randn(5, 4, seed=5))),
    ]
    mistakes = [
        ("forgot the sqrt(d_model) scaling", lambda tokens, weight: weight[tokens]),
        (
            "multiply by sqrt(d_model), do not divide by it",
            lambda tokens, weight: weight[tokens] / math.sqrt(weight.size(1)),
        ),
        ("scale by sqrt(d_model), not by d_model", lambda tokens, weight: weight[tokens] * weight.size(1)),
    ]
    compare_on_cases(embed, _book_embedding, cases, mistakes, "the result")
    return "embed matches TokenEmbedding on random ids, a batch of one and a single token"


def check_embed(embed: Callable) -> bool:
    """Exercise 2.1: embed(tokens (batch, seq), weight (vocab, d_model)) -> (batch, seq, d_model)."""
    return _report(run_check("2.1", verify_embed, embed))


# 3.1 project_qkv --------------------------------------------------------------------------------


def _projections(words: int, d_model: int, d_k: int, seed: int) -> tuple[torch.Tensor, ...]:
    return tuple(
        _randn(*shape, seed=seed + i)
        for i, shape in enumerate([(words, d_model), (d_model, d_k), (d_model, d_k), (d_model, d_k)])
    )


def _each_projected(x: torch.Tensor, *weights: torch.Tensor) -> tuple[torch.Tensor, ...]:
    return tuple(torch.einsum("sd,dk->sk", x, w) for w in weights)


def verify_project_qkv(project_qkv: Callable) -> str:
    """Two words and one word with d_k < d_model, and a square case that exposes transposed weights."""
    cases = [
        Case("4 words with d_model = d_k = 4", lambda: _projections(4, 4, 4, seed=30)),
        Case("3 words, d_model 8, d_k 4", lambda: _projections(3, 8, 4, seed=10)),
        Case("a single word", lambda: _projections(1, 8, 4, seed=20)),
    ]
    mistakes = [
        ("return them in the order (q, k, v)", lambda x, wq, wk, wv: _each_projected(x, wq, wv, wk)),
        ("return them in the order (q, k, v)", lambda x, wq, wk, wv: _each_projected(x, wk, wq, wv)),
        ("return them in the order (q, k, v)", lambda x, wq, wk, wv: _each_projected(x, wv, wk, wq)),
        ("each of q, k, v has its own weight matrix", lambda x, wq, wk, wv: _each_projected(x, wq, wq, wq)),
        (
            "use x @ w (each row of x is a word), not x @ w.T",
            lambda x, wq, wk, wv: _each_projected(x, wq.T, wk.T, wv.T),
        ),
    ]
    compare_on_cases(project_qkv, _each_projected, cases, mistakes, ("q", "k", "v"))
    return "project_qkv gives the right q, k and v for several words and for a single word"


def check_project_qkv(project_qkv: Callable) -> bool:
    """Exercise 3.1: project_qkv(x (seq, d_model), w_q, w_k, w_v (d_model, d_k)) -> (q, k, v)."""
    return _report(run_check("3.1", verify_project_qkv, project_qkv))


# 3.2 attention_scores ---------------------------------------------------------------------------


def _dot_products(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.einsum("qd,kd->qk", q, k)


def verify_attention_scores(attention_scores: Callable) -> str:
    """More keys than queries, as many, and a single one, against the dot products themselves."""
    cases = [
        Case("3 queries and 5 keys (d_k 4)", lambda: (_randn(3, 4, seed=40), _randn(5, 4, seed=41))),
        Case("4 queries and 4 keys", lambda: (_randn(4, 4, seed=42), _randn(4, 4, seed=43))),
        Case("one query and one key", lambda: (_randn(1, 6, seed=44), _randn(1, 6, seed=45))),
    ]
    mistakes = [
        ("rows are queries and columns are keys: q @ k.T, not k @ q.T", lambda q, k: _dot_products(k, q)),
        (
            "this exercise asks for the raw dot products; the sqrt(d_k) scaling comes in chapter 4",
            lambda q, k: _dot_products(q, k) / math.sqrt(q.size(-1)),
        ),
        ("return the scores before the softmax", lambda q, k: _dot_products(q, k).softmax(-1)),
    ]
    compare_on_cases(attention_scores, _dot_products, cases, mistakes, "the score matrix")
    return "attention_scores gives every query-key dot product, one query and one key included"


def check_attention_scores(attention_scores: Callable) -> bool:
    """Exercise 3.2: attention_scores(q (q_len, d_k), k (k_len, d_k)) -> (q_len, k_len)."""
    return _report(run_check("3.2", verify_attention_scores, attention_scores))


# 4.1 attend -------------------------------------------------------------------------------------


def _qkv(shape_q: tuple, shape_k: tuple, d_v: int, seed: int) -> tuple[torch.Tensor, ...]:
    return (
        _randn(*shape_q, seed=seed),
        _randn(*shape_k, seed=seed + 1),
        _randn(*shape_k[:-1], d_v, seed=seed + 2),
    )


def _padded(seed: int) -> tuple[torch.Tensor, ...]:
    ids = torch.tensor([[4, 7, 3, 5], [6, 2, 0, 0]])  # the second sentence ends in two pads
    return (*_qkv((2, 2, 4, 8), (2, 2, 4, 8), 8, seed), padding_mask(ids, 0))


def _causal(seed: int) -> tuple[torch.Tensor, ...]:
    return (*_qkv((1, 1, 5, 4), (1, 1, 5, 4), 4, seed), book_causal_mask(5))


def _padded_causal(seed: int) -> tuple[torch.Tensor, ...]:
    ids = torch.tensor([[3, 8, 5, 0]])
    return (*_qkv((1, 2, 4, 6), (1, 2, 4, 6), 6, seed), target_mask(ids, 0))


def _weighted(scores: torch.Tensor, v: torch.Tensor, dim: int = -1) -> tuple[torch.Tensor, torch.Tensor]:
    probabilities = scores.softmax(dim)
    return probabilities @ v, probabilities


def _raw(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return q @ k.transpose(-2, -1)


def _masked(scores: torch.Tensor, mask: torch.Tensor | None, fill: float = -math.inf) -> torch.Tensor:
    return scores if mask is None else scores.masked_fill(~mask, fill)


def _attention_mistakes() -> list[tuple[str, Callable]]:
    """Mistaken versions of scaled dot-product attention, each with the hint that explains it."""
    root = math.sqrt
    return [
        (
            "forgot the sqrt(d_k) scaling of the scores",
            lambda q, k, v, mask=None: _weighted(_masked(_raw(q, k), mask), v),
        ),
        (
            "divide the scores by sqrt(d_k), not by d_k",
            lambda q, k, v, mask=None: _weighted(_masked(_raw(q, k) / q.size(-1), mask), v),
        ),
        (
            "softmax over the wrong axis: each query's weights over the keys must sum to 1 (dim=-1)",
            lambda q, k, v, mask=None: _weighted(_masked(_raw(q, k) / root(q.size(-1)), mask), v, dim=-2),
        ),
        (
            "the mask was not applied: set the scores of hidden keys to -inf before the softmax",
            lambda q, k, v, mask=None: _weighted(_raw(q, k) / root(q.size(-1)), v),
        ),
        (
            "the mask is inverted: True means 'may attend', so hide the positions where the mask is False",
            lambda q, k, v, mask=None: _weighted(_masked(_raw(q, k) / root(q.size(-1)), ~mask), v),
        ),
        (
            "fill hidden scores with -inf, not 0: a score of 0 still gets weight after the softmax",
            lambda q, k, v, mask=None: _weighted(_masked(_raw(q, k) / root(q.size(-1)), mask, 0.0), v),
        ),
        (
            "return (z, weights), in that order",
            lambda q, k, v, mask=None: book_attention(q, k, v, mask)[::-1],
        ),
    ]


def verify_attend(attention: Callable) -> str:
    """No mask, padding, causal and both masks, one token, 2-D and 4-D inputs, against book.attention."""
    cases = [
        Case("3 queries and 5 keys without a mask (d_k 4, d_v 6)", lambda: _qkv((3, 4), (5, 4), 6, seed=50)),
        Case("a batch of 2 with 2 heads and a padding mask", lambda: _padded(seed=60)),
        Case("5 positions with a causal mask (the future fully masked)", lambda: _causal(seed=70)),
        Case("a batch of one with padding and causal masks", lambda: _padded_causal(seed=80)),
        Case("a single query and a single key", lambda: (*_qkv((1, 4), (1, 4), 3, seed=90),)),
        Case(
            "a single query and key with a mask",
            lambda: (*_qkv((1, 4), (1, 4), 3, seed=95), torch.ones(1, 1, dtype=torch.bool)),
        ),
    ]
    compare_on_cases(attention, book_attention, cases, _attention_mistakes(), ("z", "weights"))
    return "attend matches the book with and without masks, one token included"


def check_attend(attend: Callable) -> bool:
    """Exercise 4.1: attend(q, k, v, mask=None) -> (z, weights)."""
    return _report(run_check("4.1", verify_attend, attend))


# 5.1 multi_head_attention -----------------------------------------------------------------------


def _mha_inputs(batch: int, seq: int, d_model: int, heads: int, seed: int) -> tuple:
    x = _randn(batch, seq, d_model, seed=seed)
    weights = [_randn(d_model, d_model, seed=seed + i) / math.sqrt(d_model) for i in range(1, 5)]
    return (x, *weights, heads)


def _book_mha(x, w_q, w_k, w_v, w_o, heads, mask=None) -> torch.Tensor:
    """book.attention.MultiHeadAttention with the given weights and no biases (x @ w = Linear with w.T)."""
    layer = MultiHeadAttention(x.size(-1), heads)
    layer.fused = False
    for linear, w in zip((layer.w_q, layer.w_k, layer.w_v, layer.w_o), (w_q, w_k, w_v, w_o), strict=True):
        linear.weight.copy_(w.T)
        linear.bias.zero_()
    return layer(x, x, x, mask)[0]


def _mha_variant(
    x, ws, heads, mask, *, split: str, merge: str, scale_dims: int | None = None, output: bool = True
) -> torch.Tensor:
    """Multi-head attention written the way common mistakes write it (see ``_mha_mistakes``)."""
    batch, seq, width = x.shape
    head_width = width // heads
    q, k, v = (x @ w for w in ws[:3])
    if split == "view":
        q, k, v = (t.reshape(batch, heads, seq, head_width) for t in (q, k, v))
    else:
        q, k, v = (t.reshape(batch, seq, heads, head_width).transpose(1, 2) for t in (q, k, v))
    scores = _masked(_raw(q, k) / math.sqrt(scale_dims or head_width), mask)
    z = scores.softmax(-1) @ v
    z = z.reshape(batch, seq, width) if merge == "reshape" else z.transpose(1, 2).reshape(batch, seq, width)
    return z @ ws[3] if output else z


def _single_head(x, ws, mask) -> torch.Tensor:
    """One head over all d_model dimensions: what multi-head attention becomes if the heads are not split."""
    flat_mask = None if mask is None else mask[:, 0]
    scores = _masked(_raw(x @ ws[0], x @ ws[1]) / math.sqrt(x.size(-1)), flat_mask)
    return (scores.softmax(-1) @ (x @ ws[2])) @ ws[3]


def _mha_mistakes() -> list[tuple[str, Callable]]:
    return [
        (
            "the heads were not split: your result equals single-head attention over all d_model dimensions",
            lambda x, wq, wk, wv, wo, heads, mask=None: _single_head(x, (wq, wk, wv, wo), mask),
        ),
        (
            "scale by sqrt(d_k) with d_k = d_model / heads, not by sqrt(d_model)",
            lambda x, wq, wk, wv, wo, heads, mask=None: _mha_variant(
                x, (wq, wk, wv, wo), heads, mask, split="transpose", merge="transpose", scale_dims=x.size(-1)
            ),
        ),
        (
            "forgot the output projection w_o after concatenating the heads",
            lambda x, wq, wk, wv, wo, heads, mask=None: _mha_variant(
                x, (wq, wk, wv, wo), heads, mask, split="transpose", merge="transpose", output=False
            ),
        ),
        (
            "split the heads by reshaping to (batch, seq, heads, d_k) and then transposing to "
            "(batch, heads, seq, d_k); a direct reshape to (batch, heads, seq, d_k) mixes positions",
            lambda x, wq, wk, wv, wo, heads, mask=None: _mha_variant(
                x, (wq, wk, wv, wo), heads, mask, split="view", merge="reshape"
            ),
        ),
        (
            "merge the heads by transposing back to (batch, seq, heads, d_k) before reshaping to "
            "(batch, seq, d_model)",
            lambda x, wq, wk, wv, wo, heads, mask=None: _mha_variant(
                x, (wq, wk, wv, wo), heads, mask, split="transpose", merge="reshape"
            ),
        ),
        (
            "the mask was not applied: set the scores of hidden keys to -inf before the softmax",
            lambda x, wq, wk, wv, wo, heads, mask=None: _book_mha(x, wq, wk, wv, wo, heads),
        ),
        (
            "this exercise uses x @ w (w is (d_model, d_model)), not x @ w.T",
            lambda x, wq, wk, wv, wo, heads, mask=None: _book_mha(x, wq.T, wk.T, wv.T, wo.T, heads, mask),
        ),
    ]


def verify_multi_head_attention(multi_head_attention: Callable) -> str:
    """Several head counts, padding and causal masks, one word, against book.attention.MultiHeadAttention."""
    pads = padding_mask(torch.tensor([[5, 3, 8, 0], [2, 0, 0, 0]]), 0)
    cases = [
        Case("a batch of 2, 5 words, d_model 8, 2 heads, no mask", lambda: _mha_inputs(2, 5, 8, 2, seed=100)),
        Case(
            "a batch of 2, 4 words, d_model 12, 3 heads, padding mask",
            lambda: (*_mha_inputs(2, 4, 12, 3, seed=110), pads),
        ),
        Case(
            "a batch of one, 5 words, 4 heads, causal mask",
            lambda: (*_mha_inputs(1, 5, 8, 4, seed=120), book_causal_mask(5)),
        ),
        Case("a batch of one with a single word", lambda: _mha_inputs(1, 1, 8, 2, seed=130)),
    ]
    compare_on_cases(multi_head_attention, _book_mha, cases, _mha_mistakes(), "the output")
    return "multi_head_attention matches MultiHeadAttention for 2 to 4 heads, with masks and one word"


def check_multi_head_attention(multi_head_attention: Callable) -> bool:
    """Exercise 5.1: multi_head_attention(x, w_q, w_k, w_v, w_o, heads, mask=None) -> like x."""
    return _report(run_check("5.1", verify_multi_head_attention, multi_head_attention))


# 6.1 positional_encoding ------------------------------------------------------------------------


def _angles(max_len: int, d_model: int, exponent: torch.Tensor, first: int = 0) -> torch.Tensor:
    """pos / 10000^exponent for positions first..first+max_len-1: (max_len, len(exponent))."""
    positions = torch.arange(first, first + max_len, dtype=torch.float32)[:, None]
    return positions / 10000.0**exponent


def _interleave(even: torch.Tensor, odd: torch.Tensor) -> torch.Tensor:
    return torch.stack([even, odd], dim=-1).flatten(-2)


def _pair_exponent(d_model: int) -> torch.Tensor:
    return torch.arange(0, d_model, 2) / d_model


def _positional_mistakes() -> list[tuple[str, Callable]]:
    def swapped(max_len: int, d_model: int) -> torch.Tensor:
        angles = _angles(max_len, d_model, _pair_exponent(d_model))
        return _interleave(angles.cos(), angles.sin())

    def halves(max_len: int, d_model: int) -> torch.Tensor:
        angles = _angles(max_len, d_model, _pair_exponent(d_model))
        return torch.cat([angles.sin(), angles.cos()], dim=-1)

    def column_exponent(max_len: int, d_model: int) -> torch.Tensor:
        angles = _angles(max_len, d_model, torch.arange(d_model) / d_model)
        return torch.where(torch.arange(d_model) % 2 == 0, angles.sin(), angles.cos())

    def forgot_two(max_len: int, d_model: int) -> torch.Tensor:
        angles = _angles(max_len, d_model, _pair_exponent(d_model) / 2)
        return _interleave(angles.sin(), angles.cos())

    def from_one(max_len: int, d_model: int) -> torch.Tensor:
        angles = _angles(max_len, d_model, _pair_exponent(d_model), first=1)
        return _interleave(angles.sin(), angles.cos())

    return [
        ("sin and cos are swapped: even columns (0, 2, ...) hold sin, odd columns hold cos", swapped),
        (
            "interleave the columns (sin in even, cos in odd ones), not first half sin and second half cos",
            halves,
        ),
        ("columns 2i and 2i+1 share one frequency, 1 / 10000^(2i / d_model)", column_exponent),
        ("the exponent is 2i / d_model (i numbers the sin/cos pairs), not i / d_model", forgot_two),
        ("positions count from 0", from_one),
        (
            "rows are positions: return (max_len, d_model), not its transpose",
            lambda max_len, d_model: sinusoid_table(max_len, d_model).T,
        ),
    ]


def verify_positional_encoding(positional_encoding: Callable) -> str:
    """Several sizes, one position and d_model 2, against book.positional.sinusoid_table."""
    cases = [
        Case("max_len 50, d_model 16", lambda: (50, 16)),
        Case("max_len 7, d_model 6", lambda: (7, 6)),
        Case("a single position (max_len 1, d_model 4)", lambda: (1, 4)),
        Case("max_len 10, d_model 2", lambda: (10, 2)),
    ]
    compare_on_cases(
        positional_encoding, sinusoid_table, cases, _positional_mistakes(), "the encoding", atol=1e-4
    )
    return "positional_encoding matches the book's sinusoid table for several sizes"


def check_positional_encoding(positional_encoding: Callable) -> bool:
    """Exercise 6.1: positional_encoding(max_len, d_model) -> (max_len, d_model)."""
    return _report(run_check("6.1", verify_positional_encoding, positional_encoding))


# 7.1 layer_norm ---------------------------------------------------------------------------------


def _book_layer_norm(
    x: torch.Tensor, gain: torch.Tensor, bias: torch.Tensor, eps: float = 1e-5
) -> torch.Tensor:
    layer = LayerNorm(x.size(-1), eps)
    layer.fused = False
    layer.gain.copy_(gain)
    layer.bias.copy_(bias)
    return layer(x)


def _normalized(
    x,
    gain,
    bias,
    *,
    dims: tuple[int, ...] = (-1,),
    unbiased: bool = False,
    eps: float = 1e-5,
    eps_inside: bool = True,
    power: float = 0.5,
) -> torch.Tensor:
    """Layer norm as common mistakes compute it (see ``_layer_norm_mistakes``)."""
    centred = x - x.mean(dim=dims, keepdim=True)
    variance = x.var(dim=dims, keepdim=True, unbiased=unbiased)
    spread = (variance + eps) ** power if eps_inside else variance**power + eps
    return gain * centred / spread + bias


def _layer_norm_mistakes() -> list[tuple[str, Callable]]:
    return [
        (
            "use the biased variance (divide by d, unbiased=False), as layer normalization does",
            lambda x, g, b, eps=1e-5: _normalized(x, g, b, unbiased=True, eps=eps),
        ),
        (
            "mean and variance go over the last dimension (each position's own vector), not dim 0",
            lambda x, g, b, eps=1e-5: _normalized(x, g, b, dims=(0,), eps=eps),
        ),
        (
            "mean and variance go over the last dimension only, not dim -2",
            lambda x, g, b, eps=1e-5: _normalized(x, g, b, dims=(-2,), eps=eps),
        ),
        (
            "mean and variance go over the last dimension only, not over the whole tensor",
            lambda x, g, b, eps=1e-5: _normalized(x, g, b, dims=tuple(range(x.dim())), eps=eps),
        ),
        (
            "eps goes inside the square root: sqrt(var + eps)",
            lambda x, g, b, eps=1e-5: _normalized(x, g, b, eps=eps, eps_inside=False),
        ),
        (
            "forgot eps: a constant vector has variance 0, and 0 / 0 is NaN",
            lambda x, g, b, eps=1e-5: _normalized(x, g, b, eps=0.0),
        ),
        (
            "divide by the standard deviation sqrt(var + eps), not by the variance",
            lambda x, g, b, eps=1e-5: _normalized(x, g, b, eps=eps, power=1.0),
        ),
        ("use the eps argument instead of a fixed 1e-5", lambda x, g, b, eps=1e-5: _book_layer_norm(x, g, b)),
        (
            "gain multiplies and bias is added: they are swapped",
            lambda x, g, b, eps=1e-5: _book_layer_norm(x, b, g, eps),
        ),
        ("forgot the gain and bias", lambda x, g, b, eps=1e-5: _normalized(x, 1.0, 0.0, eps=eps)),
    ]


def _norm_inputs(shape: tuple[int, ...], seed: int, scale: float = 2.0, offset: float = 3.0) -> tuple:
    d_model = shape[-1]
    return (
        _randn(*shape, seed=seed) * scale + offset,
        1 + 0.5 * _randn(d_model, seed=seed + 1),
        _randn(d_model, seed=seed + 2),
    )


def _with_constant_row(seed: int) -> tuple:
    x, gain, bias = _norm_inputs((1, 3, 5), seed)
    x[0, 1] = 0.7  # one position whose vector is constant: variance 0
    return x, gain, bias


def verify_layer_norm(layer_norm: Callable) -> str:
    """3-D and 2-D inputs, a constant vector, a given eps, one token, against book.normalization.LayerNorm."""
    cases = [
        Case("x of shape (2, 3, 8)", lambda: _norm_inputs((2, 3, 8), seed=140)),
        Case(
            "x of shape (4, 6) with eps=1e-3 and small values",
            lambda: (*_norm_inputs((4, 6), seed=150, scale=0.05, offset=-1.0), 1e-3),
        ),
        Case("a batch of one with a constant vector (variance 0)", lambda: _with_constant_row(seed=160)),
        Case("a single token of shape (1, 1, 4)", lambda: _norm_inputs((1, 1, 4), seed=170)),
    ]
    compare_on_cases(layer_norm, _book_layer_norm, cases, _layer_norm_mistakes(), "the output")
    return "layer_norm matches LayerNorm on 2-D and 3-D inputs, a constant vector and a given eps"


def check_layer_norm(layer_norm: Callable) -> bool:
    """Exercise 7.1: layer_norm(x (..., d), gain (d,), bias (d,), eps=1e-5) -> same shape as x."""
    return _report(run_check("7.1", verify_layer_norm, layer_norm))


# 8.1 subsequent_mask ----------------------------------------------------------------------------


def verify_subsequent_mask(subsequent_mask: Callable) -> str:
    """Sizes 1, 4 and 6 against book.masks.causal_mask (without its two broadcasting dimensions)."""
    cases = [Case(f"size {size}", lambda size=size: (size,)) for size in (4, 1, 6)]

    def lower(size: int) -> torch.Tensor:
        return book_causal_mask(size)[0, 0]

    mistakes = [
        (
            "the mask is transposed: row t (the query at position t) may see columns 0..t",
            lambda size: lower(size).T,
        ),
        ("the mask is inverted: True means 'may attend'", lambda size: ~lower(size)),
        ("a position may attend to itself: the diagonal must be True", lambda size: lower(size).tril(-1)),
        (
            "return the (size, size) mask; the leading (1, 1) broadcasting dimensions are not part of it",
            book_causal_mask,
        ),
    ]
    compare_on_cases(subsequent_mask, lower, cases, mistakes, "the mask")
    return "subsequent_mask gives a lower-triangular bool mask for sizes 1, 4 and 6"


def check_subsequent_mask(subsequent_mask: Callable) -> bool:
    """Exercise 8.1: subsequent_mask(size) -> bool (size, size), True = may attend."""
    return _report(run_check("8.1", verify_subsequent_mask, subsequent_mask))


# 8.2 greedy_search ------------------------------------------------------------------------------


class ScriptedStep:
    """A toy decoder: step(prefix) -> log-probs (vocab,) whose most likely next id follows a script.

    The prefix starts with bos; after n generated ids the most likely next id is ``script[n]``
    (``FILLER`` once the script runs out). Calls beyond what max_len allows raise, so an endless
    loop fails fast with a clear message.
    """

    VOCAB = 10
    FILLER = 9

    def __init__(self, script: list[int], bos: int, max_len: int) -> None:
        self.script = script
        self.bos = bos
        self.max_len = max_len
        self.calls = 0

    def favourite(self, generated: int) -> int:
        """The id step() makes most likely after ``generated`` ids."""
        return self.script[generated] if generated < len(self.script) else self.FILLER

    def logits(self, generated: int) -> torch.Tensor:
        """(vocab,) scores after ``generated`` ids: seeded noise with the favourite on top."""
        scores = _randn(self.VOCAB, seed=200 + generated)
        scores[self.favourite(generated)] = scores.max() + 1.0
        return scores

    def __call__(self, prefix: list[int]) -> torch.Tensor:
        self.calls += 1
        if self.calls > self.max_len + 5:
            raise RuntimeError(
                f"step was called {self.calls} times with max_len={self.max_len}: "
                "stop after max_len generated tokens"
            )
        ids = prefix.tolist() if isinstance(prefix, torch.Tensor) else list(prefix)
        if not ids or ids[0] != self.bos:
            raise ValueError(f"step(prefix): the prefix must start with bos={self.bos}, got {ids}")
        return self.logits(len(ids) - 1).log_softmax(-1)


def _script_until(step: ScriptedStep, eos: int, limit: int, keep_eos: bool = False) -> list[int]:
    """What a decoder that follows the script produces: stop at eos (kept or not) or after ``limit`` ids."""
    out: list[int] = []
    while len(out) < limit:
        token = step.favourite(len(out))
        if token == eos:
            return out + [eos] if keep_eos else out
        out.append(token)
    return out


def _scripted_answer(step: ScriptedStep, bos: int, eos: int, max_len: int) -> list[int]:
    """What greedy decoding of the scripted step returns: the script up to eos, at most max_len ids."""
    return _script_until(step, eos, max_len)


def _least_likely(step: ScriptedStep, eos: int, max_len: int) -> list[int]:
    out: list[int] = []
    while len(out) < max_len:
        token = int(step.logits(len(out)).argmin())
        if token == eos:
            break
        out.append(token)
    return out


def _greedy_mistakes() -> list[tuple[str, Callable]]:
    return [
        (
            "did not stop at eos: stop as soon as eos is produced",
            lambda step, bos, eos, max_len: [step.favourite(n) for n in range(max_len)],
        ),
        (
            "stop when eos is produced, but do not include eos in the result",
            lambda step, bos, eos, max_len: _script_until(step, eos, max_len, keep_eos=True),
        ),
        (
            "return only the ids generated after bos",
            lambda step, bos, eos, max_len: [bos, *_script_until(step, eos, max_len)],
        ),
        (
            "generate at most max_len ids (one too many)",
            lambda step, bos, eos, max_len: _script_until(step, eos, max_len + 1),
        ),
        (
            "generate up to max_len ids (one too few)",
            lambda step, bos, eos, max_len: _script_until(step, eos, max_len - 1),
        ),
        (
            "greedy decoding picks the MOST likely id (argmax of the log-probs)",
            lambda step, bos, eos, max_len: _least_likely(step, eos, max_len),
        ),
    ]


def verify_greedy_search(greedy_search: Callable) -> str:
    """A scripted toy decoder: eos mid-way, no eos, eos first, max_len 1, eos just after max_len."""
    bos, eos = 1, 2
    scripts = [
        ("eos after 3 ids (max_len 8)", [5, 7, 3, eos, 4, 6, 8], 8),
        ("no eos before max_len 5", [4, 4, 6, 3, 5, 7, 8, 3], 5),
        ("eos as the first id", [eos, 5, 6], 6),
        ("max_len 1", [6, eos], 1),
        ("eos right after max_len 3", [3, 5, 6, eos], 3),
    ]
    cases = [
        Case(description, lambda s=script, n=limit: (ScriptedStep(s, bos, n), bos, eos, n))
        for description, script, limit in scripts
    ]
    compare_on_cases(greedy_search, _scripted_answer, cases, _greedy_mistakes(), "the generated ids")
    return "greedy_search follows the argmax, stops at eos (not included) and after max_len ids"


def check_greedy_search(greedy_search: Callable) -> bool:
    """Exercise 8.2: greedy_search(step, bos, eos, max_len) -> list[int] of the ids after bos."""
    return _report(run_check("8.2", verify_greedy_search, greedy_search))


# 9.1 noam_rate ----------------------------------------------------------------------------------


def _paper_schedule(step: int, d_model: int, warmup: int) -> float:
    warming = step / warmup**1.5
    decaying = 1 / math.sqrt(step)
    return (warming if warming < decaying else decaying) / math.sqrt(d_model)


def verify_noam_rate(noam_rate: Callable) -> str:
    """Steps before, at and after warm-up, for the paper's sizes and small ones, against the formula."""
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
    cases = [
        Case(f"step {s}, d_model {d}, warmup {w}", lambda s=s, d=d, w=w: (s, d, w)) for s, d, w in settings
    ]
    mistakes = [
        (
            "forgot the d_model**-0.5 factor",
            lambda step, d_model, warmup: _paper_schedule(step, d_model, warmup) * math.sqrt(d_model),
        ),
        (
            "multiply by d_model**-0.5, not by sqrt(d_model)",
            lambda step, d_model, warmup: _paper_schedule(step, d_model, warmup) * d_model,
        ),
        (
            "take the min of the two terms, not the max",
            lambda step, d_model, warmup: max(step / warmup**1.5, 1 / math.sqrt(step)) / math.sqrt(d_model),
        ),
        (
            "the warm-up term is step * warmup**-1.5, not step * warmup**-0.5",
            lambda step, d_model, warmup: (
                min(step / math.sqrt(warmup), 1 / math.sqrt(step)) / math.sqrt(d_model)
            ),
        ),
    ]
    compare_on_cases(noam_rate, _paper_schedule, cases, mistakes, "the rate")
    return "noam_rate matches the paper's schedule before, at and after warm-up"


def check_noam_rate(noam_rate: Callable) -> bool:
    """Exercise 9.1: noam_rate(step, d_model, warmup) -> float."""
    return _report(run_check("9.1", verify_noam_rate, noam_rate))


# 9.2 smoothed_targets ---------------------------------------------------------------------------


def _spread(target: torch.Tensor, vocab_size: int, on_true: float, elsewhere: float) -> torch.Tensor:
    """(n, vocab_size) with ``on_true`` at each row's target and ``elsewhere`` everywhere else."""
    hot = F.one_hot(target, vocab_size).to(torch.float32)
    return hot * on_true + (1 - hot) * elsewhere


def _smoothing_reference(
    target: torch.Tensor, vocab_size: int, smoothing: float, pad_id: int
) -> torch.Tensor:
    share = smoothing / vocab_size
    kept = (target != pad_id).to(torch.float32)[:, None]
    return _spread(target, vocab_size, 1 - smoothing + share, share) * kept


def _smoothing_mistakes() -> list[tuple[str, Callable]]:
    def without_zeroing(target, vocab_size, smoothing, pad_id):
        share = smoothing / vocab_size
        return _spread(target, vocab_size, 1 - smoothing + share, share)

    def pad_column(target, vocab_size, smoothing, pad_id):
        rows = without_zeroing(target, vocab_size, smoothing, pad_id)
        rows[:, pad_id] = 0
        return rows

    def pad_column_and_rows(target, vocab_size, smoothing, pad_id):
        rows = _smoothing_reference(target, vocab_size, smoothing, pad_id)
        rows[:, pad_id] = 0
        return rows

    def zeroed(rows, target, pad_id):
        return rows * (target != pad_id).to(torch.float32)[:, None]

    return [
        ("rows whose target is pad_id must be all zero", without_zeroing),
        ("zero the ROWS whose target is pad_id, not the pad_id column", pad_column),
        (
            "zero only the rows whose target is pad_id; the pad_id column keeps its smoothing / vocab_size",
            pad_column_and_rows,
        ),
        (
            "spread smoothing / vocab_size over every class, the true one included (as F.cross_entropy's "
            "label_smoothing does), not smoothing / (vocab_size - 1) over the others",
            lambda t, v, s, p: zeroed(_spread(t, v, 1 - s, s / (v - 1)), t, p),
        ),
        (
            "the true class gets (1 - smoothing) + smoothing / vocab_size, not just 1 - smoothing",
            lambda t, v, s, p: zeroed(_spread(t, v, 1 - s, s / v), t, p),
        ),
        ("forgot the smoothing", lambda t, v, s, p: zeroed(_spread(t, v, 1.0, 0.0), t, p)),
    ]


def verify_smoothed_targets(smoothed_targets: Callable) -> str:
    """Padding, no smoothing, one target, a non-zero pad id and all padding, against the formula."""
    cases = [
        Case(
            "6 targets with padding (vocabulary 7, smoothing 0.1, pad_id 0)",
            lambda: (torch.tensor([3, 0, 5, 1, 0, 6]), 7, 0.1, 0),
        ),
        Case("smoothing 0 (plain one-hot rows)", lambda: (torch.tensor([2, 4, 1]), 5, 0.0, 0)),
        Case("a single target (smoothing 0.2)", lambda: (torch.tensor([2]), 4, 0.2, 0)),
        Case("pad_id 3", lambda: (torch.tensor([3, 1, 2, 3, 0]), 5, 0.1, 3)),
        Case("only padding", lambda: (torch.tensor([0, 0]), 4, 0.1, 0)),
    ]
    compare_on_cases(
        smoothed_targets, _smoothing_reference, cases, _smoothing_mistakes(), "the target matrix"
    )
    return "smoothed_targets matches (1 - smoothing) * one_hot + smoothing / vocab_size with pad rows zero"


def check_smoothed_targets(smoothed_targets: Callable) -> bool:
    """Exercise 9.2: smoothed_targets(target (n,), vocab_size, smoothing, pad_id) -> (n, vocab_size)."""
    return _report(run_check("9.2", verify_smoothed_targets, smoothed_targets))
