"""Batching: padding, the shifted decoder input, token-sized length buckets."""

import random

import pytest
import torch

from book.corpus.splits import generate_corpus
from book.translation.batching import batch_indices, encode_pairs, make_batch, pad, token_batches
from book.translation.tokenizer import BOS_ID, EOS_ID, PAD_ID, Vocab


@pytest.fixture(scope="module")
def examples() -> list:
    pairs = generate_corpus(600, 0, 2, seed=3).train
    src_vocab = Vocab.build(p.source for p in pairs)
    tgt_vocab = Vocab.build(p.target for p in pairs)
    return encode_pairs(pairs, src_vocab, tgt_vocab)


def test_pad_fills_the_end_with_pad_id() -> None:
    padded = pad([[5, 6, 7], [8], [9, 10]])
    assert padded.tolist() == [[5, 6, 7], [8, 0, 0], [9, 10, 0]]
    assert padded.dtype == torch.long
    with pytest.raises(ValueError, match="empty"):
        pad([])


def test_decoder_input_is_the_target_shifted_right() -> None:
    batch = make_batch([([1, 5, 2], [1, 7, 8, 9, 2]), ([1, 6, 6, 6, 2], [1, 7, 2])])
    assert batch.src.shape == (2, 5)
    assert batch.tgt_in.tolist() == [[BOS_ID, 7, 8, 9], [BOS_ID, 7, EOS_ID, PAD_ID]]
    assert batch.tgt_out.tolist() == [[7, 8, 9, EOS_ID], [7, EOS_ID, PAD_ID, PAD_ID]]
    assert batch.target_tokens == 6


def test_every_example_lands_in_exactly_one_batch_within_the_token_budget(examples) -> None:
    lengths = [max(len(s), len(t) - 1) for s, t in examples]
    groups = batch_indices(lengths, 256, random.Random(0))
    assert sorted(i for group in groups for i in group) == list(range(len(examples)))
    for group in groups:
        assert len(group) * max(lengths[i] for i in group) <= 256


def test_buckets_hold_similar_lengths_so_little_is_padding(examples) -> None:
    batches = token_batches(examples, 256, random.Random(0))
    real = sum(int((b.src != PAD_ID).sum()) for b in batches)
    padded = sum(b.src.numel() for b in batches)
    assert real / padded > 0.9
    # the same number of random batches wastes much more
    rng = random.Random(0)
    shuffled = rng.sample(examples, len(examples))
    size = len(examples) // len(batches)
    random_batches = [make_batch(shuffled[i : i + size]) for i in range(0, len(shuffled), size)]
    random_real = sum(int((b.src != PAD_ID).sum()) for b in random_batches)
    assert random_real / sum(b.src.numel() for b in random_batches) < real / padded - 0.1


def test_batches_are_reproducible_and_change_with_the_seed(examples) -> None:
    def first_sources(seed: int) -> list:
        return [b.src.tolist() for b in token_batches(examples, 256, random.Random(seed))[:3]]

    assert first_sources(1) == first_sources(1)
    assert first_sources(1) != first_sources(2)


def test_budget_smaller_than_an_example_is_refused() -> None:
    with pytest.raises(ValueError, match="max_tokens \\(4\\) is smaller than the longest example \\(9\\)"):
        batch_indices([3, 9], 4)
