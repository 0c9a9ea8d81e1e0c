"""The site's JavaScript translator (site/translator/) reads and translates as book.translation does.

Node runs it with onnxruntime-web, as the page will, once per fixture (tests/run_translator.mjs): Python
writes the texts to a JSON file, Node writes its results to another.
"""

import json
import os
import random
import shutil
import subprocess
import sys
import unicodedata
import warnings
from pathlib import Path

import pytest
import torch

from book.corpus.splits import READER_SENTENCES, regenerate
from book.translation.batching import pad
from book.translation.onnx_export import DECODER, ENCODER, spec
from book.translation.tokenizer import BOS_ID, detokenize, tokenize
from book.translation.translator import Translator, UnknownWordsWarning

ROOT = Path(__file__).parent.parent
RUNNER = Path(__file__).parent / "run_translator.mjs"
BEAM_SAMPLE = 100  # test sentences translated by beam search
ATTENTION_SAMPLE = 20  # test sentences whose cross-attention is compared

EDGE_CASES = [
    "",
    "   ",
    "\t\n",
    "'\"' \x00\x7f\u00ad\u2028 \U0001f600 …",  # no words, and characters Python's repr escapes
    "?!...",
    "I see the RED car.",
    "The animal didn't cross the street because it was too tired.",
    "L’animal isn’t here! Don't, can't, won't; it's 'quoted' \"twice\" (really) [yes] {no} 50%",
    "the purple zebra is tired",
    "xyzzy plugh.",
    "jusqu'ici l'homme qu'il aujourd'hui c'est 'tis rock'n'roll l' qu' ''",
    "well-known e-mail -dash- x_y 3 dogs 2nd ½ ²",
    "naïve café ÉCOLE İstanbul ΣΟΦΟΣ straße ǅ ﬁ",
    "¿Qué? «non» — emoji 🐶 dog 👍🏽 e\u0301 a\u00a0b a\u200bb a\x1cb a\ufeffb",
    "the dog " * 127,  # 254 tokens: the longest input
    "the dog " * 127 + "!",
    " ".join(["the"] * 300),  # 300 words
    "word. " * 200,
]


@pytest.fixture(scope="module")
def translator() -> Translator:
    return Translator.pretrained()


@pytest.fixture(scope="module")
def corpus(translator):
    return regenerate(translator.corpus)


def run_node(job: dict, folder: Path) -> dict:
    """Run tests/run_translator.mjs on ``job`` in ``folder``; its results."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "onnxruntime-web").is_dir():
        message = "Node.js or onnxruntime-web not found: install Node.js and run `npm ci`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    job_path, results_path = folder / "job.json", folder / "results.json"
    job_path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    subprocess.run([node, RUNNER, job_path, results_path], check=True, cwd=ROOT, timeout=300)
    return json.loads(results_path.read_text(encoding="utf-8"))


def every_character() -> list[str]:
    """A short text around each character Python's Unicode database assigns (not surrogates, private use)."""
    characters = (chr(c) for c in range(sys.maxunicode + 1))
    kept = (c for c in characters if unicodedata.category(c) not in {"Cn", "Co", "Cs"})
    return [f"{c}A{c}'{c} {c}x" for c in kept]


def python_read(translator: Translator, text: str) -> dict:
    """What JavaScript's Tokenizer.read must give for ``text``: Translator.read's answer, and its encoding."""
    try:
        normalized, unknown = translator.read(text)
    except ValueError as error:
        return {"error": {"name": "InputError", "message": str(error)}}
    ids = translator.src_vocab.encode(normalized)
    return {
        "normalized": normalized,
        "tokens": translator.src_vocab.tokens(ids),
        "ids": ids,
        "unknown": unknown,
    }


@pytest.fixture(scope="module")
def tokenized(translator, corpus, tmp_path_factory) -> dict:
    """Node's tokens of both sides of the whole corpus, of the edge cases and around every character."""
    texts = [text for pair in corpus.train + corpus.test for text in (pair.source, pair.target)]
    texts += EDGE_CASES + every_character()
    job = {"spec": spec(translator), "tokenize": texts, "read": [*EDGE_CASES, 42]}
    return {"texts": texts, **run_node(job, tmp_path_factory.mktemp("node"))}


def test_tokenizer_splits_and_joins_as_python_does(corpus, tokenized) -> None:
    texts = tokenized["texts"]
    assert len(texts) > 2 * len(corpus.train + corpus.test) + 100_000
    wrong = [
        (text, got) for text, got in zip(texts, tokenized["tokenize"], strict=True) if got != tokenize(text)
    ]
    assert not wrong, (
        f"{len(wrong)} texts tokenized differently, first {wrong[0]!r}: Python {tokenize(wrong[0][0])}"
    )
    assert tokenized["detokenize"] == [detokenize(tokenize(text)) for text in texts]


def test_reading_gives_pythons_tokens_unknown_words_and_errors(translator, tokenized) -> None:
    *read, not_text = tokenized["read"]
    expected = [python_read(translator, text) for text in EDGE_CASES]
    for text, got, want in zip(EDGE_CASES, read, expected, strict=True):
        assert got == want, text
    assert sum("error" in want for want in expected) == 7  # no words, or more than max_words
    assert expected[8]["unknown"] == ["purple", "zebra"]
    assert not_text == {"error": {"name": "TypeError", "message": "text must be a string, got number"}}


@pytest.fixture(scope="module")
def translations(translator, corpus, onnx_folder, tmp_path_factory) -> dict:
    """Node's greedy translations of the test split, the reader sentences and the edge cases, each a list
    under its name, and its beam-4 translations of the reader sentences and a sample of the test split."""
    texts = {
        "test": [pair.source for pair in corpus.test],
        "reader": list(READER_SENTENCES),
        "edge": EDGE_CASES,
    }
    beam = texts["reader"] + random.Random(0).sample(texts["test"], BEAM_SAMPLE - len(texts["reader"]))
    job = {
        "spec": spec(translator),
        "models": {"encoder": str(onnx_folder / ENCODER), "decoder": str(onnx_folder / DECODER)},
        "greedy": [text for group in texts.values() for text in group],
        "attention": ATTENTION_SAMPLE,
        "beam": beam,
        "beam_size": 4,
    }
    results = run_node(job, tmp_path_factory.mktemp("node"))
    greedy = iter(results["greedy"]["results"])
    return {
        "texts": texts,
        "greedy": {name: [next(greedy) for _ in group] for name, group in texts.items()},
        "beam_texts": beam,
        "beam": results["beam"]["results"],
        "milliseconds": {  # a sentence
            search: results[search]["milliseconds"] / len(results[search]["results"])
            for search in ("greedy", "beam")
        },
    }


@torch.inference_mode()
def teacher_forced(
    translator: Translator, sentences: list[str], outputs: list[list[str]]
) -> list[list[float]]:
    """PyTorch's log-probability of each token of ``outputs`` after <bos> and the tokens before it."""
    src = pad([translator.src_vocab.encode(text) for text in sentences])
    ids = [[translator.tgt_vocab.stoi[token] for token in output] for output in outputs]
    log_probs = translator.model(src, pad([[BOS_ID, *row[:-1]] for row in ids]))  # (batch, steps, vocab)
    return [log_probs[i, range(len(row)), row].tolist() for i, row in enumerate(ids)]


# the reader sentences include one the model does not end
@pytest.mark.filterwarnings("ignore::book.translation.translator.UnfinishedTranslationWarning")
def test_greedy_translations_equal_pythons_with_the_same_log_probabilities(translator, translations) -> None:
    """The test split and the reader sentences: the same words, each with PyTorch's log-probability."""
    differences = []
    for name in ("test", "reader"):
        texts, results = translations["texts"][name], translations["greedy"][name]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnknownWordsWarning)  # some readers' words are unknown
            assert [result["text"] for result in results] == translator.translate_batch(texts)
        targets = [result["tokens"]["target"] for result in results]
        for start in range(0, len(texts), 100):
            chunk = slice(start, start + 100)
            references = teacher_forced(translator, texts[chunk], targets[chunk])
            for result, reference in zip(results[chunk], references, strict=True):
                differences += [abs(js - py) for js, py in zip(result["logProbs"], reference, strict=True)]
    assert len(translations["greedy"]["test"]) == 1000
    assert max(differences) <= 1e-4
    milliseconds = translations["milliseconds"]["greedy"]
    largest = max(differences)
    print(f"\ngreedy: {len(differences)} log-probabilities within {largest:.1e}, {milliseconds:.1f} ms each")


def test_cross_attention_equals_pythons(translator, translations) -> None:
    results = translations["greedy"]["test"]
    for text, result in zip(translations["texts"]["test"], results[:ATTENTION_SAMPLE], strict=False):
        analysis = translator.analyze(text)
        assert result["tokens"] == {"source": analysis.source_tokens, "target": analysis.target_tokens}
        expected = torch.stack(analysis.attention.cross)[:, 0]  # (layers, heads, steps, src_len)
        assert (torch.tensor(result["crossAttention"]) - expected).abs().max() <= 1e-4
    assert "crossAttention" not in results[ATTENTION_SAMPLE]  # left out of the JSON


# the reader sentences include one the model does not end
@pytest.mark.filterwarnings("ignore::book.translation.translator.UnfinishedTranslationWarning")
def test_beam_search_translations_equal_pythons(translator, translations) -> None:
    texts = translations["beam_texts"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownWordsWarning)
        expected = translator.with_beam(4).translate_batch(texts)
        greedy = translator.translate_batch(texts)
    assert [result["text"] for result in translations["beam"]] == expected
    changed = sum(beam != first for beam, first in zip(expected, greedy, strict=True))
    assert changed >= 1  # the sample holds sentences where beam search finds another translation than greedy
    milliseconds = translations["milliseconds"]["beam"]
    print(f"\nbeam 4: {len(texts)} equal, {changed} unlike greedy search's, {milliseconds:.1f} ms each")


def test_bad_input_gets_pythons_messages(translator, translations) -> None:
    """Python's errors, and one more: text with no known word, which Python translates with a warning."""
    results = translations["greedy"]["edge"]
    rejected = 0
    for text, result in zip(EDGE_CASES, results, strict=True):
        expected = python_read(translator, text)
        known = [t for t in expected.get("tokens", [])[1:-1] if t != "<unk>" and any(c.isalnum() for c in t)]
        if "error" not in expected and not known:  # JavaScript refuses what Python translates with a warning
            rejected += 1
            unknown = ", ".join(expected["unknown"])
            message = (
                f"no word of {text!r} is known to this translator: {unknown}"
                if unknown
                else f"nothing to translate: {text!r} has no words"
            )
            expected = {"error": {"name": "InputError", "message": message}}
        if "error" in expected:
            assert result == {"error": expected["error"]}, text
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UnknownWordsWarning)
                assert result["text"] == translator.translate(text), text
            assert result["unknown"] == expected["unknown"]
    assert rejected == 2  # "?!..." and "xyzzy plugh."
