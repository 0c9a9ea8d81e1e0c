"""How good is a translator: exact match, corpus BLEU (sacrebleu), and il/elle on coreference sentences.

Exact match counts the sentences translated word for word like the reference. BLEU (Papineni et al. 2002) is
the paper's measure, computed by sacrebleu, the standard implementation; chrF (Popović 2015), the F-score of
character n-grams, also by sacrebleu, credits a word half right, which counts on real text. The pronoun
accuracy looks only at the word after "parce qu'" in the coreference sentences ("... because it was too
tired/wide"): did the model pick il/elle/ils/elles as the reference does? ``by_side`` splits it by the
adjective: "animate" adjectives (tired) refer to the animal, "object" ones (wide) to the object, when the
caller says which side a sentence is on (``book.corpus.coreference.adjective_side`` does so for the
generated corpus; this module knows no grammar). Chapter 9 explains these scores.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import sacrebleu

from book.translation.decoding import translate_texts
from book.translation.pairs import Pair
from book.translation.tokenizer import detokenize, tokenize
from book.translation.translator import Translator

QUALITY_GOALS: dict[str, float] = {"exact_match": 0.98, "bleu": 99.0, "il_elle": 0.99}
"""The translator's goals on the test split: the lowest acceptable exact match (a share), BLEU (0 to 100)
and il/elle accuracy (a share), for every training run of the recipe (chapter 9, the benchmark, the head
study)."""


def meets_goals(scores: Mapping[str, float | None]) -> bool:
    """Whether ``scores``, keyed like ``QUALITY_GOALS``, reach every goal (a score of None does not)."""
    return all(scores[name] is not None and scores[name] >= goal for name, goal in QUALITY_GOALS.items())


def canonical(text: str) -> str:
    """``text`` lowercased and respaced as the tokenizer does, so that equal sentences compare equal."""
    return detokenize(tokenize(text))


def exact_match(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    """Share of hypotheses equal to their reference after ``canonical`` (0 to 1)."""
    _check_lengths(hypotheses, references)
    same = sum(canonical(h) == canonical(r) for h, r in zip(hypotheses, references, strict=True))
    return same / len(references)


def corpus_bleu(hypotheses: Sequence[str], references: Sequence[str | Sequence[str]]) -> float:
    """sacrebleu's corpus BLEU (0 to 100) of the hypotheses against their references: one each, or for
    each sentence a sequence of every translation that counts as right."""
    _check_lengths(hypotheses, references)
    return sacrebleu.corpus_bleu([canonical(h) for h in hypotheses], reference_streams(references)).score


def corpus_chrf(hypotheses: Sequence[str], references: Sequence[str | Sequence[str]]) -> float:
    """sacrebleu's corpus chrF (0 to 100) of the hypotheses against their references (as ``corpus_bleu``)."""
    _check_lengths(hypotheses, references)
    return sacrebleu.corpus_chrf([canonical(h) for h in hypotheses], reference_streams(references)).score


def reference_streams(references: Sequence[str | Sequence[str]]) -> list[list[str | None]]:
    """The references as sacrebleu reads them: stream k holds every sentence's k-th reference
    (``canonical``), None where a sentence has fewer."""
    each = [[reference] if isinstance(reference, str) else list(reference) for reference in references]
    if not all(each):
        raise ValueError("every sentence needs at least one reference")
    most = max(len(refs) for refs in each)
    return [[canonical(refs[k]) if k < len(refs) else None for refs in each] for k in range(most)]


def _check_lengths(hypotheses: Sequence[str], references: Sequence[str]) -> None:
    if not references or len(hypotheses) != len(references):
        raise ValueError(
            f"need one hypothesis per reference and at least one of each, "
            f"got {len(hypotheses)} hypotheses and {len(references)} references"
        )


_COREF_PRONOUN = re.compile(r"\bparce qu' ?(ils|elles|il|elle)\b")


def coref_pronoun(french: str) -> str | None:
    """The pronoun after "parce qu'" ("il", "elle", "ils" or "elles"), or None if there is none.

    Accepts detokenized ("parce qu'il") and tokenized ("parce qu' il") text, any case.
    """
    match = _COREF_PRONOUN.search(french.lower())
    return match.group(1) if match else None


@dataclass
class PronounScore:
    """il/elle accuracy over the sentences whose reference has a pronoun after "parce qu'"."""

    accuracy: float | None  # None when no sentence has one
    count: int
    by_side: dict[str, float] = field(default_factory=dict)  # "animate"/"object" -> accuracy


def pronoun_accuracy(
    hypotheses: Sequence[str], references: Sequence[str], sides: Sequence[str | None] | None = None
) -> PronounScore:
    """Share of coreference sentences whose hypothesis has the reference's pronoun after "parce qu'".

    With ``sides`` (one per sentence: a name such as "animate", or None), the accuracy is also split by side.
    """
    _check_lengths(hypotheses, references)
    sides = sides if sides is not None else [None] * len(references)
    right: dict[str, list[bool]] = {}
    for hypothesis, reference, side in zip(hypotheses, references, sides, strict=True):
        expected = coref_pronoun(reference)
        if expected is None:
            continue
        correct = coref_pronoun(hypothesis) == expected
        right.setdefault("all", []).append(correct)
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
    chrf: float  # 0 to 100
    pronouns: PronounScore
    hypotheses: list[str]
    pairs: list[Pair]

    def summary(self) -> dict[str, float | int | None | dict[str, float]]:
        """The scores as plain data, for a metrics JSON file."""
        return {
            "sentences": len(self.pairs),
            "exact_match": self.exact_match,
            "bleu": self.bleu,
            "chrf": self.chrf,
            "pronoun_accuracy": self.pronouns.accuracy,
            "pronoun_sentences": self.pronouns.count,
            "pronoun_accuracy_by_side": self.pronouns.by_side,
        }

    def goal_scores(self) -> dict[str, float | None]:
        """The scores ``QUALITY_GOALS`` sets goals for, keyed like it (for ``meets_goals``)."""
        return {"exact_match": self.exact_match, "bleu": self.bleu, "il_elle": self.pronouns.accuracy}

    def mistakes(self) -> list[tuple[Pair, str]]:
        """The pairs translated differently from their reference, with the translation."""
        return [
            (pair, hypothesis)
            for pair, hypothesis in zip(self.pairs, self.hypotheses, strict=True)
            if canonical(hypothesis) != canonical(pair.target)
        ]


def evaluate(
    translator: Translator, pairs: Sequence[Pair], side: Callable[[str], str | None] | None = None
) -> Evaluation:
    """Translate every pair's source with ``translator`` (its beam size) and score the translations.

    ``side`` maps a source sentence to its coreference side (or None), to split the pronoun accuracy.
    """
    pairs = list(pairs)
    sides = [side(p.source) for p in pairs] if side is not None else None
    hypotheses = translate_texts(
        translator.model,
        translator.src_vocab,
        translator.tgt_vocab,
        [p.source for p in pairs],
        translator.beam_size,
    )
    references = [p.target for p in pairs]
    return Evaluation(
        exact_match=exact_match(hypotheses, references),
        bleu=corpus_bleu(hypotheses, references),
        chrf=corpus_chrf(hypotheses, references),
        pronouns=pronoun_accuracy(hypotheses, references, sides),
        hypotheses=hypotheses,
        pairs=pairs,
    )
