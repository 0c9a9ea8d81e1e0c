"""Everyday English and its French: random sentence plans drawn from the vocabulary, realised by pyrealb.

`random_plan` draws one plan of a shape a reader types (`SHAPES`: doing something, being something, having,
where things are, how one feels, the weather, there is, two clauses joined...), then its tense, negation,
question or imperative form, modal and time adverb; the vocabulary's classes keep it sensible (a person
eats food; a red thing is a thing that can be red). `everyday_pairs` realises distinct plans in both
languages, half of them written the way people type (contractions, no final full stop).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from book.corpus.plans import (
    FEELINGS,
    WEATHER,
    Action,
    Age,
    Clause,
    Existence,
    Feeling,
    Joined,
    Location,
    Name,
    Phrase,
    Place,
    Plan,
    Possession,
    Pronoun,
    Quality,
    Relative,
    Role,
    Subject,
    Tense,
    english,
    french,
)
from book.corpus.vocabulary import Adjective, Noun, Verb, Vocabulary, vocabulary
from book.translation.pairs import Pair

PEOPLE = frozenset({"person"})
LIVING = frozenset({"person", "animal"})
THINGS = frozenset({"food", "drink", "object", "readable", "device", "clothing", "furniture", "vehicle"})
SITES = frozenset({"place", "room", "nature"})
"""Noun classes by what a sentence can do with them: the living act; things are somewhere; sites hold."""

NAMES = (
    ("Marie", "f"),
    ("Paul", "m"),
    ("Sophie", "f"),
    ("Thomas", "m"),
    ("Emma", "f"),
    ("Lucas", "m"),
    ("Anna", "f"),
    ("David", "m"),
    ("Julie", "f"),
    ("Pierre", "m"),
    ("Sarah", "f"),
    ("Adam", "m"),
    ("Laura", "f"),
    ("Hugo", "m"),
    ("Léa", "f"),
    ("Nathan", "m"),
    ("Alice", "f"),
    ("Louis", "m"),
)
"""First names, written the same in both languages, with the gender French agrees with."""

CITIES = ("Paris", "London", "Rome", "Berlin", "Madrid", "Lyon", "Montreal", "Brussels", "Geneva", "Tokyo")

PLACES = (("in", "dans"), ("near", "près de"), ("behind", "derrière"), ("in front of", "devant"))
ON_FURNITURE = (("on", "sur"), ("under", "sous"))

STATIVE = frozenset(
    {"like", "love", "hate", "want", "know", "need", "prefer", "understand", "own", "believe"}
)
"""English verbs that take no -ing form ("I am liking" is not English)."""

PREDICATIVE = frozenset(
    {"glad", "sorry", "alone", "asleep", "alive", "ready", "sure", "awake", "ill", "well"}
)
"""Adjectives English puts after "to be" only ("the girl is asleep", not "the asleep girl")."""

GENERIC = frozenset({"like", "love", "hate", "prefer"})
"""Verbs whose object is a kind of thing: "I like apples" -> "J'aime les pommes"."""

PRONOUNS = (
    Pronoun(1),
    Pronoun(1, gender="f"),
    Pronoun(2),
    Pronoun(2, gender="f"),
    Pronoun(2, True),
    Pronoun(3),
    Pronoun(3, gender="f"),
    Pronoun(1, True),
    Pronoun(3, True),
    Pronoun(3, True, "f"),
)
"""I (a man or a woman speaking), you (tu to a man or a woman, vous to several), he, she, we, they."""

TENSE_WEIGHTS: dict[Tense, float] = {
    "present": 0.38,
    "progressive": 0.1,
    "past": 0.2,
    "past progressive": 0.04,
    "perfect": 0.06,
    "future": 0.1,
    "going to": 0.12,
}
SHARE = {
    "negative": 0.2,
    "yes/no": 0.12,
    "wh": 0.1,
    "imperative": 0.08,
    "modal": 0.1,
    "time": 0.15,
    "adjective": 0.2,
    "place": 0.15,
    "degree": 0.25,
    "relative": 0.06,
    "pronoun object": 0.25,
    "coreference": 0.05,
    "city": 0.15,
    "please": 0.25,
    "exclaimed": 0.4,
    "contracted": 0.5,
    "no full stop": 0.15,
}
"""How often a plan gets each option (a city: of the places and the objects of going and living; please
and an exclamation mark: of the imperatives; contracted and no full stop: of the English sentences)."""

_FUTURE = ("future", "going to")
_TIME_TENSES = {
    "today": ("present", "progressive", "past", "future", "going to"),
    "tomorrow": _FUTURE,
    "yesterday": ("past", "past progressive"),
    "now": ("present", "progressive"),
    "tonight": ("future", "going to", "progressive"),
    "this morning": ("past", "progressive"),
    "every day": ("present",),
    "next week": _FUTURE,
    "next year": _FUTURE,
    "last week": ("past",),
    "last year": ("past",),
    "here": ("present", "progressive", "past", "future"),
}


class _Draw:
    """Random choices over one vocabulary."""

    def __init__(self, rng: random.Random, words: Vocabulary):
        self.rng = rng
        self.words = words

    def noun(self, classes: frozenset[str]) -> Noun:
        return self.rng.choice(self.words.nouns_of(classes))

    def adjective_for(self, noun: Noun) -> Adjective | None:
        """An adjective that can stand before `noun` in English ("the red car"), or None."""
        fitting = [
            a for a in self.words.adjectives if noun.category in a.describes and a.en not in PREDICATIVE
        ]
        return self.rng.choice(fitting) if fitting else None

    def phrase(
        self,
        noun: Noun,
        determiners: tuple[str, ...] = ("the", "a", "possessive", "this"),
        relative: bool = False,
    ) -> Phrase:
        """`noun` with one of `determiners`, now and then an adjective and, where `relative`, a relative
        clause."""
        rng = self.rng
        if noun.count == "mass":  # bread, du pain: "some" where a count noun would have "a"
            determiners = tuple("some" if d in ("a", "number") else d for d in determiners)
        kind = rng.choice(determiners)
        plural = noun.count == "count" and noun.en_countable and rng.random() < 0.35
        number = None
        if kind == "number":
            plural, number = True, rng.choice((2, 2, 3, 3, 4, 5, 6, 10, 12, 20, 100))
        adjective = self.adjective_for(noun) if rng.random() < SHARE["adjective"] else None
        owner = rng.choice(PRONOUNS) if kind == "possessive" else None
        clause = self.relative(noun) if relative and rng.random() < SHARE["relative"] else None
        return Phrase(
            noun, kind, plural, adjective, owner, number, digits=rng.random() < 0.5, relative=clause
        )

    def relative(self, noun: Noun) -> Relative | None:
        """ "who eats bread", "that I read": a relative clause about `noun`, or None if no verb fits."""
        rng = self.rng
        simple = [
            v for v in self.words.verbs if not (v.reflexive or v.en_prep or v.fr_prep or v.en in STATIVE)
        ]
        if rng.random() < 0.5:
            verbs = [v for v in simple if noun.category in v.subjects]
            if not verbs:
                return None
            verb = rng.choice(verbs)
            thing = self.phrase(self.noun(verb.objects), ("the", "a")) if verb.objects else None
            return Relative(verb, thing, True, rng.random() < 0.4)
        verbs = [v for v in simple if noun.category in v.objects and v.subjects & PEOPLE]
        if not verbs:
            return None
        doer = (
            rng.choice(PRONOUNS)
            if rng.random() < 0.6
            else self.phrase(self.noun(PEOPLE), ("the", "possessive"))
        )
        return Relative(rng.choice(verbs), doer, False, rng.random() < 0.4)

    def subject(self, classes: frozenset[str]) -> Subject:
        rng = self.rng
        roll = rng.random()
        if classes & PEOPLE and roll < 0.45:
            return rng.choice(PRONOUNS)
        if classes & PEOPLE and roll < 0.55:
            return Name(*rng.choice(NAMES))
        return self.phrase(self.noun(classes), ("the", "the", "possessive", "this", "number"), relative=True)

    def place(self, holder_classes: frozenset[str] = SITES) -> Place:
        """Where: "in the kitchen", "on the table", "near the station", "in Paris" (à Paris)."""
        if "place" in holder_classes and self.rng.random() < SHARE["city"]:
            return Place("in", "à", Name(self.rng.choice(CITIES)))
        site = self.noun(holder_classes)
        en, fr = self.rng.choice(ON_FURNITURE if site.category == "furniture" else PLACES)
        return Place(en, fr, self.phrase(site, ("the", "the", "possessive")))

    def verb(self, transitive: bool | None = None) -> Verb:
        verbs = [v for v in self.words.verbs if transitive is None or bool(v.objects) == transitive]
        return self.rng.choice(verbs)


def _action(draw: _Draw) -> tuple[Subject, Action]:
    verb = draw.verb()
    subject = draw.subject(verb.subjects)
    thing = None
    if verb.objects:
        noun = draw.noun(verb.objects)
        if "place" in verb.objects and verb.fr_prep in ("à", "dans") and draw.rng.random() < SHARE["city"]:
            thing = Name(
                draw.rng.choice(CITIES)
            )  # go to Paris, live in Paris: aller à Paris, habiter à Paris
        elif PEOPLE & verb.objects and draw.rng.random() < SHARE["pronoun object"]:
            others = [p for p in PRONOUNS if not isinstance(subject, Pronoun) or p.person != subject.person]
            thing = draw.rng.choice(others)
        elif verb.en in GENERIC:
            thing = Phrase(noun, "generic", noun.count == "count")
        elif verb.en_prep or verb.fr_prep:  # listen to the radio, jouer au football: a definite object
            thing = draw.phrase(noun, ("the", "the", "possessive", "this"))
        elif noun.count == "mass" and draw.rng.random() < 0.5:
            thing = Phrase(noun, "some")
        else:
            thing = draw.phrase(noun, relative=True)
    place = draw.place() if draw.rng.random() < SHARE["place"] else None
    return subject, Action(verb, thing, place)


def _quality(draw: _Draw) -> tuple[Subject, Quality]:
    adjective = draw.rng.choice(draw.words.adjectives)
    subject = draw.subject(adjective.describes)
    degree = draw.rng.choice(("very", "very", "too")) if draw.rng.random() < SHARE["degree"] else ""
    return subject, Quality(adjective, degree)


def _possession(draw: _Draw) -> tuple[Subject, Possession]:
    return draw.subject(PEOPLE), Possession(
        draw.phrase(draw.noun(THINGS | {"animal"}), ("a", "a", "number", "the"))
    )


def _location(draw: _Draw) -> tuple[Subject, Location]:
    return draw.subject(LIVING | THINGS), Location(draw.place(SITES | {"furniture"}))


def _role(draw: _Draw) -> tuple[Subject, Role]:
    return draw.subject(PEOPLE), Role(draw.noun(PEOPLE))


def _feeling(draw: _Draw) -> tuple[Subject, Feeling]:
    return draw.subject(PEOPLE), draw.rng.choice(FEELINGS)


def _age(draw: _Draw) -> tuple[Subject, Age]:
    years = draw.rng.randint(2, 90)
    return draw.subject(PEOPLE), Age(years, years > 20 or draw.rng.random() < 0.5)


def _existence(draw: _Draw) -> tuple[None, Existence]:
    thing = draw.phrase(draw.noun(LIVING | THINGS), ("a", "a", "number"))
    return None, Existence(thing, draw.place(SITES | {"furniture"}) if draw.rng.random() < 0.7 else None)


def _weather(draw: _Draw):
    return None, draw.rng.choice(WEATHER)


SHAPES: dict[str, tuple[float, Callable]] = {
    "action": (0.42, _action),
    "quality": (0.14, _quality),
    "possession": (0.08, _possession),
    "location": (0.08, _location),
    "role": (0.04, _role),
    "feeling": (0.05, _feeling),
    "age": (0.02, _age),
    "existence": (0.05, _existence),
    "weather": (0.04, _weather),
}
"""The shapes of a clause: each one's share and what draws its subject and predicate."""

JOINED_SHARE = 0.08
CONJUNCTION_WEIGHTS = {"and": 0.4, "but": 0.3, "because": 0.3}


def random_clause(draw: _Draw) -> Clause:
    """One clause of a random shape, tense and form."""
    rng = draw.rng
    names = list(SHAPES)
    shape = rng.choices(names, [SHAPES[n][0] for n in names])[0]
    subject, predicate = SHAPES[shape][1](draw)
    is_action = isinstance(predicate, Action)
    tenses = dict(TENSE_WEIGHTS)
    if not is_action or predicate.verb.en in STATIVE:
        for tense in ("progressive", "past progressive", "perfect"):
            tenses.pop(tense)
    if isinstance(predicate, Existence):  # pyrealb writes "il y va avoir": no "there is going to be"
        tenses.pop("going to")
    # pyrealb misplaces an object pronoun before an infinitive ("te vais aimer") and misses the agreement
    # of a past participle with it ("je l'ai vu" for her): such objects stay in the simple tenses
    pronoun_object = is_action and isinstance(predicate.object, Pronoun)
    if pronoun_object:
        tenses = {t: w for t, w in tenses.items() if t in ("present", "progressive", "future")}
    tense = rng.choices(list(tenses), list(tenses.values()))[0]
    negative = rng.random() < SHARE["negative"]
    form, modal, time = "statement", None, None
    # French puts a reflexive pronoun where pyrealb cannot in "va se lever", "peut se lever", "lève-toi"
    reflexive = is_action and (predicate.verb.reflexive or pronoun_object)
    if reflexive and tense == "going to":
        tense = "future"
    roll = rng.random()
    if (
        is_action
        and not reflexive
        and roll < SHARE["imperative"]
        and predicate.verb.en not in STATIVE
        and PEOPLE & predicate.verb.subjects
    ):
        please = rng.random() < SHARE["please"]
        exclaimed = not please and rng.random() < SHARE["exclaimed"]
        listener = rng.choice(PRONOUNS[2:5])
        return Clause(
            None, predicate, "present", negative, "imperative", None, None, listener, please, exclaimed
        )
    roll = rng.random()
    if roll < SHARE["yes/no"]:
        form, negative = "yes/no", False
    elif roll < SHARE["yes/no"] + SHARE["wh"]:
        form = _wh(rng, subject, predicate)
        negative = negative and form == "why"
    if is_action and not reflexive and tense in ("present", "future") and rng.random() < SHARE["modal"]:
        modal, tense = rng.choice(("can", "must", "want")), "present"
    if rng.random() < SHARE["time"]:
        fitting = [t for t, tenses in _TIME_TENSES.items() if tense in tenses]
        time = rng.choice(fitting) if fitting else None
    # "Can you open the door, please?"
    please = modal == "can" and form == "yes/no" and subject == PRONOUNS[2] and rng.random() < SHARE["please"]
    return Clause(subject, predicate, tense, negative, form, modal, time, please=please)


def _wh(rng: random.Random, subject: Subject | None, predicate) -> str:
    """A question word that fits the clause, or "statement"."""
    options = []
    if isinstance(predicate, Location) and subject is not None:
        options.append("where")
    if isinstance(predicate, Action):
        options += ["when", "why"]
        if predicate.object is not None and predicate.verb.en_prep == "" and predicate.verb.fr_prep == "":
            options.append("what")
        if isinstance(subject, Phrase | Name):
            options.append("who")
        if predicate.place is not None:
            options.append("where")
    if isinstance(predicate, Quality | Feeling) and subject is not None:
        options.append("why")
    return rng.choice(options) if options else "statement"


def coreference_plan(
    animal: Noun, thing: Noun, verb: Verb, adjective: Adjective, plural: bool = False
) -> Joined:
    """The lecture's sentence with other words: "The animal did not cross the street because it was too
    tired." French must choose il or elle, so it must know what "it" is: only the adjective tells, since it
    fits only one of the two nouns."""
    referent = animal if animal.category in adjective.describes else thing
    it = Pronoun(3, plural, referent.gender, thing=True)
    first = Clause(Phrase(animal, plural=plural), Action(verb, Phrase(thing, plural=plural)), "past", True)
    return Joined(first, "because", Clause(it, Quality(adjective, "too"), "past"))


def _coreference(draw: _Draw) -> Joined:
    rng, words = draw.rng, draw.words
    verbs = [
        v
        for v in words.verbs
        if "animal" in v.subjects and v.objects - LIVING and not (v.en_prep or v.fr_prep)
    ]
    verb = rng.choice(verbs)
    thing = draw.noun(verb.objects - LIVING)
    animal = draw.noun(frozenset({"animal"}))
    fitting = [a for a in words.adjectives if ("animal" in a.describes) != (thing.category in a.describes)]
    plural = thing.count == "count" and thing.en_countable and rng.random() < 0.3
    return coreference_plan(animal, thing, verb, rng.choice(fitting), plural)


def random_plan(rng: random.Random, words: Vocabulary | None = None) -> Plan:
    """A random plan over `words` (the book's vocabulary by default): a clause, or two joined."""
    draw = _Draw(rng, words or vocabulary())
    if rng.random() < SHARE["coreference"]:
        return _coreference(draw)
    first = random_clause(draw)
    if rng.random() < JOINED_SHARE and first.form == "statement":
        second = random_clause(draw)
        if second.form == "statement":
            conjunction = rng.choices(list(CONJUNCTION_WEIGHTS), list(CONJUNCTION_WEIGHTS.values()))[0]
            return Joined(first, conjunction, second)
    return first


def everyday_pairs(n: int, seed: int = 0, exclude: frozenset[str] = frozenset()) -> list[Pair]:
    """`n` distinct English -> French pairs of random plans, deterministically from `seed`; no English
    sentence is in `exclude` (compared lowercased, without final punctuation)."""
    rng = random.Random(seed)
    words = vocabulary()
    seen = set(exclude)
    pairs: list[Pair] = []
    while len(pairs) < n:
        plan = random_plan(rng, words)
        en, fr = english(plan, rng.random() < SHARE["contracted"]), french(plan)
        if en.endswith(".") and rng.random() < SHARE["no full stop"]:
            en = en[:-1]
        key = en.lower().rstrip(".!?")
        if key in seen:
            continue
        seen.add(key)
        pairs.append(
            Pair(en, fr, type(plan.predicate if isinstance(plan, Clause) else plan).__name__.lower())
        )
    return pairs
