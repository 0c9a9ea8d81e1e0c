"""The translator's own English/French data, generated from the project's own grammar.

Nothing is downloaded: a small lexicon and a handful of sentence patterns produce sentence pairs
with exactly one correct translation each way. The grammar covers what makes French differ from
English word by word: gendered determiners (le/la/l'/les, un/une/des), adjectives after the noun
that agree with it ("the red cars" -> "les voitures rouges"), present tense and passé composé with
*avoir* and with *être* (which agrees: "she left" -> "elle est partie"), negation ne ... pas with
"pas de" for indefinite objects, prepositions with their contractions (au, aux, du, des), and
elision (l', d', j', n', qu'). Beyond the first patterns it has the shapes a reader tries first:
an object followed by a place, two places, "of" ("la sœur du roi"), "and" between nouns (which
makes the French plural, masculine unless both nouns are feminine), "very", a because-clause
without a pronoun, yes/no questions (asked with "est-ce que") and can/could/will.

The pattern that matters most is the lecture's coreference sentence:
"the animal did not cross the street because it was too tired". French must choose il or elle,
so it must decide whether "it" is the animal or the street; only the adjective tells. In this
grammar the adjective always fits exactly one of the two nouns: animal states (tired, hungry, ...)
fit the animal, physical properties (wide, long, heavy, far, ...) fit the object. Both nouns come
in both genders and both numbers, so the pronoun cannot be guessed from position.

The grammar writes lowercase words without punctuation; `as_typed` then rewrites half of the
sentences the way people type them ("The animal didn't cross the street because it was too
tired."): contractions, capitals, a final full stop, exclamation or question mark, which the
French repeats. `plain_english` undoes it. None of `READER_SENTENCES` is ever generated.
Dev and test hold noun-adjective pairs and coreference triples (noun1, noun2, adjective) that
never occur in training, so they measure compositional generalisation; `held_out_combinations`
reports them. Both lecture sentences are in the test split.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from book.tokenizer import tokenize

# --------------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Noun:
    """A noun in both languages; `category` is person, animal, thing, food or place."""

    en: str
    fr: str
    gender: str  # "m" or "f"
    category: str
    en_plural: str
    fr_plural: str

    def english(self, plural: bool) -> str:
        """The English singular or plural."""
        return self.en_plural if plural else self.en

    def french(self, plural: bool) -> str:
        """The French singular or plural."""
        return self.fr_plural if plural else self.fr


def _noun(en: str, fr: str, gender: str, category: str, en_pl: str = "", fr_pl: str = "") -> Noun:
    return Noun(en, fr, gender, category, en_pl or en + "s", fr_pl or fr + "s")


@dataclass(frozen=True)
class Adjective:
    """An adjective with its four French forms, ordered (m sg, f sg, m pl, f pl).

    `fits` lists the noun categories it may describe. `attributive` is False for adjectives
    that French places before the noun (long, haut) or cannot use attributively (loin): they only
    appear after "is".
    """

    en: str
    forms: tuple[str, str, str, str]
    fits: frozenset[str]
    attributive: bool = True

    def french(self, gender: str, plural: bool) -> str:
        """The form agreeing with a noun of this gender ("m"/"f") and number."""
        return self.forms[(gender == "f") + 2 * plural]


def _adjective(
    en: str, fr: str, fits: str, *, f: str = "", mp: str = "", fp: str = "", attributive: bool = True
) -> Adjective:
    feminine = f or (fr if fr.endswith("e") else fr + "e")
    masculine_plural = mp or (fr if fr.endswith(("s", "x")) else fr + "s")
    forms = (fr, feminine, masculine_plural, fp or feminine + "s")
    return Adjective(en, forms, frozenset(fits.split()), attributive)


@dataclass(frozen=True)
class Verb:
    """A verb: English base/3sg/past, French present (je, il, nous, ils), participle and infinitive.

    `auxiliary` is "avoir" or "être"; `objects` lists the noun categories a transitive verb
    takes. For être verbs, `preposition` is the (English, French) preposition before the place.
    """

    en: str
    en_3sg: str
    en_past: str
    present: tuple[str, str, str, str]
    participle: str
    infinitive: str
    auxiliary: str
    objects: frozenset[str]
    preposition: tuple[str, str] | None = None


def _verb(
    en: str, en_3sg: str, en_past: str, present: str, participle: str, infinitive: str, objects: str
) -> Verb:
    return Verb(
        en,
        en_3sg,
        en_past,
        tuple(present.split()),
        participle,
        infinitive,
        "avoir",
        frozenset(objects.split()),
    )


def _motion(
    en: str,
    en_3sg: str,
    en_past: str,
    present: str,
    participle: str,
    infinitive: str,
    preposition: tuple[str, str] | None,
) -> Verb:
    objects = frozenset({"place"} if preposition else ())
    return Verb(
        en, en_3sg, en_past, tuple(present.split()), participle, infinitive, "être", objects, preposition
    )


ANIMATE = frozenset({"person", "animal"})

NOUNS: tuple[Noun, ...] = (
    # people: English fixes the gender, so French has exactly one translation
    _noun("man", "homme", "m", "person", "men"),
    _noun("woman", "femme", "f", "person", "women"),
    _noun("boy", "garçon", "m", "person"),
    _noun("girl", "fille", "f", "person"),
    _noun("father", "père", "m", "person"),
    _noun("mother", "mère", "f", "person"),
    _noun("brother", "frère", "m", "person"),
    _noun("sister", "sœur", "f", "person"),
    _noun("king", "roi", "m", "person"),
    _noun("queen", "reine", "f", "person"),
    _noun("uncle", "oncle", "m", "person"),
    _noun("aunt", "tante", "f", "person"),
    # animals: English calls them "it", the coreference pattern's first noun
    _noun("animal", "animal", "m", "animal", fr_pl="animaux"),
    _noun("dog", "chien", "m", "animal"),
    _noun("cat", "chat", "m", "animal"),
    _noun("horse", "cheval", "m", "animal", fr_pl="chevaux"),
    _noun("bird", "oiseau", "m", "animal", fr_pl="oiseaux"),
    _noun("rabbit", "lapin", "m", "animal"),
    _noun("wolf", "loup", "m", "animal", "wolves"),
    _noun("elephant", "éléphant", "m", "animal"),
    _noun("lion", "lion", "m", "animal"),
    _noun("duck", "canard", "m", "animal"),
    _noun("fox", "renard", "m", "animal", "foxes"),
    _noun("donkey", "âne", "m", "animal"),
    _noun("tiger", "tigre", "m", "animal"),
    _noun("pig", "cochon", "m", "animal"),
    _noun("monkey", "singe", "m", "animal"),
    _noun("cow", "vache", "f", "animal"),
    _noun("goat", "chèvre", "f", "animal"),
    _noun("hen", "poule", "f", "animal"),
    _noun("turtle", "tortue", "f", "animal"),
    _noun("bee", "abeille", "f", "animal"),
    _noun("spider", "araignée", "f", "animal"),
    _noun("goose", "oie", "f", "animal", "geese"),
    _noun("ostrich", "autruche", "f", "animal", "ostriches"),
    _noun("whale", "baleine", "f", "animal"),
    _noun("frog", "grenouille", "f", "animal"),
    _noun("giraffe", "girafe", "f", "animal"),
    _noun("owl", "chouette", "f", "animal"),
    _noun("ant", "fourmi", "f", "animal"),
    _noun("fly", "mouche", "f", "animal", "flies"),
    # things
    _noun("box", "boîte", "f", "thing", "boxes"),
    _noun("bag", "sac", "m", "thing"),
    _noun("ball", "balle", "f", "thing"),
    _noun("book", "livre", "m", "thing"),
    _noun("chair", "chaise", "f", "thing"),
    _noun("table", "table", "f", "thing"),
    _noun("bottle", "bouteille", "f", "thing"),
    _noun("hat", "chapeau", "m", "thing", fr_pl="chapeaux"),
    _noun("key", "clé", "f", "thing"),
    _noun("letter", "lettre", "f", "thing"),
    _noun("lamp", "lampe", "f", "thing"),
    _noun("clock", "horloge", "f", "thing"),
    _noun("glass", "verre", "m", "thing", "glasses"),
    _noun("cup", "tasse", "f", "thing"),
    _noun("plate", "assiette", "f", "thing"),
    _noun("car", "voiture", "f", "thing"),
    _noun("bicycle", "vélo", "m", "thing"),
    _noun("truck", "camion", "m", "thing"),
    _noun("boat", "bateau", "m", "thing", fr_pl="bateaux"),
    _noun("umbrella", "parapluie", "m", "thing"),
    _noun("shirt", "chemise", "f", "thing"),
    _noun("coat", "manteau", "m", "thing", fr_pl="manteaux"),
    _noun("dress", "robe", "f", "thing", "dresses"),
    _noun("shoe", "chaussure", "f", "thing"),
    _noun("stone", "pierre", "f", "thing"),
    _noun("rope", "corde", "f", "thing"),
    _noun("door", "porte", "f", "thing"),
    _noun("window", "fenêtre", "f", "thing"),
    _noun("desk", "bureau", "m", "thing", fr_pl="bureaux"),
    _noun("computer", "ordinateur", "m", "thing"),
    _noun("phone", "téléphone", "m", "thing"),
    _noun("pencil", "crayon", "m", "thing"),
    _noun("ladder", "échelle", "f", "thing"),
    _noun("airplane", "avion", "m", "thing"),
    _noun("bed", "lit", "m", "thing"),
    # food (things that can also be eaten)
    _noun("apple", "pomme", "f", "food"),
    _noun("cake", "gâteau", "m", "food", fr_pl="gâteaux"),
    _noun("bread", "pain", "m", "food", "breads"),
    _noun("egg", "œuf", "m", "food"),
    _noun("cheese", "fromage", "m", "food", "cheeses"),
    _noun("soup", "soupe", "f", "food"),
    _noun("carrot", "carotte", "f", "food"),
    _noun("pear", "poire", "f", "food"),
    _noun("banana", "banane", "f", "food"),
    # places
    _noun("street", "rue", "f", "place"),
    _noun("road", "route", "f", "place"),
    _noun("river", "rivière", "f", "place"),
    _noun("bridge", "pont", "m", "place"),
    _noun("mountain", "montagne", "f", "place"),
    _noun("hill", "colline", "f", "place"),
    _noun("wall", "mur", "m", "place"),
    _noun("fence", "clôture", "f", "place"),
    _noun("tunnel", "tunnel", "m", "place"),
    _noun("forest", "forêt", "f", "place"),
    _noun("field", "champ", "m", "place"),
    _noun("lake", "lac", "m", "place"),
    _noun("garden", "jardin", "m", "place"),
    _noun("park", "parc", "m", "place"),
    _noun("house", "maison", "f", "place"),
    _noun("school", "école", "f", "place"),
    _noun("station", "gare", "f", "place"),
    _noun("city", "ville", "f", "place", "cities"),
    _noun("hospital", "hôpital", "m", "place", fr_pl="hôpitaux"),
    _noun("market", "marché", "m", "place"),
    _noun("beach", "plage", "f", "place", "beaches"),
    _noun("island", "île", "f", "place"),
    _noun("church", "église", "f", "place", "churches"),
    _noun("museum", "musée", "m", "place"),
    _noun("tree", "arbre", "m", "place"),
    _noun("village", "village", "m", "place"),
    _noun("castle", "château", "m", "place", fr_pl="châteaux"),
    _noun("tower", "tour", "f", "place"),
    _noun("kitchen", "cuisine", "f", "place"),
    _noun("bedroom", "chambre", "f", "place"),
)

OBJECTS = frozenset({"thing", "food", "place"})  # what the coreference pattern's second noun is

_ANIMATE_FITS = "person animal"
_OBJECT_FITS = "thing food place"
_COLOUR_FITS = "animal thing food place"

ADJECTIVES: tuple[Adjective, ...] = (
    # states of people and animals; the first eight are the coreference "animal" adjectives
    _adjective("tired", "fatigué", _ANIMATE_FITS),
    _adjective("hungry", "affamé", _ANIMATE_FITS),
    _adjective("thirsty", "assoiffé", _ANIMATE_FITS),
    _adjective("scared", "effrayé", _ANIMATE_FITS),
    _adjective("sick", "malade", _ANIMATE_FITS),
    _adjective("weak", "faible", _ANIMATE_FITS),
    _adjective("sleepy", "somnolent", _ANIMATE_FITS),
    _adjective("lazy", "paresseux", _ANIMATE_FITS, f="paresseuse"),
    _adjective("happy", "heureux", _ANIMATE_FITS, f="heureuse"),
    _adjective("sad", "triste", _ANIMATE_FITS),
    _adjective("angry", "fâché", _ANIMATE_FITS),
    _adjective("calm", "calme", _ANIMATE_FITS),
    _adjective("brave", "courageux", _ANIMATE_FITS, f="courageuse"),
    _adjective("curious", "curieux", _ANIMATE_FITS, f="curieuse"),
    # physical properties of objects; the first eight are the coreference "object" adjectives
    _adjective("wide", "large", _OBJECT_FITS),
    _adjective("long", "long", _OBJECT_FITS, f="longue", attributive=False),
    _adjective("heavy", "lourd", _OBJECT_FITS),
    _adjective("far", "loin", _OBJECT_FITS, f="loin", mp="loin", fp="loin", attributive=False),
    _adjective("narrow", "étroit", _OBJECT_FITS),
    _adjective("high", "haut", _OBJECT_FITS, attributive=False),
    _adjective("dark", "sombre", _OBJECT_FITS),
    _adjective("slippery", "glissant", _OBJECT_FITS),
    _adjective("broken", "cassé", _OBJECT_FITS),
    _adjective("empty", "vide", _OBJECT_FITS),
    _adjective("expensive", "cher", _OBJECT_FITS, f="chère"),
    _adjective("cold", "froid", _OBJECT_FITS),
    _adjective("round", "rond", _OBJECT_FITS),
    # colours
    _adjective("red", "rouge", _COLOUR_FITS),
    _adjective("blue", "bleu", _COLOUR_FITS),
    _adjective("green", "vert", _COLOUR_FITS),
    _adjective("black", "noir", _COLOUR_FITS),
    _adjective("white", "blanc", _COLOUR_FITS, f="blanche"),
    _adjective("yellow", "jaune", _COLOUR_FITS),
    _adjective("gray", "gris", _COLOUR_FITS),
    _adjective("brown", "brun", _COLOUR_FITS),
)

COREF_ADJECTIVES: dict[str, tuple[Adjective, ...]] = {
    "animate": ADJECTIVES[:8],  # fits the first noun (the animal)
    "object": ADJECTIVES[14:22],  # fits the second noun (the street, the box, ...)
}

_ANY = "person animal thing food place"
_HANDLED = "thing food"

VERBS: tuple[Verb, ...] = (
    _verb("see", "sees", "saw", "vois voit voyons voient", "vu", "voir", _ANY),
    _verb("like", "likes", "liked", "aime aime aimons aiment", "aimé", "aimer", _ANY),
    _verb("watch", "watches", "watched", "regarde regarde regardons regardent", "regardé", "regarder", _ANY),
    _verb("find", "finds", "found", "trouve trouve trouvons trouvent", "trouvé", "trouver", _ANY),
    _verb(
        "hear", "hears", "heard", "entends entend entendons entendent", "entendu", "entendre", "person animal"
    ),
    _verb("help", "helps", "helped", "aide aide aidons aident", "aidé", "aider", "person animal"),
    _verb(
        "call", "calls", "called", "appelle appelle appelons appellent", "appelé", "appeler", "person animal"
    ),
    _verb("feed", "feeds", "fed", "nourris nourrit nourrissons nourrissent", "nourri", "nourrir", "animal"),
    _verb("want", "wants", "wanted", "veux veut voulons veulent", "voulu", "vouloir", _HANDLED),
    _verb("take", "takes", "took", "prends prend prenons prennent", "pris", "prendre", _HANDLED),
    _verb("carry", "carries", "carried", "porte porte portons portent", "porté", "porter", _HANDLED),
    _verb("push", "pushes", "pushed", "pousse pousse poussons poussent", "poussé", "pousser", _HANDLED),
    _verb("pull", "pulls", "pulled", "tire tire tirons tirent", "tiré", "tirer", _HANDLED),
    _verb("lift", "lifts", "lifted", "soulève soulève soulevons soulèvent", "soulevé", "soulever", _HANDLED),
    _verb("open", "opens", "opened", "ouvre ouvre ouvrons ouvrent", "ouvert", "ouvrir", "thing"),
    _verb("close", "closes", "closed", "ferme ferme fermons ferment", "fermé", "fermer", "thing"),
    _verb("buy", "buys", "bought", "achète achète achetons achètent", "acheté", "acheter", _HANDLED),
    _verb("sell", "sells", "sold", "vends vend vendons vendent", "vendu", "vendre", _HANDLED),
    _verb("eat", "eats", "ate", "mange mange mangeons mangent", "mangé", "manger", "food"),
    _verb("break", "breaks", "broke", "casse casse cassons cassent", "cassé", "casser", "thing"),
    _verb("wash", "washes", "washed", "lave lave lavons lavent", "lavé", "laver", "thing animal"),
    _verb(
        "clean",
        "cleans",
        "cleaned",
        "nettoie nettoie nettoyons nettoient",
        "nettoyé",
        "nettoyer",
        "thing place",
    ),
    _verb("paint", "paints", "painted", "peins peint peignons peignent", "peint", "peindre", "thing place"),
    _verb(
        "build",
        "builds",
        "built",
        "construis construit construisons construisent",
        "construit",
        "construire",
        "thing place",
    ),
    _verb(
        "cross",
        "crosses",
        "crossed",
        "traverse traverse traversons traversent",
        "traversé",
        "traverser",
        "place",
    ),
    _verb(
        "climb",
        "climbs",
        "climbed",
        "escalade escalade escaladons escaladent",
        "escaladé",
        "escalader",
        "place",
    ),
    _verb(
        "reach",
        "reaches",
        "reached",
        "atteins atteint atteignons atteignent",
        "atteint",
        "atteindre",
        "place",
    ),
    _verb("visit", "visits", "visited", "visite visite visitons visitent", "visité", "visiter", "place"),
    # verbs of motion: passé composé with être, the participle agrees with the subject
    _motion("go", "goes", "went", "vais va allons vont", "allé", "aller", ("to", "à")),
    _motion("come", "comes", "came", "viens vient venons viennent", "venu", "venir", ("from", "de")),
    _motion(
        "arrive", "arrives", "arrived", "arrive arrive arrivons arrivent", "arrivé", "arriver", ("at", "à")
    ),
    _motion(
        "return",
        "returns",
        "returned",
        "retourne retourne retournons retournent",
        "retourné",
        "retourner",
        ("to", "à"),
    ),
    _motion("enter", "enters", "entered", "entre entre entrons entrent", "entré", "entrer", ("", "dans")),
    _motion("stay", "stays", "stayed", "reste reste restons restent", "resté", "rester", ("in", "dans")),
    _motion("fall", "falls", "fell", "tombe tombe tombons tombent", "tombé", "tomber", ("into", "dans")),
    _motion("leave", "leaves", "left", "pars part partons partent", "parti", "partir", None),
)

TRANSITIVE_VERBS = tuple(v for v in VERBS if v.auxiliary == "avoir")
MOTION_VERBS = tuple(v for v in VERBS if v.auxiliary == "être")
COREF_VERBS = tuple(
    v
    for v in TRANSITIVE_VERBS
    if v.en in {"cross", "climb", "reach", "carry", "push", "pull", "lift", "take"}
)

# Location prepositions (English, French); "de" contracts with le/les (près du pont).
PREPOSITIONS: tuple[tuple[str, str], ...] = (
    ("in", "dans"),
    ("on", "sur"),
    ("under", "sous"),
    ("behind", "derrière"),
    ("in front of", "devant"),
    ("near", "près de"),
    ("next to", "à côté de"),
)

# Subject pronouns. "you" (tu/vous) and "they" (ils/elles) are left out: English does not decide
# the French. "i" and "we" never take an agreeing participle or adjective (allé/allée).
PRONOUNS: tuple[tuple[str, str, str, str | None], ...] = (
    # (English, French, person, gender)
    ("i", "je", "1s", None),
    ("he", "il", "3s", "m"),
    ("she", "elle", "3s", "f"),
    ("we", "nous", "1p", None),
)

LEXICON: dict[str, str] = {
    **{n.en: n.fr for n in NOUNS},
    **{a.en: a.forms[0] for a in ADJECTIVES},
    **{v.en: v.participle for v in VERBS},
    **{en: fr for en, fr, _, _ in PRONOUNS},
    **dict(PREPOSITIONS),
}
"""Every content word, English lemma -> French lemma (participle for verbs)."""

# --------------------------------------------------------------------------------------------
# Surface rules: elision, contraction, a/an
# --------------------------------------------------------------------------------------------

_VOWELS = "aeiouyàâäéèêëîïôöûüœ"
_H_MUET = ("homme", "hôpital", "horloge")  # the lexicon has no h aspiré words
_ELIDING = {"je": "j'", "ne": "n'", "de": "d'", "que": "qu'", "le": "l'", "la": "l'"}
_CONTRACTIONS = {("à", "le"): "au", ("à", "les"): "aux", ("de", "le"): "du", ("de", "les"): "des"}


def _starts_with_vowel_sound(word: str) -> bool:
    return word[0] in _VOWELS or word.startswith(_H_MUET)


def _french(words: list[str]) -> str:
    """Join French words, eliding (le arbre -> l'arbre) and contracting (à le -> au)."""
    out: list[str] = []
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word in _ELIDING and following and _starts_with_vowel_sound(following):
            out.append(_ELIDING[word])
        elif out and (out[-1], word) in _CONTRACTIONS:
            out[-1] = _CONTRACTIONS[(out[-1], word)]
        else:
            out.append(word)
    return " ".join(out).replace("' ", "'")


def _english(words: list[str]) -> str:
    """Join English words, turning "a" into "an" before a vowel."""
    out = [
        "an" if word == "a" and i + 1 < len(words) and words[i + 1][0] in "aeiou" else word
        for i, word in enumerate(words)
    ]
    return " ".join(w for w in out if w)


# --------------------------------------------------------------------------------------------
# Building blocks of sentences
# --------------------------------------------------------------------------------------------

Combination = tuple[str, ...]
"""("noun-adjective", noun, adjective) or ("coref", noun1, noun2, adjective), English lemmas."""


@dataclass(frozen=True)
class _Phrase:
    """A piece of a sentence in both languages, plus the held-out combinations it contains."""

    en: list[str]
    fr: list[str]
    combos: frozenset[Combination] = frozenset()


def _noun_phrase(
    noun: Noun,
    plural: bool,
    definite: bool,
    adjective: Adjective | None = None,
    negated_object: bool = False,
    possessor: _Phrase | None = None,
) -> _Phrase:
    """ "the red cars of the king" -> "les voitures rouges du roi"; an indefinite object of a negated
    verb takes de."""
    if definite:
        en_det = "the"
        fr_det = "les" if plural else ("le" if noun.gender == "m" else "la")
    else:
        en_det = "" if plural else "a"
        fr_det = "des" if plural else ("un" if noun.gender == "m" else "une")
        if negated_object:
            fr_det = "de"
    en = [en_det] + ([adjective.en] if adjective else []) + [noun.english(plural)]
    fr = [fr_det, noun.french(plural)]
    combos: frozenset[Combination] = frozenset()
    if adjective:
        fr.append(adjective.french(noun.gender, plural))
        combos = frozenset({("noun-adjective", noun.en, adjective.en)})
    if possessor:
        en, fr = en + possessor.en, fr + possessor.fr
    return _Phrase([w for w in en if w], fr, combos)


def _and(first: _Phrase, second: _Phrase) -> _Phrase:
    """ "the cat" + "the dog" -> "the cat and the dog" / "le chat et le chien"."""
    return _Phrase(
        first.en + ["and"] + second.en, first.fr + ["et"] + second.fr, first.combos | second.combos
    )


@dataclass(frozen=True)
class _Subject:
    """A sentence's subject: its words, grammatical person and gender (for agreement), and its nouns."""

    phrase: _Phrase
    person: str  # "1s", "3s", "1p", "3p"
    gender: str | None
    nouns: tuple[Noun, ...] = ()

    @property
    def plural(self) -> bool:
        return self.person.endswith("p")

    @property
    def index(self) -> int:
        """Index into a French present-tense tuple (je, il, nous, ils)."""
        return ("1s", "3s", "1p", "3p").index(self.person)


_PRONOUN_SUBJECTS = {en: _Subject(_Phrase([en], [fr]), person, gender) for en, fr, person, gender in PRONOUNS}


def _noun_subject(
    noun: Noun,
    plural: bool,
    definite: bool,
    adjective: Adjective | None = None,
    possessor: _Phrase | None = None,
) -> _Subject:
    phrase = _noun_phrase(noun, plural, definite, adjective, possessor=possessor)
    return _Subject(phrase, "3p" if plural else "3s", noun.gender, (noun,))


def _coordinated(first: _Subject, second: _Subject) -> _Subject:
    """Two subjects joined by "and": plural, feminine only if both are ("le roi et la reine sont partis")."""
    gender = "f" if first.gender == second.gender == "f" else "m"
    return _Subject(_and(first.phrase, second.phrase), "3p", gender, first.nouns + second.nouns)


def _agree(participle_or_adjective: str, gender: str | None, plural: bool) -> str:
    return participle_or_adjective + ("e" if gender == "f" else "") + ("s" if plural else "")


_AVOIR = ("ai", "a", "avons", "ont")
_ETRE = ("suis", "est", "sommes", "sont")
_ETAIT = ("étais", "était", "étions", "étaient")
_BE_EN = {"1s": ("am", "was"), "3s": ("is", "was"), "1p": ("are", "were"), "3p": ("are", "were")}


def _verb_group(verb: Verb, subject: _Subject, past: bool, negated: bool) -> _Phrase:
    """The conjugated verb, e.g. "did not go" -> "ne sont pas allées"."""
    third_singular = subject.person == "3s"
    if not past and not negated:
        en = [verb.en_3sg if third_singular else verb.en]
    elif past and not negated:
        en = [verb.en_past]
    else:
        en = ["did" if past else ("does" if third_singular else "do"), "not", verb.en]
    if past:
        auxiliary = (_AVOIR if verb.auxiliary == "avoir" else _ETRE)[subject.index]
        participle = verb.participle
        if verb.auxiliary == "être":
            participle = _agree(participle, subject.gender, subject.plural)
        fr = ["ne", auxiliary, "pas", participle] if negated else [auxiliary, participle]
    else:
        conjugated = verb.present[subject.index]
        fr = ["ne", conjugated, "pas"] if negated else [conjugated]
    return _Phrase(en, fr)


def _be(subject: _Subject, past: bool, negated: bool) -> _Phrase:
    """ "is not" -> "n'est pas", "were" -> "étaient" (imperfect for English "was")."""
    en = [_BE_EN[subject.person][past]] + (["not"] if negated else [])
    conjugated = (_ETAIT if past else _ETRE)[subject.index]
    return _Phrase(en, ["ne", conjugated, "pas"] if negated else [conjugated])


MODALS: dict[str, tuple[str, str, tuple[str, str, str, str]]] = {
    "can": ("can", "cannot", ("peux", "peut", "pouvons", "peuvent")),
    "could": ("could", "could not", ("pouvais", "pouvait", "pouvions", "pouvaient")),
    "will": ("will", "will not", ("vais", "va", "allons", "vont")),
}
"""English modal -> (affirmative, negative, French auxiliary before the infinitive: pouvoir, or aller
for the future: "she will not go" -> "elle ne va pas aller")."""


def _modal_group(modal: str, verb: Verb, subject: _Subject, negated: bool) -> _Phrase:
    """ "cannot find" -> "ne peut pas trouver"."""
    affirmative, negative, auxiliaries = MODALS[modal]
    en = (negative if negated else affirmative).split() + [verb.en]
    auxiliary = auxiliaries[subject.index]
    return _Phrase(en, ["ne", auxiliary, "pas", verb.infinitive] if negated else [auxiliary, verb.infinitive])


def _join(*phrases: _Phrase) -> tuple[str, str, frozenset[Combination]]:
    en = [w for p in phrases for w in p.en]
    fr = [w for p in phrases for w in p.fr]
    combos = frozenset().union(*(p.combos for p in phrases))
    return _english(en), _french(fr), combos


def _prepositional(en_prep: str, fr_prep: str, noun: Noun, plural: bool, definite: bool) -> _Phrase:
    """ "near the bridge" -> "près du pont" (the contraction happens in `_french`)."""
    phrase = _noun_phrase(noun, plural, definite)
    return _Phrase(en_prep.split() + phrase.en, fr_prep.split() + phrase.fr)


# --------------------------------------------------------------------------------------------
# Sentence patterns
# --------------------------------------------------------------------------------------------

Sentence = tuple[str, str, frozenset[Combination]]
"""English, French, and the held-out combinations the sentence contains."""

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


def _adjectives_for(noun: Noun, attributive: bool = False) -> tuple[Adjective, ...]:
    return tuple(a for a in ADJECTIVES if noun.category in a.fits and (a.attributive or not attributive))


def _possessor(rng: random.Random, noun: Noun) -> _Phrase | None:
    """Now and then "of the <owner>" -> "de la <owner>" for `noun`, else None."""
    if rng.random() >= EXTRA_SHARE["possessor"]:
        return None
    owner = rng.choice([n for n in _nouns_in(_OWNERS[noun.category]) if n != noun])
    phrase = _noun_phrase(owner, rng.random() < 0.25, True)
    return _Phrase(["of"] + phrase.en, ["de"] + phrase.fr)


def _another(rng: random.Random, noun: Noun) -> Noun:
    """A different noun of the same category, to join with "and"."""
    return rng.choice([n for n in NOUNS if n.category == noun.category and n != noun])


def _random_subject(
    rng: random.Random,
    pronoun_ok: bool = True,
    gendered: bool = False,
    noun: Noun | None = None,
    adjective: Adjective | None = None,
) -> _Subject:
    """A pronoun or an animate noun phrase, now and then with an owner ("of the king") or a second noun
    ("the cat and the dog"); `gendered` excludes i/we (no agreement marking)."""
    if noun is None and pronoun_ok and rng.random() < 0.3:
        return _PRONOUN_SUBJECTS[rng.choice(("he", "she") if gendered else ("i", "he", "she", "we"))]
    noun = noun or rng.choice(_ANIMATE_NOUNS)
    plural = rng.random() < 0.4
    definite = plural or rng.random() < 0.75  # no bare plural subjects: "dogs" would be "les"
    subject = _noun_subject(noun, plural, definite, adjective, _possessor(rng, noun))
    if adjective is None and rng.random() < EXTRA_SHARE["coordination"]:
        subject = _coordinated(subject, _noun_subject(_another(rng, noun), rng.random() < 0.3, True))
    return subject


def _object_phrase(
    rng: random.Random,
    verb: Verb,
    negated: bool,
    noun: Noun | None = None,
    adjective: Adjective | None = None,
) -> _Phrase:
    noun = noun or rng.choice(_NOUNS_FOR_VERB[verb])
    if adjective is None and rng.random() < EXTRA_SHARE["coordination"]:  # "the apple and the pear"
        other = rng.choice([n for n in _NOUNS_FOR_VERB[verb] if n != noun])
        return _and(
            _noun_phrase(noun, rng.random() < 0.3, True), _noun_phrase(other, rng.random() < 0.3, True)
        )
    plural, definite = rng.random() < 0.4, rng.random() < 0.6
    return _noun_phrase(noun, plural, definite, adjective, negated, _possessor(rng, noun))


def _transitive(rng: random.Random, past: bool, negated: bool) -> Sentence:
    """ "the girl does not see a car" -> "la fille ne voit pas de voiture"."""
    verb = rng.choice(TRANSITIVE_VERBS)
    subject = _random_subject(rng)
    return _join(
        subject.phrase, _verb_group(verb, subject, past, negated), _object_phrase(rng, verb, negated)
    )


def _simple(rng: random.Random) -> Sentence:
    return _transitive(rng, past=False, negated=False)


def _negation(rng: random.Random) -> Sentence:
    return _transitive(rng, past=False, negated=True)


def _past(rng: random.Random) -> Sentence:
    return _transitive(rng, past=True, negated=False)


def _past_negation(rng: random.Random) -> Sentence:
    return _transitive(rng, past=True, negated=True)


def _place_of(rng: random.Random, verb: Verb) -> _Phrase:
    """The place after a verb of motion: "to the school" -> "à l'école"; nothing after "leave"."""
    if verb.preposition is None:
        return _Phrase([], [])
    en_prep, fr_prep = verb.preposition
    return _prepositional(en_prep, fr_prep, rng.choice(_PLACES), rng.random() < 0.25, True)


def _motion_sentence(rng: random.Random) -> Sentence:
    """ "the girls did not go to the school" -> "les filles ne sont pas allées à l'école"."""
    verb = rng.choice(MOTION_VERBS)
    past = rng.random() < 0.6
    subject = _random_subject(rng, gendered=past)
    group = _verb_group(verb, subject, past, negated=rng.random() < 0.35)
    return _join(subject.phrase, group, _place_of(rng, verb))


def _place(rng: random.Random) -> _Phrase:
    """ "near the bridge" -> "près du pont"."""
    en_prep, fr_prep = rng.choice(PREPOSITIONS)
    plural = rng.random() < 0.3
    return _prepositional(en_prep, fr_prep, rng.choice(_SETTINGS), plural, plural or rng.random() < 0.7)


def _location_phrase(rng: random.Random) -> _Phrase:
    """ "near the bridge" or "here"."""
    return _Phrase(["here"], ["ici"]) if rng.random() < 0.12 else _place(rng)


def _location(rng: random.Random, pronoun_ok: bool = True) -> Sentence:
    """ "the cat was not under the table" -> "le chat n'était pas sous la table"."""
    if rng.random() < 0.3:
        subject = _random_subject(rng, pronoun_ok=False, noun=rng.choice(_SETTINGS))
    else:
        subject = _random_subject(rng, pronoun_ok)
    group = _be(subject, past=rng.random() < 0.4, negated=rng.random() < 0.3)
    where = _location_phrase(rng)
    if where.en != ["here"] and rng.random() < EXTRA_SHARE["second place"]:  # "in the garden near the house"
        second = _place(rng)
        if second.en[-1] != where.en[-1]:
            where = _Phrase(where.en + second.en, where.fr + second.fr)
    return _join(subject.phrase, group, where)


def _object_place(rng: random.Random) -> Sentence:
    """An object, then where: "the woman found the key under the bed" -> "... la clé sous le lit"."""
    verb = rng.choice(TRANSITIVE_VERBS)
    subject = _random_subject(rng)
    past, negated = rng.random() < 0.6, rng.random() < 0.25
    return _join(
        subject.phrase,
        _verb_group(verb, subject, past, negated),
        _object_phrase(rng, verb, negated),
        _location_phrase(rng),
    )


def _random_pair(rng: random.Random, attributive: bool) -> tuple[Noun, Adjective]:
    noun = rng.choice(NOUNS)
    return noun, rng.choice(_adjectives_for(noun, attributive))


def _adjective_sentence(
    rng: random.Random, pair: tuple[Noun, Adjective] | None = None, pronoun_ok: bool = True
) -> Sentence:
    """An adjective inside a noun phrase: "i see the red car" -> "je vois la voiture rouge"."""
    noun, adjective = pair or _random_pair(rng, attributive=True)
    if rng.random() < 0.3:  # "the red car is in the garden"
        subject = _random_subject(rng, pronoun_ok=False, noun=noun, adjective=adjective)
        group = _be(subject, past=rng.random() < 0.3, negated=rng.random() < 0.2)
        return _join(subject.phrase, group, _location_phrase(rng))
    verb = rng.choice([v for v in TRANSITIVE_VERBS if noun.category in v.objects])
    subject = _random_subject(rng, pronoun_ok)
    past, negated = rng.random() < 0.4, rng.random() < 0.2
    return _join(
        subject.phrase,
        _verb_group(verb, subject, past, negated),
        _object_phrase(rng, verb, negated, noun, adjective),
    )


def _predicate(rng: random.Random, subject: _Subject, adjective: Adjective) -> _Phrase:
    """The adjective after "to be", agreeing with the subject, now and then with "very" (très)."""
    very = rng.random() < EXTRA_SHARE["very"]
    combos = frozenset(("noun-adjective", noun.en, adjective.en) for noun in subject.nouns)
    french = adjective.french(subject.gender or "m", subject.plural)
    return _Phrase(["very"] * very + [adjective.en], ["très"] * very + [french], combos)


def _described(
    rng: random.Random, pair: tuple[Noun, Adjective] | None = None, pronoun_ok: bool = True
) -> tuple[_Subject, Adjective]:
    """A subject and an adjective that fits it: he/she and a state, or a noun phrase (or two)."""
    if pair is None and pronoun_ok and rng.random() < 0.15:
        subject = _PRONOUN_SUBJECTS[rng.choice(("he", "she"))]
        return subject, rng.choice([a for a in ADJECTIVES if "person" in a.fits])
    noun, adjective = pair or _random_pair(rng, attributive=False)
    return _random_subject(rng, pronoun_ok=False, noun=noun), adjective


def _description(
    rng: random.Random, pair: tuple[Noun, Adjective] | None = None, pronoun_ok: bool = True
) -> Sentence:
    """An adjective after "to be": "the cars were not very red" -> "les voitures n'étaient pas très
    rouges"."""
    subject, adjective = _described(rng, pair, pronoun_ok)
    group = _be(subject, past=rng.random() < 0.4, negated=rng.random() < 0.3)
    return _join(subject.phrase, group, _predicate(rng, subject, adjective))


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
    return en, _french([*first[1].split(), *fr_conjunction.split(), *second[1].split()]), first[2] | second[2]


def _question(rng: random.Random) -> Sentence:
    """A yes/no question, asked in French with "est-ce que": "is the boy happy" -> "est-ce que le
    garçon est heureux", "did the dog eat the cake" -> "est-ce que le chien a mangé le gâteau"."""
    asked = _Phrase([], ["est-ce", "que"])
    past = rng.random() < 0.4
    shape = rng.random()
    if shape < 0.6:  # to be: an adjective or a place
        if shape < 0.35:
            subject, adjective = _described(rng)
            rest = _predicate(rng, subject, adjective)
        else:
            subject = _random_subject(rng)
            rest = _location_phrase(rng)
        be = _Phrase([_BE_EN[subject.person][past]], [])
        return _join(
            be, asked, subject.phrase, _Phrase([], [(_ETAIT if past else _ETRE)[subject.index]]), rest
        )
    verb = rng.choice(TRANSITIVE_VERBS)
    subject = _random_subject(rng)
    do = "did" if past else ("does" if subject.person == "3s" else "do")
    french_verb = _Phrase([verb.en], _verb_group(verb, subject, past, False).fr)
    return _join(_Phrase([do], []), asked, subject.phrase, french_verb, _object_phrase(rng, verb, False))


def _modal(rng: random.Random) -> Sentence:
    """can, could, will with an infinitive: "the king cannot find the key" -> "le roi ne peut pas
    trouver la clé", "she will go to the school" -> "elle va aller à l'école"."""
    verb = rng.choice(VERBS)
    subject = _random_subject(rng)
    negated = rng.random() < 0.45
    group = _modal_group(rng.choice(list(MODALS)), verb, subject, negated)
    if verb.auxiliary == "avoir":
        return _join(subject.phrase, group, _object_phrase(rng, verb, negated))
    return _join(subject.phrase, group, _place_of(rng, verb))


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
    subject = _noun_subject(animal, animal_plural, definite=True)
    group = _verb_group(verb, subject, past, negated=True)
    pronoun_en = "they" if plural else "it"
    pronoun_fr = ("elles" if plural else "elle") if referent.gender == "f" else ("ils" if plural else "il")
    be_en = ("were" if plural else "was") if past else ("are" if plural else "is")
    be_fr = (_ETAIT if past else _ETRE)[3 if plural else 1]
    reason = _Phrase(
        ["because", pronoun_en, be_en, "too", adjective.en],
        ["parce", "que", pronoun_fr, be_fr, "trop", adjective.french(referent.gender, plural)],
    )
    en, fr, _ = _join(subject.phrase, group, _noun_phrase(obj, object_plural, True), reason)
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


_PATTERNS = {
    "coref": _coref,
    "adjective": _adjective_sentence,
    "description": _description,
    "simple": _simple,
    "negation": _negation,
    "past": _past,
    "past_negation": _past_negation,
    "motion": _motion_sentence,
    "location": _location,
    "object_place": _object_place,
    "clauses": _clauses,
    "question": _question,
    "modal": _modal,
}
KIND_WEIGHTS: dict[str, float] = {
    "coref": 0.28,
    "adjective": 0.12,
    "description": 0.09,
    "simple": 0.05,
    "negation": 0.05,
    "past": 0.05,
    "past_negation": 0.05,
    "motion": 0.08,
    "location": 0.07,
    "object_place": 0.04,
    "clauses": 0.02,
    "question": 0.05,
    "modal": 0.05,
}
"""Share of each sentence kind, the same in every split."""

# --------------------------------------------------------------------------------------------
# English as people type it
# --------------------------------------------------------------------------------------------

CONTRACTIONS: dict[str, str] = {
    "do not": "don't",
    "does not": "doesn't",
    "did not": "didn't",
    "is not": "isn't",
    "are not": "aren't",
    "was not": "wasn't",
    "were not": "weren't",
    "cannot": "can't",
    "could not": "couldn't",
    "will not": "won't",
    "i am": "i'm",
    "he is": "he's",
    "she is": "she's",
    "it is": "it's",
    "we are": "we're",
    "they are": "they're",
}
"""The grammar's words -> their contraction, applied in this order ("is not" before "he is")."""

_EXPANSIONS = {short: full for full, short in CONTRACTIONS.items()}

TYPED_SHARE = 0.5
"""Share of sentences written as people type them: contractions, capitals, a final . ! or ?"""


def as_typed(english: str, french: str, question: bool, rng: random.Random) -> tuple[str, str]:
    """A sentence pair as a person types it: mostly contracted ("didn't"), "I" and often the first
    letter capitalised, and a final mark (., ! or, for a question, ?) that the French repeats."""
    if rng.random() < 0.7:
        for full, short in CONTRACTIONS.items():
            english = re.sub(rf"\b{full}\b", short, english)
    english = re.sub(r"\bi\b", "I", english)
    if rng.random() < 0.7:
        english = english[0].upper() + english[1:]
    if question:
        mark = "?" if rng.random() < 0.8 else ""
    else:
        mark = rng.choices((".", "!", ""), (0.65, 0.1, 0.25))[0]
    return english + mark, french + mark


def plain_english(text: str) -> str:
    """English as the grammar writes it: lowercase, contractions spelled out, no final mark.

    "The animal didn't cross the street." -> "the animal did not cross the street".
    """
    words = tokenize(text)
    while words and not words[-1][0].isalnum():
        words.pop()
    return " ".join(_EXPANSIONS.get(word, word) for word in words)


# --------------------------------------------------------------------------------------------
# Held-out combinations and the corpus
# --------------------------------------------------------------------------------------------

_BY_EN = {n.en: n for n in NOUNS}
_ADJ_BY_EN = {a.en: a for a in ADJECTIVES}
_LECTURE_TRIPLES = (("animal", "street", "tired"), ("animal", "street", "wide"))
_ALWAYS_SEEN = {("car", "red")}  # "i see the red car" stays in training for the book to show
HELD_OUT_SHARE = {"noun-adjective": 0.10, "coref": 0.03}


_VERB_BY_EN = {v.en: v for v in VERBS}


def _lecture_pairs() -> list[Pair]:
    """The lecture sentences, built by the grammar (a test checks them against LECTURE_SENTENCES)."""
    cross = _VERB_BY_EN["cross"]
    pairs = [coref_sentence(_BY_EN[a], _BY_EN[o], _ADJ_BY_EN[adj], cross) for a, o, adj in _LECTURE_TRIPLES]
    return [Pair(en, fr, "coref") for en, fr in pairs]


def _showcase_pairs() -> list[Pair]:
    """Training sentences the book shows (reordering, agreement), built by the grammar."""
    car, red = _BY_EN["car"], _ADJ_BY_EN["red"]
    i, she = _PRONOUN_SUBJECTS["i"], _PRONOUN_SUBJECTS["she"]
    red_cars = _noun_subject(car, plural=True, definite=True, adjective=red)
    sentences = [
        (
            "adjective",
            i,
            _verb_group(_VERB_BY_EN["see"], i, False, False),
            _noun_phrase(car, False, True, red),
        ),
        ("adjective", red_cars, _be(red_cars, False, False), _Phrase(["here"], ["ici"])),
        ("motion", she, _verb_group(_VERB_BY_EN["leave"], she, True, False)),
    ]
    return [Pair(*_join(subject.phrase, *rest)[:2], kind) for kind, subject, *rest in sentences]


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
    pairs = [("noun-adjective", n.en, a.en) for n in NOUNS for a in _adjectives_for(n)]
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


@dataclass(frozen=True)
class Pair:
    """One sentence and its translation; `kind` names the pattern ("coref", "simple", ...)."""

    source: str
    target: str
    kind: str

    def reversed(self) -> Pair:
        """The same pair translated the other way (French -> English)."""
        return Pair(self.target, self.source, self.kind)


@dataclass
class Corpus:
    """Train, dev and test splits; English -> French unless `reversed()`."""

    train: list[Pair]
    dev: list[Pair]
    test: list[Pair]

    def reversed(self) -> Corpus:
        """French -> English."""
        return Corpus(*([p.reversed() for p in split] for split in (self.train, self.dev, self.test)))


_FORCED = {
    "coref": lambda rng, held: _coref(rng, _resolve(rng.choice(held["coref"]))),
    "adjective": lambda rng, held: _adjective_sentence(rng, _resolve(rng.choice(held["attributive"]))),
    "description": lambda rng, held: _description(rng, _resolve(rng.choice(held["pair"]))),
}


def _resolve(combo: Combination) -> tuple:
    """English lemmas -> lexicon entries: (noun, adjective) or (animal, object, adjective)."""
    *nouns, adjective = combo[1:]
    return (*(_BY_EN[n] for n in nouns), _ADJ_BY_EN[adjective])


MAX_WORDS = 16
"""The longest English sentence the grammar writes, in words."""

READER_SENTENCES_PATH = Path(__file__).parent / "data" / "reader-sentences.txt"
"""Sentences as readers type them, in shapes beyond the grammar's first patterns; never trained on."""


def load_reader_sentences(path: Path = READER_SENTENCES_PATH) -> list[str]:
    """The reader-style sentences: one per line; blank lines and lines starting with ``#`` skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


READER_SENTENCES: tuple[str, ...] = tuple(load_reader_sentences())


def _sample_split(
    rng: random.Random,
    n: int,
    split: str,
    held: HeldOut,
    taken: set[str],
    known_words: set[str] | None = None,
) -> list[Pair]:
    """Draw `n` new pairs whose plain English is not in `taken` (which grows). Dev/test force one of
    their held-out combinations into every coref/adjective/description sentence; no sentence contains
    another split's held-out ones; with `known_words`, only sentences made of those words are kept.
    `TYPED_SHARE` of the pairs are then written as people type them (`as_typed`)."""
    mine = held.split(split)
    forbidden = (held.dev | held.test) - mine
    by_kind = {
        "coref": sorted(c for c in mine if c[0] == "coref"),
        "pair": sorted(c for c in mine if c[0] == "noun-adjective"),
    }
    by_kind["attributive"] = [c for c in by_kind["pair"] if _ADJ_BY_EN[c[2]].attributive]
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    pairs: list[Pair] = []
    attempts = 0
    while len(pairs) < n:
        attempts += 1
        if attempts > 50 * n + 1000:
            raise ValueError(f"could not draw {n} distinct {split} sentences; ask for fewer")
        kind = rng.choices(kinds, weights)[0]
        if split != "train" and kind in _FORCED:
            en, fr, combos = _FORCED[kind](rng, by_kind)
        else:
            en, fr, combos = _PATTERNS[kind](rng)
        if en in taken or combos & forbidden or len(en.split()) > MAX_WORDS:
            continue
        if known_words is not None and not known_words.issuperset(tokenize(en) + tokenize(fr)):
            continue
        taken.add(en)
        if rng.random() < TYPED_SHARE:
            en, fr = as_typed(en, fr, kind == "question", rng)
        pairs.append(Pair(en, fr, kind))
    return pairs


def generate_corpus(n_train: int = 20000, n_dev: int = 500, n_test: int = 1000, seed: int = 0) -> Corpus:
    """Generate English -> French train/dev/test splits, deterministically from `seed`.

    Sentences are distinct across and within splits, and none is one of `READER_SENTENCES`
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
    taken = {p.source for p in test + train} | {plain_english(s) for s in READER_SENTENCES}
    train += _sample_split(rng, n_train - len(train), "train", held, taken)
    trained_words = {w for p in train for text in (p.source, p.target) for w in tokenize(text)}
    test += _sample_split(rng, n_test - len(test), "test", held, taken, trained_words)
    dev = _sample_split(rng, n_dev, "dev", held, taken, trained_words)
    return Corpus(train, dev, test)


_COREF_PRONOUN = re.compile(r"\bparce qu' ?(ils|elles|il|elle)\b")


def coref_pronoun(french: str) -> str | None:
    """The pronoun after "parce qu'" ("il", "elle", "ils" or "elles"), or None if there is none.

    Accepts detokenized ("parce qu'il") and tokenized ("parce qu' il") text, any case.
    """
    match = _COREF_PRONOUN.search(french.lower())
    return match.group(1) if match else None


# --------------------------------------------------------------------------------------------
# Tab-separated files
# --------------------------------------------------------------------------------------------


def load_tsv(
    path: str | Path, source_column: int = 0, target_column: int = 1, kind_column: int | None = None
) -> list[Pair]:
    """Read pairs from a UTF-8, tab-separated file such as a Tatoeba/Anki export.

    One pair per line; extra columns (attribution, ...) are ignored, blank lines and Anki
    header lines ("#separator:tab") are skipped. `kind` comes from `kind_column`, else "tsv".
    A line with too few columns or an empty sentence raises ValueError naming file and line.
    """
    needed = max(source_column, target_column, -1 if kind_column is None else kind_column) + 1
    pairs = []
    try:
        with open(path, encoding="utf-8-sig") as file:
            lines = file.read().splitlines()
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not valid UTF-8 ({error})") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip() or re.fullmatch(r"#\w+:[^\t]*", line):
            continue
        columns = line.split("\t")
        if len(columns) < needed:
            raise ValueError(
                f"{path}, line {number}: expected at least {needed} tab-separated columns, "
                f"found {len(columns)}"
            )
        source, target = columns[source_column].strip(), columns[target_column].strip()
        if not source or not target:
            side = "source" if not source else "target"
            raise ValueError(f"{path}, line {number}: empty {side} sentence")
        kind = "tsv" if kind_column is None else columns[kind_column].strip()
        pairs.append(Pair(source, target, kind))
    return pairs


def write_tsv(pairs: list[Pair], path: str | Path) -> None:
    """Write pairs as UTF-8 lines "source<TAB>target<TAB>kind" (read back with kind_column=2)."""
    lines = []
    for pair in pairs:
        fields = (pair.source, pair.target, pair.kind)
        if any("\t" in f or "\n" in f for f in fields):
            raise ValueError(f"cannot write {pair!r}: a field contains a tab or a newline")
        lines.append("\t".join(fields) + "\n")
    Path(path).write_text("".join(lines), encoding="utf-8")
