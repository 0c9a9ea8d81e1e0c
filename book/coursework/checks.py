"""Checks of the chapters' code exercises: ``check_<name>(your_function)`` prints a line, returns a bool.

Each exercise's ``Spec`` (in ``SPECS``) holds what only the judge may know: the right answer, computed by
the book's own component (``book/``) or by the formula the exercise states, and the common mistaken
variants. When an answer is wrong and equals a variant's, the message names that mistake. The inputs are
in ``book.coursework.cases``. The grader imports this module only in its judge, a process that never runs
a student's code; the checks in the notebooks run the function and judge it in the reader's kernel.
"""

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F

from book.attention import MultiHeadAttention
from book.attention import scaled_dot_product_attention as book_attention
from book.coursework.runner import CheckResult, Spec, run_check, verify
from book.embeddings import TokenEmbedding
from book.masks import causal_mask as book_causal_mask
from book.model import parameter_count
from book.normalization import LayerNorm
from book.positional import sinusoid_table


def _report(result: CheckResult) -> bool:
    print(result.line())
    return result.passed


# 1.1 count_parameters ---------------------------------------------------------------------------


def _count_mistakes() -> list[tuple[str, Callable]]:
    return [
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


SPEC_COUNT_PARAMETERS = Spec(
    "1.1",
    parameter_count,
    _count_mistakes,
    "the count",
    "count_parameters counts a Linear layer and tiny Transformers, shared embeddings once",
)


def verify_count_parameters(count_parameters: Callable) -> str:
    """Count a Linear layer and two tiny Transformers, one with its embeddings shared."""
    return verify(SPEC_COUNT_PARAMETERS, count_parameters)


def check_count_parameters(count_parameters: Callable) -> bool:
    """Exercise 1.1: count_parameters(model) -> int, each shared tensor counted once."""
    return _report(run_check("1.1", verify_count_parameters, count_parameters))


# 2.1 embed --------------------------------------------------------------------------------------


def _book_embedding(tokens: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    layer = TokenEmbedding(*weight.shape)
    layer.lookup.weight.copy_(weight)
    return layer(tokens)


def _embed_mistakes() -> list[tuple[str, Callable]]:
    return [
        ("forgot the sqrt(d_model) scaling", lambda tokens, weight: weight[tokens]),
        (
            "multiply by sqrt(d_model), do not divide by it",
            lambda tokens, weight: weight[tokens] / math.sqrt(weight.size(1)),
        ),
        ("scale by sqrt(d_model), not by d_model", lambda tokens, weight: weight[tokens] * weight.size(1)),
    ]


SPEC_EMBED = Spec(
    "2.1",
    _book_embedding,
    _embed_mistakes,
    "the result",
    "embed matches TokenEmbedding on random ids, a batch of one and a single token",
)


def verify_embed(embed: Callable) -> str:
    """Random ids, a batch of one, and a single token, against ``book.embeddings.TokenEmbedding``."""
    return verify(SPEC_EMBED, embed)


def check_embed(embed: Callable) -> bool:
    """Exercise 2.1: embed(tokens (batch, seq), weight (vocab, d_model)) -> (batch, seq, d_model)."""
    return _report(run_check("2.1", verify_embed, embed))


# 3.1 project_qkv --------------------------------------------------------------------------------


def _each_projected(x: torch.Tensor, *weights: torch.Tensor) -> tuple[torch.Tensor, ...]:
    return tuple(torch.einsum("sd,dk->sk", x, w) for w in weights)


def _projection_mistakes() -> list[tuple[str, Callable]]:
    return [
        ("return them in the order (q, k, v)", lambda x, wq, wk, wv: _each_projected(x, wq, wv, wk)),
        ("return them in the order (q, k, v)", lambda x, wq, wk, wv: _each_projected(x, wk, wq, wv)),
        ("return them in the order (q, k, v)", lambda x, wq, wk, wv: _each_projected(x, wv, wk, wq)),
        ("each of q, k, v has its own weight matrix", lambda x, wq, wk, wv: _each_projected(x, wq, wq, wq)),
        (
            "use x @ w (each row of x is a word), not x @ w.T",
            lambda x, wq, wk, wv: _each_projected(x, wq.T, wk.T, wv.T),
        ),
    ]


SPEC_PROJECT_QKV = Spec(
    "3.1",
    _each_projected,
    _projection_mistakes,
    ("q", "k", "v"),
    "project_qkv gives the right q, k and v for several words and for a single word",
)


def verify_project_qkv(project_qkv: Callable) -> str:
    """Two words and one word with d_k < d_model, and a square case that exposes transposed weights."""
    return verify(SPEC_PROJECT_QKV, project_qkv)


def check_project_qkv(project_qkv: Callable) -> bool:
    """Exercise 3.1: project_qkv(x (seq, d_model), w_q, w_k, w_v (d_model, d_k)) -> (q, k, v)."""
    return _report(run_check("3.1", verify_project_qkv, project_qkv))


# 3.2 attention_scores ---------------------------------------------------------------------------


def _dot_products(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.einsum("qd,kd->qk", q, k)


def _score_mistakes() -> list[tuple[str, Callable]]:
    return [
        ("rows are queries and columns are keys: q @ k.T, not k @ q.T", lambda q, k: _dot_products(k, q)),
        (
            "this exercise asks for the raw dot products; the sqrt(d_k) scaling comes in chapter 4",
            lambda q, k: _dot_products(q, k) / math.sqrt(q.size(-1)),
        ),
        ("return the scores before the softmax", lambda q, k: _dot_products(q, k).softmax(-1)),
    ]


SPEC_ATTENTION_SCORES = Spec(
    "3.2",
    _dot_products,
    _score_mistakes,
    "the score matrix",
    "attention_scores gives every query-key dot product, one query and one key included",
)


def verify_attention_scores(attention_scores: Callable) -> str:
    """More keys than queries, as many, and a single one, against the dot products themselves."""
    return verify(SPEC_ATTENTION_SCORES, attention_scores)


def check_attention_scores(attention_scores: Callable) -> bool:
    """Exercise 3.2: attention_scores(q (q_len, d_k), k (k_len, d_k)) -> (q_len, k_len)."""
    return _report(run_check("3.2", verify_attention_scores, attention_scores))


# 4.1 attend -------------------------------------------------------------------------------------


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


SPEC_ATTEND = Spec(
    "4.1",
    book_attention,
    _attention_mistakes,
    ("z", "weights"),
    "attend matches the book with and without masks, one token included",
)


def verify_attend(attend: Callable) -> str:
    """No mask, padding, causal and both masks, one token, 2-D and 4-D inputs, against book.attention."""
    return verify(SPEC_ATTEND, attend)


def check_attend(attend: Callable) -> bool:
    """Exercise 4.1: attend(q, k, v, mask=None) -> (z, weights)."""
    return _report(run_check("4.1", verify_attend, attend))


# 5.1 multi_head_attention -----------------------------------------------------------------------


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


SPEC_MULTI_HEAD_ATTENTION = Spec(
    "5.1",
    _book_mha,
    _mha_mistakes,
    "the output",
    "multi_head_attention matches MultiHeadAttention for 2 to 4 heads, with masks and one word",
)


def verify_multi_head_attention(multi_head_attention: Callable) -> str:
    """Several head counts, padding and causal masks, one word, against book.attention.MultiHeadAttention."""
    return verify(SPEC_MULTI_HEAD_ATTENTION, multi_head_attention)


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


SPEC_POSITIONAL_ENCODING = Spec(
    "6.1",
    sinusoid_table,
    _positional_mistakes,
    "the encoding",
    "positional_encoding matches the book's sinusoid table for several sizes",
    atol=1e-4,
)


def verify_positional_encoding(positional_encoding: Callable) -> str:
    """Several sizes, one position and d_model 2, against book.positional.sinusoid_table."""
    return verify(SPEC_POSITIONAL_ENCODING, positional_encoding)


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


SPEC_LAYER_NORM = Spec(
    "7.1",
    _book_layer_norm,
    _layer_norm_mistakes,
    "the output",
    "layer_norm matches LayerNorm on 2-D and 3-D inputs, a constant vector and a given eps",
)


def verify_layer_norm(layer_norm: Callable) -> str:
    """3-D and 2-D inputs, a constant vector, a given eps, one token, against book.normalization.LayerNorm."""
    return verify(SPEC_LAYER_NORM, layer_norm)


def check_layer_norm(layer_norm: Callable) -> bool:
    """Exercise 7.1: layer_norm(x (..., d), gain (d,), bias (d,), eps=1e-5) -> same shape as x."""
    return _report(run_check("7.1", verify_layer_norm, layer_norm))


# 8.1 subsequent_mask ----------------------------------------------------------------------------


def _lower(size: int) -> torch.Tensor:
    return book_causal_mask(size)[0, 0]


def _mask_mistakes() -> list[tuple[str, Callable]]:
    return [
        (
            "the mask is transposed: row t (the query at position t) may see columns 0..t",
            lambda size: _lower(size).T,
        ),
        ("the mask is inverted: True means 'may attend'", lambda size: ~_lower(size)),
        ("a position may attend to itself: the diagonal must be True", lambda size: _lower(size).tril(-1)),
        (
            "return the (size, size) mask; the leading (1, 1) broadcasting dimensions are not part of it",
            book_causal_mask,
        ),
    ]


SPEC_SUBSEQUENT_MASK = Spec(
    "8.1",
    _lower,
    _mask_mistakes,
    "the mask",
    "subsequent_mask gives a lower-triangular bool mask for sizes 1, 4 and 6",
)


def verify_subsequent_mask(subsequent_mask: Callable) -> str:
    """Sizes 1, 4 and 6 against book.masks.causal_mask (without its two broadcasting dimensions)."""
    return verify(SPEC_SUBSEQUENT_MASK, subsequent_mask)


def check_subsequent_mask(subsequent_mask: Callable) -> bool:
    """Exercise 8.1: subsequent_mask(size) -> bool (size, size), True = may attend."""
    return _report(run_check("8.1", verify_subsequent_mask, subsequent_mask))


# 8.2 greedy_search ------------------------------------------------------------------------------


def _decode(
    step: Callable,
    bos: int,
    eos: int,
    limit: int,
    *,
    pick: Callable = torch.argmax,
    stop: bool = True,
    keep_eos: bool = False,
) -> list[int]:
    """Decoding as a decoder that picks ``pick(step(prefix))`` does: at most ``limit`` ids, stopping at eos
    (kept or not) when ``stop``. With the defaults, greedy decoding itself."""
    out: list[int] = []
    while len(out) < limit:
        token = int(pick(step([bos, *out])))
        if token == eos and stop:
            return [*out, eos] if keep_eos else out
        out.append(token)
    return out


def _greedy_mistakes() -> list[tuple[str, Callable]]:
    return [
        (
            "did not stop at eos: stop as soon as eos is produced",
            lambda step, bos, eos, max_len: _decode(step, bos, eos, max_len, stop=False),
        ),
        (
            "stop when eos is produced, but do not include eos in the result",
            lambda step, bos, eos, max_len: _decode(step, bos, eos, max_len, keep_eos=True),
        ),
        (
            "return only the ids generated after bos",
            lambda step, bos, eos, max_len: [bos, *_decode(step, bos, eos, max_len)],
        ),
        (
            "generate at most max_len ids (one too many)",
            lambda step, bos, eos, max_len: _decode(step, bos, eos, max_len + 1),
        ),
        (
            "generate up to max_len ids (one too few)",
            lambda step, bos, eos, max_len: _decode(step, bos, eos, max_len - 1),
        ),
        (
            "greedy decoding picks the MOST likely id (argmax of the log-probs)",
            lambda step, bos, eos, max_len: _decode(step, bos, eos, max_len, pick=torch.argmin),
        ),
    ]


SPEC_GREEDY_SEARCH = Spec(
    "8.2",
    _decode,
    _greedy_mistakes,
    "the generated ids",
    "greedy_search follows the argmax, stops at eos (not included) and after max_len ids",
)


def verify_greedy_search(greedy_search: Callable) -> str:
    """A scripted toy decoder: eos mid-way, no eos, eos first, max_len 1, eos just after max_len."""
    return verify(SPEC_GREEDY_SEARCH, greedy_search)


def check_greedy_search(greedy_search: Callable) -> bool:
    """Exercise 8.2: greedy_search(step, bos, eos, max_len) -> list[int] of the ids after bos."""
    return _report(run_check("8.2", verify_greedy_search, greedy_search))


# 9.1 noam_rate ----------------------------------------------------------------------------------


def _paper_schedule(step: int, d_model: int, warmup: int) -> float:
    warming = step / warmup**1.5
    decaying = 1 / math.sqrt(step)
    return (warming if warming < decaying else decaying) / math.sqrt(d_model)


def _schedule_mistakes() -> list[tuple[str, Callable]]:
    return [
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


SPEC_NOAM_RATE = Spec(
    "9.1",
    _paper_schedule,
    _schedule_mistakes,
    "the rate",
    "noam_rate matches the paper's schedule before, at and after warm-up",
)


def verify_noam_rate(noam_rate: Callable) -> str:
    """Steps before, at and after warm-up, for the paper's sizes and small ones, against the formula."""
    return verify(SPEC_NOAM_RATE, noam_rate)


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


SPEC_SMOOTHED_TARGETS = Spec(
    "9.2",
    _smoothing_reference,
    _smoothing_mistakes,
    "the target matrix",
    "smoothed_targets matches (1 - smoothing) * one_hot + smoothing / vocab_size with pad rows zero",
)


def verify_smoothed_targets(smoothed_targets: Callable) -> str:
    """Padding, no smoothing, one target, a non-zero pad id and all padding, against the formula."""
    return verify(SPEC_SMOOTHED_TARGETS, smoothed_targets)


def check_smoothed_targets(smoothed_targets: Callable) -> bool:
    """Exercise 9.2: smoothed_targets(target (n,), vocab_size, smoothing, pad_id) -> (n, vocab_size)."""
    return _report(run_check("9.2", verify_smoothed_targets, smoothed_targets))


SPECS: dict[str, Spec] = {
    spec.exercise: spec
    for spec in [
        SPEC_COUNT_PARAMETERS,
        SPEC_EMBED,
        SPEC_PROJECT_QKV,
        SPEC_ATTENTION_SCORES,
        SPEC_ATTEND,
        SPEC_MULTI_HEAD_ATTENTION,
        SPEC_POSITIONAL_ENCODING,
        SPEC_LAYER_NORM,
        SPEC_SUBSEQUENT_MASK,
        SPEC_GREEDY_SEARCH,
        SPEC_NOAM_RATE,
        SPEC_SMOOTHED_TARGETS,
    ]
}
