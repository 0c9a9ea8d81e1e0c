"""Run at the top of every chapter: seeds, a fixed thread count, print precision and plot style."""

import random

import numpy as np
import torch

from book.chapters.plotting import use_book_style


def start_chapter(seed: int = 0, threads: int = 2) -> None:
    """Make a chapter's outputs the same on every run: seeds, threads, print precision, plot style.

    Seeds Python, NumPy and PyTorch, so a chapter computes the same numbers every time it runs on one
    machine; fixes the number of CPU threads (sums are added in an order that depends on it); prints
    tensors and arrays with 3 decimals; applies the book's plot style. It cannot make two CPUs compute
    the same bits, since their kernels round differently: the chapters print only what is stable under
    that noise (rounded values, comparisons with a tolerance), and ``make test`` checks them again in a
    perturbed floating-point environment.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.set_printoptions(precision=3, sci_mode=False)
    np.set_printoptions(precision=3, suppress=True)
    use_book_style()
