"""Training speed of the book's Transformer against torch.nn.Transformer of the same size, in one run.

Both models get the same embeddings, positional encoding and generator; only the encoder-decoder
stack differs. Prints tokens per second for each, their ratio, and the peak memory that training
adds (measured for each model in a process of its own, as growth of the resident set size).

    python benchmarks/bench_model.py [--d-model 128 --layers 2 --heads 4 --steps 30]
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

import torch
from torch import nn

from book.config import get_config
from book.model import Transformer
from book.reference import TorchTransformer


def batch(vocab: int, batch_size: int, length: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Random token ids with some padding at the end of half the rows."""
    generator = torch.Generator().manual_seed(seed)
    src = torch.randint(4, vocab, (batch_size, length), generator=generator)
    tgt = torch.randint(4, vocab, (batch_size, length + 1), generator=generator)
    src[::2, -3:] = 0
    tgt[::2, -3:] = 0
    return src, tgt


def tokens_per_second(model: nn.Module, data: list, steps: int) -> float:
    """Time ``steps`` training steps (forward, loss, backward, Adam) after two warm-up steps."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    model.train()

    def step(src: torch.Tensor, tgt: torch.Tensor) -> None:
        log_probs = model(src, tgt[:, :-1])
        loss = nn.functional.nll_loss(log_probs.flatten(0, 1), tgt[:, 1:].flatten(), ignore_index=0)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    for src, tgt in data[:2]:
        step(src, tgt)
    tokens = 0
    start = time.perf_counter()
    for i in range(steps):
        src, tgt = data[i % len(data)]
        step(src, tgt)
        tokens += int((src != 0).sum() + (tgt[:, 1:] != 0).sum())
    return tokens / (time.perf_counter() - start)


def build(args: argparse.Namespace) -> tuple[nn.Module, nn.Module, list]:
    """The book's model, PyTorch's stack with the same sizes, and a fixed set of batches."""
    torch.manual_seed(0)
    vocab = 1000
    config = get_config(
        "small", d_model=args.d_model, heads=args.heads, d_ff=4 * args.d_model, layers=args.layers
    ).with_vocab(vocab, vocab)
    data = [batch(vocab, args.batch, args.length, seed) for seed in range(8)]
    return Transformer(config), TorchTransformer(Transformer(config)), data


def peak_training_memory(args: argparse.Namespace, which: str) -> float:
    """MiB by which a few training steps of one model raise this process's resident set at its peak."""
    book_model, reference, data = build(args)
    model = book_model if which == "book" else reference
    Path("/proc/self/clear_refs").write_text("5")  # Linux: reset the peak (VmHWM) to the current size
    before = resident_kib("VmRSS")
    tokens_per_second(model, data, steps=3)
    return (resident_kib("VmHWM") - before) / 1024


def resident_kib(field: str) -> int:
    """A size in KiB from /proc/self/status: VmRSS (now) or VmHWM (peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status (this benchmark measures memory on Linux)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--d-model", type=int, default=128)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--length", type=int, default=16)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-of", choices=["book", "torch"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_of:
        print(peak_training_memory(args, args.memory_of))
        return

    book_model, reference, data = build(args)
    print(
        f"d_model {args.d_model}, {args.layers}+{args.layers} layers, {args.heads} heads, "
        f"batch {args.batch} x {args.length}, {torch.get_num_threads()} threads"
    )
    # Alternate the two so that a change in machine load hits both alike; keep each one's best round.
    best = {"book": 0.0, "torch": 0.0}
    for _ in range(args.rounds):
        best["book"] = max(best["book"], tokens_per_second(book_model, data, args.steps))
        best["torch"] = max(best["torch"], tokens_per_second(reference, data, args.steps))
    for name in best:
        child = [sys.executable, __file__, *sys.argv[1:], "--memory-of", name]
        memory = float(subprocess.run(child, capture_output=True, text=True, check=True).stdout)
        label = "book" if name == "book" else "torch.nn.Transformer"
        print(f"{label:>22}: {best[name]:10.0f} tokens/s, training adds {memory:6.1f} MiB at peak")
    print(f"ratio book / torch: {best['book'] / best['torch']:.2f} (goal: at least 1.0)")


if __name__ == "__main__":
    main()
