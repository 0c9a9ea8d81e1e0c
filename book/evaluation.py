"""How good is a translator: exact match, corpus BLEU (sacrebleu), and il/elle on coreference sentences.

Exact match counts the sentences translated word for word like the reference. BLEU (Papineni et al.
2002) is the paper's measure, computed by sacrebleu, the standard implementation. The pronoun
accuracy looks only at the word after "parce qu'" in the coreference sentences ("... because it was
too tired/wide"): did the model pick il/elle/ils/elles as the reference does? ``by_side`` splits it by
the adjective: "animate" adjectives (tired) refer to the animal, "object" ones (wide) to the object.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import sacrebleu

from book.corpus import COREF_ADJECTIVES, Pair, coref_pronoun, plain_english
from book.decoding import translate_texts
from book.model import Transformer
from book.tokenizer import Vocab, detokenize, tokenize

ADJECTIVE_SIDES: dict[str, str] = {
    **{adjective.en: "animate" for adjective in COREF_ADJECTIVES["animate"]},
    **{adjective.en: "object" for adjective in COREF_ADJECTIVES["object"]},
}
"""Coreference adjective (English) -> the noun it describes: "animate" (the animal) or "object"."""

QUALITY_GOALS: dict[str, float] = {"exact_match": 0.98, "bleu": 99.0, "il_elle": 0.99}
"""The translator's goals on the test split: the lowest acceptable exact match (a share), BLEU (0 to 100)
and il/elle accuracy (a share), for every training run of the recipe (chapter 9, the benchmark, the head
study)."""


def meets_goals(scores: Mapping[str, float | None]) -> bool:
    """Whether ``scores``, keyed like ``QUALITY_GOALS``, reach every goal (a score of None does not)."""
    return all(scores[name] is not None and scores[name] >= goal for name, goal in QUALITY_GOALS.items())


def normalize(text: str) -> str:
    """Lowercase and respace ``text`` as the tokenizer does, so equal sentences compare equal."""
    return detokenize(tokenize(text))


def exact_match(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    """Share of hypotheses equal to their reference after ``normalize`` (0 to 1)."""
    _check_lengths(hypotheses, references)
    same = sum(normalize(h) == normalize(r) for h, r in zip(hypotheses, references, strict=True))
    return same / len(references)


def corpus_bleu(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    """sacrebleu's corpus BLEU (0 to 100) of the hypotheses against one reference each."""
    _check_lengths(hypotheses, references)
    return sacrebleu.corpus_bleu(
        [normalize(h) for h in hypotheses], [[normalize(r) for r in references]]
    ).score


def _check_lengths(hypotheses: Sequence[str], references: Sequence[str]) -> None:
    if not references or len(hypotheses) != len(references):
        raise ValueError(
            f"need one hypothesis per reference and at least one of each, "
            f"got {len(hypotheses)} hypotheses and {len(references)} references"
        )


def adjective_side(english: str) -> str | None:
    """ "animate" or "object" for a coreference sentence ending in such an adjective, else None."""
    words = plain_english(english).split()
    return ADJECTIVE_SIDES.get(words[-1]) if words else None


@dataclass
class PronounScore:
    """il/elle accuracy over the sentences whose reference has a pronoun after "parce qu'"."""

    accuracy: float | None  # None when no sentence has one
    count: int
    by_side: dict[str, float] = field(default_factory=dict)  # "animate"/"object" -> accuracy


def pronoun_accuracy(
    hypotheses: Sequence[str], references: Sequence[str], sources: Sequence[str] | None = None
) -> PronounScore:
    """Share of coreference sentences whose hypothesis has the reference's pronoun after "parce qu'".

    With the English ``sources``, the accuracy is also split by ``adjective_side``.
    """
    _check_lengths(hypotheses, references)
    sides = sources if sources is not None else [""] * len(references)
    right: dict[str, list[bool]] = {}
    for hypothesis, reference, source in zip(hypotheses, references, sides, strict=True):
        expected = coref_pronoun(reference)
        if expected is None:
            continue
        correct = coref_pronoun(hypothesis) == expected
        right.setdefault("all", []).append(correct)
        side = adjective_side(source)
        if side is not None:
            right.setdefault(side, []).append(correct)
    if "all" not in right:
        return PronounScore(None, 0)
    share = {key: sum(values) / len(values) for key, values in right.items()}
    return PronounScore(share.pop("all"), len(right["all"]), share)


@dataclass
class Evaluation:
    """Scores of a translator on some pairs, with its translations."""

    exact_match: float  # 0 to 1
    bleu: float  # 0 to 100
    pronouns: PronounScore
    hypotheses: list[str]
    pairs: list[Pair]

    def summary(self) -> dict[str, float | int | None | dict[str, float]]:
        """The scores as plain data, for a metrics JSON file."""
        return {
            "sentences": len(self.pairs),
            "exact_match": self.exact_match,
            "bleu": self.bleu,
            "pronoun_accuracy": self.pronouns.accuracy,
            "pronoun_sentences": self.pronouns.count,
            "pronoun_accuracy_by_side": self.pronouns.by_side,
        }

    def mistakes(self) -> list[tuple[Pair, str]]:
        """The pairs translated differently from their reference, with the translation."""
        return [
            (pair, hypothesis)
            for pair, hypothesis in zip(self.pairs, self.hypotheses, strict=True)
            if normalize(hypothesis) != normalize(pair.target)
        ]


def evaluate(
    model: Transformer, src_vocab: Vocab, tgt_vocab: Vocab, pairs: Sequence[Pair], beam_size: int = 1
) -> Evaluation:
    """Translate every pair's source and score the translations against the targets."""
    pairs = list(pairs)
    hypotheses = translate_texts(model, src_vocab, tgt_vocab, [p.source for p in pairs], beam_size)
    references = [p.target for p in pairs]
    return Evaluation(
        exact_match=exact_match(hypotheses, references),
        bleu=corpus_bleu(hypotheses, references),
        pronouns=pronoun_accuracy(hypotheses, references, [p.source for p in pairs]),
        hypotheses=hypotheses,
        pairs=pairs,
    )
