"""Subword vocabularies: learned from the pairs, read any word, saved inside the checkpoint."""

import pytest
import torch

from book.config import get_config
from book.corpus.splits import generate_corpus
from book.model import Transformer
from book.translation.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from book.translation.onnx_export import export_translator
from book.translation.subwords import SubwordVocab, vocab_from_dict
from book.translation.tokenizer import SPECIALS, UNK_ID, Vocab
from book.translation.training import build_vocabularies
from book.translation.translator import Translator


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    pairs = generate_corpus(400, 0, 2, seed=2).train
    return [p.source for p in pairs] + [p.target for p in pairs]


@pytest.fixture(scope="module")
def vocab(sentences) -> SubwordVocab:
    return SubwordVocab.train(sentences, size=300)


def test_the_special_tokens_keep_their_ids_and_the_size_is_a_soft_limit(vocab, sentences) -> None:
    assert vocab.itos[:4] == SPECIALS and 250 <= len(vocab) <= 300
    assert len(SubwordVocab.train(sentences[:5], size=5000)) < 5000  # a small corpus gets fewer pieces


def test_text_round_trips_and_a_rare_word_is_cut_into_pieces(vocab) -> None:
    text = "The red car didn't cross the street."
    ids = vocab.encode(text)
    assert ids[0] == 1 and ids[-1] == 2 and UNK_ID not in ids
    assert vocab.decode(ids) == text.lower()
    pieces = vocab.lookup(vocab.encode("streetcars"))
    assert len(pieces) > 1 and "".join(pieces).replace("▁", "") == "streetcars"
    assert vocab.unknown_words("the car 🚗") == ["🚗"] and "car" in vocab and "🚗" not in vocab


def test_the_same_sentences_give_the_same_pieces(vocab, sentences) -> None:
    assert SubwordVocab.train(sentences, size=300) == vocab
    assert SubwordVocab.train(sentences[::2], size=300) != vocab


def test_a_vocabulary_round_trips_as_plain_data(vocab) -> None:
    assert vocab_from_dict(vocab.to_dict()) == vocab
    words = Vocab.build(["le chat"])
    assert vocab_from_dict(words.to_dict()) == words
    with pytest.raises(ValueError, match="damaged sentencepiece model"):
        vocab_from_dict({"sentencepiece": b"not a model"})


# a model trained for a few steps need not end its sentence
@pytest.mark.filterwarnings("ignore::book.translation.translator.UnfinishedTranslationWarning")
def test_a_checkpoint_holds_its_subword_model_and_translates(tmp_path, sentences) -> None:
    pairs = generate_corpus(200, 0, 2, seed=2).train
    src, tgt = build_vocabularies(pairs, shared=False, tokenizer="subword", size=200)
    assert isinstance(src, SubwordVocab) and src != tgt
    torch.manual_seed(0)
    model = Transformer(get_config("tiny").with_vocab(len(src), len(tgt)))
    save_checkpoint(Checkpoint(model, src, tgt), tmp_path / "subword.pt")
    loaded = load_checkpoint(tmp_path / "subword.pt")
    assert loaded.src_vocab == src and loaded.tgt_vocab == tgt
    translator = Translator.from_checkpoint(loaded)
    assert isinstance(translator.translate("the red car"), str)
    assert translator.analyze("the red car").source_tokens[:2] == ["<bos>", "▁the"]
    with pytest.raises(ValueError, match="word vocabularies only"):
        export_translator(translator, tmp_path / "onnx")  # the page's tokenizer knows words only
    with pytest.raises(ValueError, match="tokenizer must be one of"):
        build_vocabularies(pairs, shared=True, tokenizer="bytes")
