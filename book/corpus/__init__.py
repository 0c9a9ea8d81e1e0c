"""The translator's own English/French data, generated from the project's own grammar (chapter 9, "The
translator", explains it; chapter 5 uses its coreference sentences).

Nothing is downloaded: a small lexicon and a handful of sentence patterns produce sentence pairs with
exactly one correct translation each way. The grammar covers what makes French differ from English word by
word: gendered determiners (le/la/l'/les, un/une/des), adjectives after the noun that agree with it ("the
red cars" -> "les voitures rouges"), present tense and passé composé with *avoir* and with *être* (which
agrees: "she left" -> "elle est partie"), negation ne ... pas with "pas de" for indefinite objects,
prepositions with their contractions (au, aux, du, des), and elision (l', d', j', n', qu'). Beyond the
first patterns it has the shapes a reader tries first: an object followed by a place, two places, "of"
("la sœur du roi"), "and" between nouns (which makes the French plural, masculine unless both nouns are
feminine), "very", a because-clause without a pronoun, yes/no questions (asked with "est-ce que") and
can/could/will.

The pattern that matters most is the lecture's coreference sentence: "the animal did not cross the street
because it was too tired". French must choose il or elle, so it must decide whether "it" is the animal or
the street; only the adjective tells. In this grammar the adjective always fits exactly one of the two
nouns: animal states (tired, hungry, ...) fit the animal, physical properties (wide, long, heavy, far, ...)
fit the object. Both nouns come in both genders and both numbers, so the pronoun cannot be guessed from
position.

The grammar writes lowercase words without punctuation; half of the sentences are then rewritten the way
people type them ("The animal didn't cross the street because it was too tired."): contractions, capitals,
a final full stop, exclamation or question mark, which the French repeats. None of the sentences of the
reader set (``book/data/reader-set.tsv``) is ever generated. Dev and test hold noun-adjective pairs and
coreference triples (noun1, noun2, adjective) that never occur in training, so they measure compositional
generalisation. Both lecture sentences are in the test split.

- ``lexicon``: nouns, adjectives, verbs, pronouns and prepositions in both languages, and the coreference
  adjectives and verbs.
- ``phrases``: the building blocks of sentences (noun phrases, subjects and agreement, conjugated verbs,
  "to be", modals, places) and the surface rules that join words (elision, contraction, a/an).
- ``sentences``: the sentence patterns, the coreference sentence among them, and the table of sentence
  kinds with their shares.
- ``typed``: English as people type it (``as_typed``) and back (``plain_english``).
- ``splits``: ``generate_corpus`` and the held-out combinations, the lecture and showcase sentences, the
  reader sentences.
- ``coreference``: the coreference sentence read back: its nouns, adjective, side and token positions.
- ``faithfulness``: whether a translation carries every noun, adjective and negation of the English,
  without a reference.

The everyday corpus, which the translator moves to next, is written by a real realiser instead of the
grammar's own rules: pyrealb writes both languages from one sentence plan.

- ``realiser``: pyrealb in one place, and the corrections the book makes to what it writes.
- ``vocabulary``: the everyday word pairs (``book/data/vocabulary/*.tsv``, 1,626 English lemmas) and the
  noun classes that keep sentences sensible.
- ``plans``: sentence plans (who, what is said of them, tense, negation, question or imperative) and their
  English and French.
- ``everyday``: random plans of the shapes readers type, the coreference sentence, and typed English.
"""
