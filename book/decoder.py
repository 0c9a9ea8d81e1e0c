"""The decoder: masked self-attention, encoder-decoder attention and a feed-forward network, N times.

Chapter 8 explains it.
"""

import torch
from torch import nn

from book.attention import AttentionMaps, KVCache, MultiHeadAttention
from book.config import TransformerConfig
from book.feedforward import FeedForward
from book.normalization import LayerNorm, Residual


class DecoderCache:
    """Every decoder layer's keys and values, kept while generating one word at a time."""

    def __init__(self, layers: int) -> None:
        self.self_attn = [KVCache() for _ in range(layers)]
        self.cross_attn = [KVCache(static=True) for _ in range(layers)]

    @property
    def length(self) -> int:
        """How many target positions are cached already."""
        keys = self.self_attn[0].keys
        return 0 if keys is None else keys.size(2)

    def reorder(self, index: torch.Tensor) -> None:
        """Keep the batch rows ``index`` (batch,) in every layer's cache."""
        for cache in self.self_attn + self.cross_attn:
            cache.reorder(index)


class DecoderLayer(nn.Module):
    """Masked self-attention, encoder-decoder (cross) attention, feed-forward: three residual sublayers."""

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.self_attn = MultiHeadAttention(config.d_model, config.heads, config.dropout)
        self.cross_attn = MultiHeadAttention(config.d_model, config.heads, config.dropout)
        self.feed_forward = FeedForward(config.d_model, config.d_ff, config.dropout)
        self.self_residual = Residual(config.d_model, config.dropout, config.norm_first)
        self.cross_residual = Residual(config.d_model, config.dropout, config.norm_first)
        self.ff_residual = Residual(config.d_model, config.dropout, config.norm_first)

    def forward(
        self,
        x: torch.Tensor,
        memory: torch.Tensor,
        src_mask: torch.Tensor | None,
        tgt_mask: torch.Tensor | None,
        self_cache: KVCache | None = None,
        cross_cache: KVCache | None = None,
        attention: AttentionMaps | None = None,
    ) -> torch.Tensor:
        """x (batch, tgt_len, d_model), memory (batch, src_len, d_model) -> (batch, tgt_len, d_model).

        src_mask (batch, 1, 1, src_len); tgt_mask (batch, 1, tgt_len, tgt_len), or
        (1, 1, tgt_len, cached + tgt_len) when decoding with caches.
        """
        need_weights = attention is not None

        def self_attend(y: torch.Tensor) -> torch.Tensor:
            z, weights = self.self_attn(y, y, y, tgt_mask, need_weights, self_cache)
            if need_weights:
                attention.decoder_self.append(weights)
            return z

        def cross_attend(y: torch.Tensor) -> torch.Tensor:
            z, weights = self.cross_attn(y, memory, memory, src_mask, need_weights, cross_cache)
            if need_weights:
                attention.cross.append(weights)
            return z

        x = self.self_residual(x, self_attend)
        x = self.cross_residual(x, cross_attend)
        return self.ff_residual(x, self.feed_forward)


class Decoder(nn.Module):
    """N decoder layers; with pre-norm, a final layer norm."""

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.layers = nn.ModuleList(DecoderLayer(config) for _ in range(config.layers))
        self.norm = LayerNorm(config.d_model) if config.norm_first else None

    def forward(
        self,
        x: torch.Tensor,
        memory: torch.Tensor,
        src_mask: torch.Tensor | None,
        tgt_mask: torch.Tensor | None,
        cache: DecoderCache | None = None,
        attention: AttentionMaps | None = None,
    ) -> torch.Tensor:
        """x (batch, tgt_len, d_model), memory (batch, src_len, d_model) -> (batch, tgt_len, d_model)."""
        for i, layer in enumerate(self.layers):
            self_cache = cache.self_attn[i] if cache is not None else None
            cross_cache = cache.cross_attn[i] if cache is not None else None
            x = layer(x, memory, src_mask, tgt_mask, self_cache, cross_cache, attention)
        return x if self.norm is None else self.norm(x)
