"""How alike the vectors of a sentence are: the cosine similarity of every pair (chapters 1 and 2)."""

import torch


def cosine_matrix(vectors: torch.Tensor) -> torch.Tensor:
    """(seq, d_model) -> (seq, seq): the cosine similarity of every pair of rows, a . b / (|a| |b|)."""
    unit = torch.nn.functional.normalize(vectors, dim=-1)
    return unit @ unit.T


def mean_similarity(vectors: torch.Tensor) -> float:
    """The average cosine similarity over all pairs of different rows of ``vectors`` (seq, d_model)."""
    similarity = cosine_matrix(vectors)
    return similarity[~torch.eye(len(vectors), dtype=torch.bool)].mean().item()
