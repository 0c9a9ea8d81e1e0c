"""DistributedDataParallel: a step on N processes equals one on the whole batch; torchrun runs the trainer."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
import torch.multiprocessing as mp

from book.corpus.splits import generate_corpus
from book.translation.distributed import Place, shard, share_of_loss, start, stop
from book.translation.gradient_check import free_port, gradient_difference
from book.translation.pairs import write_tsv
from book.translation.translator import Translator


def test_every_process_reads_its_own_batches_in_the_same_global_order() -> None:
    batches = list(range(11))
    for world_size in (1, 2, 3, 4):
        shares = [shard(batches, Place(rank, world_size)) for rank in range(world_size)]
        assert len({len(share) for share in shares}) == 1  # the same number of steps everywhere
        steps = [share[step] for step in range(len(shares[0])) for share in shares]
        usable = len(batches) - len(batches) % world_size
        assert steps == batches[:usable]  # disjoint, and step k reads global batches k*N ... k*N + N - 1


def test_one_process_takes_the_mean_over_its_tokens() -> None:
    summed = torch.tensor(12.0)
    assert share_of_loss(summed, 4).item() == 3.0


def test_a_ddp_step_on_two_halves_gives_the_gradients_of_the_whole_batch() -> None:
    difference = gradient_difference(processes=2)
    print(f"largest gradient difference, 2 processes vs 1: {difference:.1e}")
    assert difference < 1e-6


def _leave_after(rank: int, port: int, folder: str, work_seconds: float) -> None:
    """One of 2 processes: join, work ``work_seconds`` (rank 0 only, as when it evaluates), leave."""
    start("cpu", f"tcp://127.0.0.1:{port}", rank, 2)
    if rank == 0:
        time.sleep(work_seconds)
    began = time.perf_counter()
    stop()
    (Path(folder) / f"{rank}.txt").write_text(str(time.perf_counter() - began))


def test_processes_that_finished_leave_the_group_together(tmp_path) -> None:
    mp.spawn(_leave_after, args=(free_port(), str(tmp_path), 2.0), nprocs=2)
    waited = float((tmp_path / "1.txt").read_text())
    assert waited > 1.0  # rank 1 waited for rank 0 rather than tearing the group down under it


# a model trained for a few steps need not end its sentence
@pytest.mark.filterwarnings("ignore::book.translation.translator.UnfinishedTranslationWarning")
def test_torchrun_trains_and_rank_0_alone_writes_a_checkpoint_a_translator_loads(tmp_path) -> None:
    corpus_file = tmp_path / "pairs.tsv"
    write_tsv(generate_corpus(200, 0, 2, seed=1).train, corpus_file)
    out = tmp_path / "run" / "ddp.pt"
    command = [
        sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
        "-m", "book.train", "--size", "tiny", "--corpus", str(corpus_file), "--steps", "6",
        "--batch-tokens", "512", "--device", "cpu", "--threads", "1", "--out", str(out), "--quiet",
        "--checkpoint-every", "3",
    ]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.count("6 steps in") == 1  # one report, from rank 0
    assert sorted(path.name for path in out.parent.iterdir()) == [
        "ddp-metrics.json",
        "ddp-resume.pt",
        "ddp.pt",
    ]
    metrics = json.loads((out.parent / "ddp-metrics.json").read_text(encoding="utf-8"))
    assert metrics["processes"] == 2 and metrics["steps"] == 6
    translator = Translator.load(out)
    assert isinstance(translator.translate("the red car"), str)
