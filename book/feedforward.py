"""The position-wise feed-forward network (paper section 3.3; chapter 2 places it in the encoder layer)."""

import torch
from torch import nn

from book.shapes import expect_shape


class FeedForward(nn.Module):
    """FFN(x) = max(0, x W1 + b1) W2 + b2, the same two layers applied at every position."""

    def __init__(self, d_model: int, d_ff: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.d_model = d_model
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x (batch, seq, d_model) -> (batch, seq, d_model), through (batch, seq, d_ff)."""
        expect_shape(x, ("batch", "seq", self.d_model), "x")
        return self.linear2(self.dropout(self.linear1(x).relu()))
