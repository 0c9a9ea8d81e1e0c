"""The equality DistributedDataParallel rests on, measured: N processes, each on a share of a batch, compute
the gradients one process computes on the whole batch (tests/test_distributed.py runs it; the page "Beyond one
machine" explains it).

``gradient_difference()`` starts 2 CPU processes (gloo, on this machine's loopback), gives each half of a
batch of sentences whose halves hold different numbers of target words, runs one DDP backward pass with the
trainer's own loss (``training.step_loss``), and compares the gradients every process ends with to those of
one plain process on the whole batch. It takes a few seconds.
"""

import random
import socket
import tempfile
from pathlib import Path

import torch
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel

from book.config import get_config
from book.model import Transformer
from book.translation.batching import Example, make_batch
from book.translation.distributed import place, start, stop
from book.translation.training import batch_loss, step_loss

VOCAB = 20
"""Tokens of the made-up vocabulary the check's sentences use."""


def made_up_examples(count: int, seed: int) -> list[Example]:
    """``count`` encoded pairs of random words, 3 to 12 a side, each side wrapped in <bos> ... <eos>."""
    rng = random.Random(seed)

    def sentence() -> list[int]:
        return [1, *(rng.randrange(4, VOCAB) for _ in range(rng.randint(3, 12))), 2]

    return [(sentence(), sentence()) for _ in range(count)]


def fresh_model(seed: int) -> Transformer:
    """The tiny model the check trains (no dropout, so that every process computes the same function)."""
    torch.manual_seed(seed)
    return Transformer(get_config("tiny").with_vocab(VOCAB, VOCAB)).train()


def _process_gradients(rank: int, processes: int, port: int, folder: str, seed: int) -> None:
    """One process of the DDP step: its share of the examples, one backward pass, its gradients saved."""
    torch.set_num_threads(1)
    start("cpu", f"tcp://127.0.0.1:{port}", rank, processes)
    finished = False
    try:
        model = fresh_model(seed)
        share = made_up_examples(8, seed)[rank::processes]
        parallel = DistributedDataParallel(model)  # kept alive: its hooks average the gradients in backward
        loss, _ = step_loss(parallel, make_batch(share), 0.1, place())
        loss.backward()
        torch.save([p.grad for p in model.parameters()], Path(folder) / f"{rank}.pt")
        finished = True
    finally:
        stop(finished)


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gradient_difference(processes: int = 2, seed: int = 0) -> float:
    """Largest |difference| between a gradient after one DDP step on ``processes`` CPU processes, each on
    its share of 8 sentence pairs, and the same gradient from one process on all 8 (the mean loss over
    every target word). Exactly equal in real numbers; what remains is float32 rounding.
    """
    examples = made_up_examples(8, seed)
    shares = [make_batch(examples[rank::processes]) for rank in range(processes)]
    if len({share.target_tokens for share in shares}) == 1:
        raise ValueError("the shares hold equal numbers of target words; pick another seed")
    model = fresh_model(seed)
    batch_loss(model, make_batch(examples), 0.1).backward()
    whole = [p.grad for p in model.parameters()]
    with tempfile.TemporaryDirectory() as folder:
        mp.spawn(_process_gradients, args=(processes, free_port(), folder, seed), nprocs=processes)
        per_process = [torch.load(Path(folder) / f"{rank}.pt") for rank in range(processes)]
    return max(
        (mine - reference).abs().max().item()
        for grads in per_process
        for mine, reference in zip(grads, whole, strict=True)
    )
