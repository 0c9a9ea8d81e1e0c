"""Sinusoidal positional encoding."""

import math

import pytest
import torch

from book.positional import PositionalEncoding, sinusoid_table


def test_table_equals_closed_form() -> None:
    table = sinusoid_table(50, 16)
    for pos in (0, 1, 7, 49):
        for i in range(8):
            angle = pos / 10000 ** (2 * i / 16)
            assert math.isclose(table[pos, 2 * i], math.sin(angle), abs_tol=1e-5)
            assert math.isclose(table[pos, 2 * i + 1], math.cos(angle), abs_tol=1e-5)


def test_shift_by_k_is_a_fixed_linear_map() -> None:
    # PE[pos + k] = PE[pos] @ M_k, where M_k rotates each (sin, cos) pair by k * frequency,
    # the same matrix for every position (paper section 3.5).
    d_model, k = 8, 3
    table = sinusoid_table(60, d_model)
    rotation = torch.zeros(d_model, d_model)
    for i in range(d_model // 2):
        angle = k / 10000 ** (2 * i / d_model)
        cos, sin = math.cos(angle), math.sin(angle)
        rotation[2 * i : 2 * i + 2, 2 * i : 2 * i + 2] = torch.tensor([[cos, -sin], [sin, cos]])
    assert (table[:-k] @ rotation - table[k:]).abs().max() < 1e-4


def test_adds_to_embeddings_from_a_start_position() -> None:
    encoding = PositionalEncoding(8, max_len=20, dropout=0.0)
    x = torch.zeros(2, 4, 8)
    assert torch.equal(encoding(x), sinusoid_table(20, 8)[:4].expand(2, 4, 8))
    assert torch.equal(encoding(x[:, :1], start=5)[0, 0], sinusoid_table(20, 8)[5])


def test_dropout_only_in_training() -> None:
    torch.manual_seed(0)
    encoding = PositionalEncoding(8, dropout=0.5)
    x = torch.ones(1, 10, 8)
    assert (encoding(x) == 0).any()
    assert not (encoding.eval()(x) == 0).any()


def test_bad_input() -> None:
    encoding = PositionalEncoding(8, max_len=10)
    with pytest.raises(ValueError, match=r"embeddings: expected shape \(batch, seq, 8\), got \(1, 4, 6\)"):
        encoding(torch.zeros(1, 4, 6))
    with pytest.raises(ValueError, match="maximum length 10"):
        encoding(torch.zeros(1, 11, 8))
    with pytest.raises(ValueError, match="must be even"):
        sinusoid_table(4, 7)
