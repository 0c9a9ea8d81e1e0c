"""Train a translator from the command line and save it with its test scores (chapter 9 trains the same way).

    python -m book.translation --minutes 2 --out runs/translator.pt

Trains on the generated corpus (or ``--corpus pairs.tsv``, a tab-separated parallel file), then
writes the checkpoint to ``--out`` and, next to it, ``<name>-metrics.json``: exact match, BLEU and
il/elle accuracy on the held-out test split, training seconds, steps, parameters and the command.
"""

import argparse
import json
import random
import shlex
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import torch

from book.config import CONFIGS, get_config
from book.model import parameter_count
from book.translation.checkpoint import DIRECTIONS, save_checkpoint
from book.translation.evaluation import evaluate
from book.translation.pairs import Corpus, load_tsv
from book.translation.training import TrainingSettings, train_translator

TSV_TEST_SHARE = 0.1
"""Share of a ``--corpus`` file's pairs held out for testing (chosen at random with the seed)."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command-line options; see ``python -m book.translation --help``."""
    defaults = TrainingSettings()
    parser = argparse.ArgumentParser(prog="python -m book.translation", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size",
        default="translator-small",
        choices=sorted(CONFIGS),
        help="model size (book.config); the default is the size chapter 9 trains",
    )
    parser.add_argument("--minutes", type=float, default=2.0, help="training time budget")
    parser.add_argument("--steps", type=int, default=None, help="stop after this many steps")
    parser.add_argument("--direction", default="en-fr", choices=DIRECTIONS)
    parser.add_argument("--corpus", type=Path, default=None, help="tab-separated pairs (default: generated)")
    parser.add_argument("--pairs", type=int, default=20000, help="training pairs to generate")
    parser.add_argument("--test-pairs", type=int, default=1000, help="test pairs to generate")
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--seed", type=int, default=0, help="seeds the corpus, the weights and the batches")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (default: PyTorch's choice)")
    parser.add_argument("--dropout", type=float, default=None, help="override the size's dropout")
    parser.add_argument(
        "--share-embeddings",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="one joint vocabulary; source, target and output embeddings tied (default: as the size)",
    )
    parser.add_argument("--batch-tokens", type=int, default=defaults.batch_tokens)
    parser.add_argument("--factor", type=float, default=defaults.factor, help="learning-rate factor")
    parser.add_argument("--warmup", type=int, default=defaults.warmup, help="warm-up steps")
    parser.add_argument(
        "--average-last",
        type=int,
        default=defaults.average_last,
        help="average this many last checkpoints (1: keep the last weights)",
    )
    parser.add_argument(
        "--average-every", type=int, default=defaults.average_every, help="steps between checkpoints"
    )
    parser.add_argument("--out", type=Path, default=Path("translator.pt"), help="checkpoint path")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def load_corpus(args: argparse.Namespace) -> tuple[Corpus, dict, Callable[[str], str | None] | None]:
    """The corpus to train on (in ``args.direction``), a record of how to make it again, and for the
    generated corpus the coreference side of a source sentence (``evaluate`` splits il/elle by it)."""
    side = None
    if args.corpus is None:
        # The generated corpus is imported here, where it is used: the pipeline itself knows no grammar.
        from book.corpus.coreference import adjective_side
        from book.corpus.splits import generate_corpus

        recipe = {"n_train": args.pairs, "n_dev": 0, "n_test": args.test_pairs, "seed": args.seed}
        corpus, record = generate_corpus(**recipe), {"generator": recipe}
        side = adjective_side if args.direction == "en-fr" else None
    else:
        pairs = load_tsv(args.corpus)
        if len(pairs) < 2:
            raise SystemExit(f"{args.corpus}: need at least 2 pairs, found {len(pairs)}")
        random.Random(args.seed).shuffle(pairs)
        n_test = max(1, round(TSV_TEST_SHARE * len(pairs)))
        corpus = Corpus(train=pairs[n_test:], dev=[], test=pairs[:n_test])
        record = {"file": str(args.corpus), "test_share": TSV_TEST_SHARE, "seed": args.seed}
    return (corpus.reversed() if args.direction == "fr-en" else corpus), record, side


def metrics_path(out: Path) -> Path:
    """Where the metrics of checkpoint ``out`` go: ``translator.pt`` -> ``translator-metrics.json``."""
    return out.with_name(out.stem + "-metrics.json")


def main(argv: list[str] | None = None) -> dict:
    """Train, evaluate on the test split, save checkpoint and metrics; returns the metrics."""
    args = parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    overrides = {"dropout": args.dropout, "share_embeddings": args.share_embeddings}
    config = get_config(args.size, **{k: v for k, v in overrides.items() if v is not None})
    settings = TrainingSettings(
        batch_tokens=args.batch_tokens,
        factor=args.factor,
        warmup=args.warmup,
        max_steps=args.steps,
        average_last=args.average_last,
        average_every=args.average_every,
    )
    corpus, corpus_record, side = load_corpus(args)
    result = train_translator(corpus, config, args.minutes, args.seed, args.device, not args.quiet, settings)
    translator = result.translator(args.direction, corpus_record)
    scores = evaluate(translator, corpus.test, side)
    beam_scores = evaluate(translator.with_beam(4), corpus.test, side)
    command = shlex.join(["python", "-m", "book.translation", *(sys.argv[1:] if argv is None else argv)])
    metrics = {
        "command": command,
        "seed": args.seed,
        "direction": args.direction,
        "corpus": corpus_record,
        "config": result.model.config.to_dict(),
        "settings": asdict(settings),
        "parameters": parameter_count(result.model),
        "training_seconds": round(result.seconds, 1),
        "steps": result.steps,
        "epochs": result.epochs,
        "final_loss": result.history[-1],
        "device": str(next(result.model.parameters()).device),
        "threads": torch.get_num_threads(),
        "test": scores.summary(),
        "test_beam4": beam_scores.summary(),
    }
    save_checkpoint(translator.to_checkpoint(metrics), args.out)
    metrics_path(args.out).write_text(
        json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    test = scores.summary()
    pronouns = "n/a" if test["pronoun_accuracy"] is None else f"{test['pronoun_accuracy']:.1%}"
    print(
        f"{result.steps} steps in {result.seconds:.0f} s; test: exact match {test['exact_match']:.1%}, "
        f"BLEU {test['bleu']:.1f}, il/elle {pronouns}; saved {args.out}"
    )
    return metrics
