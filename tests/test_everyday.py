"""The everyday corpus: pyrealb's realisations and the book's corrections, the vocabulary, the sentence
plans' shapes in both languages, and the generated pairs read whole for markers and missed elisions."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from pyrealb import NP, D, N

from book.corpus import plans as p
from book.corpus.everyday import SHAPES, Draw, kind_of, random_coreference, random_plan, typed_pair
from book.corpus.realiser import RealiserError, corrected, missed_elisions, realise
from book.corpus.vocabulary import NOUN_CLASSES, vocabulary


@pytest.fixture(scope="module")
def words():
    return vocabulary()


def noun(words, en):
    return next(n for n in words.nouns if n.en == en)


def verb(words, en):
    return next(v for v in words.verbs if v.en == en)


def adjective(words, en):
    return next(a for a in words.adjectives if a.en == en)


# --- the realiser ----------------------------------------------------------------------------------


def test_corrected_makes_the_elisions_pyrealb_misses_and_restores_ligatures():
    assert (
        corrected("Je dors parce que il pleut et que elle lit.")
        == "Je dors parce qu'il pleut et qu'elle lit."
    )
    assert corrected("Que as-tu mangé? Si il pleut.") == "Qu'as-tu mangé? S'il pleut."
    assert corrected("Ma soeur mange des oeufs. Oeuf.") == "Ma sœur mange des œufs. Œuf."
    assert corrected("Le poete lit que la porte est ouverte.") == "Le poete lit que la porte est ouverte."
    assert corrected("Il fait bel en hiver; le bel arbre est vieil aujourd'hui.") == (
        "Il fait beau en hiver; le bel arbre est vieux aujourd'hui."
    )


def test_missed_elisions_finds_them_and_accepts_correct_french():
    assert missed_elisions("le arbre que il a de eau") == ["le a", "que i", "de e"]
    assert missed_elisions("si il pleut") == ["si il"]
    assert missed_elisions("L'arbre qu'il a. Vais-je aimer le football? Le héros.") == []


def test_a_word_pyrealb_does_not_know_is_an_error_not_a_marker():
    with pytest.raises(RealiserError, match="zorglub"):
        realise(lambda: NP(D("le", "fr"), N("zorglub", "fr")), "fr")


# --- the vocabulary --------------------------------------------------------------------------------


def test_the_vocabulary_has_1500_english_lemmas_and_a_beginners_words(words):
    assert len(words.english_lemmas) >= 1500
    needed = {
        "nouns": {"mother", "father", "brother", "sister", "friend", "dog", "cat", "house", "car", "school"},
        "verbs": {
            "go",
            "make",
            "like",
            "love",
            "want",
            "eat",
            "drink",
            "read",
            "write",
            "live",
            "work",
            "play",
        },
        "adjectives": {"big", "small", "old", "new", "good", "bad", "hot", "cold", "happy", "tired"},
    }
    for kind, lemmas in needed.items():
        have = {w.en for w in getattr(words, kind)}
        assert not lemmas - have, f"{kind} lack {sorted(lemmas - have)}"


def test_every_word_has_known_classes(words):
    assert {n.category for n in words.nouns} <= NOUN_CLASSES
    for v in words.verbs:
        assert v.subjects and v.subjects <= NOUN_CLASSES and v.objects <= NOUN_CLASSES, v
    for a in words.adjectives:
        assert a.describes and a.describes <= NOUN_CLASSES, a


def test_a_bad_line_is_named_by_file_and_line(tmp_path: Path):
    for name, line in (
        ("nouns.tsv", "apple\tpomme\tfood\tcount\n"),
        ("verbs.tsv", "eat\tmanger\tperson\tfood\t-\t-\n"),
        ("adjectives.tsv", "red\trouge\tobject\n"),
    ):
        (tmp_path / name).write_text(line, encoding="utf-8")
    assert len(vocabulary(tmp_path).nouns) == 1
    (tmp_path / "nouns.tsv").write_text(
        "# a comment\napple\tpomme\tfood\tcount\nzorglub\tpomme\tfood\tcount\n"
    )
    with pytest.raises(ValueError, match=r"nouns.tsv:3: 'zorglub' is not a N"):
        vocabulary.__wrapped__(tmp_path)
    (tmp_path / "nouns.tsv").write_text("apple\tpomme\tfruit\tcount\n")
    with pytest.raises(ValueError, match=r"nouns.tsv:1: unknown noun classes \['fruit'\]"):
        vocabulary.__wrapped__(tmp_path)
    (tmp_path / "nouns.tsv").write_text("apple\tpomme\tfood\n")
    with pytest.raises(ValueError, match="nouns.tsv:1: expected 4 tab-separated fields, got 3"):
        vocabulary.__wrapped__(tmp_path)


# --- the plans -------------------------------------------------------------------------------------


def test_each_shape_is_said_the_way_each_language_says_it(words):
    me, she, you, they = p.Pronoun(1), p.Pronoun(3, gender="f"), p.Pronoun(2), p.Pronoun(3, True, "f")
    apple, bread, car = noun(words, "apple"), noun(words, "bread"), noun(words, "car")
    brother, station = noun(words, "brother"), noun(words, "station")
    eat, go = verb(words, "eat"), verb(words, "go")
    cases = [
        (p.Clause(me, p.Feeling("hungry", "faim")), "I am hungry.", "J'ai faim."),
        (p.Clause(me, p.Feeling("hungry", "faim"), negative=True), "I am not hungry.", "Je n'ai pas faim."),
        (p.Clause(None, p.Weather("cold", "faire", "froid")), "It is cold.", "Il fait froid."),
        (p.Clause(None, p.Weather("rain", "pleuvoir")), "It is raining.", "Il pleut."),
        (p.Clause(None, p.Weather("cold", "faire", "froid"), "past"), "It was cold.", "Il faisait froid."),
        (p.Clause(me, p.Action(eat, p.Phrase(bread, "some"))), "I eat bread.", "Je mange du pain."),
        (
            p.Clause(me, p.Action(eat, p.Phrase(bread, "some")), negative=True),
            "I do not eat bread.",
            "Je ne mange pas de pain.",
        ),
        (
            p.Clause(me, p.Action(eat, p.Phrase(apple, "generic", True))),
            "I eat apples.",
            "Je mange les pommes.",
        ),
        (
            p.Clause(p.Phrase(brother, "possessive", owner=me), p.Possession(p.Phrase(car, "a"))),
            "My brother has a car.",
            "Mon frère a une voiture.",
        ),
        (
            p.Clause(
                p.Phrase(brother, "possessive", owner=you), p.Possession(p.Phrase(car, "a")), form="yes/no"
            ),
            "Does your brother have a car?",
            "Ton frère a-t-il une voiture?",
        ),
        (
            p.Clause(she, p.Action(go, p.Phrase(station)), "past"),
            "She went to the station.",
            "Elle est allée à la gare.",
        ),
        (
            p.Clause(they, p.Action(go, p.Phrase(station)), "going to", negative=True),
            "They are not going to go to the station.",
            "Elles ne vont pas aller à la gare.",
        ),
        (p.Clause(she, p.Age(8, digits=False)), "She is eight years old.", "Elle a huit ans."),
        (
            p.Clause(
                p.Phrase(station), p.Location(p.Place("near", "près de", p.Phrase(noun(words, "park"))))
            ),
            "The station is near the park.",
            "La gare est près du parc.",
        ),
        (
            p.Clause(
                p.Phrase(station),
                p.Location(p.Place("in", "dans", p.Phrase(noun(words, "city")))),
                form="where",
            ),
            "Where is the station?",
            "Où est la gare?",
        ),
        (
            p.Clause(None, p.Action(eat, p.Phrase(apple)), form="imperative", listener=p.Pronoun(2, True)),
            "Eat the apple.",
            "Mangez la pomme.",
        ),
        (
            p.Clause(you, p.Action(eat, p.Phrase(apple)), "past", form="what"),
            "What did you eat?",
            "Qu'as-tu mangé?",
        ),
        (
            p.Clause(p.Name("Marie", "f"), p.Quality(adjective(words, "tired"), "very"), "past"),
            "Marie was very tired.",
            "Marie était très fatiguée.",
        ),
        (
            p.Clause(she, p.Quality(adjective(words, "happy")), "going to"),
            "She is going to be happy.",
            "Elle va être heureuse.",
        ),
        (
            p.Joined(
                p.Clause(me, p.Quality(adjective(words, "tired"))),
                "because",
                p.Clause(she, p.Weather("cold", "faire", "froid")),
            ),
            "I am tired because it is cold.",
            "Je suis fatigué parce qu'il fait froid.",
        ),
        (
            p.Clause(
                None, p.Existence(p.Phrase(noun(words, "chair"), "number", True, number=3, digits=False))
            ),
            "There are three chairs.",
            "Il y a trois chaises.",
        ),
        (
            p.Clause(me, p.Possession(p.Phrase(noun(words, "cat"), "number", True, number=3, digits=True))),
            "I have 3 cats.",
            "J'ai 3 chats.",
        ),
    ]
    cases += [
        (p.Clause(me, p.Naming(p.Name("Marie", "f"))), "My name is Marie.", "Je m'appelle Marie."),
        (p.Clause(she, p.Naming(p.Name("Léa", "f")), "past"), "Her name was Léa.", "Elle s'appelait Léa."),
        (
            p.Greeting("Good morning", "Bonjour", ("my friend", "mon ami")),
            "Good morning, my friend!",
            "Bonjour, mon ami!",
        ),
    ]
    boy, girl, king, sister = (noun(words, w) for w in ("boy", "girl", "king", "sister"))
    france, canada = p.Name("France", "f", country=True), p.Name("Canada", country=True)
    cases += [
        (p.Clause(you, p.Age(8), form="how old"), "How old are you?", "Quel âge as-tu?"),
        (
            p.Clause(p.Name("Marie", "f"), p.Age(8), form="how old"),
            "How old is Marie?",
            "Quel âge Marie a-t-elle?",
        ),
        (p.Clause(me, p.Action(go, france)), "I go to France.", "Je vais en France."),
        (p.Clause(me, p.Origin(canada)), "I am from Canada.", "Je viens du Canada."),
        (
            p.Clause(me, p.Action(go, p.Name("London", french="Londres"))),
            "I go to London.",
            "Je vais à Londres.",
        ),
        (
            p.Clause(p.Both(p.Phrase(boy), p.Phrase(girl)), p.Quality(adjective(words, "tired")), "past"),
            "The boy and the girl were tired.",
            "Le garçon et la fille étaient fatigués.",
        ),
        (
            p.Clause(p.Phrase(sister, of=p.Phrase(king)), p.Action(verb(words, "sleep"))),
            "The sister of the king sleeps.",
            "La sœur du roi dort.",
        ),
        (
            p.Clause(she, p.Action(verb(words, "sleep")), frequency="never"),
            "She never sleeps.",
            "Elle ne dort jamais.",
        ),
        (
            p.Clause(she, p.Quality(adjective(words, "tired")), frequency="often"),
            "She is often tired.",
            "Elle est souvent fatiguée.",
        ),
        (
            p.Clause(me, p.Action(go, france), modal="would like"),
            "I would like to go to France.",
            "Je voudrais aller en France.",
        ),
        (
            p.Clause(me, p.Possession(p.Phrase(noun(words, "book"), "many", True))),
            "I have many books.",
            "J'ai beaucoup de livres.",
        ),
        (
            p.Clause(
                p.Phrase(noun(words, "grandmother"), "possessive", True, owner=me),
                p.Quality(adjective(words, "old")),
            ),
            "My grandmothers are old.",
            "Mes grands-mères sont vieilles.",
        ),
    ]
    windy, nice = p.Weather("windy", "y avoir", "vent"), p.Weather("nice", "faire", "beau")
    cases += [
        (p.Clause(None, windy, "past", True), "It was not windy.", "Il n'y avait pas de vent."),
        (p.Clause(None, nice, time="in winter"), "It is nice in winter.", "Il fait beau en hiver."),
        (p.Clause(None, p.Clock(3)), "It is three o'clock.", "Il est trois heures."),
        (p.Clause(None, p.Clock(1)), "It is one o'clock.", "Il est une heure."),
    ]
    for plan, en, fr in cases:
        assert (p.english(plan), p.french(plan)) == (en, fr)


# --- the generated corpus --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pairs(words):
    draw = Draw(random.Random(0), words)
    plans = [(plan, kind_of(plan)) for plan in (random_plan(draw) for _ in range(2500))]
    plans += [(random_coreference(draw)[0], "coref") for _ in range(200)]
    return [typed_pair(plan, kind, draw.rng) for plan, kind in plans]


def test_the_corpus_is_read_whole_for_markers_and_missed_elisions(pairs):
    for pair in pairs:
        assert "[[" not in pair.source + pair.target, pair
        assert not missed_elisions(pair.target), pair


def test_every_shape_is_in_the_corpus(pairs):
    kinds = {pair.kind for pair in pairs}
    assert set(SHAPES) | {"joined", "greeting", "coref"} <= kinds, set(SHAPES) - kinds


def test_random_plans_keep_verbs_with_objects_they_take(words):
    draw = Draw(random.Random(3), words)
    for _ in range(500):
        plan = random_plan(draw)
        for clause in (plan.first, plan.second) if isinstance(plan, p.Joined) else (plan,):
            action = getattr(clause, "predicate", None)
            if isinstance(action, p.Action) and isinstance(action.object, p.Phrase):
                assert action.object.noun.category in action.verb.objects, clause
