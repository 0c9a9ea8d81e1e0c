"""Resuming: a run killed mid-training and resumed ends with the weights of a run never stopped."""

import os
import signal
import subprocess
import sys
import time

import pytest
import torch

from book.config import get_config
from book.corpus.splits import generate_corpus
from book.translation.checkpoint import atomic_save, load_checkpoint
from book.translation.pairs import write_tsv
from book.translation.resume import load_state
from book.translation.training import TrainingSettings, train_translator

TINY = get_config("tiny", dropout=0.1)  # dropout, so that the random states matter


class Unsaveable:
    """An object whose pickling fails, after the file has been opened."""

    def __reduce__(self) -> tuple:
        raise RuntimeError("cannot be saved")


def largest_difference(first: torch.nn.Module, second: torch.nn.Module) -> float:
    return max(
        (a - b).abs().max().item() for a, b in zip(first.parameters(), second.parameters(), strict=True)
    )


def test_a_resumed_run_computes_the_same_weights(tmp_path) -> None:
    pairs = generate_corpus(300, 0, 2, seed=5).train
    state_path = tmp_path / "state.pt"

    def run(max_steps: int, resume=None):
        settings = TrainingSettings(
            batch_tokens=512, max_steps=max_steps, average_last=3, average_every=4, checkpoint_every=7
        )
        return train_translator(pairs, TINY, settings, 1, "cpu", False, state_path, resume)

    whole = run(
        30
    )  # about 2.5 epochs: the state of step 28 is mid-epoch, with checkpoints kept for averaging
    state = load_state(state_path)
    assert state.steps == 28 and state.position > 0 and len(state.averaged) == 3
    resumed = run(30, state)
    assert resumed.history == whole.history and resumed.epochs == whole.epochs
    assert resumed.tokens == whole.tokens > 0
    assert largest_difference(resumed.model, whole.model) == 0.0


def test_a_resumed_run_refuses_other_settings_or_data(tmp_path) -> None:
    pairs = generate_corpus(100, 0, 2, seed=5).train
    settings = TrainingSettings(batch_tokens=512, max_steps=4, checkpoint_every=2)
    train_translator(pairs, TINY, settings, 1, "cpu", False, tmp_path / "s.pt")
    state = load_state(tmp_path / "s.pt")
    with pytest.raises(ValueError, match="--seed 1, not 2"):
        train_translator(pairs, TINY, settings, 2, "cpu", False, tmp_path / "s.pt", state)
    with pytest.raises(ValueError, match="other pairs"):
        train_translator(pairs[1:], TINY, settings, 1, "cpu", False, tmp_path / "s.pt", state)
    with pytest.raises(ValueError, match="warmup=250"):
        other = TrainingSettings(batch_tokens=512, max_steps=4, checkpoint_every=2, warmup=10)
        train_translator(pairs, TINY, other, 1, "cpu", False, tmp_path / "s.pt", state)


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path) -> None:
    path = tmp_path / "state.pt"
    atomic_save({"step": 1}, path)
    with pytest.raises(RuntimeError, match="cannot be saved"):  # the write fails half way
        atomic_save({"step": 2, "bad": Unsaveable()}, path)
    assert torch.load(path, weights_only=True) == {"step": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["state.pt"]  # no temporary file left behind


def test_a_run_killed_mid_training_resumes_to_the_uninterrupted_weights(tmp_path) -> None:
    corpus_file = tmp_path / "pairs.tsv"
    write_tsv(generate_corpus(300, 0, 2, seed=1).train, corpus_file)
    common = [
        sys.executable, "-m", "book.train", "--size", "tiny", "--corpus", str(corpus_file),
        "--steps", "120", "--batch-tokens", "512", "--device", "cpu", "--seed", "3", "--threads", "1",
        "--dropout", "0.1", "--average-last", "3", "--average-every", "20", "--quiet",
    ]  # fmt: skip
    killed_out, state_path = tmp_path / "killed.pt", tmp_path / "killed-resume.pt"
    run = subprocess.Popen([*common, "--out", str(killed_out), "--checkpoint-every", "10"])
    deadline = time.monotonic() + 120
    while not (state_path.exists() and load_state(state_path).steps >= 20):
        assert run.poll() is None and time.monotonic() < deadline, "the run ended before it could be killed"
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)
    assert run.wait(timeout=30) == -signal.SIGKILL
    assert not killed_out.exists()
    stopped_at = load_state(state_path).steps
    assert 20 <= stopped_at < 120

    resumed = subprocess.run([*common, "--out", str(killed_out), "--resume", str(state_path)], timeout=300)
    whole_out = tmp_path / "whole.pt"
    whole = subprocess.run([*common, "--out", str(whole_out)], timeout=300)
    assert resumed.returncode == 0 and whole.returncode == 0
    first, second = load_checkpoint(killed_out).model, load_checkpoint(whole_out).model
    difference = largest_difference(first, second)
    print(f"killed at step {stopped_at} of 120; largest weight difference after resuming: {difference}")
    assert difference == 0.0
