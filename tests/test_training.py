"""Training: the warm-up schedule, the label-smoothed loss, reproducibility, and the limits."""

import math
from dataclasses import replace

import pytest
import torch

from book.config import get_config
from book.corpus.splits import generate_corpus
from book.model import Transformer
from book.translation.batching import make_batch
from book.translation.training import (
    TrainingSettings,
    batch_loss,
    build_vocabularies,
    copy_parameters,
    learning_rate,
    pick_device,
    train_translator,
)

TINY = get_config("tiny", d_model=32, heads=2, d_ff=64, layers=1)


@pytest.fixture(scope="module")
def pairs() -> list:
    return generate_corpus(300, 0, 2, seed=5).train


def test_learning_rate_warms_up_linearly_then_decays_as_inverse_square_root() -> None:
    d_model, warmup = 128, 100
    rates = [learning_rate(step, d_model, 2.0, warmup) for step in range(1, 1001)]
    peak = 2.0 * (d_model * warmup) ** -0.5
    assert max(rates) == pytest.approx(peak)
    assert rates.index(max(rates)) + 1 == warmup
    assert rates[49] == pytest.approx(rates[99] / 2)  # linear rise: step 50 is half of step 100
    assert rates[399] == pytest.approx(peak / 2)  # 1/sqrt decay: step 400 = 4 x warm-up
    with pytest.raises(ValueError, match="count from 1"):
        learning_rate(0, d_model)


def test_loss_is_label_smoothed_cross_entropy_over_real_words() -> None:
    torch.manual_seed(0)
    model = Transformer(TINY.with_vocab(12, 12)).eval()
    batch = make_batch([([1, 5, 6, 2], [1, 7, 8, 9, 2]), ([1, 5, 2], [1, 7, 2])])
    plain = batch_loss(model, batch, label_smoothing=0.0)
    log_probs = model(batch.src, batch.tgt_in)
    real = batch.tgt_out != 0
    by_hand = -log_probs.gather(-1, batch.tgt_out[..., None])[..., 0][real].mean()
    assert plain.item() == pytest.approx(by_hand.item(), rel=1e-5)
    # smoothing 0.1: 0.9 on the right word, 0.1 spread evenly over the whole vocabulary
    uniform = -log_probs.mean(dim=-1)[real].mean()
    smoothed = batch_loss(model, batch, label_smoothing=0.1)
    assert smoothed.item() == pytest.approx((0.9 * by_hand + 0.1 * uniform).item(), rel=1e-5)


def test_shared_embeddings_get_one_joint_vocabulary(pairs) -> None:
    src, tgt = build_vocabularies(pairs, shared=True)
    assert src is tgt and "voiture" in src and "car" in src
    src, tgt = build_vocabularies(pairs, shared=False)
    assert "voiture" in tgt and "voiture" not in src


def test_training_lowers_the_loss(pairs) -> None:
    settings = TrainingSettings(batch_tokens=512, factor=2.0, warmup=20, max_steps=40)
    result = train_translator(pairs, TINY, settings, progress=False)
    assert result.steps == len(result.history) == 40
    first, last = sum(result.history[:5]) / 5, sum(result.history[-5:]) / 5
    assert last < 0.75 * first
    assert not result.model.training
    translator = result.translator("fr-en", {"file": "pairs.tsv"})
    assert translator.model is result.model and translator.tgt_vocab is result.tgt_vocab
    assert (translator.direction, translator.corpus) == ("fr-en", {"file": "pairs.tsv"})


def test_same_seed_same_weights_other_seed_other_weights(pairs) -> None:
    settings = TrainingSettings(batch_tokens=512, max_steps=8)

    def weights(seed: int) -> list[torch.Tensor]:
        result = train_translator(pairs, TINY, settings, seed=seed, progress=False)
        return copy_parameters(result.model)

    first, again, other = weights(1), weights(1), weights(2)
    assert all(torch.equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(torch.equal(a, b) for a, b in zip(first, other, strict=True))


def test_limits_stop_training(pairs) -> None:
    one_epoch = train_translator(
        pairs, TINY, TrainingSettings(batch_tokens=512, max_epochs=1), progress=False
    )
    assert one_epoch.epochs == 1 and 0 < one_epoch.steps < 30
    timed = train_translator(pairs, TINY, TrainingSettings(minutes=0.5 / 60), progress=False)
    assert timed.seconds < 3.0 and timed.steps >= 1
    assert math.isfinite(timed.history[-1])
    with pytest.raises(ValueError, match="give a limit"):
        train_translator(pairs, TINY, TrainingSettings(), progress=False)


def test_device_choice() -> None:
    assert pick_device("cpu") == torch.device("cpu")
    assert pick_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(ValueError, match="'auto', 'cpu' or 'cuda'"):
        pick_device("tpu")


def test_the_returned_weights_average_the_last_checkpoints(pairs) -> None:
    def weights(steps: int, average_last: int, average_every: int = 100) -> list[torch.Tensor]:
        settings = TrainingSettings(
            batch_tokens=512, max_steps=steps, average_last=average_last, average_every=average_every
        )
        result = train_translator(pairs, TINY, settings, seed=3, progress=False)
        return copy_parameters(result.model)

    step_4, step_6 = weights(4, 1), weights(6, 1)
    # checkpoints every 2 steps: the mean of the last 2 after 6 steps is that of steps 4 and 6
    averaged = weights(6, 2, average_every=2)
    assert all(
        torch.allclose(m, (a + b) / 2, atol=1e-7) for m, a, b in zip(averaged, step_4, step_6, strict=True)
    )
    assert not all(torch.equal(a, b) for a, b in zip(step_4, step_6, strict=True))
    # a run that stops between checkpoints averages in its last step: steps 4 and 5, every 4 steps
    five = weights(5, 1)
    mixed = weights(5, 2, average_every=4)
    assert all(torch.allclose(m, (a + b) / 2, atol=1e-7) for m, a, b in zip(mixed, step_4, five, strict=True))
    with pytest.raises(ValueError, match="average_last must be at least 1"):
        TrainingSettings(average_last=0)


def test_bf16_mixed_precision_trains_on_the_cpu_too(pairs) -> None:
    def run(mixed_precision: bool):
        settings = TrainingSettings(
            batch_tokens=512, factor=2.0, warmup=20, max_steps=20, mixed_precision=mixed_precision
        )
        return train_translator(pairs, TINY, settings, device="cpu", progress=False)

    full, mixed = run(False), run(True)
    assert all(math.isfinite(loss) for loss in mixed.history) and mixed.history[-1] < 0.8 * mixed.history[0]
    assert abs(mixed.history[0] - full.history[0]) < 0.05  # the same model, rounded to bf16 in places
    assert mixed.history != full.history
    assert all(p.dtype == torch.float32 for p in mixed.model.parameters())  # the weights stay float32


def test_the_schedule_without_warm_up_and_a_constant_rate() -> None:
    d_model, factor = 64, 0.7
    warm = TrainingSettings(factor=factor, warmup=100)
    cold = TrainingSettings(factor=factor, warmup=0)
    assert cold.rate(1, d_model) == pytest.approx(factor * d_model**-0.5)  # the largest rate, at once
    assert cold.rate(1, d_model) > 9 * warm.rate(100, d_model)  # 10x the warm-up's peak
    for step in (100, 250, 2000):  # after the warm-up, the two schedules are the same
        assert cold.rate(step, d_model) == pytest.approx(warm.rate(step, d_model))
    assert warm.rate(50, d_model) < cold.rate(50, d_model)
    constant = TrainingSettings(factor=factor, warmup=100, constant_rate=3e-4)
    assert {constant.rate(step, d_model) for step in (1, 100, 5000)} == {3e-4}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("batch_tokens", 0),
        ("warmup", -1),
        ("label_smoothing", 1.0),
        ("constant_rate", 0.0),
        ("minutes", -2.0),
    ],
)
def test_settings_refuse_nonsense(name: str, value: float) -> None:
    with pytest.raises(ValueError, match=name):
        TrainingSettings(**{name: value})


RECIPE = TrainingSettings(
    batch_tokens=512, factor=2.0, warmup=5, max_steps=12, average_last=3, average_every=4
)
RECIPE_SWITCHES = {
    "no warm-up": {"warmup": 0},
    "constant rate": {"constant_rate": 3e-3},
    "no label smoothing": {"label_smoothing": 0.0},
    "last weights": {"average_last": 1},
}


@pytest.mark.parametrize("switch", RECIPE_SWITCHES)
def test_each_recipe_switch_changes_its_part_and_nothing_else(pairs, switch: str) -> None:
    base = train_translator(pairs, TINY, RECIPE, seed=4, progress=False)
    other = train_translator(pairs, TINY, replace(RECIPE, **RECIPE_SWITCHES[switch]), seed=4, progress=False)
    assert (other.steps, other.epochs, other.tokens) == (base.steps, base.epochs, base.tokens)  # same batches
    if switch == "last weights":  # the same training, other returned weights
        assert other.history == base.history
    elif switch == "no label smoothing":  # another loss from the first step on
        assert other.history[0] < base.history[0]
    else:  # the same model and first batch, other rates from the first update on
        assert other.history[0] == base.history[0] and other.history[1] != base.history[1]
    changed = [
        not torch.equal(a, b)
        for a, b in zip(copy_parameters(base.model), copy_parameters(other.model), strict=True)
    ]
    assert all(changed)
