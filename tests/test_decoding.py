"""Decoding: the cache changes nothing but speed, beam search finds the best ending, attention per step."""

import itertools

import pytest
import torch

from book.attention import AttentionMaps
from book.config import get_config
from book.model import Transformer
from book.translation.decoding import (
    attention_maps,
    beam_search,
    greedy_decode,
    length_penalty,
    output_limit,
    trace,
    translate_ids,
)
from book.translation.tokenizer import BOS_ID, EOS_ID, PAD_ID, Vocab


@pytest.fixture(scope="module")
def model() -> torch.nn.Module:
    torch.manual_seed(0)
    return Transformer(get_config("tiny", d_model=32, heads=4, d_ff=64, layers=2).with_vocab(30, 24)).eval()


def test_cached_and_uncached_greedy_choose_the_same_words(model) -> None:
    torch.manual_seed(1)
    src = torch.randint(4, 30, (5, 9))
    src[1:, 0] = BOS_ID
    src[2, 6:] = PAD_ID  # padding in the source must not matter either
    cached = greedy_decode(model, src, max_len=25, use_cache=True, stop_at_eos=False)
    uncached = greedy_decode(model, src, max_len=25, use_cache=False, stop_at_eos=False)
    assert cached.shape == (5, 25)
    assert torch.equal(cached, uncached)


def test_greedy_output_is_the_argmax_of_a_full_forward_pass(model) -> None:
    src = torch.tensor([[BOS_ID, 7, 8, 9, 10, EOS_ID]])
    output = greedy_decode(model, src, max_len=12, stop_at_eos=False)
    log_probs = model(src, torch.cat([torch.tensor([[BOS_ID]]), output[:, :-1]], dim=1))
    assert torch.equal(log_probs.argmax(-1), output)


def test_after_eos_come_only_pads() -> None:
    torch.manual_seed(0)
    eager = Transformer(get_config("tiny", layers=1).with_vocab(10, 10)).eval()
    with torch.no_grad():
        eager.generator.proj.bias[EOS_ID] = 5.0  # make <eos> likely, at different steps per row
    src = torch.randint(4, 10, (6, 5))
    output = greedy_decode(eager, src, max_len=8, stop_at_eos=False)
    for row in output.tolist():
        assert EOS_ID in row
        assert all(word == PAD_ID for word in row[row.index(EOS_ID) + 1 :])


def test_output_limit_stays_inside_the_positions(model) -> None:
    assert output_limit(model, 5) == 20
    assert output_limit(model, 40) == model.config.max_len - 1


def test_beam_of_one_is_greedy(model) -> None:
    src = torch.tensor([[BOS_ID, 5, 6, 7, EOS_ID]])
    greedy = greedy_decode(model, src, max_len=15)[0].tolist()
    beam = beam_search(model, src, beam_size=1, max_len=15)
    assert beam == greedy[: len(beam)]


def test_a_wide_beam_finds_the_best_ending_by_exhaustive_search() -> None:
    torch.manual_seed(3)
    small = Transformer(get_config("tiny", layers=1).with_vocab(8, 6)).eval()
    with torch.no_grad():
        small.generator.proj.bias[EOS_ID] = 1.5  # endings at every length
    src = torch.tensor([[BOS_ID, 4, 5, 6, EOS_ID]])
    alpha, steps = 0.6, 3
    best, best_score = None, -float("inf")
    for length in range(1, steps + 1):
        for words in itertools.product(range(6), repeat=length - 1):
            if EOS_ID in words:
                continue
            output = torch.tensor([[*words, EOS_ID]])
            log_probs = small(src, torch.cat([torch.tensor([[BOS_ID]]), output[:, :-1]], dim=1))
            score = log_probs.gather(-1, output[..., None]).sum().item() / length_penalty(length, alpha)
            if score > best_score:
                best, best_score = [*words, EOS_ID], score
    assert beam_search(small, src, beam_size=200, alpha=alpha, max_len=steps) == best


def test_batched_translation_equals_one_sentence_at_a_time(model) -> None:
    torch.manual_seed(2)
    sources = [[BOS_ID, *torch.randint(4, 30, (n,)).tolist(), EOS_ID] for n in (3, 7, 1, 5, 7, 2)]
    with torch.no_grad():
        model.generator.proj.bias[EOS_ID] += 2.0  # some sentences end early, some run to their limit
    try:
        together = translate_ids(model, sources, batch_size=4)
        alone = [translate_ids(model, [s])[0] for s in sources]
    finally:
        with torch.no_grad():
            model.generator.proj.bias[EOS_ID] -= 2.0
    assert together == alone
    assert len({len(row) for row in together}) > 1
    assert all(EOS_ID not in row and len(row) <= output_limit(model, 9) for row in together)


def test_each_row_of_the_attention_maps_is_that_steps_attention(model) -> None:
    src = torch.tensor([[BOS_ID, 5, 9, 13, 17, EOS_ID]])
    output = greedy_decode(model, src, max_len=6, stop_at_eos=False)
    maps = attention_maps(model, src, output)
    layers, heads = model.config.layers, model.config.heads
    assert len(maps.encoder) == len(maps.decoder_self) == len(maps.cross) == layers
    assert maps.cross[0].shape == (1, heads, 6, 6) and maps.decoder_self[1].shape == (1, heads, 6, 6)
    assert torch.allclose(maps.cross[1].sum(-1), torch.ones(1, heads, 6))
    # replay the cached decoding and record each step's own attention
    memory, cache = model.encode(src), model.new_cache()
    words = torch.cat([torch.tensor([[BOS_ID]]), output], dim=1)
    with torch.no_grad():
        for t in range(6):
            step = AttentionMaps()
            model.decode(memory, src, words[:, t : t + 1], cache, attention=step)
            for layer in range(layers):
                assert torch.allclose(step.cross[layer][0, :, 0], maps.cross[layer][0, :, t], atol=1e-5)
                self_row = maps.decoder_self[layer][0, :, t, : t + 1]
                assert torch.allclose(step.decoder_self[layer][0, :, 0], self_row, atol=1e-5)


def test_trace_names_every_token_it_shows(model) -> None:
    src_vocab = Vocab(("<pad>", "<bos>", "<eos>", "<unk>", *(f"s{i}" for i in range(26))))
    tgt_vocab = Vocab(("<pad>", "<bos>", "<eos>", "<unk>", *(f"t{i}" for i in range(20))))
    steps = trace(model, src_vocab, tgt_vocab, "s1 s2 s3 nonsense")
    assert steps.source_tokens == ["<bos>", "s1", "s2", "s3", "<unk>", "<eos>"]
    assert steps.source_ids == src_vocab.encode("s1 s2 s3 nonsense")
    assert steps.output_tokens == tgt_vocab.tokens(steps.output_ids)
    assert steps.translation == tgt_vocab.decode(steps.output_ids)
    assert len(steps.output_tokens) <= output_limit(model, 6)
    assert steps.attention.cross[0].shape == (1, 4, len(steps.output_tokens), 6)
    assert steps.attention.encoder[0].shape == (1, 4, 6, 6)
