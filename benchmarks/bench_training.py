"""Training speed in target tokens per second: 1 and 2 CPU processes (DDP, gloo); a 100k-pair subword corpus.

    .venv/bin/python benchmarks/bench_training.py [--steps 30]

Each process trains chapter 9's model size (``translator-small``) with one thread for a fixed number of
steps on pairs of the generated corpus; a process group of 2 starts on this machine's loopback, as torchrun
would start it. The subword case learns an 8,000-piece sentencepiece vocabulary from 100,000 generated
pairs first (its time is printed apart). Two processes on a machine of two cores share them with
everything else, so expect no speed-up here: DDP pays off with a core, or a GPU, per process.
"""

import argparse
import json
import tempfile
import time
from pathlib import Path

import torch
import torch.multiprocessing as mp

from book.config import get_config
from book.corpus.splits import generate_corpus
from book.translation.distributed import start, stop
from book.translation.gradient_check import free_port
from book.translation.training import TrainingSettings, train_translator


def train(rank: int, processes: int, port: int, folder: str, pairs: int, steps: int, tokenizer: str) -> None:
    """One process: train ``steps`` steps on ``pairs`` generated pairs; rank 0 writes its measurements."""
    torch.set_num_threads(1)
    if processes > 1:
        start("cpu", f"tcp://127.0.0.1:{port}", rank, processes)
    try:
        corpus = generate_corpus(pairs, 0, 2, seed=0)
        settings = TrainingSettings(max_steps=steps, tokenizer=tokenizer)
        began = time.perf_counter()
        result = train_translator(corpus, get_config("translator-small"), settings, 0, "cpu", False)
        if rank == 0:
            row = {
                "tokens_per_second": result.tokens_per_second,
                "training_seconds": result.seconds,
                "setup_seconds": time.perf_counter() - began - result.seconds,
                "vocabulary": len(result.src_vocab),
            }
            (Path(folder) / "result.json").write_text(json.dumps(row))
    finally:
        stop()


def measure(processes: int, pairs: int, steps: int, tokenizer: str) -> dict:
    """The measurements of one run of ``processes`` processes."""
    with tempfile.TemporaryDirectory() as folder:
        mp.spawn(train, args=(processes, free_port(), folder, pairs, steps, tokenizer), nprocs=processes)
        return json.loads((Path(folder) / "result.json").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30, help="training steps of each run")
    args = parser.parse_args()
    cases = [
        ("1 process, words, 20k pairs", 1, 20_000, "word"),
        ("2 processes, words, 20k pairs", 2, 20_000, "word"),
        ("1 process, subwords, 100k pairs", 1, 100_000, "subword"),
    ]
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} cores seen, {args.steps} steps, 1 thread each"
    )
    rows = {}
    for name, processes, pairs, tokenizer in cases:
        rows[name] = row = measure(processes, pairs, args.steps, tokenizer)
        print(
            f"{name:34s} {row['tokens_per_second']:8.0f} target tokens/s  "
            f"(vocabulary {row['vocabulary']}, setup {row['setup_seconds']:.1f} s)"
        )
    one, two = (rows[name]["tokens_per_second"] for name, *_ in cases[:2])
    print(f"2 processes / 1 process: {two / one:.2f}x")


if __name__ == "__main__":
    main()
