"""Checkpoints: a round trip keeps everything; damaged, outdated or mismatched files fail clearly."""

import pytest
import torch

from book.config import get_config
from book.model import Transformer
from book.translation.checkpoint import (
    FORMAT_VERSION,
    Checkpoint,
    CheckpointError,
    load_checkpoint,
    save_checkpoint,
)
from book.translation.tokenizer import Vocab
from book.translation.translator import Translator

SRC = Vocab(("<pad>", "<bos>", "<eos>", "<unk>", "the", "cat", "sleeps"))
TGT = Vocab(("<pad>", "<bos>", "<eos>", "<unk>", "le", "chat", "dort", "chien"))


@pytest.fixture
def saved(tmp_path) -> tuple:
    torch.manual_seed(0)
    model = Transformer(get_config("tiny", layers=1).with_vocab(len(SRC), len(TGT))).eval()
    path = tmp_path / "translator.pt"
    corpus = {"generator": {"n_train": 10, "seed": 0}}
    save_checkpoint(Checkpoint(model, SRC, TGT, "en-fr", corpus, {"steps": 3}), path)
    return model, path


def test_round_trip_keeps_weights_vocabularies_and_provenance(saved) -> None:
    model, path = saved
    loaded = load_checkpoint(path)
    assert loaded.src_vocab == SRC and loaded.tgt_vocab == TGT
    assert loaded.direction == "en-fr"
    assert loaded.corpus == {"generator": {"n_train": 10, "seed": 0}} and loaded.metadata == {"steps": 3}
    assert loaded.model.config == model.config and not loaded.model.training
    src, tgt = torch.tensor([[1, 4, 5, 2]]), torch.tensor([[1, 4, 5]])
    assert torch.equal(loaded.model(src, tgt), model(src, tgt))


def test_file_is_plain_data_readable_with_weights_only(saved) -> None:
    _, path = saved
    data = torch.load(path, weights_only=True)
    assert data["format_version"] == FORMAT_VERSION
    assert data["src_vocab"] == {"tokens": list(SRC.itos)}


def test_corrupt_file_names_the_file(saved) -> None:
    _, path = saved
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(CheckpointError, match=f"{path}: not a readable checkpoint"):
        load_checkpoint(path)
    path.write_text("hello")
    with pytest.raises(CheckpointError, match="translator.pt: not a readable checkpoint"):
        load_checkpoint(path)


def test_other_format_version_is_refused(saved) -> None:
    _, path = saved
    data = torch.load(path, weights_only=True)
    data["format_version"] = FORMAT_VERSION + 1
    torch.save(data, path)
    with pytest.raises(CheckpointError, match=f"{path}: checkpoint format version {FORMAT_VERSION + 1}"):
        load_checkpoint(path)


def test_vocabulary_that_does_not_match_the_weights_is_refused(saved) -> None:
    _, path = saved
    data = torch.load(path, weights_only=True)
    data["tgt_vocab"] = {"tokens": list(TGT.itos) + ["extra"]}
    data["config"]["tgt_vocab"] += 1  # config and vocabulary agree, the weights do not
    torch.save(data, path)
    with pytest.raises(
        CheckpointError, match="target vocabulary has 9 tokens but the weights .* have 8 rows"
    ):
        load_checkpoint(path)
    data["config"]["tgt_vocab"] -= 1
    torch.save(data, path)
    with pytest.raises(CheckpointError, match="target vocabulary has 9 tokens but the model expects 8"):
        load_checkpoint(path)


def test_missing_file_and_bad_direction(tmp_path, saved) -> None:
    model, _ = saved
    with pytest.raises(FileNotFoundError, match="no checkpoint file"):
        load_checkpoint(tmp_path / "absent.pt")
    with pytest.raises(ValueError, match="direction"):
        save_checkpoint(Checkpoint(model, SRC, TGT, "en-de"), tmp_path / "x.pt")


def test_a_translator_saves_as_the_checkpoint_it_loads_from(saved, tmp_path) -> None:
    translator = Translator.load(saved[1])
    again = tmp_path / "again.pt"
    save_checkpoint(translator.to_checkpoint({"steps": 3}), again)
    loaded = Translator.load(again)
    assert (loaded.direction, loaded.corpus, loaded.src_vocab, loaded.tgt_vocab) == (
        translator.direction,
        translator.corpus,
        SRC,
        TGT,
    )
    assert load_checkpoint(again).metadata == {"steps": 3}
    beam = translator.with_beam(4)
    assert beam.model is translator.model and (beam.beam_size, translator.beam_size) == (4, 1)
