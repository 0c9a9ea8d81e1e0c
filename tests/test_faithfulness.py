"""Faithfulness without a reference: content words and negations carried, none invented; the reader set."""

from book.corpus.faithfulness import (
    NEGATION,
    check_reader_sentences,
    english_content,
    faithfulness,
    french_content,
)
from book.corpus.splits import READER_SENTENCES
from book.translation.translator import Translator


def test_a_dropped_noun_an_invented_one_and_a_lost_negation_are_found() -> None:
    dropped = faithfulness("the woman found the key under the bed", "la femme a trouvé le lit")
    assert dropped.dropped == ["key"] and dropped.invented == [] and not dropped.faithful
    invented = faithfulness("i see the apple", "je vois la pomme et l'horloge")
    assert invented.invented == ["clock"] and not invented.faithful
    negation = faithfulness("the cat doesn't like the soup", "le chat aime la soupe")
    assert negation.dropped == [NEGATION]
    assert faithfulness("the cat does not like the soup", "le chat n'aime pas la soupe").faithful


def test_every_french_form_counts_as_its_english_lemma() -> None:
    assert english_content("the red cars are here") == {"car": 1, "red": 1}
    assert french_content("les voitures rouges sont ici") == {"car": 1, "red": 1}
    assert french_content("La Voiture Rouge.") == {"car": 1, "red": 1}  # capitals, punctuation
    assert english_content("the red car and the red car") == {"car": 2, "red": 2}  # counted, not a set
    assert not faithfulness("the red car and the red car", "la voiture rouge").faithful


def test_every_reader_sentence_has_content_words_to_carry() -> None:
    assert len(READER_SENTENCES) >= 50  # kept out of the corpus: tests/test_corpus.py
    assert all(english_content(s) for s in READER_SENTENCES)  # each has content words to carry


class Parrot:
    """A stand-in translator: answers from a table, reports the words it was told are unknown."""

    def __init__(self, answers: dict[str, str], unknown: dict[str, list[str]]) -> None:
        self.answers, self.unknown = answers, unknown

    def read(self, text: str) -> tuple[str, list[str]]:
        return text, self.unknown.get(text, [])

    def translate(self, text: str) -> str:
        return self.answers[text]


def test_each_sentence_is_faithful_flagged_or_silent() -> None:
    sentences = ["the red car is here", "the cat and the dog are hungry", "the dog is near the house"]
    parrot = Parrot(
        {
            sentences[0]: "la voiture rouge est ici",
            sentences[1]: "le chat est affamé",
            sentences[2]: "le chien",
        },
        {sentences[1]: ["and"]},
    )
    verdicts = [check.verdict for check in check_reader_sentences(parrot, sentences)]
    assert verdicts == ["faithful", "flagged", "silent"]


def test_the_shipped_translator_is_faithful_on_the_reader_sentences() -> None:
    checks = check_reader_sentences(Translator.pretrained())
    faithful = [check for check in checks if check.verdict == "faithful"]
    assert len(faithful) >= 0.95 * len(checks) == 0.95 * len(READER_SENTENCES)
