"""PyTorch's own modules holding the book's weights, to verify every component against.

``to_torch(module)`` copies a book component's parameters into the matching ``torch.nn`` module:
in eval mode both compute the same function, which the tests and the chapters measure (every chapter from
2 on checks its component this way). ``TorchTransformer`` puts the book's embeddings and generator around
``torch.nn.Transformer``, for the whole model (chapters 1 and 9, the tests and the model benchmark).
"""

import warnings
from functools import singledispatch

import torch
from torch import nn

from book.attention import MultiHeadAttention
from book.decoder import Decoder, DecoderLayer
from book.encoder import Encoder, EncoderLayer
from book.feedforward import FeedForward
from book.masks import causal_mask
from book.model import Transformer
from book.normalization import LayerNorm, Residual

TOLERANCE = 1e-5
"""The largest difference from PyTorch that the book reads as float32 rounding, not a different function.

The exact size of that rounding depends on the CPU (its vector kernels, the order of its sums), so the
chapters print whether a difference is within ``TOLERANCE``, never the difference itself.
"""


@singledispatch
def to_torch(module: nn.Module) -> nn.Module:
    """PyTorch's module equivalent to ``module``, holding a copy of its weights."""
    raise TypeError(f"no PyTorch reference for {type(module).__name__}")


def _copy_linear(target: nn.Linear, source: nn.Linear) -> None:
    target.weight.copy_(source.weight)
    target.bias.copy_(source.bias)


@to_torch.register
@torch.no_grad()
def _(module: LayerNorm) -> nn.LayerNorm:
    reference = nn.LayerNorm(module.d_model, eps=module.eps)
    reference.weight.copy_(module.gain)
    reference.bias.copy_(module.bias)
    return reference


@to_torch.register
@torch.no_grad()
def _(module: FeedForward) -> nn.Sequential:
    reference = nn.Sequential(
        nn.Linear(module.d_model, module.linear1.out_features),
        nn.ReLU(),
        nn.Linear(module.linear1.out_features, module.d_model),
    )
    _copy_linear(reference[0], module.linear1)
    _copy_linear(reference[2], module.linear2)
    return reference


@to_torch.register
@torch.no_grad()
def _(module: MultiHeadAttention) -> nn.MultiheadAttention:
    reference = nn.MultiheadAttention(
        module.d_model, module.heads, dropout=module.dropout_p, batch_first=True
    )
    # PyTorch packs W_Q, W_K and W_V into one (3 d_model, d_model) matrix.
    reference.in_proj_weight.copy_(torch.cat([module.w_q.weight, module.w_k.weight, module.w_v.weight]))
    reference.in_proj_bias.copy_(torch.cat([module.w_q.bias, module.w_k.bias, module.w_v.bias]))
    _copy_linear(reference.out_proj, module.w_o)
    return reference


def _residuals(layer: EncoderLayer | DecoderLayer) -> list[Residual]:
    if isinstance(layer, EncoderLayer):
        return [layer.attn_residual, layer.ff_residual]
    return [layer.self_residual, layer.cross_residual, layer.ff_residual]


def _layer_sizes(layer: EncoderLayer | DecoderLayer) -> dict:
    return {
        "d_model": layer.self_attn.d_model,
        "nhead": layer.self_attn.heads,
        "dim_feedforward": layer.feed_forward.linear1.out_features,
        "dropout": layer.self_attn.dropout_p,
        "batch_first": True,
        "norm_first": _residuals(layer)[0].norm_first,
    }


def _copy_sublayers(target: nn.Module, layer: EncoderLayer | DecoderLayer) -> None:
    """Copy feed-forward and layer norms, which PyTorch names linear1/2 and norm1/2(/3)."""
    _copy_linear(target.linear1, layer.feed_forward.linear1)
    _copy_linear(target.linear2, layer.feed_forward.linear2)
    for index, residual in enumerate(_residuals(layer), start=1):
        getattr(target, f"norm{index}").load_state_dict(to_torch(residual.norm).state_dict())


@to_torch.register
@torch.no_grad()
def _(module: EncoderLayer) -> nn.TransformerEncoderLayer:
    reference = nn.TransformerEncoderLayer(**_layer_sizes(module))
    reference.self_attn.load_state_dict(to_torch(module.self_attn).state_dict())
    _copy_sublayers(reference, module)
    return reference


@to_torch.register
@torch.no_grad()
def _(module: DecoderLayer) -> nn.TransformerDecoderLayer:
    reference = nn.TransformerDecoderLayer(**_layer_sizes(module))
    reference.self_attn.load_state_dict(to_torch(module.self_attn).state_dict())
    reference.multihead_attn.load_state_dict(to_torch(module.cross_attn).state_dict())
    _copy_sublayers(reference, module)
    return reference


@to_torch.register
@torch.no_grad()
def _(module: Encoder) -> nn.TransformerEncoder:
    layers = [to_torch(layer) for layer in module.layers]
    norm = None if module.norm is None else to_torch(module.norm)
    # Nested tensors would zero the outputs at padded positions; the book keeps them.
    reference = nn.TransformerEncoder(layers[0], len(layers), norm=norm, enable_nested_tensor=False)
    reference.layers = nn.ModuleList(layers)
    return reference


@to_torch.register
@torch.no_grad()
def _(module: Decoder) -> nn.TransformerDecoder:
    layers = [to_torch(layer) for layer in module.layers]
    norm = None if module.norm is None else to_torch(module.norm)
    reference = nn.TransformerDecoder(layers[0], len(layers), norm=norm)
    reference.layers = nn.ModuleList(layers)
    return reference


@to_torch.register
@torch.no_grad()
def _(module: Transformer) -> nn.Transformer:
    """The encoder-decoder stack (embeddings and generator stay outside, as in PyTorch)."""
    config = module.config
    with warnings.catch_warnings():  # about its own default encoder, which is replaced below
        warnings.filterwarnings("ignore", message="enable_nested_tensor is True")
        reference = nn.Transformer(
            d_model=config.d_model,
            nhead=config.heads,
            num_encoder_layers=config.layers,
            num_decoder_layers=config.layers,
            dim_feedforward=config.d_ff,
            dropout=config.dropout,
            batch_first=True,
            norm_first=config.norm_first,
        )
    # Assigned after construction: nn.Transformer re-initialises every weight it is given.
    reference.encoder = to_torch(module.encoder)
    reference.decoder = to_torch(module.decoder)
    return reference


def torch_masks(src: torch.Tensor, tgt: torch.Tensor, pad_id: int) -> dict[str, torch.Tensor]:
    """The book's masks as nn.Transformer keyword arguments (PyTorch: True = masked out)."""
    return {
        "src_key_padding_mask": src == pad_id,
        "tgt_key_padding_mask": tgt == pad_id,
        "memory_key_padding_mask": src == pad_id,
        "tgt_mask": ~causal_mask(tgt.size(1))[0, 0],
    }


class TorchTransformer(nn.Module):
    """The book's embeddings and generator around ``torch.nn.Transformer`` holding the book's weights.

    ``states(src, tgt)`` is PyTorch's ``model.decode(model.encode(src), src, tgt)``, (batch, tgt_len,
    d_model); calling it gives log-probabilities like the book's ``Transformer``. The stack's weights are
    copies, taken when it is built.
    """

    def __init__(self, model: Transformer) -> None:
        super().__init__()
        self.book = model
        self.stack = to_torch(model)

    def states(self, src: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
        """Token ids (batch, src_len) and (batch, tgt_len) -> the decoder output (batch, tgt_len, d_model)."""
        book = self.book
        src_x = book.positional(book.src_embed(src))
        tgt_x = book.positional(book.tgt_embed(tgt))
        return self.stack(src_x, tgt_x, **torch_masks(src, tgt, book.config.pad_id))

    def forward(self, src: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
        """Log-probabilities of the next token, (batch, tgt_len, tgt_vocab)."""
        return self.book.generator(self.states(src, tgt))
