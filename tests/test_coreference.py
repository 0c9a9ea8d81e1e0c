"""The coreference sentence read back: lemmas, side and the position of every role, in both spellings."""

import random

import pytest

from book.corpus.coreference import ROLES, SIDES, adjective_side, parse
from book.corpus.lexicon import COREF_ADJECTIVES, COREF_VERBS, NOUNS
from book.corpus.sentences import coref_sentence
from book.corpus.splits import LECTURE_SENTENCES
from book.translation.tokenizer import tokenize


def tokens_of(english: str) -> list[str]:
    return ["<bos>", *tokenize(english), "<eos>"]


def test_the_lecture_sentence() -> None:
    tired = next(iter(LECTURE_SENTENCES))  # the animal did not cross the street because it was too tired
    sentence = parse(tired)
    tokens = tokens_of(tired)
    found = [tokens[sentence.positions[role][0]] for role in ("noun 1", "noun 2", "adjective", "pronoun")]
    assert found == ["animal", "street", "tired", "it"]
    assert sorted(p for role in ROLES for p in sentence.positions[role]) == list(range(len(tokens)))
    assert (sentence.side, sentence.referent) == ("animate", "animal")
    assert sentence.combination == ("coref", "animal", "street", "tired")


def test_the_sentence_as_typed() -> None:
    typed = "The Wolves didn't cross the streets because they're too WIDE!"
    sentence = parse(typed)
    tokens = tokens_of(typed)
    found = [tokens[sentence.positions[role][0]] for role in ("noun 1", "noun 2", "adjective", "pronoun")]
    assert found == ["wolves", "streets", "wide", "they're"]
    assert tokens[sentence.positions["<bos>/<eos>"][1]] == "<eos>"
    assert sentence.positions["other"][-1] == len(tokens) - 2  # the "!"
    assert (sentence.noun1, sentence.noun2, sentence.referent) == ("wolf", "street", "street")


@pytest.mark.parametrize(
    "english", ["i see the red car", "the car is too wide", "", "because it was too tired"]
)
def test_other_sentences_are_refused(english: str) -> None:
    with pytest.raises(ValueError, match="not a coreference sentence"):
        parse(english)


def test_every_generated_coreference_sentence_parses_back() -> None:
    rng = random.Random(0)
    animals = [noun for noun in NOUNS if noun.category == "animal"]
    for side in SIDES:
        for adjective in COREF_ADJECTIVES[side]:
            for _ in range(5):
                verb = rng.choice(COREF_VERBS)
                animal = rng.choice(animals)
                obj = rng.choice([noun for noun in NOUNS if noun.category in verb.objects])
                english, _ = coref_sentence(
                    animal,
                    obj,
                    adjective,
                    verb,
                    animal_plural=rng.random() < 0.5,
                    object_plural=rng.random() < 0.5,
                )
                sentence = parse(english)
                assert (sentence.noun1, sentence.noun2, sentence.adjective) == (
                    animal.en,
                    obj.en,
                    adjective.en,
                )
                assert sentence.side == side == adjective_side(english)


def test_adjective_side() -> None:
    assert adjective_side("the dog did not cross the road because it was too tired") == "animate"
    assert adjective_side("The animal didn't cross the street because it's too wide!") == "object"
    assert adjective_side("the car is red") is None
    assert adjective_side("") is None
