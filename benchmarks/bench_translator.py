"""The translator's goals, measured in one run: quality after a time budget, and decoding speed.

1. Trains from scratch for ``--minutes`` on the generated corpus (the shipped model's settings) and
   prints held-out exact match, BLEU and il/elle accuracy (goals: >= 98%, >= 99, >= 99% in 2 minutes).
2. Decodes test sentences one at a time, forcing 30 output steps, with the key/value cache and by
   recomputing the whole prefix at every step; prints the median milliseconds per sentence of each
   and their ratio (goals: cached at least 3x faster, at most 20 ms per sentence); then the same for
   all those sentences decoded together as one batch.

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


def median_ms(model: Transformer, sources: list[torch.Tensor], use_cache: bool) -> float:
    """Median milliseconds to decode each of ``sources`` (batch, src_len) for ``STEPS`` steps."""
    times = []
    for src in sources:
        start = time.perf_counter()
        greedy_decode(model, src, max_len=STEPS, use_cache=use_cache, stop_at_eos=False)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", default="translator-small", help="a configuration name from book.config")
    parser.add_argument("--sentences", type=int, default=100, help="sentences to time decoding on")
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

    model = translator.model
    texts = [p.source for p in corpus.test[: args.sentences]]
    sources = [torch.tensor([translator.src_vocab.encode(t)]) for t in texts]
    median_ms(model, sources[:5], use_cache=True)  # warm up
    cached = median_ms(model, sources, use_cache=True)
    uncached = median_ms(model, sources, use_cache=False)
    print(f"{STEPS}-step greedy decoding, one sentence at a time, median over {len(sources)}:")
    print(f"  cached {cached:.2f} ms, uncached {uncached:.2f} ms, cached is {uncached / cached:.2f}x faster")
    batch = pad([source[0].tolist() for source in sources])
    cached_batch = median_ms(model, [batch] * 3, use_cache=True)
    uncached_batch = median_ms(model, [batch] * 3, use_cache=False)
    print(
        f"  all {len(sources)} as one batch: cached {cached_batch:.1f} ms, uncached {uncached_batch:.1f} ms, "
        f"cached is {uncached_batch / cached_batch:.2f}x faster"
    )
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
