"""The sentence patterns of the corpus, the lecture's coreference sentence among them, and the table of
sentence kinds: each kind's pattern, its share of every split, and the held-out combinations it takes.

Chapter 9 ("The translator") explains the corpus; `book.corpus` lists the modules that build it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from book.corpus.lexicon import (
    ADJECTIVE_BY_EN,
    ADJECTIVES,
    ANIMATE,
    COREF_ADJECTIVES,
    COREF_VERBS,
    MOTION_VERBS,
    NOUN_BY_EN,
    NOUNS,
    PREPOSITIONS,
    TRANSITIVE_VERBS,
    VERBS,
    Adjective,
    Noun,
    Verb,
    adjectives_for,
)
from book.corpus.phrases import (
    BE_EN,
    ETAIT,
    ETRE,
    MODALS,
    PRONOUN_SUBJECTS,
    Combination,
    Phrase,
    Sentence,
    Subject,
    and_phrase,
    be,
    coordinated,
    join,
    join_french,
    modal_group,
    noun_phrase,
    noun_subject,
    prepositional,
    verb_group,
)

_ANIMATE_NOUNS = tuple(n for n in NOUNS if n.category in ANIMATE)
_PLACES = tuple(n for n in NOUNS if n.category == "place")
_SETTINGS = tuple(n for n in NOUNS if n.category in ("thing", "place"))  # where things can be
_OWNERS = {  # whose or what's a noun can be: "the sister of the king", "the door of the house"
    "person": ("person",),
    "animal": ("person",),
    "thing": ("person", "thing", "place"),
    "food": ("person",),
    "place": ("person", "place"),
}
EXTRA_SHARE = {"possessor": 0.03, "coordination": 0.04, "very": 0.2, "second place": 0.25}
"""How often a noun phrase gets an "of" possessor, a subject or object a second noun with "and", a
predicate adjective "very", and the place of a "to be" sentence a second place ("in the garden near the
house")."""


def _nouns_in(categories: frozenset[str] | tuple[str, ...]) -> tuple[Noun, ...]:
    return tuple(n for n in NOUNS if n.category in categories)


_NOUNS_FOR_VERB = {v: _nouns_in(v.objects) for v in VERBS}


def _possessor(rng: random.Random, noun: Noun) -> Phrase | None:
    """Now and then "of the <owner>" -> "de la <owner>" for `noun`, else None."""
    if rng.random() >= EXTRA_SHARE["possessor"]:
        return None
    owner = rng.choice([n for n in _nouns_in(_OWNERS[noun.category]) if n != noun])
    phrase = noun_phrase(owner, rng.random() < 0.25, True)
    return Phrase(["of"] + phrase.en, ["de"] + phrase.fr)


def _another(rng: random.Random, noun: Noun) -> Noun:
    """A different noun of the same category, to join with "and"."""
    return rng.choice([n for n in NOUNS if n.category == noun.category and n != noun])


def _random_subject(
    rng: random.Random,
    pronoun_ok: bool = True,
    gendered: bool = False,
    noun: Noun | None = None,
    adjective: Adjective | None = None,
) -> Subject:
    """A pronoun or an animate noun phrase, now and then with an owner ("of the king") or a second noun
    ("the cat and the dog"); `gendered` excludes i/we (no agreement marking)."""
    if noun is None and pronoun_ok and rng.random() < 0.3:
        return PRONOUN_SUBJECTS[rng.choice(("he", "she") if gendered else ("i", "he", "she", "we"))]
    noun = noun or rng.choice(_ANIMATE_NOUNS)
    plural = rng.random() < 0.4
    definite = plural or rng.random() < 0.75  # no bare plural subjects: "dogs" would be "les"
    subject = noun_subject(noun, plural, definite, adjective, _possessor(rng, noun))
    if adjective is None and rng.random() < EXTRA_SHARE["coordination"]:
        subject = coordinated(subject, noun_subject(_another(rng, noun), rng.random() < 0.3, True))
    return subject


def _object_phrase(
    rng: random.Random,
    verb: Verb,
    negated: bool,
    noun: Noun | None = None,
    adjective: Adjective | None = None,
) -> Phrase:
    noun = noun or rng.choice(_NOUNS_FOR_VERB[verb])
    if adjective is None and rng.random() < EXTRA_SHARE["coordination"]:  # "the apple and the pear"
        other = rng.choice([n for n in _NOUNS_FOR_VERB[verb] if n != noun])
        return and_phrase(
            noun_phrase(noun, rng.random() < 0.3, True), noun_phrase(other, rng.random() < 0.3, True)
        )
    plural, definite = rng.random() < 0.4, rng.random() < 0.6
    return noun_phrase(noun, plural, definite, adjective, negated, _possessor(rng, noun))


def _transitive(rng: random.Random, past: bool, negated: bool) -> Sentence:
    """ "the girl does not see a car" -> "la fille ne voit pas de voiture"."""
    verb = rng.choice(TRANSITIVE_VERBS)
    subject = _random_subject(rng)
    return join(subject.phrase, verb_group(verb, subject, past, negated), _object_phrase(rng, verb, negated))


def _simple(rng: random.Random) -> Sentence:
    return _transitive(rng, past=False, negated=False)


def _negation(rng: random.Random) -> Sentence:
    return _transitive(rng, past=False, negated=True)


def _past(rng: random.Random) -> Sentence:
    return _transitive(rng, past=True, negated=False)


def _past_negation(rng: random.Random) -> Sentence:
    return _transitive(rng, past=True, negated=True)


def _place_of(rng: random.Random, verb: Verb) -> Phrase:
    """The place after a verb of motion: "to the school" -> "à l'école"; nothing after "leave"."""
    if verb.preposition is None:
        return Phrase([], [])
    en_prep, fr_prep = verb.preposition
    return prepositional(en_prep, fr_prep, rng.choice(_PLACES), rng.random() < 0.25, True)


def _motion_sentence(rng: random.Random) -> Sentence:
    """ "the girls did not go to the school" -> "les filles ne sont pas allées à l'école"."""
    verb = rng.choice(MOTION_VERBS)
    past = rng.random() < 0.6
    subject = _random_subject(rng, gendered=past)
    group = verb_group(verb, subject, past, negated=rng.random() < 0.35)
    return join(subject.phrase, group, _place_of(rng, verb))


def _place(rng: random.Random) -> Phrase:
    """ "near the bridge" -> "près du pont"."""
    en_prep, fr_prep = rng.choice(PREPOSITIONS)
    plural = rng.random() < 0.3
    return prepositional(en_prep, fr_prep, rng.choice(_SETTINGS), plural, plural or rng.random() < 0.7)


def _location_phrase(rng: random.Random) -> Phrase:
    """ "near the bridge" or "here"."""
    return Phrase(["here"], ["ici"]) if rng.random() < 0.12 else _place(rng)


def _location(rng: random.Random, pronoun_ok: bool = True) -> Sentence:
    """ "the cat was not under the table" -> "le chat n'était pas sous la table"."""
    if rng.random() < 0.3:
        subject = _random_subject(rng, pronoun_ok=False, noun=rng.choice(_SETTINGS))
    else:
        subject = _random_subject(rng, pronoun_ok)
    group = be(subject, past=rng.random() < 0.4, negated=rng.random() < 0.3)
    where = _location_phrase(rng)
    if where.en != ["here"] and rng.random() < EXTRA_SHARE["second place"]:  # "in the garden near the house"
        second = _place(rng)
        if second.en[-1] != where.en[-1]:
            where = Phrase(where.en + second.en, where.fr + second.fr)
    return join(subject.phrase, group, where)


def _object_place(rng: random.Random) -> Sentence:
    """An object, then where: "the woman found the key under the bed" -> "... la clé sous le lit"."""
    verb = rng.choice(TRANSITIVE_VERBS)
    subject = _random_subject(rng)
    past, negated = rng.random() < 0.6, rng.random() < 0.25
    return join(
        subject.phrase,
        verb_group(verb, subject, past, negated),
        _object_phrase(rng, verb, negated),
        _location_phrase(rng),
    )


def _random_pair(rng: random.Random, attributive: bool) -> tuple[Noun, Adjective]:
    noun = rng.choice(NOUNS)
    return noun, rng.choice(adjectives_for(noun, attributive))


def _adjective_sentence(
    rng: random.Random, pair: tuple[Noun, Adjective] | None = None, pronoun_ok: bool = True
) -> Sentence:
    """An adjective inside a noun phrase: "i see the red car" -> "je vois la voiture rouge"."""
    noun, adjective = pair or _random_pair(rng, attributive=True)
    if rng.random() < 0.3:  # "the red car is in the garden"
        subject = _random_subject(rng, pronoun_ok=False, noun=noun, adjective=adjective)
        group = be(subject, past=rng.random() < 0.3, negated=rng.random() < 0.2)
        return join(subject.phrase, group, _location_phrase(rng))
    verb = rng.choice([v for v in TRANSITIVE_VERBS if noun.category in v.objects])
    subject = _random_subject(rng, pronoun_ok)
    past, negated = rng.random() < 0.4, rng.random() < 0.2
    return join(
        subject.phrase,
        verb_group(verb, subject, past, negated),
        _object_phrase(rng, verb, negated, noun, adjective),
    )


def _predicate(rng: random.Random, subject: Subject, adjective: Adjective) -> Phrase:
    """The adjective after "to be", agreeing with the subject, now and then with "very" (très)."""
    very = rng.random() < EXTRA_SHARE["very"]
    combos = frozenset(("noun-adjective", noun.en, adjective.en) for noun in subject.nouns)
    french = adjective.french(subject.gender or "m", subject.plural)
    return Phrase(["very"] * very + [adjective.en], ["très"] * very + [french], combos)


def _described(
    rng: random.Random, pair: tuple[Noun, Adjective] | None = None, pronoun_ok: bool = True
) -> tuple[Subject, Adjective]:
    """A subject and an adjective that fits it: he/she and a state, or a noun phrase (or two)."""
    if pair is None and pronoun_ok and rng.random() < 0.15:
        subject = PRONOUN_SUBJECTS[rng.choice(("he", "she"))]
        return subject, rng.choice([a for a in ADJECTIVES if "person" in a.fits])
    noun, adjective = pair or _random_pair(rng, attributive=False)
    return _random_subject(rng, pronoun_ok=False, noun=noun), adjective


def _description(
    rng: random.Random, pair: tuple[Noun, Adjective] | None = None, pronoun_ok: bool = True
) -> Sentence:
    """An adjective after "to be": "the cars were not very red" -> "les voitures n'étaient pas très
    rouges"."""
    subject, adjective = _described(rng, pair, pronoun_ok)
    group = be(subject, past=rng.random() < 0.4, negated=rng.random() < 0.3)
    return join(subject.phrase, group, _predicate(rng, subject, adjective))


CLAUSE_WORDS = 6
"""The longest clause of a two-clause sentence, in words."""


def _short(rng: random.Random, patterns: tuple, **options: bool) -> Sentence:
    """A sentence of one of `patterns` (called with `options`) of at most `CLAUSE_WORDS` words."""
    while True:
        sentence = rng.choice(patterns)(rng, **options)
        if len(sentence[0].split()) <= CLAUSE_WORDS:
            return sentence


def _clauses(rng: random.Random) -> Sentence:
    """Two clauses joined by "because" or "and"; the second has a noun for subject, never a pronoun:
    "the girl is sad because the cat is sick" -> "la fille est triste parce que le chat est malade"."""
    first = _short(rng, (_description, _location))
    second = _short(rng, (_description, _location), pronoun_ok=False)
    en_conjunction, fr_conjunction = rng.choice(
        (("because", "parce que"), ("because", "parce que"), ("and", "et"))
    )
    en = f"{first[0]} {en_conjunction} {second[0]}"
    fr = join_french([*first[1].split(), *fr_conjunction.split(), *second[1].split()])
    return en, fr, first[2] | second[2]


def _question(rng: random.Random) -> Sentence:
    """A yes/no question, asked in French with "est-ce que": "is the boy happy" -> "est-ce que le
    garçon est heureux", "did the dog eat the cake" -> "est-ce que le chien a mangé le gâteau"."""
    asked = Phrase([], ["est-ce", "que"])
    past = rng.random() < 0.4
    shape = rng.random()
    if shape < 0.6:  # to be: an adjective or a place
        if shape < 0.35:
            subject, adjective = _described(rng)
            rest = _predicate(rng, subject, adjective)
        else:
            subject = _random_subject(rng)
            rest = _location_phrase(rng)
        be = Phrase([BE_EN[subject.person][past]], [])
        return join(be, asked, subject.phrase, Phrase([], [(ETAIT if past else ETRE)[subject.index]]), rest)
    verb = rng.choice(TRANSITIVE_VERBS)
    subject = _random_subject(rng)
    do = "did" if past else ("does" if subject.person == "3s" else "do")
    french_verb = Phrase([verb.en], verb_group(verb, subject, past, False).fr)
    return join(Phrase([do], []), asked, subject.phrase, french_verb, _object_phrase(rng, verb, False))


def _modal(rng: random.Random) -> Sentence:
    """can, could, will with an infinitive: "the king cannot find the key" -> "le roi ne peut pas
    trouver la clé", "she will go to the school" -> "elle va aller à l'école"."""
    verb = rng.choice(VERBS)
    subject = _random_subject(rng)
    negated = rng.random() < 0.45
    group = modal_group(rng.choice(list(MODALS)), verb, subject, negated)
    if verb.auxiliary == "avoir":
        return join(subject.phrase, group, _object_phrase(rng, verb, negated))
    return join(subject.phrase, group, _place_of(rng, verb))


def coref_sentence(
    animal: Noun,
    obj: Noun,
    adjective: Adjective,
    verb: Verb,
    *,
    animal_plural: bool = False,
    object_plural: bool = False,
    past: bool = True,
) -> tuple[str, str]:
    """The lecture's pattern: "the <animal> did not <verb> the <object> because it was too <adj>".

    The adjective decides the referent of "it": an animate adjective (tired) means the animal,
    an object adjective (wide) means the object. French says il/elle/ils/elles after that noun.
    Returns (English, French).
    """
    if adjective in COREF_ADJECTIVES["animate"]:
        referent, plural = animal, animal_plural
    elif adjective in COREF_ADJECTIVES["object"]:
        referent, plural = obj, object_plural
    else:
        raise ValueError(f"{adjective.en!r} is not a coreference adjective")
    subject = noun_subject(animal, animal_plural, definite=True)
    group = verb_group(verb, subject, past, negated=True)
    pronoun_en = "they" if plural else "it"
    pronoun_fr = ("elles" if plural else "elle") if referent.gender == "f" else ("ils" if plural else "il")
    be_en = ("were" if plural else "was") if past else ("are" if plural else "is")
    be_fr = (ETAIT if past else ETRE)[3 if plural else 1]
    reason = Phrase(
        ["because", pronoun_en, be_en, "too", adjective.en],
        ["parce", "que", pronoun_fr, be_fr, "trop", adjective.french(referent.gender, plural)],
    )
    en, fr, _ = join(subject.phrase, group, noun_phrase(obj, object_plural, True), reason)
    return en, fr


def _coref(rng: random.Random, triple: tuple[Noun, Noun, Adjective] | None = None) -> Sentence:
    if triple is None:
        verb = rng.choice(COREF_VERBS)
        animal = rng.choice([n for n in _ANIMATE_NOUNS if n.category == "animal"])
        obj = rng.choice(_NOUNS_FOR_VERB[verb])
        adjective = rng.choice(COREF_ADJECTIVES[rng.choice(("animate", "object"))])
    else:
        animal, obj, adjective = triple
        verb = rng.choice([v for v in COREF_VERBS if obj.category in v.objects])
    animal_plural, object_plural = rng.random() < 0.35, rng.random() < 0.35
    en, fr = coref_sentence(
        animal,
        obj,
        adjective,
        verb,
        animal_plural=animal_plural,
        object_plural=object_plural,
        past=rng.random() < 0.7,
    )
    referent = animal if adjective in COREF_ADJECTIVES["animate"] else obj
    combos = frozenset(
        {("coref", animal.en, obj.en, adjective.en), ("noun-adjective", referent.en, adjective.en)}
    )
    return en, fr, combos


def _resolve(combo: Combination) -> tuple:
    """English lemmas -> lexicon entries: (noun, adjective) or (animal, object, adjective)."""
    *nouns, adjective = combo[1:]
    return (*(NOUN_BY_EN[n] for n in nouns), ADJECTIVE_BY_EN[adjective])


def _is_triple(combo: Combination) -> bool:
    return combo[0] == "coref"


def _is_pair(combo: Combination) -> bool:
    return combo[0] == "noun-adjective"


def _is_attributive_pair(combo: Combination) -> bool:
    return _is_pair(combo) and ADJECTIVE_BY_EN[combo[2]].attributive


@dataclass(frozen=True)
class Kind:
    """A kind of sentence: the pattern that writes it, its share of every split, and which held-out
    combinations it `takes`.

    In dev and test, a kind that takes some is `forced`: each of its sentences there contains one of the
    split's held-out combinations, passed to the pattern as lexicon entries. Other kinds are drawn alike
    in every split.
    """

    pattern: Callable[..., Sentence]
    weight: float
    takes: Callable[[Combination], bool] | None = None  # None: never forced

    def forced(self, rng: random.Random, pool: Sequence[Combination]) -> Sentence:
        """A sentence of this kind containing a combination drawn from `pool` (which this kind takes)."""
        return self.pattern(rng, _resolve(rng.choice(pool)))


KINDS: dict[str, Kind] = {
    "coref": Kind(_coref, 0.28, _is_triple),
    "adjective": Kind(_adjective_sentence, 0.12, _is_attributive_pair),
    "description": Kind(_description, 0.09, _is_pair),
    "simple": Kind(_simple, 0.05),
    "negation": Kind(_negation, 0.05),
    "past": Kind(_past, 0.05),
    "past_negation": Kind(_past_negation, 0.05),
    "motion": Kind(_motion_sentence, 0.08),
    "location": Kind(_location, 0.07),
    "object_place": Kind(_object_place, 0.04),
    "clauses": Kind(_clauses, 0.02),
    "question": Kind(_question, 0.05),
    "modal": Kind(_modal, 0.05),
}
"""Every sentence kind by name, in the order random draws use."""

KIND_WEIGHTS: dict[str, float] = {name: kind.weight for name, kind in KINDS.items()}
"""Share of each sentence kind, the same in every split."""
