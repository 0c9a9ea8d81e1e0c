"""Token embeddings: a learned vector per word, scaled by sqrt(d_model) (paper section 3.4; chapter 2)."""

import math

import torch
from torch import nn


class TokenEmbedding(nn.Module):
    """Look up a learned d_model-dimensional vector for every token id and scale it by sqrt(d_model).

    The paper learns its embeddings with the rest of the model (they are not Word2Vec vectors).
    The weights are drawn from N(0, 1/d_model), so after scaling each vector has entries of
    variance about 1, the same scale as the positional encoding that is added to it.
    """

    def __init__(self, vocab_size: int, d_model: int) -> None:
        super().__init__()
        self.d_model = d_model
        self.lookup = nn.Embedding(vocab_size, d_model)
        nn.init.normal_(self.lookup.weight, mean=0.0, std=d_model**-0.5)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """tokens (batch, seq) of ids -> (batch, seq, d_model)."""
        if tokens.dim() != 2 or tokens.dtype.is_floating_point:
            raise ValueError(
                f"tokens: expected integer ids of shape (batch, seq), "
                f"got {tokens.dtype} of shape {tuple(tokens.shape)}"
            )
        return self.lookup(tokens) * math.sqrt(self.d_model)
