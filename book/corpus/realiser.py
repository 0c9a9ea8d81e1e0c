"""pyrealb, the realiser that writes both languages of the everyday corpus, and what the book adds to it.

pyrealb (https://github.com/lapalme/pyrealb, Guy Lapalme) conjugates, declines, agrees, orders and elides
English and French from one description of a sentence: ``S(NP(D("le"), N("voiture"), A("rouge")),
VP(V("être"), A("grand")))`` becomes "La voiture rouge est grande." This module is the only place the
corpus touches pyrealb's global state (its current language, its lexicons) and the one place where the
book corrects what pyrealb writes:

- the elisions pyrealb misses: "parce que il" -> "parce qu'il" (``que`` before a vowel), "si il" -> "s'il";
- the form of beau, vieux, nouveau that only goes before a noun, which pyrealb writes before any vowel:
  "il fait bel en hiver" -> "il fait beau en hiver";
- the ligatures its French lexicon spells without: "soeur" -> "sœur", "oeufs" -> "œufs";
- English compound nouns ("living room", "bus stop"), which its lexicon lacks, declined like their last
  word (`add_english_compound`);
- the plurals of French compound nouns, which it leaves as they are ("les grand-mère"): each of
  `FRENCH_PLURALS` gets a declension table of its own ("les grands-mères");
- a realisation it cannot write (a word missing from its lexicon, an impossible form) is an error here,
  never a sentence with ``[[...]]`` in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

import pyrealb
from pyrealb import Constituent, PyrealbException

Language = Literal["en", "fr"]

VERSION = pyrealb.pyrealb_version
"""pyrealb's version: a generated corpus is cached under it, since another version may write other text."""

Constituent.exceptionOnWarning = True  # a word it does not know is an error, not "[[word]]"

_EUPHONIC = {"bel": "beau", "vieil": "vieux", "nouvel": "nouveau"}
_EUPHONIC_BEFORE_NO_NOUN = re.compile(
    r"\b(bel|vieil|nouvel) (?=(?:en|à|au|aux|ici|aujourd'hui|hier|avec|et|ou|avant|après|encore)\b)"
)
_LIGATURES = re.compile(r"\b([sScCbBnNvV]?)([oO])e(urs?|ufs?|il|uvres?|uds?|ux?)\b")
_MISSED_ELISION = re.compile(r"\b(qu|lorsqu|puisqu)e (?=[aeiouéèêàâîôû])", re.IGNORECASE)
_MISSED_S_IL = re.compile(r"\b([sS])i (?=ils?\b)")
_ELIDED = re.compile(
    r"(?<!-)\b(le|la|de|je|me|te|se|ne|que|jusque|lorsque|puisque) [aeiouéèêàâîôûœ]", re.IGNORECASE
)
_MARKER = re.compile(r"\[\[.*?\]\]")


FRENCH_PLURALS = {
    "grand-mère": "grands-mères",
    "grand-père": "grands-pères",
    "petit-fils": "petits-fils",
    "petite-fille": "petites-filles",
    "chauve-souris": "chauves-souris",
    "arc-en-ciel": "arcs-en-ciel",
    "chou-fleur": "choux-fleurs",
    "pique-nique": "pique-niques",
    "cerf-volant": "cerfs-volants",
    "sous-marin": "sous-marins",
    "rond-point": "ronds-points",
    "sous-sol": "sous-sols",
}
"""French compound nouns whose plural pyrealb does not write, and their plurals."""


def _teach_french_plurals() -> None:
    rules = pyrealb.getRules("fr")["declension"]
    for singular, plural in FRENCH_PLURALS.items():
        entry = pyrealb.getLemma(singular, "fr")["N"]
        table = f"attention-built {singular}"
        forms = ((singular, "s"), (plural, "p"))
        rules[table] = {
            "ending": singular,
            "declension": [{"val": v, "g": entry["g"], "n": n} for v, n in forms],
        }
        entry["tab"] = table


_teach_french_plurals()


class RealiserError(ValueError):
    """pyrealb could not write a sentence: a word missing from its lexicon or an impossible form."""


def load(language: Language) -> None:
    """Make `language` pyrealb's current language (its lexicon and rules)."""
    if pyrealb.getLanguage() != language:
        pyrealb.load(language)


def realise(build: Callable[[], Constituent], language: Language) -> str:
    """The text of the constituent that `build` makes in `language`, corrected (see the module).

    `build` runs after `language` is loaded, since pyrealb builds words in its current language.
    Raises RealiserError where pyrealb warns or leaves a ``[[...]]`` marker.
    """
    load(language)
    try:
        text = build().realize().strip()
    except PyrealbException as error:
        raise RealiserError(str(error)) from None
    if _MARKER.search(text):
        raise RealiserError(f"pyrealb could not write {text!r}")
    text = text.replace(" ,", ",")  # pyrealb spaces a comma it is asked to put before a word
    return corrected(text) if language == "fr" else text


def add_english_compound(lemma: str) -> None:
    """Teach pyrealb an English compound noun ("living room"), declined like its last word ("rooms")."""
    head = lemma.rsplit(" ", 1)[-1]
    entry = pyrealb.getLemma(head, "en")
    if entry is None or "N" not in entry:
        raise RealiserError(f"the compound {lemma!r} ends in {head!r}, not an English noun pyrealb knows")
    if pyrealb.getLemma(lemma, "en") is None:
        pyrealb.addToLexicon(lemma, {"N": entry["N"]}, "en")


def corrected(french: str) -> str:
    """French as pyrealb writes it, with the elisions it misses made and the ligatures restored."""
    french = _MISSED_ELISION.sub(r"\1'", french)
    french = _MISSED_S_IL.sub(r"\1'", french)
    french = _EUPHONIC_BEFORE_NO_NOUN.sub(lambda m: _EUPHONIC[m[1]] + " ", french)
    return _LIGATURES.sub(lambda m: m[1] + ("œ" if m[2] == "o" else "Œ") + m[3], french)


def missed_elisions(french: str) -> list[str]:
    """The places in `french` where an elision should have been made and was not ("que il", "le arbre",
    "si il"); an empty list for correct French."""
    return [m.group(0) for m in _ELIDED.finditer(french)] + [
        m.group(0) + "il" for m in _MISSED_S_IL.finditer(french)
    ]
