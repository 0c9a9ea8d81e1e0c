"""Scaled dot-product attention and multi-head attention (paper sections 3.2.1 and 3.2.2).

Chapter 3 explains the projections into queries, keys and values, chapter 4 the scores, scaling and
softmax, chapter 5 the heads, and chapter 8 the key/value cache.
"""

import math
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from book.shapes import expect_shape


def scaled_dot_product_attention(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    mask: torch.Tensor | None = None,
    dropout_p: float = 0.0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Z = softmax(Q K^T / sqrt(d_k)) V, step by step.

    query (..., q_len, d_k), key (..., k_len, d_k), value (..., k_len, d_v);
    mask broadcastable to (..., q_len, k_len), True where a query may look at a key.
    Returns Z (..., q_len, d_v) and the attention weights (..., q_len, k_len).
    """
    d_k = query.size(-1)
    scores = query @ key.transpose(-2, -1) / math.sqrt(d_k)  # (..., q_len, k_len)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = scores.softmax(dim=-1)  # each query's weights over the keys sum to 1
    if dropout_p > 0.0:
        weights = F.dropout(weights, dropout_p)
    return weights @ value, weights


@dataclass
class KVCache:
    """Keys and values of one attention layer, kept between decoding steps: (batch, heads, seq, d_k).

    A self-attention cache grows by the new positions at every step; a ``static`` one
    (encoder-decoder attention) is filled once from the encoder output and then reused.
    """

    keys: torch.Tensor | None = None
    values: torch.Tensor | None = None
    static: bool = False

    def reorder(self, index: torch.Tensor) -> None:
        """Keep the batch rows ``index`` (batch,), e.g. the surviving hypotheses of a beam search."""
        if self.keys is not None:
            self.keys = self.keys.index_select(0, index)
            self.values = self.values.index_select(0, index)


class MultiHeadAttention(nn.Module):
    """h heads attend in parallel, each in its own d_k = d_model / h dimensional subspace.

    Head i has its own W_Q_i, W_K_i, W_V_i of shape (d_model, d_k); for speed they are stored side
    by side in one (d_model, d_model) linear layer per role, and ``split_heads`` takes them apart.
    The heads' outputs are concatenated and mixed by W_O.

    When no attention weights are asked for, ``fused`` lets PyTorch's fused kernel compute the
    same function (tested equal to the step-by-step ``scaled_dot_product_attention``).
    """

    def __init__(self, d_model: int, heads: int, dropout: float = 0.0) -> None:
        super().__init__()
        if d_model % heads != 0:
            raise ValueError(
                f"d_model ({d_model}) must be divisible by heads ({heads}): "
                "each head gets d_model / heads dimensions"
            )
        self.d_model = d_model
        self.heads = heads
        self.d_k = d_model // heads
        self.dropout_p = dropout
        self.fused = True
        self.w_q = nn.Linear(d_model, d_model)
        self.w_k = nn.Linear(d_model, d_model)
        self.w_v = nn.Linear(d_model, d_model)
        self.w_o = nn.Linear(d_model, d_model)

    def split_heads(self, x: torch.Tensor) -> torch.Tensor:
        """(batch, seq, d_model) -> (batch, heads, seq, d_k)."""
        batch, seq, _ = x.shape
        return x.view(batch, seq, self.heads, self.d_k).transpose(1, 2)

    def merge_heads(self, x: torch.Tensor) -> torch.Tensor:
        """(batch, heads, seq, d_k) -> (batch, seq, d_model): the heads concatenated."""
        batch, _, seq, _ = x.shape
        return x.transpose(1, 2).reshape(batch, seq, self.d_model)

    def head_projections(self, head: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Head ``head``'s own W_Q, W_K, W_V, each (d_model, d_k), so that q_i = x @ W_Q_i + b."""
        rows = slice(head * self.d_k, (head + 1) * self.d_k)
        return tuple(w.weight[rows].T for w in (self.w_q, self.w_k, self.w_v))

    def forward(
        self,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        mask: torch.Tensor | None = None,
        need_weights: bool = False,
        cache: KVCache | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """query (batch, q_len, d_model), key and value (batch, k_len, d_model).

        mask broadcastable to (batch, heads, q_len, k_len), True = may attend.
        Returns (batch, q_len, d_model) and, if ``need_weights``, every head's
        weights (batch, heads, q_len, k_len), else None.
        """
        expect_shape(query, ("batch", "q_len", self.d_model), "query")
        q = self.split_heads(self.w_q(query))
        k, v = self._keys_and_values(key, value, cache)
        dropout_p = self.dropout_p if self.training else 0.0
        if need_weights or not self.fused:
            z, weights = scaled_dot_product_attention(q, k, v, mask, dropout_p)
        else:
            z = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=dropout_p)
            weights = None
        return self.w_o(self.merge_heads(z)), weights

    def _keys_and_values(
        self, key: torch.Tensor, value: torch.Tensor, cache: KVCache | None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Project key and value into heads, reusing or extending ``cache`` when given."""
        if cache is not None and cache.static and cache.keys is not None:
            return cache.keys, cache.values
        expect_shape(key, ("batch", "k_len", self.d_model), "key")
        expect_shape(value, (key.size(0), key.size(1), self.d_model), "value")
        k = self.split_heads(self.w_k(key))
        v = self.split_heads(self.w_v(value))
        if cache is not None:
            if cache.keys is not None:
                k = torch.cat([cache.keys, k], dim=2)
                v = torch.cat([cache.values, v], dim=2)
            cache.keys, cache.values = k, v
        return k, v


@dataclass
class AttentionMaps:
    """Every layer's attention weights from one forward pass, each (batch, heads, q_len, k_len)."""

    encoder: list[torch.Tensor] = field(default_factory=list)
    decoder_self: list[torch.Tensor] = field(default_factory=list)
    cross: list[torch.Tensor] = field(default_factory=list)
