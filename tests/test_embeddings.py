"""Token embeddings, feed-forward network and masks: small components."""

import math

import pytest
import torch

from book.embeddings import TokenEmbedding
from book.feedforward import FeedForward
from book.masks import causal_mask, padding_mask, target_mask


def test_embedding_is_scaled_by_sqrt_d_model() -> None:
    embedding = TokenEmbedding(10, 16)
    ids = torch.tensor([[1, 2, 3]])
    assert torch.allclose(embedding(ids), embedding.lookup.weight[ids] * math.sqrt(16))
    assert 0.7 < embedding(torch.arange(10)[None]).std() < 1.3  # entries of variance about 1


def test_embedding_rejects_floats_and_wrong_rank() -> None:
    embedding = TokenEmbedding(10, 4)
    with pytest.raises(ValueError, match=r"expected integer ids of shape \(batch, seq\)"):
        embedding(torch.zeros(1, 3))
    with pytest.raises(ValueError, match=r"got torch.int64 of shape \(3,\)"):
        embedding(torch.tensor([1, 2, 3]))


def test_feed_forward_acts_on_each_position_alone() -> None:
    torch.manual_seed(0)
    feed_forward = FeedForward(8, 16)
    x = torch.randn(1, 5, 8)
    assert torch.allclose(feed_forward(x)[0, 2], feed_forward(x[:, 2:3])[0, 0], atol=1e-6)
    with pytest.raises(ValueError, match=r"x: expected shape \(batch, seq, 8\), got \(5, 8\)"):
        feed_forward(x[0])


def test_masks() -> None:
    ids = torch.tensor([[5, 6, 0]])
    assert padding_mask(ids, 0).tolist() == [[[[True, True, False]]]]
    assert causal_mask(3)[0, 0].tolist() == [[True, False, False], [True, True, False], [True, True, True]]
    assert target_mask(ids, 0)[0, 0].tolist() == [
        [True, False, False],
        [True, True, False],
        [True, True, False],
    ]
