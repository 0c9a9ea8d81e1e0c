"""Tests for book.translation.tokenizer: tokenize/detokenize round trip and the Vocab."""

import json

import pytest
import torch

from book.corpus.splits import generate_corpus
from book.translation.tokenizer import BOS_ID, EOS_ID, PAD_ID, SPECIALS, UNK_ID, Vocab, detokenize, tokenize


def test_tokenize_splits_elisions_and_punctuation():
    assert tokenize("L'animal n'a pas traversé la rue, parce qu'il était trop fatigué.") == [
        "l'", "animal", "n'", "a", "pas", "traversé", "la", "rue", ",",
        "parce", "qu'", "il", "était", "trop", "fatigué", ".",
    ]  # fmt: skip
    assert tokenize("J’ai vu l' arbre") == ["j'", "ai", "vu", "l'", "arbre"]
    assert tokenize("jusqu'à aujourd'hui") == ["jusqu'", "à", "aujourd'hui"]
    assert tokenize("I didn't go (today)!") == ["i", "didn't", "go", "(", "today", ")", "!"]


def test_detokenize_restores_spacing():
    assert (
        detokenize(["l'", "animal", "n'", "a", "pas", "vu", "qu'", "il", "."]) == "l'animal n'a pas vu qu'il."
    )
    assert detokenize(["i", "didn't", "go", "(", "today", ")", "!"]) == "i didn't go (today)!"
    assert detokenize([]) == ""


def test_round_trip_on_the_whole_corpus():
    corpus = generate_corpus()
    sentences = [
        s for split in (corpus.train, corpus.dev, corpus.test) for p in split for s in (p.source, p.target)
    ]
    assert len(sentences) == 43000
    failures = [s for s in sentences if detokenize(tokenize(s)) != s.lower()]
    assert not failures, failures[:5]


def test_round_trip_with_capitals_and_punctuation():
    text = "Le chien, qui est fatigué, n'a pas traversé l'Avenue !"
    assert detokenize(tokenize(text)) == "le chien, qui est fatigué, n'a pas traversé l'avenue!"
    assert detokenize(tokenize("The red car is here.")) == "the red car is here."


@pytest.fixture()
def vocab() -> Vocab:
    return Vocab.build(["the dog sees the cat", "the cat sees a bird", "l'oiseau"])


def test_build_orders_by_frequency_then_alphabet(vocab):
    assert vocab.itos[:4] == SPECIALS
    assert vocab.itos[4:7] == ("the", "cat", "sees")  # 3, 2, 2 occurrences
    assert vocab.itos[7:] == ("a", "bird", "dog", "l'", "oiseau")
    assert len(vocab) == 12
    assert Vocab.build(["b a", "a"], min_freq=2).itos == (*SPECIALS, "a")


def test_encode_decode(vocab):
    ids = vocab.encode("The dog sees the bird")
    assert ids[0] == BOS_ID and ids[-1] == EOS_ID and len(ids) == 7
    assert vocab.encode("the dog", add_specials=False) == ids[1:3]
    assert vocab.decode(ids) == "the dog sees the bird"
    assert vocab.decode(torch.tensor(ids + [PAD_ID, PAD_ID])) == "the dog sees the bird"
    assert vocab.decode([BOS_ID, vocab.stoi["cat"], EOS_ID, vocab.stoi["dog"]]) == "cat"
    assert vocab.decode(vocab.encode("l'oiseau")) == "l'oiseau"
    with pytest.raises(ValueError, match="out of range"):
        vocab.decode([len(vocab)])


def test_tokens_keep_every_special_token(vocab):
    ids = vocab.encode("the dog") + [PAD_ID]
    assert vocab.tokens(ids) == ["<bos>", "the", "dog", "<eos>", "<pad>"]
    assert vocab.tokens(torch.tensor(ids)) == vocab.tokens(ids)
    assert vocab.lookup(ids) == ["the", "dog"]
    with pytest.raises(ValueError, match="out of range"):
        vocab.tokens([-1])


def test_unknown_words_are_reported(vocab):
    ids = vocab.encode("the purple dog sees a purple zebra")
    assert ids.count(UNK_ID) == 3
    assert vocab.unknown_words("the purple dog sees a purple zebra") == ["purple", "zebra"]
    assert vocab.unknown_words("the dog") == []
    assert vocab.decode(ids) == "the dog sees a"
    assert "dog" in vocab and "zebra" not in vocab


def test_to_dict_round_trip_and_equality(vocab):
    data = json.loads(json.dumps(vocab.to_dict()))
    assert Vocab.from_dict(data) == vocab
    assert Vocab.from_dict(data).stoi == vocab.stoi
    assert Vocab.build(["the dog"]) != vocab
    with pytest.raises(ValueError, match="must start with"):
        Vocab.from_dict({"tokens": ["the", "dog"]})
    with pytest.raises(ValueError, match="duplicate"):
        Vocab.from_dict({"tokens": [*SPECIALS, "dog", "dog"]})
    with pytest.raises(ValueError, match="tokens"):
        Vocab.from_dict({"itos": []})
