"""`python -m book.translation` end to end: seconds of training on a small file, then a usable checkpoint."""

import json
import subprocess
import sys

from book.corpus.splits import generate_corpus
from book.translation.checkpoint import load_checkpoint
from book.translation.pairs import write_tsv
from book.translation.translator import Translator


def test_cli_trains_saves_and_reports(tmp_path) -> None:
    corpus_file = tmp_path / "pairs.tsv"
    write_tsv(generate_corpus(200, 0, 2, seed=1).train, corpus_file)
    out = tmp_path / "model" / "fr-en.pt"
    command = [
        sys.executable, "-m", "book.translation", "--size", "tiny", "--corpus", str(corpus_file),
        "--direction", "fr-en", "--minutes", "0.5", "--steps", "15", "--batch-tokens", "512",
        "--device", "cpu", "--seed", "3", "--threads", "1", "--out", str(out), "--quiet",
        "--average-last", "3", "--average-every", "5",
    ]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert "15 steps" in finished.stdout and "exact match" in finished.stdout

    metrics = json.loads((tmp_path / "model" / "fr-en-metrics.json").read_text(encoding="utf-8"))
    assert metrics["steps"] == 15 and metrics["seed"] == 3 and metrics["direction"] == "fr-en"
    assert metrics["settings"]["average_last"] == 3 and metrics["settings"]["average_every"] == 5
    assert metrics["command"].startswith("python -m book.translation --size tiny")
    assert metrics["test"]["sentences"] == 20  # 10% of the file's 200 pairs
    assert 0.0 <= metrics["test"]["bleu"] <= 100.0 and metrics["parameters"] > 1000
    assert metrics["test"]["pronoun_accuracy"] is None  # English targets have no il/elle

    checkpoint = load_checkpoint(out)
    assert checkpoint.direction == "fr-en" and checkpoint.metadata["steps"] == 15
    assert checkpoint.corpus == {"file": str(corpus_file), "test_share": 0.1, "seed": 3}
    assert "voiture" in checkpoint.src_vocab and "car" in checkpoint.tgt_vocab
    assert isinstance(Translator.from_checkpoint(checkpoint).translate("la voiture rouge"), str)


def test_cli_rejects_an_unknown_size(tmp_path) -> None:
    command = [sys.executable, "-m", "book.translation", "--size", "huge", "--out", str(tmp_path / "x.pt")]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 2 and "invalid choice: 'huge'" in finished.stderr
