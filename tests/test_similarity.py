"""Cosine similarity of a sentence's vectors (chapters 1 and 2), and the heatmap that shows it."""

import matplotlib.pyplot as plt
import pytest
import torch

from book.chapters.plotting import similarity_heatmap
from book.chapters.similarity import cosine_matrix, mean_similarity


def test_cosine_matrix_compares_directions_not_lengths() -> None:
    vectors = torch.tensor([[1.0, 0.0], [3.0, 0.0], [0.0, 2.0], [-1.0, 0.0]])
    expected = torch.tensor(
        [[1.0, 1.0, 0.0, -1.0], [1.0, 1.0, 0.0, -1.0], [0.0, 0.0, 1.0, 0.0], [-1.0, -1.0, 0.0, 1.0]]
    )
    torch.testing.assert_close(cosine_matrix(vectors), expected)


def test_mean_similarity_leaves_out_each_vector_with_itself() -> None:
    assert mean_similarity(torch.tensor([[1.0, 0.0], [0.0, 1.0]])) == pytest.approx(0.0)
    assert mean_similarity(torch.tensor([[1.0, 0.0], [2.0, 0.0], [-1.0, 0.0]])) == pytest.approx(-1 / 3)


def test_heatmap_has_a_row_and_a_column_per_word() -> None:
    fig = similarity_heatmap(torch.randn(3, 8), ["a", "b", "c"], "three words")
    ax = fig.axes[0]
    assert ax.images[0].get_array().shape == (3, 3)
    assert [label.get_text() for label in ax.get_xticklabels()] == ["a", "b", "c"]
    plt.close(fig)
    with pytest.raises(ValueError, match="expected 2 rows, one per word, got shape \\(3, 8\\)"):
        similarity_heatmap(torch.randn(3, 8), ["a", "b"], "")
    assert plt.get_fignums() == []
