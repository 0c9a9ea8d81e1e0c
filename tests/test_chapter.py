"""The floating-point environment the chapters are checked in twice (``make test``).

The Makefile runs every notebook under nbval a second time with ``ATEN_CPU_CAPABILITY=default`` and
``MKL_CBWR=COMPATIBLE``. That second pass only proves something if those settings really change the bits
PyTorch computes for the book's model; this test checks it, so that the pass cannot silently become a
copy of the first.
"""

import os
import platform
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# A forward and backward pass of a small Transformer; prints the exact bits of a loss and a gradient.
PASS = """
import torch
from book.config import get_config
from book.model import Transformer
torch.manual_seed(0)
torch.set_num_threads(1)
model = Transformer(get_config("tiny", d_model=64, heads=4, d_ff=256, layers=2).with_vocab(50, 50))
src, tgt = torch.randint(4, 50, (8, 12)), torch.randint(4, 50, (8, 11))
loss = model(src, tgt).logsumexp(-1).mean()
loss.backward()
print(loss.item().hex(), model.encoder.layers[0].self_attn.w_q.weight.grad.sum().item().hex())
"""


def perturbed_variables() -> dict[str, str]:
    """The variables the Makefile's perturbed nbval pass sets."""
    line = next(row for row in (ROOT / "Makefile").read_text().splitlines() if row.startswith("PERTURBED"))
    return dict(re.findall(r"(\w+)=(\S+)", line.split(":=", 1)[1]))


def run_pass(extra: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("ATEN_CPU_CAPABILITY", "MKL_CBWR")}
    result = subprocess.run(
        [sys.executable, "-c", PASS], env={**env, **extra}, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_the_makefile_perturbs_pytorch_and_mkl() -> None:
    assert perturbed_variables() == {"ATEN_CPU_CAPABILITY": "default", "MKL_CBWR": "COMPATIBLE"}


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="MKL and AVX kernels are x86 only")
def test_perturbed_environment_changes_the_bits_of_a_training_step() -> None:
    native, again = run_pass({}), run_pass({})
    assert native == again, "the same pass must give the same bits twice in one environment"
    assert run_pass(perturbed_variables()) != native
