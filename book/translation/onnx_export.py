"""The translator as two ONNX models and a JSON file, for translating in a web page with onnxruntime-web.

``export_translator(translator, folder)`` writes:

- ``encoder.onnx``: ``src`` (batch, src_len) int64 token ids -> ``memory`` (batch, src_len, d_model);
- ``decoder.onnx``: one step of generation. ``tgt`` (batch, tgt_len) int64, the words so far from <bos>;
  ``memory``; ``src`` (its <pad> ids give the padding mask) -> ``log_probs`` (batch, tgt_vocab) of the
  word after the last one, and ``cross_attention`` (batch, layers, heads, tgt_len, src_len): every
  position's encoder-decoder attention. Row t is what the decoder looked at when it chose word t + 1 (the
  causal mask keeps earlier rows as they were), so the last step's map is the heat map of the whole
  translation. There is no key/value cache: each step reads the whole prefix, as training does;
- ``translator.json``: what the JavaScript side needs besides the weights: vocabularies, special ids,
  the longest input, the tokenizer's elisions and spacing rules, beam search's length penalty.

Both models are exported by ``torch.export`` (``dynamo=True``) with dynamic batch and lengths, with
their weights inside the file (``external_data=False``: onnxruntime-web loads a model from one buffer).
``site/translator/`` holds the JavaScript that runs them. Run ``python -m book.translation.onnx_export
FOLDER`` to export the shipped translator.
"""

import argparse
import json
import warnings
from pathlib import Path

import torch
from torch import nn

from book.attention import AttentionMaps
from book.model import Transformer
from book.translation.decoding import LENGTH_PENALTY_ALPHA
from book.translation.tokenizer import (
    BOS_ID,
    ELISIONS,
    EOS_ID,
    NO_SPACE_AFTER,
    NO_SPACE_BEFORE,
    PAD_ID,
    UNK_ID,
    Vocab,
)
from book.translation.translator import Translator

ENCODER, DECODER, SPEC = "encoder.onnx", "decoder.onnx", "translator.json"
"""The names of the files ``export_translator`` writes."""


class SourceEncoder(nn.Module):
    """The model's encoder alone: src (batch, src_len) -> memory (batch, src_len, d_model)."""

    def __init__(self, model: Transformer) -> None:
        super().__init__()
        self.model = model

    def forward(self, src: torch.Tensor) -> torch.Tensor:
        return self.model.encode(src)


class DecoderStep(nn.Module):
    """One step of decoding, with the cross-attention of every layer and head.

    tgt (batch, tgt_len), memory (batch, src_len, d_model), src (batch, src_len) ->
    log_probs (batch, tgt_vocab) of the next word, cross_attention (batch, layers, heads, tgt_len, src_len).
    """

    def __init__(self, model: Transformer) -> None:
        super().__init__()
        self.model = model

    def forward(
        self, tgt: torch.Tensor, memory: torch.Tensor, src: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        maps = AttentionMaps()
        hidden = self.model.decode(memory, src, tgt, attention=maps)  # (batch, tgt_len, d_model)
        return self.model.generator(hidden[:, -1]), torch.stack(maps.cross, dim=1)


def spec(translator: Translator) -> dict:
    """What the JavaScript translator needs besides the two models, as plain JSON-able data."""
    config = translator.model.config
    return {
        "direction": translator.direction,
        "src_vocab": list(translator.src_vocab.itos),
        "tgt_vocab": list(translator.tgt_vocab.itos),
        "special_ids": {"pad": PAD_ID, "bos": BOS_ID, "eos": EOS_ID, "unk": UNK_ID},
        "max_len": config.max_len,
        "max_words": translator.max_words,
        "layers": config.layers,
        "heads": config.heads,
        "elisions": list(ELISIONS),
        "no_space_before": sorted(NO_SPACE_BEFORE),
        "no_space_after": sorted(NO_SPACE_AFTER),
        "length_penalty_alpha": LENGTH_PENALTY_ALPHA,
        "models": {"encoder": ENCODER, "decoder": DECODER},
    }


def export_translator(translator: Translator, folder: str | Path) -> dict[str, Path]:
    """Write ``translator`` as ``encoder.onnx``, ``decoder.onnx`` and ``translator.json`` into ``folder``.

    Returns the path of each file, by name. Needs the ``onnx`` and ``onnxscript`` packages. The page's
    tokenizer (``site/translator/tokenize.js``) reads word vocabularies only: a translator with subword
    pieces (``--tokenizer subword``) is refused.
    """
    if not all(isinstance(vocab, Vocab) for vocab in (translator.src_vocab, translator.tgt_vocab)):
        raise ValueError("the in-page translator reads word vocabularies only; this one uses subword pieces")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    model = translator.model.eval()
    batch = torch.export.Dim("batch")
    src_len = torch.export.Dim("src_len", max=model.config.max_len)
    tgt_len = torch.export.Dim("tgt_len", max=model.config.max_len)
    src = torch.tensor([translator.src_vocab.encode("the dog is tired")])  # examples to trace
    tgt = torch.tensor([[BOS_ID, *translator.tgt_vocab.encode("le chien", add_specials=False)]])
    with torch.no_grad():
        memory = model.encode(src)
    axes = {"tgt": {0: batch, 1: tgt_len}, "memory": {0: batch, 1: src_len}, "src": {0: batch, 1: src_len}}
    paths = {name: folder / name for name in (ENCODER, DECODER, SPEC)}
    _export(SourceEncoder(model), (src,), paths[ENCODER], {"src": axes["src"]}, ["memory"])
    _export(DecoderStep(model), (tgt, memory, src), paths[DECODER], axes, ["log_probs", "cross_attention"])
    paths[SPEC].write_text(json.dumps(spec(translator), ensure_ascii=False), encoding="utf-8")
    return paths


def _export(module: nn.Module, args: tuple, path: Path, axes: dict, outputs: list[str]) -> None:
    """Export ``module`` run on ``args`` to ``path``; ``axes`` names each input's dynamic axes, in order."""
    with warnings.catch_warnings():
        # Two notices that ask nothing of this code (torch 2.13): one Dim names the same axis of several
        # inputs (batch, src_len), as meant; the exporter itself uses a pytree check that torch deprecated.
        warnings.filterwarnings("ignore", "# The axis name: .* will not be used", UserWarning)
        warnings.filterwarnings("ignore", r"`isinstance\(treespec, LeafSpec\)` is deprecated", FutureWarning)
        torch.onnx.export(
            module.eval(),
            args,
            path,
            input_names=list(axes),
            output_names=outputs,
            dynamic_shapes=axes,
            dynamo=True,
            external_data=False,
            verbose=False,
        )


def main() -> None:
    """``python -m book.translation.onnx_export FOLDER``: export the shipped translator."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write the models and translator.json")
    folder = parser.parse_args().folder
    for name, path in export_translator(Translator.pretrained(), folder).items():
        print(f"{name}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
