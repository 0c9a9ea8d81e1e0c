"""Train a translator from the command line, then save it with its test scores (chapter 9 explains training).

    python -m book.train --minutes 2 --out runs/translator.pt

Trains on the generated corpus (``book.corpus``) or on ``--corpus pairs.tsv``, a tab-separated parallel
file, then writes the checkpoint to ``--out`` and, next to it, ``<name>-metrics.json``: exact match, BLEU,
chrF and il/elle accuracy on the held-out test split, training seconds, steps, parameters and the command.
The command sits above both the translation pipeline and the corpus: the pipeline never imports the corpus.

Every switch of the recipe is an option: the limits (``--steps``, ``--minutes``), the schedule
(``--warmup``, ``--factor``, ``--constant-rate``), ``--label-smoothing``, checkpoint averaging
(``--average-last``), and the model's ``--dropout``, ``--heads``, ``--norm`` and ``--positions``.
``torchrun --nproc_per_node=N -m book.train ...`` trains on N processes (``book.translation.distributed``);
``--checkpoint-every K`` saves the run's state to ``<name>-resume.pt`` every K steps and ``--resume
<name>-resume.pt`` continues it. Bad input (a missing file, a malformed line, a nonsense number, a damaged
state) ends with one line naming it and exit status 2.
"""

import argparse
import json
import random
import shlex
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import NoReturn

import torch

from book.config import CONFIGS, POSITIONS, TransformerConfig, get_config
from book.corpus.coreference import adjective_side
from book.corpus.splits import generate_corpus
from book.model import parameter_count
from book.translation.checkpoint import DIRECTIONS, save_checkpoint
from book.translation.distributed import launched_by_torchrun, place, start, stop
from book.translation.evaluation import evaluate
from book.translation.pairs import BadLineError, Corpus, read_tsv
from book.translation.resume import TrainingState, load_state, resume_path
from book.translation.training import TOKENIZERS, TrainingSettings, train_translator

PROG = "python -m book.train"

NORMS = {"post": False, "pre": True}
"""``--norm``: where layer norm sits, as ``TransformerConfig.norm_first``: after each sublayer's residual
sum (the paper's post-norm) or before the sublayer (pre-norm)."""

TSV_TEST_SHARE = 0.1
"""Share of a ``--corpus`` file's pairs held out for testing (chosen at random with the seed), at most
``--test-pairs`` of them."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, "<prog>: error: <what>", and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def positive_int(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text}")
    return value


def whole_number(text: str) -> int:
    """An argparse type: an integer of at least 0."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 0, got {text}")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a finite number above 0."""
    value = float(text)
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number above 0, got {text}")
    return value


def probability(text: str) -> float:
    """An argparse type: a number from 0 up to (not including) 1."""
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, got {text}")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command-line options; see ``python -m book.train --help``."""
    defaults = TrainingSettings()
    parser = OneLineParser(prog=PROG, description=__doc__.splitlines()[0])
    data = parser.add_argument_group("data")
    data.add_argument("--corpus", type=Path, help="tab-separated pairs (default: the generated corpus)")
    data.add_argument("--skip-bad-lines", action="store_true", help="skip and count malformed lines")
    data.add_argument("--pairs", type=positive_int, default=20000, help="training pairs to generate")
    data.add_argument(
        "--test-pairs", type=positive_int, default=1000, help="test pairs (at most, from a file)"
    )
    data.add_argument("--direction", default="en-fr", choices=DIRECTIONS)
    data.add_argument("--tokenizer", default=defaults.tokenizer, choices=TOKENIZERS, help="words or subwords")
    data.add_argument("--vocab-size", type=positive_int, default=defaults.vocab_size, help="most subwords")

    model = parser.add_argument_group("model (default: as the size)")
    model.add_argument("--size", default="translator-small", choices=sorted(CONFIGS), help="book.config")
    model.add_argument("--dropout", type=probability, help="dropout after every sublayer and the embeddings")
    model.add_argument("--heads", type=positive_int, help="attention heads (d_model stays the same)")
    model.add_argument(
        "--norm", choices=sorted(NORMS), help="layer norm after (post) or before (pre) a sublayer"
    )
    model.add_argument("--positions", choices=POSITIONS, help="sinusoidal, learned or no positions")
    model.add_argument(
        "--share-embeddings",
        action=argparse.BooleanOptionalAction,
        help="one joint vocabulary, tied embeddings",
    )

    recipe = parser.add_argument_group("training recipe")
    recipe.add_argument("--steps", type=positive_int, help="stop after this many steps")
    recipe.add_argument("--minutes", type=positive_float, default=2.0, help="training time budget")
    recipe.add_argument("--batch-tokens", type=positive_int, default=defaults.batch_tokens)
    recipe.add_argument("--factor", type=positive_float, default=defaults.factor, help="learning-rate factor")
    recipe.add_argument(
        "--warmup", type=whole_number, default=defaults.warmup, help="warm-up steps (0: none)"
    )
    recipe.add_argument(
        "--constant-rate", type=positive_float, help="one learning rate instead of the schedule"
    )
    recipe.add_argument("--label-smoothing", type=probability, default=defaults.label_smoothing)
    recipe.add_argument(
        "--average-last", type=positive_int, default=defaults.average_last, help="1: keep the last weights"
    )
    recipe.add_argument(
        "--average-every", type=positive_int, default=defaults.average_every, help="steps between checkpoints"
    )

    run = parser.add_argument_group("the run")
    run.add_argument("--seed", type=int, default=0, help="seeds the corpus, the weights and the batches")
    run.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    run.add_argument("--threads", type=positive_int, help="CPU threads (default: PyTorch's choice)")
    run.add_argument(
        "--mixed-precision", action=argparse.BooleanOptionalAction, help="bf16 (default: on a GPU with bf16)"
    )
    run.add_argument("--out", type=Path, default=Path("translator.pt"), help="checkpoint path")
    run.add_argument(
        "--checkpoint-every", type=positive_int, help="save the state to <out>-resume.pt every K steps"
    )
    run.add_argument("--resume", type=Path, help="continue the run saved in this state file")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def model_config(args: argparse.Namespace) -> TransformerConfig:
    """The size asked for, with the model's options that were given."""
    overrides = {
        "dropout": args.dropout,
        "heads": args.heads,
        "norm_first": None if args.norm is None else NORMS[args.norm],
        "positions": args.positions,
        "share_embeddings": args.share_embeddings,
    }
    return get_config(args.size, **{name: value for name, value in overrides.items() if value is not None})


def training_settings(args: argparse.Namespace, state: TrainingState | None) -> TrainingSettings:
    """The recipe's options as ``TrainingSettings``; a resumed run goes on saving its state as it did."""
    checkpoint_every = args.checkpoint_every
    if checkpoint_every is None and state is not None:
        checkpoint_every = state.settings["checkpoint_every"]
    return TrainingSettings(
        batch_tokens=args.batch_tokens,
        factor=args.factor,
        warmup=args.warmup,
        constant_rate=args.constant_rate,
        label_smoothing=args.label_smoothing,
        max_steps=args.steps,
        minutes=args.minutes,
        average_last=args.average_last,
        average_every=args.average_every,
        tokenizer=args.tokenizer,
        vocab_size=args.vocab_size,
        checkpoint_every=checkpoint_every,
        mixed_precision=args.mixed_precision,
    )


def load_corpus(args: argparse.Namespace) -> tuple[Corpus, dict, Callable[[str], str | None] | None]:
    """The corpus to train on (in ``args.direction``), a record of how to make it again, and for the
    generated corpus the coreference side of a source sentence (``evaluate`` splits il/elle by it)."""
    side = None
    if args.corpus is None:
        recipe = {"n_train": args.pairs, "n_dev": 0, "n_test": args.test_pairs, "seed": args.seed}
        corpus, record = generate_corpus(**recipe), {"generator": recipe}
        side = adjective_side if args.direction == "en-fr" else None
    else:
        if not args.corpus.is_file():
            raise ValueError(f"{args.corpus}: no such corpus file")
        read = read_tsv(args.corpus, skip_bad_lines=args.skip_bad_lines)
        if read.skipped and place().is_main:
            print(read.report(args.corpus), file=sys.stderr)
        pairs = read.pairs
        if len(pairs) < 2:
            raise ValueError(f"{args.corpus}: need at least 2 pairs, found {len(pairs)}")
        random.Random(args.seed).shuffle(pairs)
        n_test = max(1, min(args.test_pairs, round(TSV_TEST_SHARE * len(pairs))))
        corpus = Corpus(train=pairs[n_test:], dev=[], test=pairs[:n_test])
        record = {"file": str(args.corpus), "test_share": TSV_TEST_SHARE, "seed": args.seed}
        if read.skipped:
            record["skipped_lines"] = len(read.skipped)
    return (corpus.reversed() if args.direction == "fr-en" else corpus), record, side


def metrics_path(out: Path) -> Path:
    """Where the metrics of checkpoint ``out`` go: ``translator.pt`` -> ``translator-metrics.json``."""
    return out.with_name(out.stem + "-metrics.json")


def main(argv: list[str] | None = None) -> dict:
    """Train, evaluate on the test split, save checkpoint and metrics; returns the metrics.

    Under torchrun every process trains; rank 0 alone evaluates and writes, and the others return {}.
    Bad input ends the program with one line on stderr and exit status 2.
    """
    args = parse_args(argv)
    finished = False
    try:
        metrics = train_and_save(args, argv)
        finished = True
        return metrics
    except (OSError, ValueError) as error:  # what the input can get wrong; CheckpointError is a ValueError
        hint = " (--skip-bad-lines skips and counts such lines)" if isinstance(error, BadLineError) else ""
        print(f"{PROG}: error: {error}{hint}", file=sys.stderr)
        raise SystemExit(2) from None
    finally:
        stop(finished)


def train_and_save(args: argparse.Namespace, argv: list[str] | None) -> dict:
    """``main`` without its handling of bad input."""
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    state = load_state(args.resume) if args.resume is not None else None
    device = start(args.device) if launched_by_torchrun() else args.device
    config, settings = model_config(args), training_settings(args, state)
    corpus, corpus_record, side = load_corpus(args)
    result = train_translator(
        corpus, config, settings, args.seed, device, not args.quiet, resume_path(args.out), state
    )
    if not place().is_main:
        return {}
    translator = result.translator(args.direction, corpus_record)
    scores = evaluate(translator, corpus.test, side)
    command = shlex.join(["python", "-m", "book.train", *(sys.argv[1:] if argv is None else argv)])
    metrics = {
        "command": command,
        "seed": args.seed,
        "direction": args.direction,
        "corpus": corpus_record,
        "config": result.model.config.to_dict(),
        "settings": asdict(settings),
        "parameters": parameter_count(result.model),
        "training_seconds": round(result.seconds, 1),
        "tokens_per_second": round(result.tokens_per_second),
        "steps": result.steps,
        "epochs": result.epochs,
        "final_loss": result.history[-1],
        "device": str(next(result.model.parameters()).device),
        "processes": place().world_size,
        "threads": torch.get_num_threads(),
        "test": scores.summary(),
        "test_beam4": evaluate(translator.with_beam(4), corpus.test, side).summary(),
    }
    save_checkpoint(translator.to_checkpoint(metrics), args.out)
    metrics_path(args.out).write_text(
        json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    test = metrics["test"]
    pronouns = "n/a" if test["pronoun_accuracy"] is None else f"{test['pronoun_accuracy']:.1%}"
    print(
        f"{result.steps} steps in {result.seconds:.0f} s; test: exact match {test['exact_match']:.1%}, "
        f"BLEU {test['bleu']:.1f}, chrF {test['chrf']:.1f}, il/elle {pronouns}; saved {args.out}"
    )
    return metrics


if __name__ == "__main__":
    main()
