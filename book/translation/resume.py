"""A training run's full state, saved every few steps so that a killed run can go on where it stopped.

``python -m book.train --checkpoint-every K`` writes ``<out>-resume.pt`` every K steps, and
``--resume <out>-resume.pt`` continues from it. To end with the same weights as a run that was never
stopped, the state holds everything the next step reads: the weights, Adam's moments, the schedule's
step, the checkpoints kept for averaging, the loss history, the random states (Python's, which orders
the batches, and PyTorch's of every process, which draw the dropout masks) and the data position: the
epoch, the random state its batches were drawn from, and how many steps of it were taken. The file is
written atomically (``atomic_save``), so the latest state is always a whole one.

The training loop knows none of this: ``restore`` sets a fresh ``training.Run`` to a saved state before
the loop starts, and ``saving_every`` is a hook the loop calls after each step.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from book.translation.checkpoint import CheckpointError, atomic_save, read_saved
from book.translation.distributed import gather
from book.translation.pairs import Pair
from book.translation.subwords import SubwordVocab
from book.translation.tokenizer import Vocab

if TYPE_CHECKING:  # training imports this module; the type is only named here
    from book.translation.training import Run

STATE_VERSION = 2
"""Version of the layout ``save_state`` writes."""


@dataclass
class TrainingState:
    """Where a run stands after ``steps`` steps (see the module's docstring).

    ``config`` and the source and target ``vocabularies`` are plain data (``to_dict``); ``settings`` is the
    ``TrainingSettings`` as a dict; ``data`` fingerprints the training pairs (``fingerprint``).
    ``torch_rng`` holds one CPU random state per process, ``cuda_rng`` one CUDA state per process
    (empty on CPU). ``epoch_rng`` is Python's random state before the current epoch's batches were
    drawn; ``position`` counts the steps already taken in that epoch. ``averaged`` holds the
    checkpoints kept for averaging, each a list of parameters. ``seconds`` is the training time so far,
    ``tokens`` the target words each process trained on.
    """

    config: dict
    vocabularies: list[dict]
    settings: dict
    seed: int
    world_size: int
    data: str
    model: dict
    optimizer: dict
    history: list[float]
    averaged: list[list[torch.Tensor]]
    epochs: int
    position: int
    epoch_rng: tuple
    torch_rng: list[torch.Tensor]
    cuda_rng: list[torch.Tensor]
    seconds: float
    tokens: list[int]

    @property
    def steps(self) -> int:
        """Steps taken so far."""
        return len(self.history)

    def check(self, settings: dict, free: Sequence[str], seed: int, world_size: int, data: str) -> None:
        """ValueError naming what differs between this saved run and the run asked to continue it.

        ``settings`` are the new run's ``TrainingSettings`` as a dict; those named in ``free`` may differ.
        """
        if seed != self.seed:
            raise ValueError(f"the saved run used --seed {self.seed}, not {seed}")
        if world_size != self.world_size:
            raise ValueError(
                f"the saved run had {self.world_size} processes; resume it with as many, not {world_size}"
            )
        if data != self.data:
            raise ValueError("the saved run trained on other pairs; resume it with the same corpus options")
        changed = [
            name for name in settings if name not in free and settings[name] != self.settings.get(name)
        ]
        if changed:
            saved = ", ".join(f"{name}={self.settings.get(name)!r}" for name in changed)
            raise ValueError(f"the saved run had other settings ({saved}); resume it with the same options")


def resume_path(out: Path) -> Path:
    """Where a run saving ``out`` keeps its state: ``translator.pt`` -> ``translator-resume.pt``."""
    return out.with_name(out.stem + "-resume.pt")


def fingerprint(pairs: Sequence[Pair]) -> str:
    """A short hash of the training pairs' text, to refuse resuming on other data."""
    digest = hashlib.sha256()
    for pair in pairs:
        digest.update(f"{pair.source}\t{pair.target}\n".encode())
    return digest.hexdigest()[:16]


def snapshot(run: Run, vocabularies: tuple[Vocab | SubwordVocab, ...], seed: int, data: str) -> TrainingState:
    """Everything the next step of ``run`` reads. Every process takes part: it gathers their random states
    and token counts."""
    cuda = run.device.type == "cuda"
    return TrainingState(
        config=run.model.config.to_dict(),
        vocabularies=[vocab.to_dict() for vocab in vocabularies],
        settings=asdict(run.settings),
        seed=seed,
        world_size=run.where.world_size,
        data=data,
        model={name: tensor.cpu() for name, tensor in run.model.state_dict().items()},
        optimizer=run.optimizer.state_dict(),
        history=run.history,
        averaged=[[tensor.cpu() for tensor in kept] for kept in run.kept],
        epochs=run.epochs,
        position=run.position,
        epoch_rng=run.epoch_rng,
        torch_rng=gather(torch.get_rng_state()),
        cuda_rng=gather(torch.cuda.get_rng_state()) if cuda else [],
        seconds=run.elapsed(),
        tokens=gather(run.tokens),
    )


def restore(run: Run, state: TrainingState) -> None:
    """Set a fresh ``run`` to the saved ``state``: weights, Adam's moments, progress and random states."""
    rank = run.where.rank
    run.model.load_state_dict(state.model)
    run.optimizer.load_state_dict(state.optimizer)
    run.history, run.epochs, run.position = list(state.history), state.epochs, state.position
    run.seconds, run.tokens = state.seconds, state.tokens[rank]
    run.kept.extend([tensor.to(run.device) for tensor in kept] for kept in state.averaged)
    run.rng.setstate(state.epoch_rng)  # the current epoch's batches are drawn again, the same
    torch.set_rng_state(state.torch_rng[rank])
    if run.device.type == "cuda":
        torch.cuda.set_rng_state(state.cuda_rng[rank])


def saving_every(
    steps: int, path: Path, vocabularies: tuple, seed: int, pairs: Sequence[Pair]
) -> Callable[[Run], None]:
    """A hook that writes the run's state to ``path`` every ``steps`` steps (rank 0 writes)."""
    data = fingerprint(pairs)

    def save(run: Run) -> None:
        if run.steps % steps == 0:
            state = snapshot(run, vocabularies, seed, data)
            if run.where.is_main:
                save_state(state, path)

    return save


def save_state(state: TrainingState, path: str | Path) -> None:
    """Write ``state`` to ``path`` atomically."""
    atomic_save({"state_version": STATE_VERSION, **asdict(state)}, path)


def load_state(path: str | Path) -> TrainingState:
    """Read a state written by ``save_state``; CheckpointError names the file and what is wrong with it."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such file to resume from")
    data = read_saved(path, "training state")
    if not isinstance(data, dict) or data.get("state_version") != STATE_VERSION:
        raise CheckpointError(
            f"{path}: not a training state of version {STATE_VERSION} "
            "(resume from the <out>-resume.pt file that --checkpoint-every writes)"
        )
    try:
        return TrainingState(**{key: value for key, value in data.items() if key != "state_version"})
    except TypeError as error:
        raise CheckpointError(f"{path}: damaged training state ({error})") from error
