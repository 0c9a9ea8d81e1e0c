"""How often each attention-head finding of chapters 5 and 9 appears, over many training runs.

Trains the chapter-9 recipe once per seed (the book's corpus, ``translator-small``, a fixed number of
steps, the last checkpoints averaged), scores each model on the test split and measures its heads with
``book.chapters.heads.findings``; the shipped translator is measured too. Writes everything, with the command,
the seeds and the versions that made it, to ``book/data/head-study.json``, which the chapters read.

    python benchmarks/study_heads.py [--seeds 0 1 2 3 4 5 6 7 --steps 2000 --threads 2]
"""

import argparse
import json
import platform
import shlex
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from book.chapters.heads import STUDY_PATH, coref_pairs, findings, study_counts
from book.config import get_config
from book.corpus.splits import generate_corpus
from book.translation.evaluation import evaluate
from book.translation.training import TrainingSettings, train_translator
from book.translation.translator import Translator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(range(8)))
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=STUDY_PATH)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    corpus = generate_corpus(20000, 0, 1000, seed=0)  # the corpus of chapter 9 and the shipped model
    pairs = coref_pairs(corpus.test)
    config, settings = get_config("translator-small"), TrainingSettings(max_steps=args.steps)
    runs = []
    for seed in args.seeds:
        start = time.perf_counter()
        result = train_translator(corpus, config, settings, seed, "cpu", progress=False)
        translator = result.translator()
        scores = evaluate(translator, corpus.test)
        run = {
            "seed": seed,
            "steps": result.steps,
            "seconds": round(time.perf_counter() - start, 1),
            **scores.goal_scores(),
            **findings(translator, pairs),
        }
        runs.append(run)
        print(json.dumps(run), flush=True)

    study = {
        "command": shlex.join(["python", "benchmarks/study_heads.py", *sys.argv[1:]]),
        "seeds": args.seeds,
        "versions": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "numpy": np.__version__,
            "machine": platform.machine(),
            "cpu_capability": torch.backends.cpu.get_cpu_capability(),
            "threads": torch.get_num_threads(),
        },
        "config": config.to_dict(),
        "settings": asdict(settings),
        "coreference_sentences": len(pairs),
        "runs": runs,
        "shipped": findings(Translator.pretrained(), pairs),
    }
    study["counts"] = study_counts(study)
    args.out.write_text(json.dumps(study, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(study["counts"], indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
