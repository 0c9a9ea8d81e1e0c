"""Saving and loading a trained translator: configuration, vocabularies, weights and direction (chapter 9).

A checkpoint is plain data (dicts, lists, strings, numbers and tensors) written by ``torch.save`` and
read back with ``torch.load(path, weights_only=True)``, which refuses to run any code stored in the
file. ``FORMAT_VERSION`` names the layout; a file of another version, a damaged file, or vocabularies
that do not fit the weights raise ``CheckpointError`` naming the file and the problem. Files are written
atomically (``atomic_save``): a run killed while saving leaves the previous file whole, never half a new one.
"""

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import torch

from book.config import TransformerConfig
from book.model import Transformer
from book.translation.subwords import SubwordVocab, vocab_from_dict
from book.translation.tokenizer import Vocab

FORMAT_VERSION = 1
"""Version of the checkpoint layout written by ``save_checkpoint``."""

DIRECTIONS = ("en-fr", "fr-en")


class CheckpointError(ValueError):
    """A checkpoint file that cannot be used; the message names the file and the reason."""


@dataclass
class Checkpoint:
    """A translator as saved: the model (with its config), vocabularies, direction and provenance.

    ``corpus`` records how to regenerate the training data (e.g. {"generator": {"seed": 0, ...}}
    or {"file": "pairs.tsv", ...}); ``metadata`` holds anything else worth keeping (training time,
    steps, settings, the command that trained it).
    """

    model: Transformer
    src_vocab: Vocab | SubwordVocab
    tgt_vocab: Vocab | SubwordVocab
    direction: str = "en-fr"
    corpus: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)


def save_checkpoint(checkpoint: Checkpoint, path: str | Path) -> None:
    """Write ``checkpoint`` to ``path`` (parent folders are created)."""
    if checkpoint.direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {checkpoint.direction!r}")
    config = checkpoint.model.config
    _check_vocab_sizes(config, checkpoint.src_vocab, checkpoint.tgt_vocab, Path(path))
    data = {
        "format_version": FORMAT_VERSION,
        "config": config.to_dict(),
        "src_vocab": checkpoint.src_vocab.to_dict(),
        "tgt_vocab": checkpoint.tgt_vocab.to_dict(),
        "weights": {name: tensor.detach().cpu() for name, tensor in checkpoint.model.state_dict().items()},
        "direction": checkpoint.direction,
        "corpus": checkpoint.corpus,
        "metadata": checkpoint.metadata,
    }
    atomic_save(data, path)


def atomic_save(data: object, path: str | Path) -> None:
    """``torch.save(data, path)`` in one step: written to a temporary file in the same folder (created if
    needed), which then replaces ``path``, so ``path`` is never half written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            torch.save(data, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_saved(path: Path, what: str) -> object:
    """What ``torch.save`` wrote to ``path``, read as plain data (``weights_only``: no code runs);
    CheckpointError "<path>: not a readable <what>" if the file is damaged or holds anything else."""
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many kinds for a damaged file, some over several lines
        reason = next(iter(str(error).splitlines()), "")
        raise CheckpointError(f"{path}: not a readable {what} ({type(error).__name__}: {reason})") from error


def load_checkpoint(path: str | Path, device: str | torch.device = "cpu") -> Checkpoint:
    """Read a checkpoint written by ``save_checkpoint``; the model comes back in eval mode on ``device``.

    Raises FileNotFoundError for a missing file and CheckpointError for a file that is not a
    checkpoint, has another format version, or whose vocabularies do not match its weights.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint file at {path}")
    data = read_saved(path, "checkpoint")
    if not isinstance(data, dict) or "format_version" not in data:
        raise CheckpointError(f"{path}: not a translator checkpoint (no format_version)")
    if data["format_version"] != FORMAT_VERSION:
        raise CheckpointError(
            f"{path}: checkpoint format version {data['format_version']!r}, "
            f"but this code reads version {FORMAT_VERSION}; retrain with `python -m book.train`"
        )
    try:
        config = TransformerConfig(**data["config"])
        src_vocab = vocab_from_dict(data["src_vocab"])
        tgt_vocab = vocab_from_dict(data["tgt_vocab"])
        direction, corpus, metadata = data["direction"], data["corpus"], data["metadata"]
        weights = data["weights"]
    except (KeyError, TypeError, ValueError) as error:
        raise CheckpointError(f"{path}: damaged checkpoint ({type(error).__name__}: {error})") from error
    _check_vocab_sizes(config, src_vocab, tgt_vocab, path)
    _check_weight_rows(weights, src_vocab, tgt_vocab, path)
    model = Transformer(config)
    try:
        model.load_state_dict(weights)
    except RuntimeError as error:
        raise CheckpointError(f"{path}: weights do not fit the configuration ({error})") from error
    return Checkpoint(model.to(device).eval(), src_vocab, tgt_vocab, direction, corpus, metadata)


def _check_vocab_sizes(
    config: TransformerConfig, src_vocab: Vocab | SubwordVocab, tgt_vocab: Vocab | SubwordVocab, path: Path
) -> None:
    for side, vocab, size in (
        ("source", src_vocab, config.src_vocab),
        ("target", tgt_vocab, config.tgt_vocab),
    ):
        if len(vocab) != size:
            raise CheckpointError(
                f"{path}: the {side} vocabulary has {len(vocab)} tokens but the model expects {size}"
            )


def _check_weight_rows(
    weights: dict, src_vocab: Vocab | SubwordVocab, tgt_vocab: Vocab | SubwordVocab, path: Path
) -> None:
    """The embedding and output matrices have one row per vocabulary token."""
    rows = {
        "src_embed.lookup.weight": ("source", src_vocab),
        "tgt_embed.lookup.weight": ("target", tgt_vocab),
        "generator.proj.weight": ("target", tgt_vocab),
    }
    for name, (side, vocab) in rows.items():
        if name in weights and weights[name].size(0) != len(vocab):
            raise CheckpointError(
                f"{path}: the {side} vocabulary has {len(vocab)} tokens but the weights "
                f"{name} have {weights[name].size(0)} rows"
            )
