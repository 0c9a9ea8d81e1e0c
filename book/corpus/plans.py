"""Sentence plans: what a sentence says, written once, realised in English and in French by pyrealb.

A `Clause` names who (a `Pronoun`, a noun `Phrase` or a `Name`), what is said of them (a predicate: an
`Action`, a `Quality`, a `Role`, a `Location`, a `Possession`, a `Feeling`, an `Age`, `Weather` or
`Existence`), when (`tense`), whether it is denied, asked or ordered (`negative`, `form`), with a modal
("can", "want") and a time adverb. `english(plan)` and `french(plan)` turn it into text; where the two
languages say the same thing in different shapes, the plan is the same and the builders differ:

    I am hungry.          -> J'ai faim.               (Feeling: be + adjective / avoir + noun)
    It is cold.           -> Il fait froid.           (Weather)
    I like apples.        -> J'aime les pommes.       (a generic object: bare in English, "les" in French)
    I don't eat bread.    -> Je ne mange pas de pain. (a partitive object after a negation)
    She is a doctor.      -> Elle est médecin.        (Role: no article before a job in French)
    There are 3 cats.     -> Il y a 3 chats.          (Existence)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from pyrealb import AP, CP, NO, NP, PP, SP, VP, A, Adv, C, Constituent, D, N, P, Pro, Q, S, V

from book.corpus.realiser import Language, realise
from book.corpus.vocabulary import Adjective, Noun, Verb

Tense = Literal["present", "progressive", "past", "past progressive", "perfect", "future", "going to"]
TENSES: tuple[Tense, ...] = (
    "present",
    "progressive",
    "past",
    "past progressive",
    "perfect",
    "future",
    "going to",
)
Form = Literal["statement", "yes/no", "where", "when", "why", "what", "who", "how old", "imperative"]
_QUESTION = {"yes/no": "yon", "where": "whe", "when": "whn", "why": "why", "what": "wad", "who": "wos"}
Determiner = Literal["the", "a", "some", "generic", "this", "that", "possessive", "number", "many"]


@dataclass(frozen=True)
class Pronoun:
    """I, you, he, she, it, we, they: `person` 1-3, `plural`, `gender` ("m"/"f"; a thing's "it" is
    `thing`, its French gender the noun's)."""

    person: int
    plural: bool = False
    gender: str = "m"
    thing: bool = False


@dataclass(frozen=True)
class Relative:
    """A relative clause: "who eats the apple" -> "qui mange la pomme" (the noun does `verb` to `other`),
    or "that I read" -> "que je lis" (`other` does `verb` to the noun: `noun_is_subject` False), in the
    present or the `past`."""

    verb: Verb
    other: Pronoun | Phrase | Name | None
    noun_is_subject: bool = True
    past: bool = False


@dataclass(frozen=True)
class Phrase:
    """A noun phrase: `noun` with a determiner ("the", "a", "some" (partitive: du pain), "generic" (I like
    apples -> les pommes), "this", "that", "possessive" (of `owner`), "many" (many books, a lot of water:
    beaucoup de livres, beaucoup d'eau), "number" (`number` of them, in
    `digits` or in words)), an optional adjective, `relative` clause and owner it is `of` ("the sister of
    the king" -> "la sœur du roi"), and for a person noun with two French forms, the person's `gender`."""

    noun: Noun
    determiner: Determiner = "the"
    plural: bool = False
    adjective: Adjective | None = None
    owner: Pronoun | None = None
    number: int | None = None
    gender: str | None = None
    digits: bool = False
    relative: Relative | None = None
    of: Phrase | Name | None = None

    @property
    def french_gender(self) -> str:
        """The gender the French agrees with: the noun's, or the person's for ami/amie."""
        return self.gender or ("m" if self.noun.gender == "x" else self.noun.gender)


@dataclass(frozen=True)
class Name:
    """A person's, a city's or a `country`'s name, written the same in both languages unless French has
    its own (`french`: London -> Londres); `gender` for agreement. French puts an article before a
    country ("le Canada") and says "en France" but "au Canada"."""

    text: str
    gender: str = "m"
    french: str = ""
    country: bool = False

    @property
    def fr(self) -> str:
        """The name in French."""
        return self.french or self.text


@dataclass(frozen=True)
class Both:
    """Two noun phrases joined by "and": "the boy and the girl" -> "le garçon et la fille", plural, and
    feminine in French only if both are."""

    first: Phrase | Name
    second: Phrase | Name


Subject = Pronoun | Phrase | Name | Both


@dataclass(frozen=True)
class Place:
    """Where: a preposition and a noun phrase ("in the kitchen", "near the station")."""

    en: str
    fr: str
    where: Phrase | Name


@dataclass(frozen=True)
class Action:
    """Doing something: a verb, its object (if any: a thing, someone, or a pronoun: "I love you" -> "je
    t'aime"), a place and whom it is done `with` (if any: "with my sister" -> "avec ma sœur")."""

    verb: Verb
    object: Phrase | Name | Pronoun | None = None
    place: Place | None = None
    with_: Phrase | Name | None = None


@dataclass(frozen=True)
class Quality:
    """Being something: "is (very, too) big" -> "est (très, trop) grand", agreeing with the subject."""

    adjective: Adjective
    degree: str = ""


@dataclass(frozen=True)
class Role:
    """Being someone: "is a teacher" -> "est professeur" (no French article before a role)."""

    noun: Noun


@dataclass(frozen=True)
class Location:
    """Being somewhere: "is in the garden" -> "est dans le jardin" (no place: where-questions)."""

    place: Place | None


@dataclass(frozen=True)
class Possession:
    """Having something: "has a red car" -> "a une voiture rouge"."""

    thing: Phrase


@dataclass(frozen=True)
class Feeling:
    """A state English says with "be" + adjective and French otherwise: hungry -> avoir faim (`fr_verb`
    avoir + a noun), fine -> aller bien (aller + an adverb), late -> être en retard (être + words)."""

    en: str
    fr: str
    fr_verb: str = "avoir"


@dataclass(frozen=True)
class Age:
    """Being so many years old: "is 8 years old" -> "a 8 ans" (in `digits` or in words)."""

    years: int
    digits: bool = True


@dataclass(frozen=True)
class Weather:
    """The weather, which English and French say differently: "it is cold" -> "il fait froid" (`fr_verb`
    faire with an adjective), "it is raining" -> "il pleut" (`en` a verb, French `fr_verb` alone), "it is
    windy" -> "il y a du vent" (`fr_verb` "y avoir" with a noun); "very cold" -> "très froid" (`degree`)."""

    en: str
    fr_verb: str
    fr: str = ""
    degree: str = ""

    @property
    def is_verb(self) -> bool:
        """Whether English says it with a verb of its own (rain, snow)."""
        return not self.fr


@dataclass(frozen=True)
class Clock:
    """The time of day: "it is three o'clock" -> "il est trois heures" (in `digits` or in words)."""

    hour: int
    digits: bool = False


@dataclass(frozen=True)
class Existence:
    """There is/are: "there are 3 chairs in the kitchen" -> "il y a 3 chaises dans la cuisine"."""

    thing: Phrase
    place: Place | None = None


@dataclass(frozen=True)
class Origin:
    """Coming from a city: "is from Paris" -> "vient de Paris"."""

    city: Name


@dataclass(frozen=True)
class Naming:
    """Being called: "my name is Marie" -> "je m'appelle Marie" (the subject is a pronoun)."""

    name: Name


Predicate = (
    Action | Quality | Role | Location | Possession | Feeling | Age | Weather | Existence | Naming | Origin
)

FEELINGS = (
    Feeling("hungry", "faim"),
    Feeling("thirsty", "soif"),
    Feeling("cold", "froid"),
    Feeling("hot", "chaud"),
    Feeling("afraid", "peur"),
    Feeling("sleepy", "sommeil"),
    Feeling("right", "raison"),
    Feeling("wrong", "tort"),
    Feeling("fine", "bien", "aller"),
    Feeling("late", "en retard", "être"),
    Feeling("early", "en avance", "être"),
)
"""The states English says with "be" + adjective and French in another shape."""

WEATHER = (
    Weather("cold", "faire", "froid"),
    Weather("hot", "faire", "chaud"),
    Weather("nice", "faire", "beau"),
    Weather("rain", "pleuvoir"),
    Weather("snow", "neiger"),
    Weather("windy", "y avoir", "vent"),
    Weather("sunny", "y avoir", "soleil"),
)

DEGREES = {"very": "très", "too": "trop"}
"""The adverbs of degree before an adjective."""

TIMES = {
    "today": ("today", "aujourd'hui"),
    "tomorrow": ("tomorrow", "demain"),
    "yesterday": ("yesterday", "hier"),
    "now": ("now", "maintenant"),
    "tonight": ("tonight", "ce soir"),
    "this morning": ("this morning", "ce matin"),
    "every day": ("every day", "tous les jours"),
    "next week": ("next week", "la semaine prochaine"),
    "last week": ("last week", "la semaine dernière"),
    "next year": ("next year", "l'année prochaine"),
    "last year": ("last year", "l'année dernière"),
    "here": ("here", "ici"),
    "in the morning": ("in the morning", "le matin"),
    "in the evening": ("in the evening", "le soir"),
    "at night": ("at night", "la nuit"),
    "at noon": ("at noon", "à midi"),
    "at eight": ("at eight", "à huit heures"),
    "at seven o'clock": ("at seven o'clock", "à sept heures"),
    "at 9": ("at 9", "à 9 heures"),
    "on Monday": ("on Monday", "lundi"),
    "on Saturday": ("on Saturday", "samedi"),
    "on Sunday": ("on Sunday", "dimanche"),
    "in winter": ("in winter", "en hiver"),
    "in summer": ("in summer", "en été"),
    "in January": ("in January", "en janvier"),
    "in August": ("in August", "en août"),
}
"""Adverbs of time (and "here"), English and French, said at the end of the sentence."""


@dataclass(frozen=True)
class Modal:
    """A verb before the clause's verb: English says it with a modal of pyrealb's (`modality` "poss":
    can) or a verb followed by "to" (`verb`: want to), French with a verb and the infinitive;
    `conditional`: "would like to" -> "voudrais"."""

    fr: str
    modality: str = ""
    verb: str = ""
    conditional: bool = False


MODALS = {
    "can": Modal("pouvoir", modality="poss"),
    "must": Modal("devoir", modality="obli"),
    "want": Modal("vouloir", verb="want"),
    "like": Modal("aimer", verb="like"),
    "would like": Modal("vouloir", verb="like", conditional=True),
}
"""The modals a clause may have."""

FREQUENCIES = {"often": "souvent", "always": "toujours", "sometimes": "parfois", "never": "jamais"}
"""How often, said after "be" or before the verb in English, after the verb in French ("never": ne ...
jamais)."""


@dataclass(frozen=True)
class Clause:
    """One sentence: `subject` (None in an imperative: the listener, `listener`), `predicate`, `tense`,
    `negative`, `form` (statement, a question, imperative), an optional `modal`, `time` adverb and
    `frequency` ("often"), and whether it ends with "please" (s'il te plaît, s'il vous plaît) or an
    exclamation mark."""

    subject: Subject | None
    predicate: Predicate
    tense: Tense = "present"
    negative: bool = False
    form: Form = "statement"
    modal: str | None = None
    time: str | None = None
    listener: Pronoun = Pronoun(2)
    please: bool = False
    exclaimed: bool = False
    frequency: str | None = None


@dataclass(frozen=True)
class Joined:
    """Two clauses joined by a conjunction: "and", "but", "because"."""

    first: Clause
    conjunction: str
    second: Clause


@dataclass(frozen=True)
class Greeting:
    """A set phrase, said to someone or to no one: "Good morning, Marie!" -> "Bonjour, Marie!". Written
    as it is, not realised: set phrases do not conjugate."""

    en: str
    fr: str
    to: tuple[str, str] | None = None  # whom, in English and in French ("my friend", "mon ami")
    mark: str = "!"


GREETINGS = (
    ("Hello", "Bonjour"), ("Hi", "Salut"), ("Good morning", "Bonjour"), ("Good evening", "Bonsoir"),
    ("Good night", "Bonne nuit"), ("Goodbye", "Au revoir"), ("See you tomorrow", "À demain"),
    ("See you soon", "À bientôt"), ("See you later", "À plus tard"), ("Thank you", "Merci"),
    ("Thanks", "Merci"), ("Thank you very much", "Merci beaucoup"), ("You're welcome", "De rien"),
    ("Sorry", "Pardon"), ("Welcome", "Bienvenue"), ("Have a nice day", "Bonne journée"),
    ("Have a nice evening", "Bonne soirée"), ("Happy birthday", "Joyeux anniversaire"),
    ("Congratulations", "Félicitations"), ("Good luck", "Bonne chance"), ("Yes", "Oui"), ("No", "Non"),
)  # fmt: skip
"""Set phrases and their French."""

ADDRESSEES = (
    ("my friend", "mon ami"), ("everyone", "tout le monde"), ("Mum", "Maman"), ("Dad", "Papa"),
    ("sir", "monsieur"), ("madam", "madame"), ("children", "les enfants"),
)  # fmt: skip
"""Whom a set phrase is said to, besides a name."""


Plan = Clause | Joined | Greeting
CONJUNCTIONS = {"and": "et", "but": "mais", "because": "parce que"}


def number_of(subject: Subject | None) -> str:
    """pyrealb's number ("s" or "p") of a subject."""
    if isinstance(subject, Both):
        return "p"
    if isinstance(subject, Phrase):
        return "p" if subject.plural else "s"
    return "p" if isinstance(subject, Pronoun) and subject.plural else "s"


def subject_gender(subject: Subject | None) -> str:
    """The gender French agrees with the subject in ("m" or "f")."""
    if isinstance(subject, Both):
        return "f" if subject_gender(subject.first) == subject_gender(subject.second) == "f" else "m"
    if isinstance(subject, Phrase):
        return subject.french_gender
    return subject.gender if subject is not None else "m"


# --- English ---------------------------------------------------------------------------------------


def _en_pronoun(p: Pronoun, case: str = "nom") -> Constituent:
    lemma = "I" if case == "nom" else "me"
    gender = "n" if p.thing else p.gender
    pronoun = Pro(lemma, "en").pe(p.person).n("p" if p.plural else "s")
    return pronoun.g(gender) if p.person == 3 else pronoun


def _en_phrase(phrase: Phrase | Name | Both) -> Constituent:
    if isinstance(phrase, Both):
        return CP(C("and", "en"), _en_phrase(phrase.first), _en_phrase(phrase.second))
    if isinstance(phrase, Name):
        return NP(Q(phrase.text, "en"))
    noun = phrase.noun
    plural = noun.en_countable and (phrase.plural or noun.count == "plural")
    head = N(noun.en, "en").n("p" if plural else "s")
    words: list[Constituent] = []
    kind = phrase.determiner
    if kind == "the":
        words.append(D("the", "en"))
    elif kind == "a" and not plural and noun.count == "count" and noun.en_countable:
        words.append(D("a", "en"))
    elif kind in ("this", "that"):
        words.append(D(kind, "en"))
    elif kind == "possessive" and phrase.owner is not None:
        words.append(_en_owner(phrase.owner))
    elif kind == "number" and phrase.number is not None:
        words.append(NO(phrase.number, "en").nat(not phrase.digits))
    elif kind == "many":
        words.append(D("many", "en") if plural else Q("a lot of", "en"))
    if phrase.adjective is not None:
        words.append(A(phrase.adjective.en, "en"))
    words.append(head)
    if phrase.of is not None:
        words.append(PP(P("of", "en"), _en_phrase(phrase.of)))
    if phrase.relative is not None:
        words.append(_en_relative(phrase.relative, noun.category == "person"))
    return NP(*words)


def _en_relative(relative: Relative, person: bool) -> Constituent:
    verb = V(relative.verb.en_lemma, "en")
    particle = [Q(relative.verb.en_particle, "en")] if relative.verb.en_particle else []
    if relative.noun_is_subject:
        thing = [] if relative.other is None else [_en_object(relative.verb, relative.other)]
        clause = SP(Pro("who" if person else "that", "en"), VP(verb, *particle, *thing))
    else:
        assert relative.other is not None
        other = relative.other
        person = other.person if isinstance(other, Pronoun) else 3
        verb = verb.pe(person).n(number_of(other))  # pyrealb agrees it with the noun, not with `other`
        clause = SP(Pro("that", "en"), _en_subject(other), VP(verb, *particle))
    return clause.t("ps" if relative.past else "p")


def _en_object(verb: Verb, thing: Phrase | Name | Pronoun) -> Constituent:
    phrase = _en_pronoun(thing, "acc") if isinstance(thing, Pronoun) else _en_phrase(thing)
    return PP(P(verb.en_prep, "en"), phrase) if verb.en_prep else phrase


def _preposition(words: str, language: Language) -> list[Constituent]:
    """A preposition of one or more words ("in front of", "près de"): pyrealb knows the last one, which
    contracts with the article that follows ("près du parc")."""
    *before, last = words.split(" ")
    return ([Q(" ".join(before), language)] if before else []) + [P(last, language)]


def _en_place(place: Place) -> Constituent:
    return PP(*_preposition(place.en, "en"), _en_phrase(place.where))


def _en_graded(adjective: Constituent, degree: str) -> Constituent:
    """`adjective` after "very" or "too" when `degree` says so; "pre" keeps the adverb before its
    adjective in "will not be very big" (else pyrealb writes "will not very be big")."""
    return AP(Adv(degree, "en").pos("pre"), adjective) if degree else adjective


def _en_subject(subject: Subject) -> Constituent:
    return _en_pronoun(subject) if isinstance(subject, Pronoun) else _en_phrase(subject)


def _en_predicate(clause: Clause) -> tuple[Constituent, str | None]:
    """The English verb phrase of `clause` and the subject pyrealb should write instead of the clause's
    (the "it" of weather, the "there" of existence), or None."""
    predicate = clause.predicate
    be = V("be", "en")
    if isinstance(predicate, Action):
        verb = predicate.verb
        parts: list[Constituent] = [V(verb.en_lemma, "en")]
        if verb.en_particle:
            parts.append(Q(verb.en_particle, "en"))
        if predicate.object is not None:
            parts.append(_en_object(verb, predicate.object))
        if predicate.with_ is not None:
            parts.append(PP(P("with", "en"), _en_phrase(predicate.with_)))
        if predicate.place is not None:
            parts.append(_en_place(predicate.place))
        return VP(*parts), None
    if isinstance(predicate, Quality):
        adjective = A(predicate.adjective.en, "en")
        return VP(be, _en_graded(adjective, predicate.degree)), None
    if isinstance(predicate, Role):
        plural = number_of(clause.subject) == "p"
        return VP(be, NP(D("a", "en"), N(predicate.noun.en, "en")).n("p" if plural else "s")), None
    if isinstance(predicate, Location):
        return (VP(be, _en_place(predicate.place)) if predicate.place else VP(be)), None
    if isinstance(predicate, Possession):
        return VP(V("have", "en"), _en_phrase(predicate.thing)), None
    if isinstance(predicate, Feeling):
        return VP(be, A(predicate.en, "en")), None
    if isinstance(predicate, Origin):
        return VP(be, PP(P("from", "en"), Q(predicate.city.text, "en"))), None
    if isinstance(predicate, Age):
        years = NP(NO(predicate.years, "en").nat(not predicate.digits), N("year", "en"))
        return VP(be, years, A("old", "en")), None
    if isinstance(predicate, Clock):
        return VP(be, NO(predicate.hour, "en").nat(not predicate.digits), Q("o'clock", "en")), "it"
    if isinstance(predicate, Weather):
        if predicate.is_verb:
            return VP(V(predicate.en, "en")), "it"
        adjective = A(predicate.en, "en")
        return VP(be, _en_graded(adjective, predicate.degree)), "it"
    assert isinstance(predicate, Existence)
    parts = [be, _en_phrase(predicate.thing)]
    if predicate.place is not None:
        parts.append(_en_place(predicate.place))
    return VP(*parts), "there"


_EN_TENSE = {
    "present": ("p", {}),
    "progressive": ("p", {"prog": True}),
    "past": ("ps", {}),
    "past progressive": ("ps", {"prog": True}),
    "perfect": ("p", {"perf": True}),
    "future": ("f", {}),
}


def _en_have_question(clause: Clause) -> Constituent:
    """A yes/no question about having, with "do" as English asks it: "Does your brother have a car?"
    (pyrealb writes the older "Has your brother a car?")."""
    assert isinstance(clause.predicate, Possession) and clause.subject is not None
    subject = clause.subject
    person = subject.person if isinstance(subject, Pronoun) else 3
    tense = "ps" if clause.tense == "past" else "p"
    do = V("do", "en").t(tense).pe(person).n(number_of(subject))
    have = VP(V("have", "en").t("b"), _en_phrase(clause.predicate.thing))
    return S(do, _en_subject(subject), have).a("?")


def _en_clause(clause: Clause, contracted: bool = False) -> Constituent:
    sentence = _en_sentence(clause)
    types = {"contr": True} if contracted else {}
    if clause.exclaimed:
        types["exc"] = True
    if clause.please:
        sentence.add(Q("please", "en").b(","))
    return sentence.typ(types) if types else sentence


def _en_naming(clause: Clause) -> Constituent:
    """ "My name is Marie.": the subject pronoun becomes the owner of "name"."""
    assert isinstance(clause.predicate, Naming) and isinstance(clause.subject, Pronoun)
    owner = clause.subject
    name = NP(_en_owner(owner), N("name", "en"))
    tense = "ps" if clause.tense == "past" else "p"
    sentence = S(name, VP(V("be", "en"), Q(clause.predicate.name.text, "en"))).t(tense)
    return sentence.typ({"neg": True}) if clause.negative else sentence


def _en_owner(owner: Pronoun) -> Constituent:
    """my, your, his, her, its, our, their."""
    determiner = D("my", "en").pe(owner.person).ow("p" if owner.plural else "s")
    return determiner.g("n" if owner.thing else owner.gender) if owner.person == 3 else determiner


def _en_sentence(clause: Clause) -> Constituent:
    if isinstance(clause.predicate, Naming):
        return _en_naming(clause)
    if (
        isinstance(clause.predicate, Possession)
        and clause.form == "yes/no"
        and clause.tense in ("present", "past")
        and not (clause.modal or clause.negative or clause.time)
    ):
        return _en_have_question(clause)
    verb_phrase, dummy = _en_predicate(clause)
    if clause.tense == "going to":
        verb_phrase = VP(V("go", "en"), verb_phrase.t("b-to"))
        tense, types = "p", {"prog": True}
    else:
        tense, types = _EN_TENSE[clause.tense]
    if isinstance(clause.predicate, Weather) and clause.predicate.is_verb and clause.tense == "present":
        types = {"prog": True}  # "it is raining": English says the weather now with -ing
    types = dict(types)
    if clause.frequency is not None:  # "is often tired", "often reads"
        verb_phrase.add(Adv(clause.frequency, "en"), 1 if verb_phrase.elements[0].lemma == "be" else 0)
    modal = MODALS.get(clause.modal or "")
    if modal is not None and modal.verb:
        verb_phrase = VP(V(modal.verb, "en"), verb_phrase.t("b-to"))
        tense = "c" if modal.conditional else tense
    elif modal is not None:
        types["mod"] = modal.modality
    if clause.negative:
        types["neg"] = True
    if clause.form in _QUESTION:
        types["int"] = _QUESTION[clause.form]
    if clause.form == "imperative":
        sentence = S(verb_phrase).t("ip")
    else:
        if dummy == "there":
            subject = Pro("there", "en")
            number = "p" if isinstance(clause.predicate, Existence) and clause.predicate.thing.plural else "s"
            sentence = S(subject, verb_phrase).n(number)
        elif dummy == "it":
            sentence = S(Pro("I", "en").pe(3).g("n"), verb_phrase)
        else:
            sentence = S(_en_subject(clause.subject), verb_phrase)
        sentence = sentence.t(tense)
    if clause.time is not None:
        sentence.add(Q(TIMES[clause.time][0], "en"))
    return sentence.typ(types) if types else sentence


# --- French ----------------------------------------------------------------------------------------


def _fr_pronoun(p: Pronoun) -> Constituent:
    return Pro("je", "fr").pe(p.person).n("p" if p.plural else "s").g(p.gender)


def _fr_graded(adjective: Constituent, degree: str) -> Constituent:
    """`adjective` after "très" or "trop" when `degree` says so."""
    return AP(Adv(DEGREES[degree], "fr"), adjective) if degree else adjective


def _fr_subject(subject: Subject) -> Constituent:
    return _fr_pronoun(subject) if isinstance(subject, Pronoun) else _fr_phrase(subject)


def _fr_phrase(phrase: Phrase | Name | Both, negative: bool = False) -> Constituent:
    if isinstance(phrase, Both):
        return CP(C("et", "fr"), _fr_phrase(phrase.first, negative), _fr_phrase(phrase.second, negative))
    if isinstance(phrase, Name):
        if phrase.country:
            return NP(D("le", "fr"), Q(phrase.fr, "fr")).g(phrase.gender)
        return NP(Q(phrase.fr, "fr")).g(phrase.gender)
    noun = phrase.noun
    plural = phrase.plural or noun.count == "plural"
    number = "p" if plural else "s"
    head = N(noun.fr_head, "fr").n(number)
    if noun.gender == "x":
        head = head.g(phrase.french_gender)
    words: list[Constituent] = []
    kind = phrase.determiner
    if kind == "the" or kind == "generic":
        words.append(D("le", "fr"))
    elif kind in ("a", "some"):
        if negative:
            words.append(D("de", "fr"))  # pas de pain, pas de voiture, pas de pommes
        elif kind == "some" and not plural:
            words += [D("de", "fr"), D("le", "fr")]  # du pain, de l'eau
        else:
            words.append(D("un", "fr"))  # un, une, des
    elif kind in ("this", "that"):
        words.append(D("ce", "fr"))
    elif kind == "possessive" and phrase.owner is not None:
        owner = phrase.owner
        words.append(D("notre" if owner.plural else "mon", "fr").pe(owner.person))
    elif kind == "number" and phrase.number is not None:
        words.append(NO(phrase.number, "fr").nat(not phrase.digits))
    elif kind == "many":
        words += [Adv("beaucoup", "fr"), P("de", "fr")]
    words.append(head)
    if noun.fr_rest:
        words.append(Q(noun.fr_rest, "fr"))
    if phrase.adjective is not None:
        words.append(A(phrase.adjective.fr, "fr"))
    if phrase.of is not None:
        words.append(PP(P("de", "fr"), _fr_phrase(phrase.of)))
    if phrase.relative is not None:
        words.append(_fr_relative(phrase.relative))
    return NP(*words)


def _fr_relative(relative: Relative) -> Constituent:
    verb = V(relative.verb.fr_lemma, "fr")
    if relative.noun_is_subject:
        thing = [] if relative.other is None else [_fr_object(relative.verb, relative.other, False)]
        clause = SP(Pro("qui", "fr"), VP(verb, *thing))
    else:
        assert relative.other is not None
        clause = SP(Pro("que", "fr"), _fr_subject(relative.other), VP(verb))
    return clause.t("pc" if relative.past else "p")


def _fr_place(place: Place) -> Constituent:
    return _fr_pp(place.fr, place.where)


def _fr_pp(preposition: str, thing: Phrase | Name | Both) -> Constituent:
    """A French prepositional phrase; before a city "à" (à Paris, not dans Paris), before a feminine
    country "en" or "de" without its article (en France, de France; au Canada, du Canada)."""
    if isinstance(thing, Name) and preposition in ("à", "dans", "de"):
        if thing.country and thing.gender == "f":
            return PP(P("de" if preposition == "de" else "en", "fr"), NP(Q(thing.fr, "fr")))
        preposition = "de" if preposition == "de" else "à"
    return PP(*_preposition(preposition, "fr"), _fr_phrase(thing))


def _fr_object(verb: Verb, thing: Phrase | Name | Pronoun, negative: bool) -> Constituent:
    """The object of `verb`: a phrase after its preposition ("à la gare"), or a pronoun, which pyrealb
    puts before the verb ("je t'aime", "je lui téléphone")."""
    if isinstance(thing, Pronoun):
        pronoun = Pro("moi", "fr").pe(thing.person).n("p" if thing.plural else "s").g(thing.gender)
        return pronoun.c("dat" if verb.fr_prep == "à" else "acc")
    generic = isinstance(thing, Phrase) and thing.determiner == "generic"
    if verb.fr_prep:
        return _fr_pp(verb.fr_prep, thing)
    return _fr_phrase(thing, negative and not generic)


def _fr_predicate(clause: Clause) -> tuple[Constituent, bool]:
    """The French verb phrase of `clause`, and whether its subject is the impersonal "il"."""
    predicate, negative = clause.predicate, clause.negative
    etre = V("être", "fr")
    if isinstance(predicate, Action):
        verb = predicate.verb
        parts: list[Constituent] = [V(verb.fr_lemma, "fr")]
        if predicate.object is not None:
            parts.append(_fr_object(verb, predicate.object, negative))
        if predicate.with_ is not None:
            parts.append(PP(P("avec", "fr"), _fr_phrase(predicate.with_)))
        if predicate.place is not None:
            parts.append(_fr_place(predicate.place))
        return VP(*parts), False
    if isinstance(predicate, Quality):
        # agreement set here, since pyrealb loses it through "va être" and "peut être"
        adjective = (
            A(predicate.adjective.fr, "fr").g(subject_gender(clause.subject)).n(number_of(clause.subject))
        )
        return VP(etre, _fr_graded(adjective, predicate.degree)), False
    if isinstance(predicate, Role):
        role = N(predicate.noun.fr_head, "fr").n(number_of(clause.subject))
        return VP(
            etre, NP(role.g(subject_gender(clause.subject)) if predicate.noun.gender == "x" else role)
        ), False
    if isinstance(predicate, Location):
        return (VP(etre, _fr_place(predicate.place)) if predicate.place else VP(etre)), False
    if isinstance(predicate, Possession):
        return VP(V("avoir", "fr"), _fr_phrase(predicate.thing, negative)), False
    if isinstance(predicate, Feeling):
        verb = V(predicate.fr_verb, "fr")
        if predicate.fr_verb == "avoir":
            return VP(verb, NP(N(predicate.fr, "fr"))), False
        if predicate.fr_verb == "aller":
            return VP(verb, Adv(predicate.fr, "fr")), False
        return VP(verb, Q(predicate.fr, "fr")), False
    if isinstance(predicate, Age):
        return VP(
            V("avoir", "fr"), NP(NO(predicate.years, "fr").nat(not predicate.digits), N("an", "fr"))
        ), False
    if isinstance(predicate, Naming):
        return VP(V("appeler", "fr"), Q(predicate.name.text, "fr")), False
    if isinstance(predicate, Origin):
        return VP(V("venir", "fr"), _fr_pp("de", predicate.city)), False
    if isinstance(predicate, Clock):
        hours = NP(NO(predicate.hour, "fr").nat(not predicate.digits), N("heure", "fr"))
        return VP(etre, hours), True
    if isinstance(predicate, Weather):
        if predicate.is_verb:
            return VP(V(predicate.fr_verb, "fr")), True
        if predicate.fr_verb == "y avoir":  # il y a du vent, il n'y a pas de vent
            some = [D("de", "fr")] if negative else [D("de", "fr"), D("le", "fr")]
            return VP(V("avoir", "fr"), Pro("y", "fr"), NP(*some, N(predicate.fr, "fr"))), True
        adjective = A(predicate.fr, "fr")
        return VP(V(predicate.fr_verb, "fr"), _fr_graded(adjective, predicate.degree)), True
    assert isinstance(predicate, Existence)
    parts = [V("avoir", "fr"), Pro("y", "fr"), _fr_phrase(predicate.thing, negative)]
    if predicate.place is not None:
        parts.append(_fr_place(predicate.place))
    return VP(*parts), True


_FR_TENSE = {
    "present": "p",
    "progressive": "p",
    "past": "pc",
    "past progressive": "i",
    "perfect": "pc",
    "future": "f",
}
_STATES = {
    "être",
    "avoir",
    "vouloir",
    "pouvoir",
    "devoir",
    "aimer",
    "savoir",
    "connaître",
    "adorer",
    "détester",
}
"""French verbs whose English simple past is a state, said in the imparfait: I was tired -> j'étais."""


def _fr_where_is(clause: Clause) -> Constituent:
    """ "Où est la gare ?", as a teacher asks it (pyrealb writes "Où la gare est-elle ?")."""
    assert clause.subject is not None
    etre = V("être", "fr").t(_FR_TENSE[clause.tense]).pe(3).n(number_of(clause.subject))
    return S(Q("où", "fr"), etre, _fr_phrase(clause.subject)).a("?")


def _fr_clause(clause: Clause) -> Constituent:
    if (
        isinstance(clause.predicate, Location)
        and clause.form == "where"
        and isinstance(clause.subject, Phrase | Name | Both)
        and clause.tense in ("present", "future")
        and not (clause.modal or clause.negative or clause.time)
    ):
        return _fr_where_is(clause)
    verb_phrase, impersonal = _fr_predicate(clause)
    tense = _FR_TENSE.get(clause.tense, "p")
    if clause.tense == "going to":
        verb_phrase = VP(V("aller", "fr"), verb_phrase.t("b"))
    modal = MODALS.get(clause.modal or "")
    first_verb = modal.fr if modal else verb_phrase.elements[0].lemma
    if clause.tense == "past" and (
        first_verb in _STATES or isinstance(clause.predicate, Weather | Naming | Feeling)
    ):
        tense = "i"
    if clause.frequency is not None and clause.frequency != "never":
        verb_phrase.add(Adv(FREQUENCIES[clause.frequency], "fr"), 1)  # "lit souvent", "a souvent lu"
    if modal is not None:
        verb_phrase = VP(V(modal.fr, "fr"), verb_phrase.t("b"))
        tense = "c" if modal.conditional else tense
    types: dict = {}
    if clause.negative:
        types["neg"] = True
    if clause.frequency == "never":
        types["neg"] = "jamais"
    if clause.form in _QUESTION:
        types["int"] = _QUESTION[clause.form]
    reflexive = isinstance(clause.predicate, Naming) or (
        isinstance(clause.predicate, Action) and clause.predicate.verb.reflexive
    )
    if reflexive:
        types["refl"] = True
    if clause.form == "imperative":
        listener = clause.listener
        verb_phrase.elements[0].pe(2).n("p" if listener.plural else "s")
        sentence = S(verb_phrase).t("ip")
    else:
        subject = Pro("lui", "fr").c("nom") if impersonal else _fr_subject(clause.subject)
        sentence = S(subject, verb_phrase).t(tense)
    if clause.time is not None:
        sentence.add(Q(TIMES[clause.time][1], "fr"))
    if clause.exclaimed:
        types["exc"] = True
    if clause.please:
        sentence.add(Q("s'il vous plaît" if clause.listener.plural else "s'il te plaît", "fr").b(","))
    return sentence.typ(types) if types else sentence


# --- both ------------------------------------------------------------------------------------------


def _asked_where(clause: Clause) -> Clause:
    """A where-question without the place it asks for: "Where is the cat?", "Where do you eat?"."""
    predicate = clause.predicate
    if clause.form != "where":
        return clause
    if isinstance(predicate, Location):
        return replace(clause, predicate=Location(None))
    if isinstance(predicate, Action):
        return replace(clause, predicate=replace(predicate, place=None))
    return clause


def _greeting(greeting: Greeting, language: Language) -> str:
    phrase = greeting.en if language == "en" else greeting.fr
    if greeting.to is not None:
        phrase += ", " + greeting.to[0 if language == "en" else 1]
    return phrase + greeting.mark


def _build(plan: Plan, language: Language, contracted: bool = False) -> Constituent:
    def clause(c: Clause) -> Constituent:
        return _en_clause(c, contracted) if language == "en" else _fr_clause(c)

    if isinstance(plan, Clause):
        return clause(_asked_where(plan))
    conjunction = plan.conjunction if language == "en" else CONJUNCTIONS[plan.conjunction]
    return S(clause(plan.first), SP(C(conjunction, language), clause(plan.second)))


def _how_old(clause: Clause, language: Language) -> str:
    """ "How old are you?" -> "Quel âge as-tu?": pyrealb asks "Are you?" and "As-tu?", and the question
    words go before (a name keeps its capital)."""
    if language == "en":
        text = realise(lambda: S(_en_subject(clause.subject), VP(V("be", "en"))).typ({"int": "yon"}), "en")
        start = "How old "
    else:
        text = realise(lambda: S(_fr_subject(clause.subject), VP(V("avoir", "fr"))).typ({"int": "yon"}), "fr")
        start = "Quel âge "
    if language == "en" or not isinstance(clause.subject, Name):  # "is Marie?", "Marie a-t-elle?"
        text = text[0].lower() + text[1:]
    return start + text


def english(plan: Plan, contracted: bool = False) -> str:
    """The plan in English, as pyrealb writes it ("My brother has a red car."); `contracted` as people
    often type it ("I'm hungry.", "She doesn't have a car.")."""
    if isinstance(plan, Greeting):
        return _greeting(plan, "en")
    if isinstance(plan, Clause) and plan.form == "how old":
        return _how_old(plan, "en")
    text = realise(lambda: _build(plan, "en", contracted), "en")
    if contracted and "'d " in text:  # pyrealb contracts "had" as a main verb too ("He'd a lid.")
        return english(plan)
    return text


def french(plan: Plan) -> str:
    """The plan in French, as pyrealb writes it and `book.corpus.realiser` corrects it."""
    if isinstance(plan, Greeting):
        return _greeting(plan, "fr")
    if isinstance(plan, Clause) and plan.form == "how old":
        return _how_old(plan, "fr")
    return realise(lambda: _build(plan, "fr"), "fr")
