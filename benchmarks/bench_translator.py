"""The translator's goals, measured in one run: quality after a time budget, and decoding speed.

1. Trains the recipe from scratch once per seed in ``--seeds`` (the shipped model's settings: at most
   ``--steps`` steps within ``--minutes``, the last checkpoints averaged) on the generated corpus, and
   prints each seed's held-out exact match, BLEU and il/elle accuracy, steps and seconds, then their
   min / median / max (goals, for every seed: ``book.translation.evaluation.QUALITY_GOALS`` within 2
   minutes on 2 cores). Run it with ``ATEN_CPU_CAPABILITY=default MKL_CBWR=COMPATIBLE`` set to train as
   another CPU would round.
2. Decodes 128 test sentences, forcing 30 output steps, with the key/value cache and by recomputing
   the whole prefix at every step, in batches of 1, 8, 32 and 128 sentences; prints milliseconds per
   sentence of each and their ratio (goal: cached at least 3x faster). A step's fixed cost (about a
   hundred small PyTorch calls) does not shrink with the cache, so the ratio grows with the batch.
3. Times ``Translator.translate`` on single sentences (goal: median at most 20 ms).
4. Scores the reader set (``book/data/reader-set.tsv``): chrF and BLEU against every reference, and the
   share of sentences whose every word the translator knows, over all of it and by topic; and checks its
   sentences in the corpus's words with ``book.corpus.faithfulness``: how many translations carry every
   noun, adjective and negation and invent none (goal: >= 95%).

    python benchmarks/bench_translator.py [--seeds 0 1 2 3 4 --minutes 2 --steps 2000 --threads 2]
    python benchmarks/bench_translator.py --checkpoint book/data/translator.pt   # decoding only
"""

import argparse
import os
import statistics
import time
from collections import Counter
from pathlib import Path

import torch

from book.config import get_config
from book.corpus.faithfulness import check_reader_sentences
from book.corpus.splits import READER_SET, generate_corpus
from book.model import Transformer
from book.translation.batching import pad
from book.translation.checkpoint import load_checkpoint
from book.translation.decoding import greedy_decode
from book.translation.evaluation import evaluate, meets_goals
from book.translation.pairs import Corpus
from book.translation.reader_set import score_reader_set
from book.translation.training import TrainingSettings, train_translator
from book.translation.translator import Translator

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


LABELS = {
    "exact_match": "exact match",
    "bleu": "BLEU",
    "il_elle": "il/elle",
    "steps": "steps",
    "seconds": "seconds",
}
"""A seed's row (keyed like ``book.translation.evaluation.QUALITY_GOALS``, plus steps and seconds) ->
printed label."""


def train_seeds(corpus: Corpus, args: argparse.Namespace) -> Translator:
    """Train one model per seed, print its scores and the spread over seeds; return the first seed's."""
    config = get_config(args.size)
    settings = TrainingSettings(max_steps=args.steps, minutes=args.minutes)
    rows, first = [], None
    print(f"{'seed':>4}{'exact match':>13}{'BLEU':>8}{'il/elle':>9}{'steps':>7}{'seconds':>9}")
    for seed in args.seeds:
        result = train_translator(corpus, config, settings, seed, "cpu", progress=False)
        scores = evaluate(result.translator(), corpus.test)
        row = {**scores.goal_scores(), "steps": result.steps, "seconds": result.seconds}
        rows.append(row)
        print(f"{seed:>4}{row['exact_match']:>13.2%}{row['bleu']:>8.2f}{row['il_elle']:>9.2%}"
              f"{row['steps']:>7}{row['seconds']:>9.1f}", flush=True)  # fmt: skip
        if first is None:
            first = result.translator()
    for name, label in LABELS.items():
        values = [row[name] for row in rows]
        low, middle, high = min(values), statistics.median(values), max(values)
        print(f"{label:>12}: min {low:.4g}  median {middle:.4g}  max {high:.4g}")
    met = all(meets_goals(row) for row in rows)
    cut = sum(row["steps"] < args.steps for row in rows)
    print(f"every seed meets the quality goals: {met}; seeds the {args.minutes:g}-minute budget stopped "
          f"before step {args.steps}: {cut} of {len(rows)}")  # fmt: skip
    return first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--minutes", type=float, default=2.0, help="time budget per seed")
    parser.add_argument("--steps", type=int, default=2000, help="most steps per seed")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--size", default="translator-small", help="a configuration name from book.config")
    parser.add_argument("--sentences", type=int, default=128, help="sentences to time decoding on")
    parser.add_argument("--checkpoint", default=None, help="skip training, time this checkpoint")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "n/a"
    flags = {name: os.environ.get(name, "unset") for name in ("ATEN_CPU_CAPABILITY", "MKL_CBWR")}
    print(f"threads {torch.get_num_threads()}, load average {load}, {flags}")

    corpus = generate_corpus(20000, 0, 1000, seed=0)  # the book's corpus; the seeds vary the training
    if args.checkpoint:
        translator = Translator.from_checkpoint(load_checkpoint(args.checkpoint))
    else:
        translator = train_seeds(corpus, args)

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
    report_reader_set(translator)
    verdicts = Counter(check.verdict for check in check_reader_sentences(translator))
    print(
        f"reader-style sentences: {verdicts['faithful']} of {verdicts.total()} faithful, "
        f"{verdicts['flagged']} unfaithful with unknown words reported, {verdicts['silent']} silently "
        f"unfaithful (goal: at least 95% faithful)"
    )


def report_reader_set(translator: Translator) -> None:
    """Print the translator's chrF, BLEU and known-word share on the reader set, in all and by topic."""
    print(f"{'reader set':<18}{'sentences':>10}{'all words known':>17}{'chrF':>7}{'BLEU':>7}")
    groups = {"all": list(READER_SET)}
    for sentence in READER_SET:
        groups.setdefault(sentence.topic, []).append(sentence)
    for topic, sentences in groups.items():
        scores = score_reader_set(translator, sentences)
        print(f"{topic:<18}{len(sentences):>10}{scores.known:>17.0%}{scores.chrf:>7.1f}{scores.bleu:>7.1f}")


if __name__ == "__main__":
    main()
