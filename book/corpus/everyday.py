"""Everyday English and its French: random sentence plans drawn from the vocabulary, realised by pyrealb.

`random_plan` draws one plan of a shape a reader types (`SHAPES`: doing something, being something, having,
where things are, how one feels, the weather, the time, there is, a name, two clauses joined, a set
phrase...), then its tense, negation, question or imperative form, modal, frequency and time adverb; the
vocabulary's classes keep it sensible (a person eats food; a red thing is a thing that can be red).
`random_coreference` draws the lecture's sentence with other words. `typed_pair` writes a plan in both
languages, its English now and then the way people type (contractions, no final full stop).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

from book.corpus.plans import (
    ADDRESSEES,
    FEELINGS,
    FREQUENCIES,
    GREETINGS,
    WEATHER,
    Action,
    Age,
    Both,
    Clause,
    Clock,
    Existence,
    Feeling,
    Greeting,
    Joined,
    Location,
    Name,
    Naming,
    Origin,
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
    Weather,
    english,
    french,
    subject_gender,
)
from book.corpus.vocabulary import Adjective, Noun, Verb, Vocabulary
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

CITIES = (
    Name("Paris"), Name("London", french="Londres"), Name("Rome"), Name("Berlin"), Name("Madrid"),
    Name("Lyon"), Name("Montreal", french="Montréal"), Name("Brussels", french="Bruxelles"),
    Name("Geneva", french="Genève"), Name("Tokyo"), Name("Marseille"), Name("Toronto"),
)  # fmt: skip
"""Cities, with their French names where French has its own."""

COUNTRIES = (
    Name("France", "f", country=True), Name("Italy", "f", "Italie", True),
    Name("Spain", "f", "Espagne", True), Name("Germany", "f", "Allemagne", True),
    Name("England", "f", "Angleterre", True), Name("China", "f", "Chine", True),
    Name("Belgium", "f", "Belgique", True), Name("Switzerland", "f", "Suisse", True),
    Name("Canada", country=True), Name("Japan", french="Japon", country=True),
    Name("Portugal", country=True), Name("Brazil", french="Brésil", country=True),
    Name("Mexico", french="Mexique", country=True),
)  # fmt: skip
"""Countries, with their French names and genders (en France, au Canada)."""

WHERE = CITIES + COUNTRIES

OWNERS = {
    "person": PEOPLE,
    "animal": PEOPLE,
    "furniture": frozenset({"person", "room"}),
    "object": PEOPLE,
    "room": frozenset({"place"}),
    "place": frozenset({"place"}),
    "vehicle": PEOPLE,
    "clothing": PEOPLE,
}
"""Whose or what's a noun of each class can be ("the door of the house")."""

PLACES = (
    ("in", "dans"),
    ("far from", "loin de"),
    ("next to", "à côté de"),
    ("near", "près de"),
    ("behind", "derrière"),
    ("in front of", "devant"),
)
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
    "city": 0.15,
    "many": 0.1,
    "of": 0.04,
    "and": 0.04,
    "frequency": 0.12,
    "with": 0.05,
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
    "in the morning": ("present", "past"),
    "in the evening": ("present", "past"),
    "at night": ("present", "past"),
    "at noon": ("present", "past", "future"),
    "at eight": ("present", "past", "future"),
    "at seven o'clock": ("present", "past", "future"),
    "at 9": ("present", "future"),
    "on Monday": ("present", "past", "future"),
    "on Saturday": ("present", "past", "future"),
    "on Sunday": ("present", "past", "future"),
    "in winter": ("present", "past"),
    "in summer": ("present", "past"),
    "in January": ("present", "past"),
    "in August": ("present", "past", "future"),
}


class Draw:
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
        if kind == "a" and rng.random() < SHARE["many"]:  # many books, a lot of water
            kind, plural = "many", noun.count == "count" and noun.en_countable
        adjective = self.adjective_for(noun) if rng.random() < SHARE["adjective"] else None
        owner = rng.choice(PRONOUNS) if kind == "possessive" else None
        clause = self.relative(noun) if relative and rng.random() < SHARE["relative"] else None
        of = self.owner_of(noun) if kind == "the" and rng.random() < SHARE["of"] else None
        return Phrase(
            noun, kind, plural, adjective, owner, number, digits=rng.random() < 0.5, relative=clause, of=of
        )

    def owner_of(self, noun: Noun) -> Phrase | Name:
        """Whose or what's `noun` is: "(the sister) of the king", "(the door) of the house"."""
        owners = OWNERS.get(noun.category, PEOPLE)
        if "person" in owners and self.rng.random() < 0.3:
            return Name(*self.rng.choice(NAMES))
        owner = self.rng.choice([n for n in self.words.nouns_of(owners) if n != noun])
        return Phrase(owner, self.rng.choice(("the", "the", "possessive")), owner=self.rng.choice(PRONOUNS))

    def both(self, classes: frozenset[str]) -> Both:
        """Two noun phrases joined by "and", of `classes`: "the boy and the girl"."""
        first, second = self.noun(classes), self.noun(classes)
        return Both(self.phrase(first, ("the", "possessive")), self.phrase(second, ("the", "possessive")))

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
        if roll < 0.55 + SHARE["and"]:
            return self.both(classes)
        return self.phrase(self.noun(classes), ("the", "the", "possessive", "this", "number"), relative=True)

    def place(self, holder_classes: frozenset[str] = SITES) -> Place:
        """Where: "in the kitchen", "on the table", "near the station", "in Paris" (à Paris)."""
        if "place" in holder_classes and self.rng.random() < SHARE["city"]:
            return Place("in", "à", self.rng.choice(WHERE))
        site = self.noun(holder_classes)
        en, fr = self.rng.choice(ON_FURNITURE if site.category == "furniture" else PLACES)
        return Place(en, fr, self.phrase(site, ("the", "the", "possessive")))

    def verb(self) -> Verb:
        return self.rng.choice(self.words.verbs)


def _action(draw: Draw) -> tuple[Subject, Action]:
    verb = draw.verb()
    subject = draw.subject(verb.subjects)
    thing = None
    if verb.objects:
        noun = draw.noun(verb.objects)
        if "place" in verb.objects and verb.fr_prep in ("à", "dans") and draw.rng.random() < SHARE["city"]:
            thing = draw.rng.choice(WHERE)  # go to Paris, live in Canada: aller à Paris, habiter au Canada
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
    company = None
    if verb.subjects & PEOPLE and draw.rng.random() < SHARE["with"]:  # "with my sister", "with Paul"
        company = (
            Name(*draw.rng.choice(NAMES))
            if draw.rng.random() < 0.3
            else draw.phrase(draw.noun(PEOPLE), ("the", "possessive"))
        )
    return subject, Action(verb, thing, place, company)


def _quality(draw: Draw) -> tuple[Subject, Quality]:
    adjective = draw.rng.choice(draw.words.adjectives)
    subject = draw.subject(adjective.describes)
    degree = draw.rng.choice(("very", "very", "too")) if draw.rng.random() < SHARE["degree"] else ""
    return subject, Quality(adjective, degree)


def _possession(draw: Draw) -> tuple[Subject, Possession]:
    return draw.subject(PEOPLE), Possession(
        draw.phrase(draw.noun(THINGS | {"animal"}), ("a", "a", "number", "the"))
    )


def _location(draw: Draw) -> tuple[Subject, Location]:
    return draw.subject(LIVING | THINGS), Location(draw.place(SITES | {"furniture"}))


def _role(draw: Draw) -> tuple[Subject, Role]:
    """Someone is someone: the role fits the subject's gender ("she is a nurse", not "he is a mother")."""
    subject = draw.subject(PEOPLE)
    gender = subject_gender(subject)
    roles = [n for n in draw.words.nouns_of(PEOPLE) if n.gender in ("x", gender)]
    return subject, Role(draw.rng.choice(roles))


def _feeling(draw: Draw) -> tuple[Subject, Feeling]:
    return draw.subject(PEOPLE), draw.rng.choice(FEELINGS)


def _age(draw: Draw) -> tuple[Subject, Age]:
    years = draw.rng.randint(2, 90)
    return draw.subject(PEOPLE), Age(years, years > 20 or draw.rng.random() < 0.5)


def _existence(draw: Draw) -> tuple[None, Existence]:
    thing = draw.phrase(draw.noun(LIVING | THINGS), ("a", "a", "number"))
    return None, Existence(thing, draw.place(SITES | {"furniture"}) if draw.rng.random() < 0.7 else None)


def _origin(draw: Draw) -> tuple[Subject, Origin]:
    return draw.subject(PEOPLE), Origin(draw.rng.choice(WHERE))


def _naming(draw: Draw) -> tuple[Pronoun, Naming]:
    person = draw.rng.choice([p for p in PRONOUNS if not p.plural])
    name, gender = draw.rng.choice([n for n in NAMES if n[1] == person.gender])
    return person, Naming(Name(name, gender))


def _clock(draw: Draw) -> tuple[None, Clock]:
    return None, Clock(draw.rng.randint(1, 12), draw.rng.random() < 0.4)


def _weather(draw: Draw) -> tuple[None, Weather]:
    weather = draw.rng.choice(WEATHER)
    if weather.fr_verb == "faire" and draw.rng.random() < SHARE["degree"]:  # "very cold": "très froid"
        weather = replace(weather, degree="very")
    return None, weather


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
    "naming": (0.02, _naming),
    "origin": (0.01, _origin),
    "clock": (0.01, _clock),
}
"""The shapes of a clause: each one's share and what draws its subject and predicate."""

JOINED_SHARE = 0.08
GREETING_SHARE = 0.03
CONJUNCTION_WEIGHTS = {"and": 0.4, "but": 0.3, "because": 0.3}


def random_clause(draw: Draw) -> Clause:
    """One clause of a random shape, tense and form."""
    rng = draw.rng
    names = list(SHAPES)
    shape = rng.choices(names, [SHAPES[n][0] for n in names])[0]
    subject, predicate = SHAPES[shape][1](draw)
    is_action = isinstance(predicate, Action)
    if isinstance(predicate, Clock):  # "It is three o'clock.", "Is it five o'clock?"
        return Clause(
            None,
            predicate,
            rng.choice(("present", "present", "past")),
            False,
            rng.choice(("statement", "yes/no")),
        )
    if isinstance(predicate, Origin):  # "I am from Paris." -> "Je viens de Paris."
        return Clause(subject, predicate, "present", rng.random() < 0.15)
    if isinstance(predicate, Naming):  # "My name is Marie.", "Her name was not Léa."
        return Clause(subject, predicate, rng.choice(("present", "present", "past")), rng.random() < 0.1)
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
    if form == "how old":  # "How old are you?"
        return Clause(subject, predicate, "present", False, form)
    if is_action and not reflexive and tense in ("present", "future") and rng.random() < SHARE["modal"]:
        modal, tense = rng.choice(("can", "can", "must", "want", "want", "like", "would like")), "present"
    frequency = None
    if (
        tense == "present"
        and form == "statement"
        and not (negative or modal)
        and isinstance(predicate, Action | Quality | Feeling)
        and rng.random() < SHARE["frequency"]
    ):
        frequency = rng.choice(list(FREQUENCIES))
    if rng.random() < SHARE["time"]:
        fitting = [t for t, tenses in _TIME_TENSES.items() if tense in tenses]
        time = rng.choice(fitting) if fitting else None
    # "Can you open the door, please?"
    please = modal == "can" and form == "yes/no" and subject == PRONOUNS[2] and rng.random() < SHARE["please"]
    return Clause(subject, predicate, tense, negative, form, modal, time, please=please, frequency=frequency)


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
    if isinstance(predicate, Age) and not isinstance(subject, Both):
        options += ["how old"] * 4
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


def random_coreference(draw: Draw) -> tuple[Joined, tuple[str, str, str]]:
    """A coreference sentence of random words, and its triple (animal, thing, adjective), the combination
    that dev and test hold out of training."""
    rng, words = draw.rng, draw.words
    things = THINGS | SITES
    verbs = [
        v
        for v in words.verbs
        if "animal" in v.subjects and v.objects & things and not (v.en_prep or v.fr_prep)
    ]
    verb = rng.choice(verbs)
    thing = draw.noun(verb.objects & things)
    animal = draw.noun(frozenset({"animal"}))
    fitting = [
        a  # "too tired", "too wide"; not "too Spanish"
        for a in words.adjectives
        if ("animal" in a.describes) != (thing.category in a.describes) and a.en.islower()
    ]
    adjective = rng.choice(fitting)
    plural = thing.count == "count" and thing.en_countable and rng.random() < 0.3
    return coreference_plan(animal, thing, verb, adjective, plural), (animal.en, thing.en, adjective.en)


def random_greeting(rng: random.Random) -> Greeting:
    """A set phrase, said to a name, to someone ("my friend") or to no one."""
    en, fr = rng.choice(GREETINGS)
    roll = rng.random()
    to = None
    if roll < 0.5:
        name = rng.choice(NAMES)[0]
        to = (name, name)
    elif roll < 0.7:
        to = rng.choice(ADDRESSEES)
    return Greeting(en, fr, to, rng.choice(("!", ".")))


def random_plan(draw: Draw) -> Plan:
    """A random plan: a set phrase, one clause, or two joined (not a coreference sentence:
    `random_coreference`)."""
    rng = draw.rng
    if rng.random() < GREETING_SHARE:
        return random_greeting(rng)
    first = random_clause(draw)
    if rng.random() < JOINED_SHARE and first.form == "statement":
        second = random_clause(draw)
        if second.form == "statement":
            conjunction = rng.choices(list(CONJUNCTION_WEIGHTS), list(CONJUNCTION_WEIGHTS.values()))[0]
            return Joined(first, conjunction, second)
    return first


def kind_of(plan: Plan) -> str:
    """The plan's kind, as pairs record it: its clause's shape ("action", "quality"...), "joined" or
    "greeting"."""
    return type(plan.predicate if isinstance(plan, Clause) else plan).__name__.lower()


def typed_pair(plan: Plan, kind: str, rng: random.Random) -> Pair:
    """The plan in both languages, its English now and then written as people type it: contracted
    ("doesn't", "I'm"), or without its final full stop."""
    en, fr = english(plan, rng.random() < SHARE["contracted"]), french(plan)
    if en.endswith(".") and rng.random() < SHARE["no full stop"]:
        en = en[:-1]
    return Pair(en, fr, kind)
