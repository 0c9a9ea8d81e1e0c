"""Positional encoding: sinusoids added to the embeddings (paper section 3.5; chapter 6)."""

import math

import torch
from torch import nn

from book.config import POSITIONS
from book.shapes import expect_shape


def sinusoid_table(max_len: int, d_model: int) -> torch.Tensor:
    """PE[pos, 2i] = sin(pos / 10000^(2i/d_model)), PE[pos, 2i+1] = cos(same). -> (max_len, d_model)."""
    if d_model % 2 != 0:
        raise ValueError(f"d_model must be even to pair sines with cosines, got {d_model}")
    position = torch.arange(max_len, dtype=torch.float32)[:, None]  # (max_len, 1)
    frequency = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))  # (d_model/2,)
    table = torch.zeros(max_len, d_model)
    table[:, 0::2] = torch.sin(position * frequency)
    table[:, 1::2] = torch.cos(position * frequency)
    return table


class PositionalEncoding(nn.Module):
    """Add the vector of each position to the embeddings, then dropout.

    ``positions`` picks the table of vectors (``config.POSITIONS``):
    the paper's sinusoids, fixed; "learned", a parameter trained with
    the rest, starting at zero (BERT and GPT-2 start from small random
    values; zero draws no random numbers, so the rest of the model
    starts as with sinusoids); or "none", zeros: no word order.
    """

    def __init__(
        self,
        d_model: int,
        max_len: int = 256,
        dropout: float = 0.1,
        positions: str = "sinusoidal",
    ) -> None:
        super().__init__()
        self.d_model = d_model
        self.dropout = nn.Dropout(dropout)
        if positions not in POSITIONS:
            expected = " or ".join(POSITIONS)
            raise ValueError(f"positions: {expected}, not {positions!r}")
        table = sinusoid_table(max_len, d_model)  # (max_len, d_model)
        if positions == "learned":  # trained, from zeros
            self.table = nn.Parameter(torch.zeros_like(table))
        else:  # fixed: the sinusoids, or zeros (no positions)
            fixed = table if positions == "sinusoidal" else 0 * table
            self.register_buffer("table", fixed, persistent=False)

    def forward(self, x: torch.Tensor, start: int = 0) -> torch.Tensor:
        """x (batch, seq, d_model) -> same shape; ``start`` is the position of x's first token."""
        expect_shape(x, ("batch", "seq", self.d_model), "embeddings")
        end = start + x.size(1)
        if end > self.table.size(0):
            raise ValueError(
                f"sequence reaches position {end}, longer than the maximum length "
                f"{self.table.size(0)} this encoding was built for"
            )
        return self.dropout(x + self.table[start:end])
