"""The assembled Transformer: causality, padding, gradients, caches, attention maps, configurations."""

from dataclasses import replace

import pytest
import torch

from book.attention import AttentionMaps
from book.config import CONFIGS, TransformerConfig, get_config
from book.model import Transformer, parameter_count, set_fused
from book.positional import PositionalEncoding


@pytest.fixture
def model() -> torch.nn.Module:
    torch.manual_seed(0)
    return Transformer(get_config("tiny", layers=2).with_vocab(20, 18)).eval()


def test_output_at_t_does_not_depend_on_later_target_tokens(model) -> None:
    src = torch.tensor([[4, 5, 6, 7]])
    tgt = torch.tensor([[1, 8, 9, 10, 11, 12]])
    with torch.no_grad():
        before = model(src, tgt)
        for t in range(tgt.size(1) - 1):
            changed = tgt.clone()
            changed[0, t + 1 :] = torch.tensor([13, 14, 15, 16, 17])[: tgt.size(1) - t - 1]
            after = model(src, changed)
            assert (before[0, : t + 1] - after[0, : t + 1]).abs().max() < 1e-5
            assert (before[0, t + 1 :] - after[0, t + 1 :]).abs().max() > 1e-3  # later ones do change


def test_padded_source_token_never_changes_any_output(model) -> None:
    src = torch.tensor([[4, 5, 6, 0, 0]])
    tgt = torch.tensor([[1, 8, 9]])
    with torch.no_grad():
        short = model(src[:, :3], tgt)
        padded = model(src, tgt)
    assert (short - padded).abs().max() < 1e-5


def test_gradients_reach_every_parameter() -> None:
    torch.manual_seed(1)
    for share in (False, True):
        model = Transformer(get_config("tiny", share_embeddings=share).with_vocab(16, 16)).train()
        src, tgt = torch.randint(1, 16, (2, 5)), torch.randint(1, 16, (2, 4))
        model(src, tgt).sum().backward()
        for name, parameter in model.named_parameters():
            assert parameter.grad is not None and parameter.grad.abs().sum() > 0, name


def test_shared_embeddings_are_one_tensor() -> None:
    model = Transformer(get_config("tiny", share_embeddings=True).with_vocab(16, 16))
    assert model.src_embed is model.tgt_embed
    assert model.generator.proj.weight is model.tgt_embed.lookup.weight
    with pytest.raises(ValueError, match="share_embeddings needs one vocabulary"):
        get_config("tiny", share_embeddings=True).with_vocab(16, 17)


def test_attention_maps_hold_every_layer(model) -> None:
    src, tgt = torch.randint(1, 20, (2, 5)), torch.randint(1, 18, (2, 3))
    maps = AttentionMaps()
    with torch.no_grad():
        with_maps = model(src, tgt, attention=maps)
        without = model(src, tgt)
    assert torch.allclose(with_maps, without, atol=1e-6)
    assert [m.shape for m in maps.encoder] == [(2, 4, 5, 5)] * 2
    assert [m.shape for m in maps.decoder_self] == [(2, 4, 3, 3)] * 2
    assert [m.shape for m in maps.cross] == [(2, 4, 3, 5)] * 2


def test_cached_decoding_equals_full_decoding(model) -> None:
    src, tgt = torch.tensor([[4, 5, 6, 0], [7, 8, 9, 10]]), torch.tensor([[1, 3, 5, 7, 9], [1, 2, 4, 6, 8]])
    with torch.no_grad():
        memory = model.encode(src)
        full = model.decode(memory, src, tgt)
        cache = model.new_cache()
        steps = [model.decode(memory, src, tgt[:, t : t + 1], cache) for t in range(tgt.size(1))]
    assert cache.length == tgt.size(1)
    assert (torch.cat(steps, dim=1) - full).abs().max() < 1e-5


@pytest.mark.parametrize("norm_first", [False, True])
def test_fused_kernels_equal_step_by_step_code(norm_first: bool) -> None:
    torch.manual_seed(2)
    model = Transformer(get_config("tiny", norm_first=norm_first).with_vocab(20, 20)).eval()
    src, tgt = torch.tensor([[4, 5, 6, 0]]), torch.tensor([[1, 3, 5]])
    with torch.no_grad():
        fused = model(src, tgt)
        set_fused(model, False)
        step_by_step = model(src, tgt)
    assert (fused - step_by_step).abs().max() < 1e-5


def test_named_configurations() -> None:
    base = CONFIGS["base"]
    assert (base.d_model, base.heads, base.d_ff, base.layers, base.d_k) == (512, 8, 2048, 6, 64)
    assert not base.norm_first and base.dropout == 0.1 and base.share_embeddings  # sections 3.4, 5.4
    assert get_config("small", layers=3).layers == 3
    with pytest.raises(ValueError, match="unknown configuration 'huge'"):
        get_config("huge")
    with pytest.raises(ValueError, match=r"d_model \(100\) must be divisible by heads \(8\)"):
        TransformerConfig(d_model=100, heads=8)


def test_paper_base_model_has_the_expected_size() -> None:
    # 6+6 layers of d_model 512 with 37000-token vocabularies and shared embeddings: about 63M.
    model = Transformer(get_config("base"))
    assert 60e6 < parameter_count(model) < 66e6


def test_parameter_count_counts_a_shared_tensor_once() -> None:
    shared = Transformer(get_config("tiny", share_embeddings=True).with_vocab(16, 16))
    separate = Transformer(get_config("tiny", share_embeddings=False).with_vocab(16, 16))
    table = 16 * shared.config.d_model
    assert parameter_count(separate) - parameter_count(shared) == 2 * table  # tgt table, generator weight
    assert parameter_count(torch.nn.Linear(3, 2)) == 8


def test_the_model_initialises_itself() -> None:
    config = get_config("tiny", layers=2).with_vocab(30, 30)
    torch.manual_seed(0)
    first = Transformer(config)
    torch.manual_seed(0)
    second = Transformer(config)
    for a, b in zip(first.parameters(), second.parameters(), strict=True):
        assert torch.equal(a, b)
    embeddings = [first.src_embed.lookup.weight, first.tgt_embed.lookup.weight]
    for embedding in embeddings:  # N(0, 1 / d_model)
        assert abs(embedding.std().item() - config.d_model**-0.5) < 0.2 * config.d_model**-0.5
    for name, parameter in first.named_parameters():
        if parameter.dim() > 1 and "lookup" not in name:  # Xavier-uniform: |w| <= sqrt(6 / (in + out))
            fan_out, fan_in = parameter.shape
            bound = (6 / (fan_in + fan_out)) ** 0.5
            assert parameter.abs().max() <= bound, name
            assert parameter.abs().max() > 0.9 * bound, name  # spread over the whole range, not left small


def seeded(config: TransformerConfig) -> Transformer:
    """A model of ``config`` built after ``torch.manual_seed(0)``, in eval mode."""
    torch.manual_seed(0)
    return Transformer(config).eval()


SWITCHES = {
    "one head at the same width": ({"heads": 1}, set()),
    "pre-norm": (
        {"norm_first": True},
        {f"{s}.norm.{p}" for s in ("encoder", "decoder") for p in ("gain", "bias")},
    ),
    "learned positions": ({"positions": "learned"}, {"positional.table"}),
    "no positions": ({"positions": "none"}, set()),
    "dropout": ({"dropout": 0.1}, set()),
}
"""Each switch of the model, and the weights it adds (pre-norm needs a final layer norm on each stack)."""


@pytest.mark.parametrize("switch", SWITCHES)
def test_each_model_switch_changes_its_part_and_nothing_else(switch: str) -> None:
    changes, added = SWITCHES[switch]
    config = get_config("tiny", heads=4, dropout=0.0).with_vocab(20, 20)
    plain, other = seeded(config), seeded(replace(config, **changes))
    before, after = plain.state_dict(), other.state_dict()
    assert set(after) - set(before) == added and set(before) <= set(after)
    for name, tensor in before.items():  # the same weights: the switch changes how they are used
        assert torch.equal(tensor, after[name]), name
    torch.manual_seed(1)
    src, tgt = torch.randint(3, 20, (2, 7)), torch.randint(3, 20, (2, 5))
    with torch.no_grad():
        same = torch.allclose(plain(src, tgt), other(src, tgt), atol=1e-6)
        assert same == (switch == "dropout")  # dropout acts only in training
        other.train()
        assert torch.equal(other(src, tgt), other(src, tgt)) == (switch != "dropout")


def test_learned_positions_start_at_zero_and_are_trained() -> None:
    config = get_config("tiny").with_vocab(20, 20)
    learned = seeded(replace(config, positions="learned"))
    table = learned.positional.table
    assert isinstance(table, torch.nn.Parameter) and table.shape == (64, 32) and not table.any()
    src, tgt = torch.randint(3, 20, (2, 6)), torch.randint(3, 20, (2, 4))
    with torch.no_grad():  # at the start, learned positions are no positions
        assert torch.equal(learned(src, tgt), seeded(replace(config, positions="none"))(src, tgt))
    learned(src, tgt).sum().backward()
    assert table.grad[:6].abs().sum() > 0 and not table.grad[6:].any()  # only the positions used
    with pytest.raises(ValueError, match="positions must be one of"):
        get_config("tiny", positions="rotary")
    with pytest.raises(ValueError, match="positions: sinusoidal or learned or none, not 'rotary'"):
        PositionalEncoding(32, positions="rotary")


def test_without_positions_the_encoder_cannot_see_word_order() -> None:
    src = torch.tensor([[5, 6, 7, 8, 9]])
    order = [3, 0, 4, 1, 2]
    for positions, blind in (("none", True), ("sinusoidal", False)):
        model = seeded(get_config("tiny", positions=positions).with_vocab(20, 20))
        with torch.no_grad():
            memory, moved = model.encode(src), model.encode(src[:, order])
        # each word's vector is the same wherever it stands exactly when the model sees no positions
        assert torch.allclose(memory[:, order], moved, atol=1e-5) == blind, positions
