"""The translator's goals, measured in one run: quality after a time budget, and decoding speed.

1. Trains from scratch for ``--minutes`` on the generated corpus (the shipped model's settings) and
   prints held-out exact match, BLEU and il/elle accuracy (goals: >= 98%, >= 99, >= 99% in 2 minutes).
2. Decodes 128 test sentences, forcing 30 output steps, with the key/value cache and by recomputing
   the whole prefix at every step, in batches of 1, 8, 32 and 128 sentences; prints milliseconds per
   sentence of each and their ratio (goal: cached at least 3x faster). A step's fixed cost (about a
   hundred small PyTorch calls) does not shrink with the cache, so the ratio grows with the batch.
3. Times ``Translator.translate`` on single sentences (goal: median at most 20 ms).

    python benchmarks/bench_translator.py [--minutes 2 --threads 2]
    python benchmarks/bench_translator.py --checkpoint book/data/translator.pt   # decoding only
"""

import argparse
import statistics
import time
from pathlib import Path

import torch

from book.batching import pad
from book.checkpoint import load_checkpoint
from book.config import get_config
from book.corpus import generate_corpus
from book.decoding import greedy_decode
from book.evaluation import evaluate
from book.model import Transformer
from book.training import TrainingSettings, train_translator
from book.translator import Translator

STEPS = 30
BATCH_SIZES = (1, 8, 32, 128)


def decoding_ms(model: Transformer, batches: list[torch.Tensor], use_cache: bool) -> float:
    """Milliseconds to decode every batch (batch, src_len) of ``batches`` for ``STEPS`` steps."""
    start = time.perf_counter()
    for src in batches:
        greedy_decode(model, src, max_len=STEPS, use_cache=use_cache, stop_at_eos=False)
    return 1000 * (time.perf_counter() - start)


def compare_decoding(model: Transformer, sources: list[list[int]], rounds: int = 3) -> None:
    """Print cached against uncached decoding of ``sources`` per batch size, best of ``rounds``."""
    print(f"{STEPS}-step greedy decoding of {len(sources)} test sentences (goal: cached at least 3x faster):")
    print(f"{'batch':>7}{'cached ms/sentence':>21}{'uncached ms/sentence':>23}{'uncached / cached':>20}")
    decoding_ms(model, [pad(sources[:8])], use_cache=True)  # warm up
    for batch_size in BATCH_SIZES:
        batches = [pad(sources[i : i + batch_size]) for i in range(0, len(sources), batch_size)]
        cached, uncached = [], []
        for _ in range(rounds):
            cached.append(decoding_ms(model, batches, use_cache=True))
            uncached.append(decoding_ms(model, batches, use_cache=False))
        per_cached, per_uncached = min(cached) / len(sources), min(uncached) / len(sources)
        print(f"{batch_size:>7}{per_cached:21.2f}{per_uncached:23.2f}{per_uncached / per_cached:20.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", default="translator-small", help="a configuration name from book.config")
    parser.add_argument("--sentences", type=int, default=128, help="sentences to time decoding on")
    parser.add_argument("--checkpoint", default=None, help="skip training, time this checkpoint")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "n/a"
    print(f"threads {torch.get_num_threads()}, load average {load}")

    corpus = generate_corpus(20000, 0, 1000, seed=args.seed)
    if args.checkpoint:
        checkpoint = load_checkpoint(args.checkpoint)
        translator = Translator.from_checkpoint(checkpoint)
    else:
        config = get_config(args.size)
        result = train_translator(
            corpus, config, args.minutes, args.seed, device="cpu", settings=TrainingSettings()
        )
        translator = Translator(result.model, result.src_vocab, result.tgt_vocab)
        print(f"{args.size}: trained {result.steps} steps ({result.epochs} epochs) in {result.seconds:.1f} s")
        for beam_size in (1, 4):
            scores = evaluate(result.model, result.src_vocab, result.tgt_vocab, corpus.test, beam_size)
            print(
                f"held-out test, {'greedy' if beam_size == 1 else 'beam 4'} ({len(scores.pairs)} sentences): "
                f"exact match {scores.exact_match:.2%}, BLEU {scores.bleu:.2f}, "
                f"il/elle {scores.pronouns.accuracy:.2%} over {scores.pronouns.count} "
                f"(goals: exact match >= 98%, BLEU >= 99, il/elle >= 99%)"
            )

    texts = [p.source for p in corpus.test[: args.sentences]]
    compare_decoding(translator.model, [translator.src_vocab.encode(t) for t in texts])
    latencies = []
    for text in texts:
        start = time.perf_counter()
        translator.translate(text)
        latencies.append(1000 * (time.perf_counter() - start))
    print(
        f"Translator.translate, one sentence at a time (stops at <eos>): median "
        f"{statistics.median(latencies):.2f} ms per sentence (goal: at most 20 ms)"
    )


if __name__ == "__main__":
    main()
