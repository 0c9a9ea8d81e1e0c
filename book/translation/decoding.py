"""Generating a translation one word at a time: greedy search, beam search, the attention behind it.

Chapter 8 explains them.

The source is encoded once. Each step then runs the decoder on the newest word only: the keys and
values of the earlier words are kept in the decoder's cache (``model.new_cache()``), so a step costs
the same at word 30 as at word 1. ``greedy_decode(..., use_cache=False)`` instead runs the decoder on
the whole prefix at every step, as training does; it computes the same words, more slowly.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from book.attention import AttentionMaps
from book.model import Transformer
from book.translation.batching import pad
from book.translation.tokenizer import BOS_ID, EOS_ID, PAD_ID, Vocab


def output_limit(model: Transformer, src_len: int) -> int:
    """How many words to generate at most for a source of ``src_len`` tokens: 2 * src_len + 10,
    and never past the model's last position (config.max_len - 1 words after <bos>)."""
    return min(2 * src_len + 10, model.config.max_len - 1)


@torch.inference_mode()
def greedy_decode(
    model: Transformer,
    src: torch.Tensor,
    max_len: int | None = None,
    use_cache: bool = True,
    stop_at_eos: bool = True,
) -> torch.Tensor:
    """Pick the most likely next word at every step. src (batch, src_len) -> ids (batch, steps).

    The output holds the generated words without <bos>; each row ends with <eos> and then <pad>,
    unless ``max_len`` steps (default ``output_limit``) ran out first. With ``stop_at_eos=False``
    it always runs ``max_len`` steps (for timing). ``use_cache=False`` recomputes the whole prefix
    at each step instead of reading earlier keys and values from the cache. Like every function
    here, it switches ``model`` to eval mode (no dropout) and runs without autograd.
    """
    model.eval()
    max_len = output_limit(model, src.size(1)) if max_len is None else max_len
    memory = model.encode(src)  # (batch, src_len, d_model), computed once
    cache = model.new_cache() if use_cache else None
    words = torch.full((src.size(0), 1), BOS_ID, dtype=torch.long, device=src.device)
    finished = torch.zeros(src.size(0), dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        new = words[:, -1:] if use_cache else words  # the cache already holds the earlier words
        hidden = model.decode(memory, src, new, cache)  # (batch, new_len, d_model)
        next_word = model.generator(hidden[:, -1]).argmax(dim=-1)  # (batch,)
        next_word = next_word.masked_fill(finished, PAD_ID)
        words = torch.cat([words, next_word[:, None]], dim=1)
        finished |= next_word == EOS_ID
        if stop_at_eos and finished.all():
            break
    return words[:, 1:]


LENGTH_PENALTY_ALPHA = 0.6
"""Beam search's default alpha in ``length_penalty``."""


def length_penalty(length: int, alpha: float) -> float:
    """GNMT's length normalisation ((5 + length) / 6)^alpha (Wu et al. 2016); alpha 0 turns it off.

    Beam search divides a hypothesis's log-probability by it, so longer outputs are not
    penalised merely for having more words (each word's log-probability is negative).
    """
    return ((5 + length) / 6) ** alpha


@torch.inference_mode()
def beam_search(
    model: Transformer,
    src: torch.Tensor,
    beam_size: int = 4,
    alpha: float = LENGTH_PENALTY_ALPHA,
    max_len: int | None = None,
) -> list[int]:
    """Keep the ``beam_size`` best partial translations at every step. src (1, src_len) -> ids.

    Returns the best finished hypothesis's word ids, ending in <eos> (without <bos>), ranked by
    log-probability / ``length_penalty(length, alpha)``. The search stops when ``beam_size``
    hypotheses have ended or after ``max_len`` steps (default ``output_limit``).
    """
    if src.dim() != 2 or src.size(0) != 1:
        raise ValueError(f"src: expected shape (1, src_len), got {tuple(src.shape)}")
    model.eval()
    max_len = output_limit(model, src.size(1)) if max_len is None else max_len
    memory = model.encode(src)  # (1, src_len, d_model)
    cache = model.new_cache()
    alive = torch.full((1, 1), BOS_ID, dtype=torch.long, device=src.device)  # (hypotheses, length)
    scores = torch.zeros(1, device=src.device)  # summed log-probabilities of the alive hypotheses
    finished: list[tuple[float, list[int]]] = []
    for _ in range(max_len):
        k = alive.size(0)
        hidden = model.decode(memory.expand(k, -1, -1), src.expand(k, -1), alive[:, -1:], cache)
        log_probs = model.generator(hidden[:, -1])  # (k, vocab)
        vocab = log_probs.size(-1)
        candidates = (scores[:, None] + log_probs).flatten()  # (k * vocab,)
        top_scores, top = candidates.topk(min(2 * beam_size, candidates.numel()))
        keep_rows, keep_words, keep_scores = [], [], []
        for rank, (score, index) in enumerate(zip(top_scores.tolist(), top.tolist(), strict=True)):
            row, word = divmod(index, vocab)
            if word == EOS_ID:
                if rank < beam_size:  # an ending counts only if it is among the beam's best
                    length = alive.size(1)  # words generated, <eos> included
                    ended = alive[row, 1:].tolist() + [EOS_ID]
                    finished.append((score / length_penalty(length, alpha), ended))
            elif len(keep_rows) < beam_size:
                keep_rows.append(row)
                keep_words.append(word)
                keep_scores.append(score)
        if len(finished) >= beam_size or not keep_rows:
            break
        rows = torch.tensor(keep_rows, device=src.device)
        cache.reorder(rows)
        alive = torch.cat([alive[rows], torch.tensor(keep_words, device=src.device)[:, None]], dim=1)
        scores = torch.tensor(keep_scores, device=src.device)
    if not finished:  # ran out of steps: take the alive hypotheses as they are
        finished = [
            (s / length_penalty(alive.size(1) - 1, alpha), alive[i, 1:].tolist())
            for i, s in enumerate(scores.tolist())
        ]
    return max(finished, key=lambda hypothesis: hypothesis[0])[1]


@torch.inference_mode()
def translate_ids(
    model: Transformer,
    sources: Sequence[Sequence[int]],
    beam_size: int = 1,
    batch_size: int = 128,
) -> list[list[int]]:
    """Translate many encoded sentences (each <bos> ... <eos>) -> the output ids of each, up to <eos>.

    Greedy search (``beam_size`` 1) runs ``batch_size`` sentences at a time, grouped by length so
    little padding is computed; beam search runs one sentence at a time.
    """
    device = next(model.parameters()).device
    outputs: list[list[int]] = [[] for _ in sources]
    order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
    step = batch_size if beam_size == 1 else 1
    for start in range(0, len(order), step):
        chunk = order[start : start + step]
        src = pad([sources[i] for i in chunk]).to(device)
        rows = greedy_decode(model, src).tolist() if beam_size == 1 else [beam_search(model, src, beam_size)]
        for i, row in zip(chunk, rows, strict=True):
            row = row[: output_limit(model, len(sources[i]))]  # its own limit, not the longest one's
            outputs[i] = row[: row.index(EOS_ID)] if EOS_ID in row else row
    return outputs


def translate_texts(
    model: Transformer,
    src_vocab: Vocab,
    tgt_vocab: Vocab,
    texts: Sequence[str],
    beam_size: int = 1,
    batch_size: int = 128,
) -> list[str]:
    """Translate sentences of text -> detokenized translations (unknown words become <unk>)."""
    outputs = translate_ids(model, [src_vocab.encode(t) for t in texts], beam_size, batch_size)
    return [tgt_vocab.decode(ids) for ids in outputs]


@torch.inference_mode()
def attention_maps(model: Transformer, src: torch.Tensor, output: torch.Tensor) -> AttentionMaps:
    """Every layer's attention while the model generated ``output``. src (1, src_len), output (1, steps).

    ``output`` is what decoding produced (without <bos>). The decoder reads <bos> and all of
    ``output`` but its last word; thanks to the causal mask, row t of each decoder map is exactly the
    attention at step t, when word t of ``output`` was chosen. Returns AttentionMaps with
    encoder maps (1, heads, src_len, src_len), decoder_self (1, heads, steps, steps) and
    cross (1, heads, steps, src_len), one per layer.
    """
    model.eval()
    bos = torch.full((output.size(0), 1), BOS_ID, dtype=torch.long, device=output.device)
    maps = AttentionMaps()
    model(src, torch.cat([bos, output[:, :-1]], dim=1), attention=maps)
    return maps


@dataclass
class DecodingTrace:
    """One sentence's greedy translation with the attention behind every step.

    ``source_ids`` include <bos> and <eos> (the encoder sees them); ``output_ids`` are the generated
    words ending with <eos>: step t produced ``output_ids[t]``. Both keep their vocabulary, so the
    tokens and the translation are at hand. ``attention`` as in ``attention_maps``:
    attention.cross[layer][0, head, t] is the cross-attention at step t.
    """

    source_ids: list[int]
    output_ids: list[int]
    src_vocab: Vocab
    tgt_vocab: Vocab
    attention: AttentionMaps

    @property
    def source_tokens(self) -> list[str]:
        """What the encoder read, <bos> and <eos> included."""
        return self.src_vocab.tokens(self.source_ids)

    @property
    def output_tokens(self) -> list[str]:
        """What the decoder wrote, one token per step, ending with <eos>."""
        return self.tgt_vocab.tokens(self.output_ids)

    @property
    def translation(self) -> str:
        """The output as text."""
        return self.tgt_vocab.decode(self.output_ids)


def trace(model: Transformer, src_vocab: Vocab, tgt_vocab: Vocab, text: str) -> DecodingTrace:
    """Translate ``text`` greedily and record the attention of every layer and head at every step."""
    device = next(model.parameters()).device
    src_ids = src_vocab.encode(text)
    src = torch.tensor([src_ids], device=device)
    output = greedy_decode(model, src)
    steps = output[0].tolist()
    if EOS_ID in steps:
        steps = steps[: steps.index(EOS_ID) + 1]
    output = output[:, : len(steps)]
    return DecodingTrace(src_ids, steps, src_vocab, tgt_vocab, attention_maps(model, src, output))
