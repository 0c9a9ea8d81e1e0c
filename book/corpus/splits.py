"""The corpus itself: `generate_corpus` draws the train, dev and test splits, keeping out of training the
noun-adjective pairs and coreference triples that `held_out_combinations` holds out for dev and test. Also
the lecture and showcase sentences the book prints, and the reader sentences the corpus never generates.

Chapter 9 ("The translator") explains the corpus; `book.corpus` lists the modules that build it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from book.corpus.lexicon import (
    ADJECTIVE_BY_EN,
    COREF_ADJECTIVES,
    NOUN_BY_EN,
    NOUNS,
    OBJECTS,
    VERB_BY_EN,
    adjectives_for,
)
from book.corpus.phrases import (
    PRONOUN_SUBJECTS,
    Combination,
    Phrase,
    be,
    join,
    noun_phrase,
    noun_subject,
    verb_group,
)
from book.corpus.sentences import KIND_WEIGHTS, KINDS, coref_sentence
from book.corpus.typed import TYPED_SHARE, as_typed, plain_english
from book.translation.pairs import Corpus, Pair
from book.translation.reader_set import ReaderSentence, load_reader_set
from book.translation.tokenizer import tokenize

_LECTURE_TRIPLES = (("animal", "street", "tired"), ("animal", "street", "wide"))
_ALWAYS_SEEN = {("car", "red")}  # "i see the red car" stays in training for the book to show
HELD_OUT_SHARE = {"noun-adjective": 0.10, "coref": 0.03}
"""The share of the possible noun-adjective pairs and coreference triples held out of training."""


def _lecture_pairs() -> list[Pair]:
    """The lecture sentences, built by the grammar (a test checks them against LECTURE_SENTENCES)."""
    cross = VERB_BY_EN["cross"]
    pairs = [
        coref_sentence(NOUN_BY_EN[a], NOUN_BY_EN[o], ADJECTIVE_BY_EN[adj], cross)
        for a, o, adj in _LECTURE_TRIPLES
    ]
    return [Pair(en, fr, "coref") for en, fr in pairs]


def _showcase_pairs() -> list[Pair]:
    """Training sentences the book shows (reordering, agreement), built by the grammar."""
    car, red = NOUN_BY_EN["car"], ADJECTIVE_BY_EN["red"]
    i, she = PRONOUN_SUBJECTS["i"], PRONOUN_SUBJECTS["she"]
    red_cars = noun_subject(car, plural=True, definite=True, adjective=red)
    sentences = [
        (
            "adjective",
            i,
            verb_group(VERB_BY_EN["see"], i, False, False),
            noun_phrase(car, False, True, red),
        ),
        ("adjective", red_cars, be(red_cars, False, False), Phrase(["here"], ["ici"])),
        ("motion", she, verb_group(VERB_BY_EN["leave"], she, True, False)),
    ]
    return [Pair(*join(subject.phrase, *rest)[:2], kind) for kind, subject, *rest in sentences]


LECTURE_SENTENCES: dict[str, str] = {
    "the animal did not cross the street because it was too tired": (
        "l'animal n'a pas traversé la rue parce qu'il était trop fatigué"
    ),
    "the animal did not cross the street because it was too wide": (
        "l'animal n'a pas traversé la rue parce qu'elle était trop large"
    ),
}
"""The two lecture sentences and their French; both sit in the test split, unseen in training."""

SHOWCASE_SENTENCES: dict[str, str] = {
    "i see the red car": "je vois la voiture rouge",
    "the red cars are here": "les voitures rouges sont ici",
    "she left": "elle est partie",
}
"""Sentences the book can show from the training split (adjective order, être agreement)."""


@dataclass(frozen=True)
class HeldOut:
    """Combinations that never occur in training, for the dev and for the test split.

    Each combination is ("noun-adjective", noun, adjective): the adjective describes the noun
    ("the red car", "the car is red", or the referent of a coreference sentence), or
    ("coref", noun1, noun2, adjective): a whole coreference triple. Words are English lemmas.
    """

    dev: frozenset[Combination]
    test: frozenset[Combination]

    def split(self, name: str) -> frozenset[Combination]:
        """The combinations held out for "dev" or "test"; "train" has none of either."""
        return {"dev": self.dev, "test": self.test, "train": frozenset()}[name]


def held_out_combinations(seed: int = 0) -> HeldOut:
    """The noun-adjective pairs and coreference triples kept out of training for this seed.

    About 10% of the possible noun-adjective pairs and 3% of the (animal, object, adjective)
    triples are held out, half for dev and half for test. The lecture triples always go to test.
    """
    rng = random.Random(f"held-out-{seed}")
    pairs = [("noun-adjective", n.en, a.en) for n in NOUNS for a in adjectives_for(n)]
    triples = [
        ("coref", animal.en, obj.en, adjective.en)
        for animal in NOUNS
        if animal.category == "animal"
        for obj in NOUNS
        if obj.category in OBJECTS
        for adjective in COREF_ADJECTIVES["animate"] + COREF_ADJECTIVES["object"]
    ]
    dev: set[Combination] = set()
    test: set[Combination] = {("coref", *triple) for triple in _LECTURE_TRIPLES}
    lecture_pairs = {("noun-adjective", "animal", "tired"), ("noun-adjective", "street", "wide")}
    for kind, pool in (("noun-adjective", pairs), ("coref", triples)):
        pool = [c for c in pool if c not in test and c[1:] not in _ALWAYS_SEEN]
        chosen = rng.sample(pool, round(HELD_OUT_SHARE[kind] * len(pool)))
        for i, combo in enumerate(chosen):
            (test if i % 2 or combo in lecture_pairs else dev).add(combo)
    return HeldOut(frozenset(dev), frozenset(test))


MAX_WORDS = 16
"""The longest English sentence the grammar writes, in words."""

READER_SET: tuple[ReaderSentence, ...] = tuple(load_reader_set())
"""The reader set (``book/data/reader-set.tsv``): sentences as readers type them, with French references;
the corpus never generates one of them."""

BOOK_WORDS = "the book's words"
"""The reader set's topic whose sentences use only the corpus's own vocabulary."""

READER_SENTENCES: tuple[str, ...] = tuple(s.english for s in READER_SET if s.topic == BOOK_WORDS)
"""The reader sentences in the corpus's own words, in shapes beyond the grammar's first patterns
(``book.corpus.faithfulness`` checks the translator on them)."""


def _sample_split(
    rng: random.Random,
    n: int,
    split: str,
    held: HeldOut,
    taken: set[str],
    known_words: set[str] | None = None,
) -> list[Pair]:
    """Draw `n` new pairs whose plain English is not in `taken` (which grows). Dev/test force one of
    their held-out combinations into every sentence of a kind that takes them (coref, adjective,
    description: `Kind.forced`); no sentence contains another split's held-out ones; with `known_words`,
    only sentences made of those words are kept. `TYPED_SHARE` of the pairs are then written as people
    type them (`as_typed`)."""
    mine = held.split(split)
    forbidden = (held.dev | held.test) - mine
    pools = {name: sorted(filter(kind.takes, mine)) for name, kind in KINDS.items() if kind.takes is not None}
    names, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    pairs: list[Pair] = []
    attempts = 0
    while len(pairs) < n:
        attempts += 1
        if attempts > 50 * n + 1000:
            raise ValueError(f"could not draw {n} distinct {split} sentences; ask for fewer")
        name = rng.choices(names, weights)[0]
        kind = KINDS[name]
        if split != "train" and kind.takes is not None:
            en, fr, combos = kind.forced(rng, pools[name])
        else:
            en, fr, combos = kind.pattern(rng)
        if en in taken or combos & forbidden or len(en.split()) > MAX_WORDS:
            continue
        if known_words is not None and not known_words.issuperset(tokenize(en) + tokenize(fr)):
            continue
        taken.add(en)
        if rng.random() < TYPED_SHARE:
            en, fr = as_typed(en, fr, name == "question", rng)
        pairs.append(Pair(en, fr, name))
    return pairs


def generate_corpus(n_train: int = 20000, n_dev: int = 500, n_test: int = 1000, seed: int = 0) -> Corpus:
    """Generate English -> French train/dev/test splits, deterministically from `seed`.

    Sentences are distinct across and within splits, and none is one of the `READER_SET`
    (compared as `plain_english`). The test split starts with the two `LECTURE_SENTENCES` and,
    like dev, holds the held-out combinations of `held_out_combinations(seed)`, which training
    never contains. Training is drawn first; every word of dev and test occurs in training.
    """
    if n_train < len(SHOWCASE_SENTENCES) or n_dev < 0 or n_test < len(LECTURE_SENTENCES):
        raise ValueError(
            f"need n_train >= {len(SHOWCASE_SENTENCES)}, n_dev >= 0 and n_test >= "
            f"{len(LECTURE_SENTENCES)}, got {n_train}, {n_dev}, {n_test}"
        )
    held = held_out_combinations(seed)
    rng = random.Random(seed)
    test = _lecture_pairs()
    train = _showcase_pairs()
    taken = {p.source for p in test + train} | {plain_english(s.english) for s in READER_SET}
    train += _sample_split(rng, n_train - len(train), "train", held, taken)
    trained_words = {w for p in train for text in (p.source, p.target) for w in tokenize(text)}
    test += _sample_split(rng, n_test - len(test), "test", held, taken, trained_words)
    dev = _sample_split(rng, n_dev, "dev", held, taken, trained_words)
    return Corpus(train, dev, test)


def regenerate(record: dict) -> Corpus:
    """The generated corpus a checkpoint was trained on, from its record (``Translator.corpus``).

    ``python -m book.train`` records the arguments of ``generate_corpus`` under "generator", so the
    same pairs come back; a checkpoint trained on a file of pairs raises ValueError.
    """
    recipe = record.get("generator")
    if not isinstance(recipe, dict) or set(recipe) != {"n_train", "n_dev", "n_test", "seed"}:
        raise ValueError(f"not a record of the generated corpus: {record!r}")
    return generate_corpus(recipe["n_train"], recipe["n_dev"], recipe["n_test"], recipe["seed"])
