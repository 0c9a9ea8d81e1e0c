"""The building blocks of the corpus's sentences, in both languages at once: noun phrases, subjects and
their agreement, conjugated verbs, "to be", modals, prepositional phrases, and the surface rules that join
words (elision and contraction in French, a/an in English).

Chapter 9 ("The translator") explains the corpus; `book.corpus` lists the modules that build it.
"""

from __future__ import annotations

from dataclasses import dataclass

from book.corpus.lexicon import PRONOUNS, Adjective, Noun, Verb

_VOWELS = "aeiouyàâäéèêëîïôöûüœ"
_H_MUET = ("homme", "hôpital", "horloge")  # the lexicon has no h aspiré words
_ELIDING = {"je": "j'", "ne": "n'", "de": "d'", "que": "qu'", "le": "l'", "la": "l'"}
_CONTRACTIONS = {("à", "le"): "au", ("à", "les"): "aux", ("de", "le"): "du", ("de", "les"): "des"}


def _starts_with_vowel_sound(word: str) -> bool:
    return word[0] in _VOWELS or word.startswith(_H_MUET)


def join_french(words: list[str]) -> str:
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


def _join_english(words: list[str]) -> str:
    """Join English words, turning "a" into "an" before a vowel."""
    out = [
        "an" if word == "a" and i + 1 < len(words) and words[i + 1][0] in "aeiou" else word
        for i, word in enumerate(words)
    ]
    return " ".join(w for w in out if w)


Combination = tuple[str, ...]
"""("noun-adjective", noun, adjective) or ("coref", noun1, noun2, adjective), English lemmas."""

Sentence = tuple[str, str, frozenset[Combination]]
"""English, French, and the held-out combinations the sentence contains."""


@dataclass(frozen=True)
class Phrase:
    """A piece of a sentence in both languages, plus the held-out combinations it contains."""

    en: list[str]
    fr: list[str]
    combos: frozenset[Combination] = frozenset()


def noun_phrase(
    noun: Noun,
    plural: bool,
    definite: bool,
    adjective: Adjective | None = None,
    negated_object: bool = False,
    possessor: Phrase | None = None,
) -> Phrase:
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
    return Phrase([w for w in en if w], fr, combos)


def and_phrase(first: Phrase, second: Phrase) -> Phrase:
    """ "the cat" + "the dog" -> "the cat and the dog" / "le chat et le chien"."""
    return Phrase(first.en + ["and"] + second.en, first.fr + ["et"] + second.fr, first.combos | second.combos)


@dataclass(frozen=True)
class Subject:
    """A sentence's subject: its words, grammatical person and gender (for agreement), and its nouns."""

    phrase: Phrase
    person: str  # "1s", "3s", "1p", "3p"
    gender: str | None
    nouns: tuple[Noun, ...] = ()

    @property
    def plural(self) -> bool:
        """Whether the subject is plural (we, a plural noun, two nouns joined by "and")."""
        return self.person.endswith("p")

    @property
    def index(self) -> int:
        """Index into a French present-tense tuple (je, il, nous, ils)."""
        return ("1s", "3s", "1p", "3p").index(self.person)


PRONOUN_SUBJECTS = {en: Subject(Phrase([en], [fr]), person, gender) for en, fr, person, gender in PRONOUNS}


def noun_subject(
    noun: Noun,
    plural: bool,
    definite: bool,
    adjective: Adjective | None = None,
    possessor: Phrase | None = None,
) -> Subject:
    """A noun phrase as the subject: third person, the noun's gender."""
    phrase = noun_phrase(noun, plural, definite, adjective, possessor=possessor)
    return Subject(phrase, "3p" if plural else "3s", noun.gender, (noun,))


def coordinated(first: Subject, second: Subject) -> Subject:
    """Two subjects joined by "and": plural, feminine only if both are ("le roi et la reine sont partis")."""
    gender = "f" if first.gender == second.gender == "f" else "m"
    return Subject(and_phrase(first.phrase, second.phrase), "3p", gender, first.nouns + second.nouns)


def _agree(participle_or_adjective: str, gender: str | None, plural: bool) -> str:
    return participle_or_adjective + ("e" if gender == "f" else "") + ("s" if plural else "")


_AVOIR = ("ai", "a", "avons", "ont")
ETRE = ("suis", "est", "sommes", "sont")
"""Être in the present (je, il, nous, ils)."""

ETAIT = ("étais", "était", "étions", "étaient")
"""Être in the imperfect (je, il, nous, ils), the French for English "was"/"were"."""

BE_EN = {"1s": ("am", "was"), "3s": ("is", "was"), "1p": ("are", "were"), "3p": ("are", "were")}
"""English "to be" by grammatical person: (present, past)."""


def verb_group(verb: Verb, subject: Subject, past: bool, negated: bool) -> Phrase:
    """The conjugated verb, e.g. "did not go" -> "ne sont pas allées"."""
    third_singular = subject.person == "3s"
    if not past and not negated:
        en = [verb.en_3sg if third_singular else verb.en]
    elif past and not negated:
        en = [verb.en_past]
    else:
        en = ["did" if past else ("does" if third_singular else "do"), "not", verb.en]
    if past:
        auxiliary = (_AVOIR if verb.auxiliary == "avoir" else ETRE)[subject.index]
        participle = verb.participle
        if verb.auxiliary == "être":
            participle = _agree(participle, subject.gender, subject.plural)
        fr = ["ne", auxiliary, "pas", participle] if negated else [auxiliary, participle]
    else:
        conjugated = verb.present[subject.index]
        fr = ["ne", conjugated, "pas"] if negated else [conjugated]
    return Phrase(en, fr)


def be(subject: Subject, past: bool, negated: bool) -> Phrase:
    """ "is not" -> "n'est pas", "were" -> "étaient" (imperfect for English "was")."""
    en = [BE_EN[subject.person][past]] + (["not"] if negated else [])
    conjugated = (ETAIT if past else ETRE)[subject.index]
    return Phrase(en, ["ne", conjugated, "pas"] if negated else [conjugated])


MODALS: dict[str, tuple[str, str, tuple[str, str, str, str]]] = {
    "can": ("can", "cannot", ("peux", "peut", "pouvons", "peuvent")),
    "could": ("could", "could not", ("pouvais", "pouvait", "pouvions", "pouvaient")),
    "will": ("will", "will not", ("vais", "va", "allons", "vont")),
}
"""English modal -> (affirmative, negative, French auxiliary before the infinitive: pouvoir, or aller
for the future: "she will not go" -> "elle ne va pas aller")."""


def modal_group(modal: str, verb: Verb, subject: Subject, negated: bool) -> Phrase:
    """ "cannot find" -> "ne peut pas trouver"."""
    affirmative, negative, auxiliaries = MODALS[modal]
    en = (negative if negated else affirmative).split() + [verb.en]
    auxiliary = auxiliaries[subject.index]
    return Phrase(en, ["ne", auxiliary, "pas", verb.infinitive] if negated else [auxiliary, verb.infinitive])


def join(*phrases: Phrase) -> Sentence:
    """The phrases as one sentence: English with a/an, French with elision and contraction."""
    en = [w for p in phrases for w in p.en]
    fr = [w for p in phrases for w in p.fr]
    combos = frozenset().union(*(p.combos for p in phrases))
    return _join_english(en), join_french(fr), combos


def prepositional(en_prep: str, fr_prep: str, noun: Noun, plural: bool, definite: bool) -> Phrase:
    """ "near the bridge" -> "près du pont" (the contraction happens in `join_french`)."""
    phrase = noun_phrase(noun, plural, definite)
    return Phrase(en_prep.split() + phrase.en, fr_prep.split() + phrase.fr)
