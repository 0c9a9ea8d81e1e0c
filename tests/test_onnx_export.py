"""The shipped translator exported to ONNX computes what PyTorch computes, at any batch size and length."""

import json

import numpy as np
import onnx
import onnxruntime
import pytest
import torch

from book.attention import AttentionMaps
from book.translation.batching import pad
from book.translation.decoding import greedy_decode
from book.translation.onnx_export import DECODER, ENCODER, SPEC
from book.translation.tokenizer import BOS_ID
from book.translation.translator import Translator

SENTENCES = [
    "i see the red car",
    "The animal didn't cross the street because it was too tired.",
    "the dog is tired",
    "Is the boy happy?",
]


@pytest.fixture(scope="module")
def translator() -> Translator:
    return Translator.pretrained()


def session(path) -> onnxruntime.InferenceSession:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    return onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def test_models_hold_their_weights_and_name_their_dynamic_axes(onnx_folder, translator) -> None:
    assert sorted(path.name for path in onnx_folder.iterdir()) == sorted([ENCODER, DECODER, SPEC])
    encoder, decoder = (
        onnx.load(onnx_folder / name, load_external_data=False) for name in (ENCODER, DECODER)
    )
    for model in (encoder, decoder):
        onnx.checker.check_model(model)
        assert not any(onnx.external_data_helper.uses_external_data(t) for t in model.graph.initializer)
    axes = {
        i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]
        for i in decoder.graph.input
    }
    assert axes == {
        "tgt": ["batch", "tgt_len"],
        "memory": ["batch", "src_len", translator.model.config.d_model],
        "src": ["batch", "src_len"],
    }
    assert [o.name for o in decoder.graph.output] == ["log_probs", "cross_attention"]
    assert 0.5e6 < (onnx_folder / ENCODER).stat().st_size < 2e6  # about 180,000 weights in float32
    assert 0.5e6 < (onnx_folder / DECODER).stat().st_size < 2e6


def test_spec_holds_what_the_javascript_side_needs(onnx_folder, translator) -> None:
    spec = json.loads((onnx_folder / SPEC).read_text(encoding="utf-8"))
    assert spec["src_vocab"] == list(translator.src_vocab.itos)
    assert spec["tgt_vocab"] == list(translator.tgt_vocab.itos)
    assert spec["special_ids"] == {"pad": 0, "bos": 1, "eos": 2, "unk": 3}
    assert spec["max_words"] == translator.max_words == spec["max_len"] - 2
    assert "l'" in spec["elisions"] and "." in spec["no_space_before"]
    assert (spec["layers"], spec["heads"]) == (translator.model.config.layers, translator.model.config.heads)


@torch.inference_mode()
def test_onnxruntime_matches_pytorch_at_every_length(onnx_folder, translator) -> None:
    """A padded batch of four sentences (one of 120 words), after 1, 2, 5 and all generated words."""
    model = translator.model
    src = pad([translator.src_vocab.encode(text) for text in [*SENTENCES, "the " * 120]])  # (5, 122)
    memory = session(onnx_folder / ENCODER).run(None, {"src": src.numpy()})[0]
    assert np.abs(memory - model.encode(src).numpy()).max() < 1e-4
    decoder = session(onnx_folder / DECODER)
    output = greedy_decode(model, src)
    for length in (1, 2, 5, output.size(1)):
        tgt = torch.cat([torch.full((src.size(0), 1), BOS_ID), output[:, : length - 1]], dim=1)
        maps = AttentionMaps()
        expected = model(src, tgt, attention=maps)[:, -1]  # (batch, vocab)
        log_probs, cross = decoder.run(None, {"tgt": tgt.numpy(), "memory": memory, "src": src.numpy()})
        assert log_probs.shape == expected.shape
        assert np.abs(log_probs - expected.numpy()).max() < 1e-4
        assert cross.shape == (src.size(0), len(maps.cross), model.config.heads, length, src.size(1))
        assert np.abs(cross - torch.stack(maps.cross, dim=1).numpy()).max() < 1e-4
