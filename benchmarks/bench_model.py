"""Training speed of the book's Transformer against torch.nn.Transformer of the same size, in one run.

Both models get the same embeddings, positional encoding and generator; only the encoder-decoder
stack differs. Prints tokens per second for each, their ratio, and peak memory.

    python benchmarks/bench_model.py [--d-model 128 --layers 2 --heads 4 --steps 30]
"""

import argparse
import resource
import time

import torch
from torch import nn

from book.config import get_config
from book.model import make_model
from book.reference import to_torch, torch_masks


class TorchStack(nn.Module):
    """The book's embeddings and generator around PyTorch's nn.Transformer."""

    def __init__(self, book_model: nn.Module) -> None:
        super().__init__()
        self.book = book_model
        self.stack = to_torch(book_model)

    def forward(self, src: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
        book = self.book
        src_x = book.positional(book.src_embed(src))
        tgt_x = book.positional(book.tgt_embed(tgt))
        hidden = self.stack(src_x, tgt_x, **torch_masks(src, tgt, book.config.pad_id))
        return book.generator(hidden)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--d-model", type=int, default=128)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--length", type=int, default=16)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    torch.manual_seed(0)
    vocab = 1000
    config = get_config(
        "small", d_model=args.d_model, heads=args.heads, d_ff=4 * args.d_model, layers=args.layers
    ).with_vocab(vocab, vocab)
    book_model = make_model(config)
    reference = TorchStack(make_model(config))
    data = [batch(vocab, args.batch, args.length, seed) for seed in range(8)]

    print(
        f"d_model {args.d_model}, {args.layers}+{args.layers} layers, {args.heads} heads, "
        f"batch {args.batch} x {args.length}, {torch.get_num_threads()} threads"
    )
    # Alternate the two so that a change in machine load hits both alike; keep each one's best round.
    best = {"book": 0.0, "torch.nn.Transformer": 0.0}
    for _ in range(args.rounds):
        best["book"] = max(best["book"], tokens_per_second(book_model, data, args.steps))
        best["torch.nn.Transformer"] = max(
            best["torch.nn.Transformer"], tokens_per_second(reference, data, args.steps)
        )
    for name, speed in best.items():
        print(f"{name:>22}: {speed:10.0f} tokens/s")
    print(f"ratio book / torch: {best['book'] / best['torch.nn.Transformer']:.2f}")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
