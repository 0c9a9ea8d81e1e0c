"""Tests for book.corpus: determinism, held-out splits, agreement, coreference, TSV files."""

import contextlib
import random
import re
from collections import Counter

import pytest

from book.corpus.coreference import parse
from book.corpus.lexicon import ADJECTIVES, COREF_ADJECTIVES, LEXICON, NOUNS, VERBS
from book.corpus.splits import (
    LECTURE_SENTENCES,
    MAX_WORDS,
    READER_SENTENCES,
    READER_SET,
    SHOWCASE_SENTENCES,
    generate_corpus,
    held_out_combinations,
    regenerate,
)
from book.corpus.typed import as_typed, plain_english
from book.translation.evaluation import coref_pronoun
from book.translation.pairs import Corpus, Pair, load_tsv, write_tsv
from book.translation.tokenizer import tokenize

NOUN_FORMS = {n.en: (n, False) for n in NOUNS} | {n.en_plural: (n, True) for n in NOUNS}
ADJECTIVE = {a.en: a for a in ADJECTIVES}
ANIMATE_ADJECTIVES = {a.en for a in COREF_ADJECTIVES["animate"]}
BE = {"is", "are", "was", "were"}
COREF = re.compile(
    r"^the (\w+) (?:did|does|do) not (\w+) the (\w+) because (it|they) (?:was|were|is|are) too (\w+)$"
)


VERB_WORDS = BE | {"did", "does", "do", "can", "cannot", "could", "will"}
VERB_WORDS |= {form for verb in VERBS for form in (verb.en, verb.en_3sg, verb.en_past)}


@pytest.fixture(scope="module")
def raw() -> Corpus:
    return generate_corpus()


@pytest.fixture(scope="module")
def corpus(raw) -> Corpus:
    """The corpus as the grammar writes it, before `as_typed`: plain English, French without a final mark."""

    def plain(pairs: list[Pair]) -> list[Pair]:
        return [Pair(plain_english(p.source), p.target.rstrip(".!?"), p.kind) for p in pairs]

    return Corpus(plain(raw.train), plain(raw.dev), plain(raw.test))


def has_verb(words: str) -> bool:
    return any(word in VERB_WORDS for word in words.split())


def clauses_of(english: str) -> list[str]:
    """The clauses of a plain sentence: split at "because", and at "and" when both sides have a verb."""
    clauses = []
    for part in english.split(" because "):
        chunks = part.split(" and ")
        current = chunks[0]
        for chunk in chunks[1:]:
            if has_verb(current) and has_verb(chunk):
                clauses.append(current)
                current = chunk
            else:
                current += " and " + chunk
        clauses.append(current)
    return clauses


def head_nouns(words: list[str]) -> list[tuple]:
    """(noun, plural) of each noun in ``words`` that is not an owner ("of the king")."""
    return [
        NOUN_FORMS[w]
        for i, w in enumerate(words)
        if w in NOUN_FORMS and not (i >= 2 and words[i - 2] == "of")
    ]


def subject_agreement(words: list[str]) -> tuple[str, bool] | None:
    """Gender and number of a plain clause's subject: he/she, a noun phrase, or two joined by "and"."""
    if words[0] in ("he", "she"):
        return ("m" if words[0] == "he" else "f"), False
    if words[0] not in ("the", "a", "an"):
        return None
    subject = words[: next(i for i, w in enumerate(words) if w in VERB_WORDS)]
    heads = head_nouns(subject)
    if len(heads) > 1:
        return ("f" if all(noun.gender == "f" for noun, _ in heads) else "m"), True
    noun, plural = heads[0]
    return noun.gender, plural


def combinations_in(english: str) -> set[tuple[str, ...]]:
    """Noun-adjective pairs and coreference triples of a plain sentence, parsed from its English alone."""
    with contextlib.suppress(ValueError):
        sentence = parse(english)
        return {sentence.combination, ("noun-adjective", sentence.referent, sentence.adjective)}
    found = set()
    for clause in clauses_of(english):
        words = clause.split()
        for word, following in zip(words, words[1:], strict=False):  # attributive: "the red car"
            if word in ADJECTIVE and following in NOUN_FORMS:
                found.add(("noun-adjective", NOUN_FORMS[following][0].en, word))
        if words[-1] in ADJECTIVE and words[-2] in BE | {"not", "very"}:  # "the car is red", "is the car red"
            subject = (
                words[1:] if words[0] in BE else words[: next(i for i, w in enumerate(words) if w in BE)]
            )
            found |= {("noun-adjective", noun.en, words[-1]) for noun, _ in head_nouns(subject)}
    return found


def test_lexicon_has_at_least_150_words():
    assert len(LEXICON) >= 150
    assert len(NOUNS) + len(ADJECTIVES) + len(VERBS) >= 150
    assert len({n.en for n in NOUNS}) == len(NOUNS), "duplicate English nouns"
    assert len({n.fr for n in NOUNS}) == len(NOUNS), "two nouns share a French word"


def test_same_seed_same_corpus_other_seed_other_corpus():
    a = generate_corpus(n_train=500, n_dev=50, n_test=100, seed=3)
    b = generate_corpus(n_train=500, n_dev=50, n_test=100, seed=3)
    c = generate_corpus(n_train=500, n_dev=50, n_test=100, seed=4)
    assert a == b
    assert a.train != c.train and a.test != c.test
    assert held_out_combinations(3) == held_out_combinations(3) != held_out_combinations(4)


def test_sizes_and_disjoint_splits(corpus):
    assert (len(corpus.train), len(corpus.dev), len(corpus.test)) == (20000, 500, 1000)
    sources = [set(p.source for p in split) for split in (corpus.train, corpus.dev, corpus.test)]
    assert sum(map(len, sources)) == 21500, "a sentence occurs twice"
    with pytest.raises(ValueError, match="n_test"):
        generate_corpus(n_test=1)


def test_one_translation_each_way(corpus):
    pairs = corpus.train + corpus.dev + corpus.test
    assert len({p.target for p in pairs}) == len(pairs), "two English sentences share a French one"


def test_sentences_are_short_and_all_test_words_are_trained(raw, corpus):
    assert max(len(p.source.split()) for p in corpus.train + corpus.dev + corpus.test) <= MAX_WORDS
    for side in ("source", "target"):
        seen = {t for p in raw.train for t in tokenize(getattr(p, side))}
        unseen = {t for p in raw.dev + raw.test for t in tokenize(getattr(p, side))} - seen
        assert not unseen, f"{side} words never seen in training: {sorted(unseen)}"


def test_a_share_is_written_as_people_type(raw, corpus):
    for split, plain in ((raw.train, corpus.train), (raw.test, corpus.test)):
        typed = [p for p, q in zip(split, plain, strict=True) if p.source != q.source]
        assert 0.35 * len(split) < len(typed) < 0.55 * len(split)
        text = " ".join(p.source for p in typed)
        for form in ("didn't", "doesn't", "don't", "isn't", "aren't", "wasn't", "weren't", "can't", "won't"):
            assert f" {form} " in text, form
        assert sum(p.source[0].isupper() for p in typed) > 0.5 * len(typed)
        for pair in split:  # the French ends with the English's final mark
            assert pair.source[-1] in ".!?" or pair.target[-1] not in ".!?", pair
            if pair.source[-1] in ".!?":
                assert pair.target[-1] == pair.source[-1], pair
        assert all(p.source.endswith("?") for p in typed if p.kind == "question" and p.source[-1] in ".!?")
    assert all(p.source == p.source.lower() and p.target == p.target.lower() for p in corpus.train)


def test_typing_and_its_inverse():
    rng = random.Random(0)
    english = "the animal did not cross the street because it was too tired"
    forms = {as_typed(english, "l'animal ...", False, rng)[0] for _ in range(200)}
    assert "The animal didn't cross the street because it was too tired." in forms
    assert {plain_english(form) for form in forms} == {english}
    assert plain_english("I'm sure they're here!") == "i am sure they are here"
    assert plain_english("The king can't go?") == "the king cannot go"


def test_reader_sentences_are_never_generated(raw):
    plain = {plain_english(s.english) for s in READER_SET}
    assert len(plain) == len(READER_SET) >= 250 and len(READER_SENTENCES) >= 50
    assert not plain & {plain_english(p.source) for p in raw.train}
    assert plain & {plain_english(p.source) for p in raw.dev + raw.test} == set(LECTURE_SENTENCES)


def test_kind_shares(corpus):
    for split in (corpus.train, corpus.test):
        shares = Counter(p.kind for p in split)
        assert 0.2 <= shares["coref"] / len(split) <= 0.3
        assert set(shares) >= {"simple", "negation", "past", "past_negation", "motion", "location"}
        assert shares["adjective"] + shares["description"] >= 0.15 * len(split)
    assert sum(p.kind == "coref" for p in corpus.test) >= 200


def test_held_out_combinations_never_reach_training(corpus):
    held = held_out_combinations(0)
    assert len(held.dev) > 100 and len(held.test) > 100 and not held.dev & held.test
    train_combos = set().union(*(combinations_in(p.source) for p in corpus.train))
    assert len(train_combos) > 2000, "the parser should find the training combinations"
    assert not train_combos & (held.dev | held.test)
    for name, split, other in (("dev", corpus.dev, held.test), ("test", corpus.test, held.dev)):
        for pair in split:
            combos = combinations_in(pair.source)
            assert not combos & other, f"{name} sentence uses the other split's held-out: {pair}"
            if pair.kind in ("coref", "adjective", "description") and combos:
                assert combos & held.split(name), f"{name} sentence without a held-out combination: {pair}"


def test_lecture_and_showcase_sentences(corpus):
    test = {p.source: p.target for p in corpus.test}
    train = {p.source: p.target for p in corpus.train}
    for english, french in LECTURE_SENTENCES.items():
        assert test[english] == french
        assert english not in train and english not in {p.source for p in corpus.dev}
    for english, french in SHOWCASE_SENTENCES.items():
        assert train[english] == french
    assert ("coref", "animal", "street", "tired") in held_out_combinations(0).test
    assert ("coref", "animal", "street", "wide") in held_out_combinations(0).test


def test_adjectives_follow_and_agree_with_their_noun(corpus):
    checked = 0
    for pair in corpus.train:
        for _, noun, adjective in (c for c in combinations_in(pair.source) if c[0] == "noun-adjective"):
            if pair.kind != "adjective":
                continue
            plural = f"{ADJECTIVE[adjective].en} {NOUN_FORMS[noun][0].en_plural}" in pair.source
            n, a = NOUN_FORMS[noun][0], ADJECTIVE[adjective]
            assert f"{n.french(plural)} {a.french(n.gender, plural)}" in pair.target, pair
            checked += 1
    assert checked > 2000
    red_cars = [p for p in corpus.train if "the red cars" in p.source]
    assert red_cars and all("les voitures rouges" in p.target for p in red_cars)


def test_predicate_adjectives_agree(corpus):
    checked = 0
    for pair in (p for p in corpus.train if p.kind == "description"):
        words = pair.source.split()
        gender, plural = subject_agreement(words)
        adjective = ADJECTIVE[words[-1]]
        assert pair.target.endswith(" " + adjective.french(gender, plural)), pair
        checked += 1
    assert checked > 1000
    very = [p for p in corpus.train if p.kind == "description" and " very " in p.source]
    assert very and all(" très " in p.target for p in very)


def test_etre_participles_agree_with_the_subject(corpus):
    participles = {v.en_past: v for v in VERBS if v.auxiliary == "être"}
    checked = 0
    for pair in (p for p in corpus.train if p.kind == "motion"):
        words = pair.source.split()
        agreement = subject_agreement(words)
        if agreement is None:
            continue
        gender, plural = agreement
        past = [w for w in words if w in participles] or (["did"] if "did" in words else [])
        if not past:
            continue
        verb = (
            participles[past[0]]
            if past[0] != "did"
            else next(v for v in participles.values() if v.en in words)
        )
        expected = verb.participle + ("e" if gender == "f" else "") + ("s" if plural else "")
        assert expected in pair.target.split(), pair
        checked += 1
    assert checked > 500
    assert any(p.target.startswith("elle est partie") for p in corpus.train)
    both = [p for p in corpus.train if p.kind == "motion" and p.source.split()[2:3] == ["and"]]
    assert len(both) > 20


def test_new_shapes_have_their_french(corpus):
    """Shapes a reader tries first: "of", "and", two places, because without a pronoun, questions, modals."""
    french = {p.source: p.target for p in corpus.train}
    text = " ".join(p.source for p in corpus.train)
    for shape in (" of the ", " and the ", " because the ", " can ", " cannot ", " could ", " will "):
        assert shape in text, shape
    kinds = Counter(p.kind for p in corpus.train)
    assert min(kinds[k] for k in ("object_place", "clauses", "question", "modal")) > 300
    for source, target in french.items():
        words = source.split()
        if words[0] in ("is", "are", "was", "were", "does", "do", "did"):
            assert target.startswith(("est-ce que ", "est-ce qu'")), (source, target)
        if " because the " in source:
            assert " parce que " in target and coref_pronoun(target) is None, (source, target)
        if " will " in source:
            assert re.search(r"\b(vais|va|allons|vont)\b", target), (source, target)


def test_elision_and_contraction(corpus):
    targets = [p.target for p in corpus.train]
    for target in targets:
        assert not re.search(r"\b(le|la|je|ne|de|que) [aeiouyéèêâîôœ]", target), target
        assert not re.search(r"\b(le|la) h[oô]", target), target
        assert not re.search(r"\b(à le|à les|de le|de les)\b", target), target
    text = " ".join(targets)
    for form in (
        "l'animal",
        "l'école",
        "l'homme",
        "n'a ",
        "qu'il ",
        "qu'elles ",
        "j'ai ",
        "d'un",
        "au ",
        "du ",
    ):
        assert form in text, form


def test_negated_indefinite_objects_take_de(corpus):
    for pair in corpus.train:
        if pair.kind in ("negation", "past_negation") and re.search(r" not \w+ an? ", pair.source):
            assert re.search(r" pas( \w+)? d(e |')", pair.target), pair


def test_every_coref_pronoun_agrees_with_the_noun_the_adjective_fits(corpus):
    counts = Counter()
    for pair in (p for split in (corpus.train, corpus.test) for p in split if p.kind == "coref"):
        noun1, _, noun2, it, adjective = COREF.match(pair.source).groups()
        first, second = NOUN_FORMS[noun1], NOUN_FORMS[noun2]
        (referent, plural), position = (first, 1) if adjective in ANIMATE_ADJECTIVES else (second, 2)
        assert adjective in ANIMATE_ADJECTIVES or adjective in {a.en for a in COREF_ADJECTIVES["object"]}
        assert (it == "they") == plural
        expected = ("elle" if referent.gender == "f" else "il") + ("s" if plural else "")
        assert coref_pronoun(pair.target) == expected, pair
        assert pair.target.endswith(" trop " + ADJECTIVE[adjective].french(referent.gender, plural))
        counts[position, referent.gender] += 1
        counts["same as noun1", first[0].gender == referent.gender] += 1
    # the pronoun is not predictable from position or from the first noun alone
    for position in (1, 2):
        for gender in ("m", "f"):
            assert counts[position, gender] > 500
    assert counts["same as noun1", False] > 0.2 * (
        counts["same as noun1", True] + counts["same as noun1", False]
    )


def test_coref_pronoun():
    assert coref_pronoun("l'animal n'a pas traversé la rue parce qu'il était trop fatigué") == "il"
    assert coref_pronoun("Les chats ... parce qu'elles étaient trop larges") == "elles"
    assert coref_pronoun("parce qu' ils sont trop lourds") == "ils"
    assert coref_pronoun("la voiture rouge est ici") is None


def test_reversed_swaps_source_and_target(corpus):
    pair = Pair("the dog", "le chien", "simple")
    assert pair.reversed() == Pair("le chien", "the dog", "simple")
    assert pair.reversed().reversed() == pair
    back = corpus.reversed()
    assert back.test[0] == corpus.test[0].reversed()
    assert (len(back.train), len(back.dev), len(back.test)) == (20000, 500, 1000)


def test_tsv_round_trip_and_extra_columns(tmp_path):
    pairs = [Pair("the dog", "le chien", "simple"), Pair("she left", "elle est partie", "motion")]
    path = tmp_path / "pairs.tsv"
    write_tsv(pairs, path)
    assert load_tsv(path, kind_column=2) == pairs
    export = tmp_path / "fra.txt"
    export.write_text(
        "#separator:tab\nGo.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272\n\n"
        "Hi.\tSalut !\tCC-BY 2.0\n",
        encoding="utf-8",
    )
    assert load_tsv(export) == [Pair("Go.", "Va !", "tsv"), Pair("Hi.", "Salut !", "tsv")]
    assert load_tsv(export, source_column=1, target_column=0)[0] == Pair("Va !", "Go.", "tsv")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Go.\tVa !\nHi.\n", r"bad\.tsv, line 2: expected at least 2 tab-separated columns, found 1"),
        ("Go.\tVa !\n\n\tSalut !\n", r"bad\.tsv, line 3: empty source"),
        ("Go.\t  \n", r"bad\.tsv, line 1: empty target"),
    ],
)
def test_malformed_tsv_names_file_and_line(tmp_path, text, message):
    path = tmp_path / "bad.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_tsv(path)


def test_tsv_rejects_bad_bytes_and_tabs(tmp_path):
    path = tmp_path / "latin1.tsv"
    path.write_bytes("Go.\tVa là\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin1\.tsv: not valid UTF-8"):
        load_tsv(path)
    with pytest.raises(ValueError, match="tab"):
        write_tsv([Pair("a\tb", "c", "simple")], tmp_path / "out.tsv")


def test_regenerate_gives_back_the_recorded_corpus():
    record = {"generator": {"n_train": 120, "n_dev": 0, "n_test": 20, "seed": 3}}
    assert regenerate(record) == generate_corpus(120, 0, 20, seed=3)
    with pytest.raises(ValueError, match="not a record of the generated corpus"):
        regenerate({"file": "pairs.tsv", "test_share": 0.1, "seed": 0})
