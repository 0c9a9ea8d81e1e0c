"""The encoder: a stack of N identical layers, each self-attention then a feed-forward network.

Chapter 2 explains it.
"""

import torch
from torch import nn

from book.attention import AttentionMaps, MultiHeadAttention
from book.config import TransformerConfig
from book.feedforward import FeedForward
from book.normalization import LayerNorm, Residual


class EncoderLayer(nn.Module):
    """Self-attention and a feed-forward network, each inside a residual connection with layer norm."""

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.self_attn = MultiHeadAttention(config.d_model, config.heads, config.dropout)
        self.feed_forward = FeedForward(config.d_model, config.d_ff, config.dropout)
        self.attn_residual = Residual(config.d_model, config.dropout, config.norm_first)
        self.ff_residual = Residual(config.d_model, config.dropout, config.norm_first)

    def forward(
        self,
        x: torch.Tensor,
        mask: torch.Tensor | None = None,
        attention: AttentionMaps | None = None,
    ) -> torch.Tensor:
        """x (batch, src_len, d_model), mask (batch, 1, 1, src_len) -> (batch, src_len, d_model).

        When ``attention`` is given, this layer's weights (batch, heads, src_len, src_len)
        are appended to ``attention.encoder``.
        """

        def self_attend(y: torch.Tensor) -> torch.Tensor:
            z, weights = self.self_attn(y, y, y, mask, need_weights=attention is not None)
            if attention is not None:
                attention.encoder.append(weights)
            return z

        x = self.attn_residual(x, self_attend)
        return self.ff_residual(x, self.feed_forward)


class Encoder(nn.Module):
    """N encoder layers; with pre-norm, a final layer norm (the last residual stream is not normalized)."""

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.layers = nn.ModuleList(EncoderLayer(config) for _ in range(config.layers))
        self.norm = LayerNorm(config.d_model) if config.norm_first else None

    def forward(
        self,
        x: torch.Tensor,
        mask: torch.Tensor | None = None,
        attention: AttentionMaps | None = None,
    ) -> torch.Tensor:
        """x (batch, src_len, d_model) -> the memory the decoder reads, (batch, src_len, d_model)."""
        for layer in self.layers:
            x = layer(x, mask, attention)
        return x if self.norm is None else self.norm(x)
