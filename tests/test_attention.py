"""Scaled dot-product and multi-head attention: properties, fused path, caches, bad input."""

import math

import pytest
import torch

from book.attention import KVCache, MultiHeadAttention, scaled_dot_product_attention
from book.masks import causal_mask, padding_mask


def test_weights_are_a_softmax_of_scaled_scores() -> None:
    torch.manual_seed(0)
    q, k, v = torch.randn(2, 4, 8), torch.randn(2, 6, 8), torch.randn(2, 6, 3)
    z, weights = scaled_dot_product_attention(q, k, v)
    expected = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(8), dim=-1)
    assert (weights - expected).abs().max() < 1e-6
    assert (weights.sum(-1) - 1).abs().max() < 1e-6
    assert z.shape == (2, 4, 3)


def test_masked_keys_get_zero_weight() -> None:
    torch.manual_seed(0)
    q = k = v = torch.randn(1, 5, 4)
    _, weights = scaled_dot_product_attention(q, k, v, causal_mask(5)[0])
    assert torch.all(weights.triu(diagonal=1) == 0)
    assert weights[0, 0, 0] == 1


@pytest.mark.parametrize("mask_kind", ["none", "padding", "causal"])
def test_fused_path_equals_step_by_step(mask_kind: str) -> None:
    torch.manual_seed(1)
    attention = MultiHeadAttention(32, 4).eval()
    x = torch.randn(3, 6, 32)
    ids = torch.tensor([[5, 5, 5, 5, 0, 0], [5] * 6, [5, 5, 0, 0, 0, 0]])
    mask = {"none": None, "padding": padding_mask(ids, 0), "causal": causal_mask(6)}[mask_kind]
    with torch.no_grad():
        fused, no_weights = attention(x, x, x, mask)
        attention.fused = False
        step_by_step, _ = attention(x, x, x, mask)
    assert no_weights is None
    assert (fused - step_by_step).abs().max() < 1e-6


def test_padded_key_never_changes_any_output() -> None:
    torch.manual_seed(2)
    attention = MultiHeadAttention(16, 4).eval()
    x = torch.randn(2, 5, 16)
    ids = torch.tensor([[7, 7, 7, 0, 0], [7, 7, 7, 7, 0]])
    changed = x.clone()
    changed[ids == 0] = torch.randn(int((ids == 0).sum()), 16) * 100
    mask = padding_mask(ids, 0)
    with torch.no_grad():
        before, _ = attention(x, x, x, mask)
        after, _ = attention(x, changed, changed, mask)
    assert (before - after).abs().max() < 1e-5


def test_each_head_has_its_own_projections() -> None:
    torch.manual_seed(3)
    attention = MultiHeadAttention(16, 4)
    x = torch.randn(1, 3, 16)
    w_q, w_k, w_v = attention.head_projections(2)
    assert w_q.shape == w_k.shape == w_v.shape == (16, 4)
    q_all = attention.split_heads(attention.w_q(x))  # (1, 4, 3, 4)
    assert (q_all[0, 2] - (x[0] @ w_q + attention.w_q.bias[8:12])).abs().max() < 1e-6
    assert not torch.equal(attention.head_projections(0)[0], w_q)


def test_cache_grows_for_self_attention_and_stays_for_cross_attention() -> None:
    torch.manual_seed(4)
    attention = MultiHeadAttention(16, 2).eval()
    x, memory = torch.randn(2, 4, 16), torch.randn(2, 7, 16)
    self_cache, cross_cache = KVCache(), KVCache(static=True)
    with torch.no_grad():
        full, _ = attention(x, x, x, causal_mask(4))
        steps = [
            attention(x[:, t : t + 1], x[:, t : t + 1], x[:, t : t + 1], cache=self_cache)[0]
            for t in range(4)
        ]
        assert self_cache.keys.shape == (2, 2, 4, 8)
        for t in range(3):
            attention(x[:, t : t + 1], memory, memory, cache=cross_cache)
        assert cross_cache.keys.shape == (2, 2, 7, 8)
    assert (torch.cat(steps, dim=1) - full).abs().max() < 1e-5
    self_cache.reorder(torch.tensor([1, 1]))
    assert torch.equal(self_cache.keys[0], self_cache.keys[1])


def test_wrong_width_names_expected_and_actual_shape() -> None:
    attention = MultiHeadAttention(16, 4)
    with pytest.raises(ValueError, match=r"query: expected shape \(batch, q_len, 16\), got \(2, 3, 12\)"):
        attention(torch.randn(2, 3, 12), torch.randn(2, 3, 16), torch.randn(2, 3, 16))
    with pytest.raises(ValueError, match=r"key: expected shape \(batch, k_len, 16\), got \(3, 16\)"):
        attention(torch.randn(2, 3, 16), torch.randn(3, 16), torch.randn(3, 16))


def test_heads_must_divide_d_model() -> None:
    with pytest.raises(ValueError, match=r"d_model \(30\) must be divisible by heads \(4\)"):
        MultiHeadAttention(30, 4)
