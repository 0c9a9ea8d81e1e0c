"""Training on several processes with PyTorch's own runtime: torchrun and DistributedDataParallel (appendix).

``torchrun --nproc_per_node=N -m book.train ...`` starts N copies of the command and tells each its
place in environment variables: ``RANK`` (0 to N-1 over every machine), ``LOCAL_RANK`` (its number on its
machine, which picks its GPU) and ``WORLD_SIZE`` (N), with where to meet (``MASTER_ADDR``,
``MASTER_PORT``). ``start`` joins the group (gloo on CPU, NCCL on CUDA). Every process builds the same
model; ``DistributedDataParallel`` then keeps the copies equal: during the backward pass it all-reduces the
gradients, so each process holds their mean and takes the same optimizer step.

Each process reads its own share of the batches (``shard``): step k of an epoch uses global batches
k*N ... k*N + N - 1 of the seed's order, one per process. ``share_of_loss`` weights each process's loss by
its tokens, so that the averaged gradient is exactly that of one process on all N batches together.
"""

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import torch
import torch.distributed as dist

T = TypeVar("T")


@dataclass(frozen=True)
class Place:
    """This process's place among the ``world_size`` processes of a run (0, 1, 0 for a plain run)."""

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @property
    def is_main(self) -> bool:
        """Whether this process writes the checkpoints, the metrics and the progress bar (rank 0)."""
        return self.rank == 0


def launched_by_torchrun() -> bool:
    """Whether torchrun (or another launcher) set ``RANK`` and ``WORLD_SIZE`` for this process."""
    return "RANK" in os.environ and "WORLD_SIZE" in os.environ


def place() -> Place:
    """This process's place: from the process group once ``start`` joined it, else a plain run's."""
    if not dist.is_initialized():
        return Place()
    return Place(dist.get_rank(), dist.get_world_size(), int(os.environ.get("LOCAL_RANK", 0)))


def start(device: str, init_method: str = "env://", rank: int = -1, world_size: int = -1) -> str:
    """Join the process group: NCCL when ``device`` is CUDA (each process on GPU ``LOCAL_RANK``), else gloo.

    Under torchrun the defaults read everything from the environment; ``init_method``, ``rank`` and
    ``world_size`` let processes started otherwise meet (``"tcp://127.0.0.1:PORT"``). Returns the device
    to train on: "cuda" (this process's GPU, made current) or "cpu".
    """
    cuda = device == "cuda" or (device == "auto" and torch.cuda.is_available())
    if cuda:
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", 0)))
    dist.init_process_group(
        "nccl" if cuda else "gloo", init_method=init_method, rank=rank, world_size=world_size
    )
    return "cuda" if cuda else "cpu"


def stop(finished: bool = True) -> None:
    """Leave the process group, if this process joined one.

    After work that ``finished``, each process first waits at a barrier for the others, so that all leave
    together: under gloo, a process that leaves while another is still working (rank 0 evaluating and
    saving) can abort at exit, "terminate called without an active exception" (1 run in 20 of the torchrun
    test on a loaded 2-core machine). After an error it leaves at once; torchrun then stops the others.
    """
    if not dist.is_initialized():
        return
    if finished:
        dist.barrier()
    dist.destroy_process_group()


def shard(batches: Sequence[T], where: Place) -> list[T]:
    """This process's batches of one epoch: every ``world_size``-th one, from its rank on.

    The last ``len(batches) % world_size`` batches are left out, so that every process takes the same
    number of steps; one process (``world_size`` 1) keeps them all, in order.
    """
    usable = len(batches) - len(batches) % where.world_size
    return list(batches[where.rank : usable : where.world_size])


def share_of_loss(summed: torch.Tensor, tokens: int) -> torch.Tensor:
    """This process's part of the mean loss over every process's tokens, scaled for DDP's averaging.

    ``summed`` is the loss summed over this process's ``tokens`` target words. DDP averages the N
    gradients, so scaling by N / (all processes' tokens) makes their mean the gradient of
    (sum of every process's summed loss) / (all tokens): the loss of one process on all the batches.
    Without a process group it is ``summed / tokens``.
    """
    if not dist.is_initialized():
        return summed / tokens
    total = torch.tensor(float(tokens), device=summed.device)
    dist.all_reduce(total)  # sum of every process's tokens
    return summed * dist.get_world_size() / total


def rank_zero_says(flag: bool) -> bool:
    """Rank 0's ``flag`` on every process (so that all stop at the same step); ``flag`` in a plain run."""
    if not dist.is_initialized():
        return flag
    box = torch.tensor([flag], dtype=torch.uint8, device="cuda" if dist.get_backend() == "nccl" else "cpu")
    dist.broadcast(box, src=0)
    return bool(box.item())


def same_everywhere(value: T) -> T:
    """Rank 0's ``value`` on every process (picklable data); ``value`` itself in a plain run."""
    if not dist.is_initialized():
        return value
    box = [value]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def gather(value: T) -> list[T]:
    """Every process's ``value`` (picklable data), by rank; ``[value]`` in a plain run."""
    if not dist.is_initialized():
        return [value]
    values: list = [None] * dist.get_world_size()
    dist.all_gather_object(values, value)
    return values
