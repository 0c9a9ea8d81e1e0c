"""Layer norm and residual connections."""

import pytest
import torch

from book.normalization import LayerNorm, Residual


def test_formula_equals_fused_kernel_and_normalizes() -> None:
    torch.manual_seed(0)
    x = torch.randn(3, 4, 10) * 5 + 2
    norm = LayerNorm(10)
    fused = norm(x)
    norm.fused = False
    formula = norm(x)
    assert (fused - formula).abs().max() < 1e-5
    assert formula.mean(-1).abs().max() < 1e-5
    assert (formula.var(-1, unbiased=False) - 1).abs().max() < 1e-3


def test_post_norm_and_pre_norm() -> None:
    torch.manual_seed(1)
    x = torch.randn(2, 3, 6) * 4

    def double(y: torch.Tensor) -> torch.Tensor:
        return 2 * y

    post, pre = Residual(6, norm_first=False), Residual(6, norm_first=True)
    assert torch.allclose(post(x, double), post.norm(3 * x), atol=1e-6)
    assert torch.allclose(pre(x, double), x + 2 * pre.norm(x), atol=1e-6)


def test_bad_width() -> None:
    with pytest.raises(ValueError, match=r"expected shape \(\.\.\., 10\), got \(2, 9\)"):
        LayerNorm(10)(torch.zeros(2, 9))
