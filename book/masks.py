"""Attention masks (chapters 4 and 8). True means "may attend", as in PyTorch's fused attention.

Masks broadcast against attention scores of shape (batch, heads, q_len, k_len).
"""

import torch


def padding_mask(tokens: torch.Tensor, pad_id: int) -> torch.Tensor:
    """Hide padding keys. tokens (batch, seq) -> mask (batch, 1, 1, seq)."""
    return (tokens != pad_id)[:, None, None, :]


def causal_mask(size: int, device: torch.device | None = None) -> torch.Tensor:
    """Let position t see positions 0..t only. -> mask (1, 1, size, size), lower triangle True."""
    return torch.ones(size, size, dtype=torch.bool, device=device).tril()[None, None]


def target_mask(tokens: torch.Tensor, pad_id: int) -> torch.Tensor:
    """Padding and causal mask together, for the decoder. tokens (batch, seq) -> (batch, 1, seq, seq)."""
    return padding_mask(tokens, pad_id) & causal_mask(tokens.size(1), tokens.device)
