"""The first line of every chapter: seeds, a fixed thread count, print precision and plot style."""

import random

import numpy as np
import torch

from book.plotting import use_book_style


def start_chapter(seed: int = 0, threads: int = 2) -> None:
    """Make a chapter's outputs the same on every run and every machine.

    Seeds Python, NumPy and PyTorch; fixes the number of CPU threads (sums are added in an order
    that depends on it); prints tensors with 4 decimals; applies the book's plot style.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.set_printoptions(precision=4, sci_mode=False)
    np.set_printoptions(precision=4, suppress=True)
    use_book_style()
