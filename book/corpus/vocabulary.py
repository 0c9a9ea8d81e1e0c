"""The everyday vocabulary: English words with their French, and what keeps the sentences sensible.

The word pairs are data the book writes (``book/data/vocabulary/*.tsv``, one tab-separated line a word);
their forms (plurals, genders, conjugations) come from pyrealb's lexicons, which every word must be in.
Each noun has a class (person, animal, food, place...); a verb names the classes that can do it and the
classes it takes as object (a person eats food, not a chair); an adjective names the classes it describes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pyrealb import getLemma

from book.corpus.realiser import add_english_compound

FOLDER = Path(__file__).resolve().parent.parent / "data" / "vocabulary"

NOUN_CLASSES = frozenset({
    "person", "animal", "food", "drink", "meal", "plant", "body", "clothing", "furniture", "object",
    "readable", "device", "vehicle", "place", "room", "nature", "time", "weather", "subject", "sport",
    "instrument", "event", "abstract",
})  # fmt: skip
"""The classes of nouns; verbs and adjectives name the ones they go with."""


@dataclass(frozen=True)
class Noun:
    """A noun: `en` and `fr` lemmas, its class, and how it is counted: "count" (a cat, des chats), "mass"
    (bread, du pain) or "plural" (used only in the plural). `gender` is the French noun's ("m", "f", or "x"
    for a person noun with both forms: ami/amie). A French noun of several words ("salle de bain") agrees
    through its first word. `en_countable` is False for an English noun that has no plural (homework,
    pasta: French says "les devoirs", "les pâtes")."""

    en: str
    fr: str
    category: str
    count: str
    gender: str
    en_countable: bool = True

    @property
    def fr_head(self) -> str:
        """The French word that takes the plural and the gender ("salle" of "salle de bain")."""
        return self.fr.split(" ", 1)[0]

    @property
    def fr_rest(self) -> str:
        """What follows the head in the French noun ("de bain"), or ""."""
        return self.fr.partition(" ")[2]


@dataclass(frozen=True)
class Verb:
    """A verb: lemmas (English may be phrasal: "get up"; French may be reflexive: "se lever"), the noun
    classes of its subjects and of its objects (empty: no object), and the prepositions each language puts
    before the object ("listen to" the radio -> écouter la radio: `en_prep` "to", `fr_prep` "")."""

    en: str
    fr: str
    subjects: frozenset[str]
    objects: frozenset[str]
    en_prep: str
    fr_prep: str

    @property
    def reflexive(self) -> bool:
        """Whether the French verb is reflexive ("se lever": je me lève)."""
        return self.fr.startswith("se ")

    @property
    def fr_lemma(self) -> str:
        """The French verb without its reflexive pronoun."""
        return self.fr.removeprefix("se ")

    @property
    def en_lemma(self) -> str:
        """The English verb without its particle ("get" of "get up")."""
        return self.en.split(" ", 1)[0]

    @property
    def en_particle(self) -> str:
        """The particle of a phrasal verb ("up" of "get up"), or ""."""
        return self.en.partition(" ")[2]


@dataclass(frozen=True)
class Adjective:
    """An adjective: lemmas (masculine singular French) and the noun classes it can describe."""

    en: str
    fr: str
    describes: frozenset[str]


@dataclass(frozen=True)
class Vocabulary:
    """The words the corpus is written with, by part of speech."""

    nouns: tuple[Noun, ...]
    verbs: tuple[Verb, ...]
    adjectives: tuple[Adjective, ...]
    _nouns_of: dict[frozenset[str], tuple[Noun, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def nouns_of(self, classes: frozenset[str]) -> tuple[Noun, ...]:
        """The nouns whose class is one of `classes`, in the files' order (kept once found: the corpus asks
        for the same few sets of classes for every sentence)."""
        if classes not in self._nouns_of:
            self._nouns_of[classes] = tuple(n for n in self.nouns if n.category in classes)
        return self._nouns_of[classes]

    @property
    def english_lemmas(self) -> frozenset[str]:
        """Every English lemma of the vocabulary."""
        return frozenset(w.en for words in (self.nouns, self.verbs, self.adjectives) for w in words)


def _rows(path: Path, width: int) -> list[tuple[int, list[str]]]:
    """The numbered rows of a tab-separated file, comments and blank lines skipped; each must have
    `width` fields."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != width:
            raise ValueError(
                f"{path.name}:{number}: expected {width} tab-separated fields, got {len(fields)}"
            )
        rows.append((number, fields))
    return rows


def _classes(text: str, where: str) -> frozenset[str]:
    """The noun classes of a "|"-separated field ("-": none), each checked."""
    classes = frozenset() if text == "-" else frozenset(text.split("|"))
    unknown = classes - NOUN_CLASSES
    if unknown:
        raise ValueError(f"{where}: unknown noun classes {sorted(unknown)}")
    return classes


def _entry(lemma: str, pos: str, language: str, where: str) -> dict:
    """pyrealb's lexicon entry of `lemma` as part of speech `pos`; ValueError if it has none."""
    entry = getLemma(lemma, language) or {}
    if pos not in entry:
        raise ValueError(f"{where}: {lemma!r} is not a {pos} in pyrealb's {language} lexicon")
    return entry[pos]


def load_nouns(path: Path) -> tuple[Noun, ...]:
    """The nouns of `path` (english, french, class, count), with their French gender from pyrealb."""
    nouns = []
    for number, (en, fr, category, count) in _rows(path, 4):
        where = f"{path.name}:{number}"
        _classes(category, where)
        if count not in ("count", "mass", "plural"):
            raise ValueError(f"{where}: count must be count, mass or plural, got {count!r}")
        if " " in en:
            add_english_compound(en)
        countable = _entry(en, "N", "en", where).get("cnt", "yes") != "no"
        gender = _entry(fr.split(" ", 1)[0], "N", "fr", where).get("g", "m")
        if gender == "x" and category != "person":
            gender = "m"  # l'après-midi, l'amour: pyrealb writes these masculine
        nouns.append(Noun(en, fr, category, count, gender, countable))
    return tuple(nouns)


def load_verbs(path: Path) -> tuple[Verb, ...]:
    """The verbs of `path` (english, french, subjects, objects, en_prep, fr_prep)."""
    verbs = []
    for number, (en, fr, subjects, objects, en_prep, fr_prep) in _rows(path, 6):
        where = f"{path.name}:{number}"
        verb = Verb(
            en,
            fr,
            _classes(subjects, where),
            _classes(objects, where),
            "" if en_prep == "-" else en_prep,
            "" if fr_prep == "-" else fr_prep,
        )
        _entry(verb.en_lemma, "V", "en", where)
        _entry(verb.fr_lemma, "V", "fr", where)
        verbs.append(verb)
    return tuple(verbs)


def load_adjectives(path: Path) -> tuple[Adjective, ...]:
    """The adjectives of `path` (english, french, the classes they describe)."""
    adjectives = []
    for number, (en, fr, describes) in _rows(path, 3):
        where = f"{path.name}:{number}"
        _entry(en, "A", "en", where)
        _entry(fr, "A", "fr", where)
        adjectives.append(Adjective(en, fr, _classes(describes, where)))
    return tuple(adjectives)


@cache
def vocabulary(folder: Path = FOLDER) -> Vocabulary:
    """The vocabulary of `folder` (nouns.tsv, verbs.tsv, adjectives.tsv), every word checked against
    pyrealb's lexicons; ValueError names the file and line of the first bad one, or a repeated lemma."""
    words = Vocabulary(
        load_nouns(folder / "nouns.tsv"),
        load_verbs(folder / "verbs.tsv"),
        load_adjectives(folder / "adjectives.tsv"),
    )
    for kind in ("nouns", "verbs", "adjectives"):
        counts = Counter(w.en for w in getattr(words, kind))
        repeated = sorted(lemma for lemma, count in counts.items() if count > 1)
        if repeated:
            raise ValueError(f"{kind}.tsv repeats {repeated}")
    return words
