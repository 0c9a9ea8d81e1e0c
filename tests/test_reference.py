"""Every component against PyTorch's own module holding the same weights (book.reference.to_torch)."""

import pytest
import torch
from torch import nn

from book.attention import MultiHeadAttention
from book.config import get_config
from book.feedforward import FeedForward
from book.masks import padding_mask
from book.model import Transformer
from book.normalization import LayerNorm
from book.reference import TorchTransformer, to_torch

TOLERANCE = 1e-5
SIZES = [(16, 2, 32, 1), (32, 4, 64, 2), (64, 8, 96, 3)]  # d_model, heads, d_ff, layers


def tokens(batch: int, length: int, vocab: int, seed: int) -> torch.Tensor:
    """Random ids with padding (id 0) at the end of every other row."""
    ids = torch.randint(1, vocab, (batch, length), generator=torch.Generator().manual_seed(seed))
    ids[::2, length // 2 + 1 :] = 0
    return ids


@pytest.mark.parametrize("d_model, heads", [(8, 1), (16, 4), (64, 8)])
def test_multi_head_attention_matches_torch(d_model: int, heads: int) -> None:
    torch.manual_seed(d_model)
    attention = MultiHeadAttention(d_model, heads).eval()
    reference = to_torch(attention).eval()
    query, memory = torch.randn(3, 5, d_model), torch.randn(3, 7, d_model)
    keys = tokens(3, 7, 10, seed=1)
    with torch.no_grad():
        ours, our_weights = attention(query, memory, memory, padding_mask(keys, 0), need_weights=True)
        theirs, their_weights = reference(
            query, memory, memory, key_padding_mask=keys == 0, average_attn_weights=False
        )
    assert (ours - theirs).abs().max() <= TOLERANCE
    assert (our_weights - their_weights).abs().max() <= TOLERANCE


def test_layer_norm_and_feed_forward_match_torch() -> None:
    torch.manual_seed(0)
    x = torch.randn(2, 5, 24) * 3 + 1
    norm = LayerNorm(24)
    nn.init.normal_(norm.gain)
    nn.init.normal_(norm.bias)
    feed_forward = FeedForward(24, 48)
    with torch.no_grad():
        assert (norm(x) - to_torch(norm)(x)).abs().max() <= TOLERANCE
        assert (feed_forward(x) - to_torch(feed_forward)(x)).abs().max() <= TOLERANCE


@pytest.mark.parametrize("norm_first", [False, True], ids=["post-norm", "pre-norm"])
@pytest.mark.parametrize("d_model, heads, d_ff, layers", SIZES)
def test_encoder_decoder_stack_matches_nn_transformer(
    d_model: int, heads: int, d_ff: int, layers: int, norm_first: bool
) -> None:
    torch.manual_seed(layers)
    config = get_config(
        "tiny", d_model=d_model, heads=heads, d_ff=d_ff, layers=layers, norm_first=norm_first
    ).with_vocab(30, 25)
    model = Transformer(config).eval()
    reference = TorchTransformer(model).eval()
    assert isinstance(reference.stack, nn.Transformer)
    src, tgt = tokens(4, 9, 30, seed=2), tokens(4, 6, 25, seed=3)
    with torch.no_grad():
        ours = model.decode(model.encode(src), src, tgt)
        theirs = reference.states(src, tgt)
        assert (ours - theirs).abs().max() <= TOLERANCE
        assert (model(src, tgt) - reference(src, tgt)).abs().max() <= TOLERANCE


def test_unknown_module_has_no_reference() -> None:
    with pytest.raises(TypeError, match="no PyTorch reference for Linear"):
        to_torch(nn.Linear(2, 2))
