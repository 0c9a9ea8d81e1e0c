"""Layer normalization and the residual connection around every sublayer (paper section 3.1; chapter 7)."""

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from book.shapes import expect_shape


class LayerNorm(nn.Module):
    """Normalize each position's vector to mean 0 and variance 1, then scale and shift (Ba et al. 2016).

    LN(x) = gain * (x - mean(x)) / sqrt(var(x) + eps) + bias, statistics over the last dimension.
    ``fused`` lets PyTorch's single kernel compute the same function (tested equal to the formula).
    """

    def __init__(self, d_model: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.d_model = d_model
        self.eps = eps
        self.gain = nn.Parameter(torch.ones(d_model))
        self.bias = nn.Parameter(torch.zeros(d_model))
        self.fused = True

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x (..., d_model) -> same shape."""
        if x.dim() == 0 or x.size(-1) != self.d_model:
            raise ValueError(f"x: expected shape (..., {self.d_model}), got {tuple(x.shape)}")
        if self.fused:
            return F.layer_norm(x, (self.d_model,), self.gain, self.bias, self.eps)
        mean = x.mean(dim=-1, keepdim=True)
        variance = x.var(dim=-1, keepdim=True, unbiased=False)
        return self.gain * (x - mean) / torch.sqrt(variance + self.eps) + self.bias


class Residual(nn.Module):
    """A sublayer wrapped in a residual connection, dropout and layer norm.

    Post-norm, as in the paper: LayerNorm(x + Dropout(sublayer(x))).
    Pre-norm, the common modern variant: x + Dropout(sublayer(LayerNorm(x))).
    """

    def __init__(self, d_model: int, dropout: float = 0.0, norm_first: bool = False) -> None:
        super().__init__()
        self.norm = LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)
        self.norm_first = norm_first

    def forward(self, x: torch.Tensor, sublayer: Callable[[torch.Tensor], torch.Tensor]) -> torch.Tensor:
        """x (batch, seq, d_model) -> same shape."""
        expect_shape(x, ("batch", "seq", self.norm.d_model), "x")
        if self.norm_first:
            return x + self.dropout(sublayer(self.norm(x)))
        return self.norm(x + self.dropout(sublayer(x)))
