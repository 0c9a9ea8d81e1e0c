"""The reader set: sentences as readers and beginners type them, with the French a teacher would accept.

It is the translator's yardstick on everyday English, kept out of training (the generated corpus never
writes one of its sentences). ``book/data/reader-set.tsv`` holds one sentence a line: its topic (greetings,
family, food, home, the city, school and work, time, weather, likes and wants, questions, linking words,
and the book's own words), the English, then every French translation that counts as right, written by
hand: two or more where French must choose what English leaves open (tu or vous, the speaker's gender, ils
or elles). ``score_reader_set`` translates the English and scores it against all the references with
sacrebleu's chrF and BLEU, and counts the sentences whose every word the translator knows.
"""

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from book.translation.evaluation import corpus_bleu, corpus_chrf
from book.translation.translator import Translator, UnfinishedTranslationWarning, UnknownWordsWarning

READER_SET_PATH = Path(__file__).parent.parent / "data" / "reader-set.tsv"


@dataclass(frozen=True)
class ReaderSentence:
    """One sentence of the reader set: its topic, the English, and every French that counts as right."""

    topic: str
    english: str
    references: tuple[str, ...]


def load_reader_set(path: str | Path = READER_SET_PATH) -> list[ReaderSentence]:
    """The sentences of a reader-set file: tab-separated topic, English and one or more references;
    blank lines and lines starting with ``#`` are skipped. ValueError names a malformed line."""
    path = Path(path)
    sentences = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        topic, english, *references = [column.strip() for column in line.split("\t")]
        if not english or not references or not all(references):
            raise ValueError(f"{path}, line {number}: expected a topic, an English sentence and references")
        sentences.append(ReaderSentence(topic, english, tuple(references)))
    return sentences


@dataclass
class ReaderScores:
    """A translator's scores on reader sentences: chrF and BLEU (0 to 100) against every reference, and
    the share of sentences whose every word it knows (0 to 1); with its translations and unknown words."""

    chrf: float
    bleu: float
    known: float
    hypotheses: list[str]
    unknown: list[list[str]]

    def summary(self) -> dict[str, float | int]:
        """The scores as plain data, for a metrics JSON file."""
        return {"sentences": len(self.hypotheses), "chrf": self.chrf, "bleu": self.bleu, "known": self.known}


def score_reader_set(translator: Translator, sentences: Sequence[ReaderSentence]) -> ReaderScores:
    """Translate every sentence's English with ``translator`` (its beam size) and score the French."""
    if not sentences:
        raise ValueError("no reader sentences to score")
    unknown = [translator.read(sentence.english)[1] for sentence in sentences]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownWordsWarning)  # counted in `known` instead
        warnings.simplefilter("ignore", UnfinishedTranslationWarning)  # scored like any output
        hypotheses = translator.translate_batch([sentence.english for sentence in sentences])
    references = [sentence.references for sentence in sentences]
    return ReaderScores(
        chrf=corpus_chrf(hypotheses, references),
        bleu=corpus_bleu(hypotheses, references),
        known=sum(not words for words in unknown) / len(sentences),
        hypotheses=hypotheses,
        unknown=unknown,
    )
