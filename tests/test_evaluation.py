"""Evaluation: exact match, sacrebleu's BLEU, and il/elle accuracy split by the adjective's side."""

import pytest
import torch

from book.config import get_config
from book.model import Transformer
from book.translation.evaluation import (
    QUALITY_GOALS,
    corpus_bleu,
    evaluate,
    exact_match,
    meets_goals,
    pronoun_accuracy,
)
from book.translation.pairs import Pair
from book.translation.tokenizer import Vocab
from book.translation.translator import Translator


def test_exact_match_ignores_case_and_spacing_only() -> None:
    references = ["l'animal est fatigué", "la voiture rouge", "le chat"]
    hypotheses = ["L' animal est fatigué", "la voiture rouge", "le chien"]
    assert exact_match(hypotheses, references) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="one hypothesis per reference"):
        exact_match(["a"], ["a", "b"])


def test_bleu_is_100_for_perfect_output_and_drops_with_mistakes() -> None:
    references = ["le chat noir mange une souris grise", "la voiture rouge est ici ce matin"]
    assert corpus_bleu(references, references) == pytest.approx(100.0)
    damaged = ["le chat noir mange une souris", "la voiture bleue est ici ce matin"]
    assert 20.0 < corpus_bleu(damaged, references) < 80.0


def test_pronoun_accuracy_counts_only_coreference_sentences_and_splits_by_side() -> None:
    references = [
        "le chien n'a pas traversé la route parce qu'il était trop fatigué",
        "le chien n'a pas traversé la route parce qu'elle était trop large",
        "les chiens n'ont pas traversé les routes parce qu'elles étaient trop larges",
        "le chat dort",
    ]
    hypotheses = [
        "le chien n'a pas traversé la route parce qu'il était trop fatigué",
        "le chien n'a pas traversé la route parce qu'il était trop large",  # wrong pronoun
        "les chiens n'ont pas traversé les routes parce qu'elles étaient trop larges",
        "le chat mange",  # not a coreference sentence: not counted
    ]
    score = pronoun_accuracy(hypotheses, references, ["animate", "object", "object", None])
    assert score.count == 3
    assert score.accuracy == pytest.approx(2 / 3)
    assert score.by_side == {"animate": 1.0, "object": 0.5}
    assert pronoun_accuracy(["le chat"], ["le chat"]).accuracy is None


def test_meets_goals_needs_every_score_at_its_goal() -> None:
    assert meets_goals(QUALITY_GOALS)
    assert meets_goals({"exact_match": 1.0, "bleu": 100.0, "il_elle": 1.0})
    for name in QUALITY_GOALS:
        assert not meets_goals({**QUALITY_GOALS, name: QUALITY_GOALS[name] - 1e-6})
        assert not meets_goals({**QUALITY_GOALS, name: None})
    with pytest.raises(KeyError):
        meets_goals({"exact_match": 1.0, "bleu": 100.0})


def test_evaluate_translates_and_reports_mistakes() -> None:
    torch.manual_seed(0)
    vocab = Vocab(("<pad>", "<bos>", "<eos>", "<unk>", "le", "chat"))
    model = Transformer(get_config("tiny", layers=1).with_vocab(len(vocab), len(vocab))).eval()
    pairs = [Pair("le chat", "le chat", "simple"), Pair("chat", "chat", "simple")]
    result = evaluate(Translator(model, vocab, vocab), pairs)
    assert len(result.hypotheses) == 2
    assert result.exact_match == pytest.approx(
        sum(h == p.target for h, p in zip(result.hypotheses, pairs, strict=True)) / 2
    )
    assert len(result.mistakes()) == round(2 * (1 - result.exact_match))
    summary = result.summary()
    assert summary["sentences"] == 2 and summary["pronoun_accuracy"] is None
