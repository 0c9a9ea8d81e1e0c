"""`python -m book.train` end to end: seconds of training on a small file, then a usable checkpoint."""

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from book.config import get_config
from book.corpus.splits import generate_corpus
from book.train import main, model_config, parse_args, training_settings
from book.translation.checkpoint import load_checkpoint
from book.translation.pairs import write_tsv
from book.translation.subwords import SubwordVocab
from book.translation.training import TrainingSettings
from book.translation.translator import Translator


# a model trained for a few steps need not end its sentence
@pytest.mark.filterwarnings("ignore::book.translation.translator.UnfinishedTranslationWarning")
def test_cli_trains_saves_and_reports(tmp_path) -> None:
    corpus_file = tmp_path / "pairs.tsv"
    write_tsv(generate_corpus(200, 0, 2, seed=1).train, corpus_file)
    out = tmp_path / "model" / "fr-en.pt"
    command = [
        sys.executable, "-m", "book.train", "--size", "tiny", "--corpus", str(corpus_file),
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
    assert metrics["command"].startswith("python -m book.train --size tiny")
    assert metrics["test"]["sentences"] == 20  # 10% of the file's 200 pairs
    assert 0.0 <= metrics["test"]["bleu"] <= 100.0 and metrics["parameters"] > 1000
    assert metrics["test"]["pronoun_accuracy"] is None  # English targets have no il/elle

    checkpoint = load_checkpoint(out)
    assert checkpoint.direction == "fr-en" and checkpoint.metadata["steps"] == 15
    assert checkpoint.corpus == {"file": str(corpus_file), "test_share": 0.1, "seed": 3}
    assert "voiture" in checkpoint.src_vocab and "car" in checkpoint.tgt_vocab
    assert isinstance(Translator.from_checkpoint(checkpoint).translate("la voiture rouge"), str)


def test_cli_rejects_an_unknown_size(tmp_path) -> None:
    command = [sys.executable, "-m", "book.train", "--size", "huge", "--out", str(tmp_path / "x.pt")]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 2 and "invalid choice: 'huge'" in finished.stderr
    assert finished.stderr.count("\n") == 1


def test_a_missing_corpus_is_one_line_and_exit_status_2(tmp_path) -> None:
    command = [sys.executable, "-m", "book.train", "--corpus", str(tmp_path / "nope.tsv")]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 2 and "Traceback" not in finished.stderr
    assert (
        finished.stderr.strip()
        == f"python -m book.train: error: {tmp_path / 'nope.tsv'}: no such corpus file"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--steps", "-3"], "argument --steps: must be a positive whole number, got -3"),
        (["--minutes", "0"], "argument --minutes: must be a number above 0, got 0"),
        (["--batch-tokens", "many"], "argument --batch-tokens: invalid positive_int value: 'many'"),
        (["--dropout", "1.5"], "argument --dropout: must be at least 0 and below 1, got 1.5"),
        (["--checkpoint-every", "0"], "argument --checkpoint-every: must be a positive whole number, got 0"),
        (["--corpus", "{bad}"], "bad.tsv, line 2: expected at least 2 tab-separated columns, found 1 "
         "(--skip-bad-lines skips and counts such lines)"),
        (["--corpus", "{bad}", "--resume", "{bad}"], "bad.tsv: not a readable training state"),
        (["--corpus", "{good}", "--batch-tokens", "2"], "max_tokens (2) is smaller than the longest example"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_naming_it_and_exit_status_2(tmp_path, capsys, arguments, message) -> None:
    (tmp_path / "bad.tsv").write_text("the cat\tle chat\nno tab here\n", encoding="utf-8")
    (tmp_path / "good.tsv").write_text("the cat\tle chat\nthe dog\tle chien\n", encoding="utf-8")
    files = {"{bad}": str(tmp_path / "bad.tsv"), "{good}": str(tmp_path / "good.tsv")}
    arguments = [files.get(argument, argument) for argument in arguments]
    with pytest.raises(SystemExit) as exit_:
        main([*arguments, "--size", "tiny", "--out", str(tmp_path / "x.pt"), "--quiet"])
    error = capsys.readouterr().err
    assert exit_.value.code == 2 and error.count("\n") == 1 and "Traceback" not in error
    assert error.startswith("python -m book.train: error: ") and message in error
    assert not (tmp_path / "x.pt").exists()


def test_skipped_lines_are_counted_and_named_and_subword_training_scores_chrf(tmp_path, capsys) -> None:
    pairs = generate_corpus(60, 0, 2, seed=1).train
    write_tsv(pairs, tmp_path / "pairs.tsv")
    lines = (tmp_path / "pairs.tsv").read_text(encoding="utf-8").splitlines()
    lines[4:4] = ["no tab here", "only\t"]  # lines 5 and 6
    (tmp_path / "pairs.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "subword.pt"
    metrics = main([
        "--size", "tiny", "--corpus", str(tmp_path / "pairs.tsv"), "--skip-bad-lines",
        "--tokenizer", "subword", "--vocab-size", "150", "--steps", "3", "--batch-tokens", "512",
        "--device", "cpu", "--out", str(out), "--quiet",
    ])  # fmt: skip
    error = capsys.readouterr().err
    assert (
        "pairs.tsv: skipped 2 malformed line(s) of 62 (line 5: expected at least 2 tab-separated columns"
        in error
    )
    assert "line 6: empty target sentence" in error
    assert metrics["corpus"]["skipped_lines"] == 2 and metrics["settings"]["tokenizer"] == "subword"
    assert 0.0 <= metrics["test"]["chrf"] <= 100.0
    assert isinstance(Translator.load(out).src_vocab, SubwordVocab)


def test_every_switch_of_the_recipe_is_an_option() -> None:
    defaults = parse_args([])
    config, settings = model_config(defaults), training_settings(defaults, None)
    assert config == get_config("translator-small") and settings == TrainingSettings(minutes=2.0)
    args = parse_args([
        "--heads", "1", "--norm", "pre", "--positions", "learned", "--dropout", "0.1", "--warmup", "0",
        "--constant-rate", "0.001", "--label-smoothing", "0", "--average-last", "1", "--steps", "500",
        "--minutes", "9",
    ])  # fmt: skip
    switched = {"heads": 1, "norm_first": True, "positions": "learned", "dropout": 0.1}
    assert model_config(args) == replace(config, **switched)
    assert training_settings(args, None) == replace(
        settings,
        warmup=0,
        constant_rate=0.001,
        label_smoothing=0.0,
        average_last=1,
        max_steps=500,
        minutes=9.0,
    )


def test_the_old_command_says_where_it_went() -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "book.translation", "--steps", "5"], capture_output=True, text=True, timeout=60
    )
    assert finished.returncode == 2 and "Traceback" not in finished.stderr
    assert "python -m book.train" in finished.stderr and finished.stderr.count("\n") == 1
