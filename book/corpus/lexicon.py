"""The lexicon of the translator's corpus: nouns, adjectives and verbs in both languages, with genders,
plurals and the French forms agreement needs, plus pronouns and prepositions.

Chapter 9 ("The translator") explains the corpus; `book.corpus` lists the modules that build it.
"""

from __future__ import annotations

from dataclasses import dataclass


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

NOUN_BY_EN: dict[str, Noun] = {n.en: n for n in NOUNS}
"""English noun -> its lexicon entry."""

_ANIMATE_FITS = "person animal"
_OBJECT_FITS = "thing food place"
_COLOUR_FITS = "animal thing food place"

ADJECTIVES: tuple[Adjective, ...] = (
    # states of people and animals
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
    # physical properties of objects
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

ADJECTIVE_BY_EN: dict[str, Adjective] = {a.en: a for a in ADJECTIVES}
"""English adjective -> its lexicon entry."""


def _adjectives_named(*english: str) -> tuple[Adjective, ...]:
    return tuple(ADJECTIVE_BY_EN[en] for en in english)


COREF_ADJECTIVES: dict[str, tuple[Adjective, ...]] = {
    # fit the first noun (the animal)
    "animate": _adjectives_named("tired", "hungry", "thirsty", "scared", "sick", "weak", "sleepy", "lazy"),
    # fit the second noun (the street, the box, ...)
    "object": _adjectives_named("wide", "long", "heavy", "far", "narrow", "high", "dark", "slippery"),
}
"""The adjectives of the coreference sentence, by the noun they fit: "animate" or "object"."""

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

VERB_BY_EN: dict[str, Verb] = {v.en: v for v in VERBS}
"""English verb -> its lexicon entry."""

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


def adjectives_for(noun: Noun, attributive: bool = False) -> tuple[Adjective, ...]:
    """The adjectives that may describe `noun`; with `attributive`, only those used inside a noun phrase."""
    return tuple(a for a in ADJECTIVES if noun.category in a.fits and (a.attributive or not attributive))
