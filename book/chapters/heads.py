"""What a trained translator's attention heads do on the coreference sentences (chapters 5 and 9).

The sentences are the lecture's, "the <noun 1> did not <verb> the <noun 2> because it was too <adjective>",
read by ``book.corpus.coreference.parse``: the adjective's *side* says which noun "it" stands for. For every
head this module measures where the attention goes, averaged over many such sentences, and what breaks
when the head is silenced. Everything is teacher-forced on the reference translation, so every sentence
counts, whatever the model would write.

    attention = role_attention(translator, coref_pairs(corpus.test))
    attention.referent_preference()      # (views, layers, heads)
    findings(translator, coref_pairs(corpus.test))   # the numbers the head study records per model
"""

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import torch

from book.attention import AttentionMaps, MultiHeadAttention
from book.corpus.coreference import ROLES, SIDES, parse
from book.model import Transformer
from book.translation.batching import pad
from book.translation.evaluation import meets_goals
from book.translation.pairs import Pair
from book.translation.translator import Translator

VIEWS = ("encoder, from the pronoun", "encoder, from the adjective", "cross-attention, writing the pronoun")
"""Where the query sits: encoder self-attention from two source words, and the decoder's
encoder-decoder attention at the step that writes the French pronoun."""

BLOCKS = ("encoder", "decoder", "cross")
"""The attention layers a head can be silenced in: encoder self-attention, decoder self-attention,
encoder-decoder attention."""

PRONOUNS = ("il", "elle", "ils", "elles")
"""The French pronouns the translator chooses between."""

STUDY_PATH = Path(__file__).parent.parent / "data" / "head-study.json"
"""The head study: these findings over many training runs (written by ``benchmarks/study_heads.py``)."""

REFERENT_THRESHOLD = 0.5
"""A head *tracks the referent* when its referent preference is at least this (1: it looks only there)."""

FINDINGS = {
    "cross_referent": ("a cross-attention head tracks the referent", REFERENT_THRESHOLD),
    "encoder_from_pronoun_referent": (
        "an encoder head tracks the referent from the pronoun",
        REFERENT_THRESHOLD,
    ),
    "encoder_from_adjective_referent": (
        "an encoder head tracks the referent from the adjective",
        REFERENT_THRESHOLD,
    ),
    "cross_adjective": ("a cross-attention head reads the adjective while writing the pronoun", 0.5),
    "largest_drop": ("silencing a single head costs at least 10 points of pronoun accuracy", 10.0),
}
"""What the study counts: a finding holds for a model when its number (see ``findings``) reaches the
threshold; a head *reads the adjective* when half its weight or more is there."""


def coref_pairs(pairs: Sequence[Pair]) -> list[Pair]:
    """The coreference sentences among ``pairs``."""
    return [pair for pair in pairs if pair.kind == "coref"]


@dataclass
class RoleAttention:
    """The weight every head puts on each role: side -> (sentences, views, layers, heads, roles)."""

    weights: dict[str, torch.Tensor]

    def means(self) -> dict[str, torch.Tensor]:
        """Mean over the sentences of each side: side -> (views, layers, heads, roles)."""
        return {side: weights.mean(dim=0) for side, weights in self.weights.items()}

    def pooled(self) -> torch.Tensor:
        """(views, layers, heads, roles): the two sides' means averaged, each side counting once."""
        means = self.means()
        return sum(means[side] for side in SIDES) / len(SIDES)

    def referent_preference(self) -> torch.Tensor:
        """(views, layers, heads): weight on the referent minus weight on the other noun, both sides averaged.

        1 for a head that looks only at the referent, 0 for one that ignores which noun is meant.
        """
        means = self.means()
        noun1, noun2 = ROLES.index("noun 1"), ROLES.index("noun 2")
        animate, obj = means["animate"], means["object"]
        return ((animate[..., noun1] - animate[..., noun2]) + (obj[..., noun2] - obj[..., noun1])) / 2


def top_head(score: torch.Tensor) -> tuple[int, int]:
    """(layer, head), both counted from 1, of the largest entry of ``score`` (layers, heads)."""
    layer, head = divmod(int(score.argmax()), score.size(1))
    return layer + 1, head + 1


def tracking_heads(preference: torch.Tensor) -> int:
    """How many heads of ``preference`` (layers, heads) track the referent: ``REFERENT_THRESHOLD`` or more."""
    return int((preference >= REFERENT_THRESHOLD).sum())


@dataclass
class Forced:
    """Coreference pairs encoded for teacher forcing, with where the French pronoun is written."""

    src: torch.Tensor  # (sentences, src_len)
    tgt: torch.Tensor  # (sentences, tgt_len): <bos> ... <eos>, padded
    pronoun_step: torch.Tensor  # (sentences,): the decoder step whose output is the pronoun
    pronoun_ids: torch.Tensor  # (4,): the ids of PRONOUNS


def forced(translator: Translator, pairs: Sequence[Pair]) -> Forced:
    """Encode ``pairs`` (coreference sentences) for teacher forcing on their reference translations."""
    src = pad([translator.src_vocab.encode(pair.source) for pair in pairs])
    tgt = pad([translator.tgt_vocab.encode(pair.target) for pair in pairs])
    pronoun_ids = torch.tensor([translator.tgt_vocab.stoi[word] for word in PRONOUNS])
    is_pronoun = torch.isin(tgt, pronoun_ids)  # (sentences, tgt_len)
    if not is_pronoun.any(dim=1).all():
        missing = pairs[int((~is_pronoun.any(dim=1)).nonzero()[0])]
        raise ValueError(f"no French pronoun in the reference of {missing.source!r}")
    pronoun_step = is_pronoun.int().argmax(dim=1) - 1  # the step reading the word before it
    return Forced(src, tgt, pronoun_step, pronoun_ids)


def role_attention(translator: Translator, pairs: Sequence[Pair]) -> RoleAttention:
    """Every head's weight on each role, in each of ``VIEWS``, for each coreference pair."""
    data = forced(translator, pairs)
    maps = AttentionMaps()
    with torch.no_grad():
        translator.model(data.src, data.tgt[:, :-1], attention=maps)
    encoder = torch.stack(maps.encoder, dim=1)  # (sentences, layers, heads, src_len, src_len)
    cross = torch.stack(maps.cross, dim=1)  # (sentences, layers, heads, steps, src_len)
    rows: dict[str, list[torch.Tensor]] = {side: [] for side in SIDES}
    for i, pair in enumerate(pairs):
        sentence = parse(pair.source)
        where = sentence.positions
        queries = [
            encoder[i, :, :, where["pronoun"][0]],  # (layers, heads, src_len)
            encoder[i, :, :, where["adjective"][0]],
            cross[i, :, :, int(data.pronoun_step[i])],
        ]
        per_role = [torch.stack([q[..., where[role]].sum(-1) for role in ROLES], dim=-1) for q in queries]
        rows[sentence.side].append(torch.stack(per_role))  # (views, layers, heads, roles)
    return RoleAttention({side: torch.stack(found) for side, found in rows.items()})


def attention_layer(model: Transformer, block: str, layer: int) -> MultiHeadAttention:
    """The attention module of ``block`` (one of ``BLOCKS``) in ``layer`` (from 0)."""
    if block not in BLOCKS:
        raise ValueError(f"block must be one of {BLOCKS}, got {block!r}")
    stack = model.encoder.layers if block == "encoder" else model.decoder.layers
    return stack[layer].cross_attn if block == "cross" else stack[layer].self_attn


@contextmanager
def silenced(model: Transformer, block: str, layer: int, head: int) -> Iterator[None]:
    """Within the block, head ``head`` of ``block``'s ``layer`` (from 0) outputs zeros before ``W_O``."""
    attention = attention_layer(model, block, layer)
    d_k = attention.d_k

    def silence(module: torch.nn.Module, inputs: tuple[torch.Tensor]) -> tuple[torch.Tensor]:
        heads = inputs[0].clone()  # (batch, seq, d_model): the heads side by side, before W_O
        heads[..., head * d_k : (head + 1) * d_k] = 0.0
        return (heads,)

    hook = attention.w_o.register_forward_pre_hook(silence)
    try:
        yield
    finally:
        hook.remove()


def pronoun_choices(model: Transformer, data: Forced) -> torch.Tensor:
    """(sentences,) True where the reference's pronoun beats the other three, with teacher forcing."""
    with torch.no_grad():
        log_probs = model(data.src, data.tgt[:, :-1])  # (sentences, tgt_len - 1, vocabulary)
    rows = torch.arange(len(data.src))
    candidates = log_probs[rows, data.pronoun_step][:, data.pronoun_ids]  # (sentences, 4)
    return data.pronoun_ids[candidates.argmax(dim=-1)] == data.tgt[rows, data.pronoun_step + 1]


def ablation(translator: Translator, pairs: Sequence[Pair]) -> dict[str, torch.Tensor]:
    """block -> (layers, heads, sentences): whether the right pronoun wins with that one head silenced."""
    model, data = translator.model, forced(translator, pairs)
    config = model.config
    results = {}
    for block in BLOCKS:
        rows = []
        for layer in range(config.layers):
            for head in range(config.heads):
                with silenced(model, block, layer, head):
                    rows.append(pronoun_choices(model, data))
        results[block] = torch.stack(rows).view(config.layers, config.heads, len(pairs))
    return results


def findings(translator: Translator, pairs: Sequence[Pair]) -> dict[str, float | str]:
    """The head findings of chapters 5 and 9 for one model, as plain numbers (what the study records).

    - ``*_referent``: the largest referent preference of a head in each of ``VIEWS``;
    - ``cross_adjective``: the largest mean weight a cross-attention head puts on the adjective while
      the pronoun is written;
    - ``pronoun_accuracy``: share of sentences whose right pronoun wins, teacher-forced, no head silenced;
    - ``largest_drop``: how much that share falls (in points) when the single most important head is
      silenced, and ``largest_drop_block``, the block that head is in.
    """
    attention = role_attention(translator, pairs)
    preference = attention.referent_preference()  # (views, layers, heads)
    cross_adjective = attention.pooled()[2, ..., ROLES.index("adjective")]  # (layers, heads)
    baseline = pronoun_choices(translator.model, forced(translator, pairs)).float().mean().item()
    accuracy = {block: right.float().mean(dim=-1) for block, right in ablation(translator, pairs).items()}
    worst_block = min(accuracy, key=lambda block: accuracy[block].min().item())
    return {
        "encoder_from_pronoun_referent": preference[0].max().item(),
        "encoder_from_adjective_referent": preference[1].max().item(),
        "cross_referent": preference[2].max().item(),
        "cross_adjective": cross_adjective.max().item(),
        "pronoun_accuracy": baseline,
        "largest_drop": 100 * (baseline - accuracy[worst_block].min().item()),
        "largest_drop_block": worst_block,
    }


def holds(name: str, found: dict[str, float | str]) -> bool:
    """Whether finding ``name`` of ``FINDINGS`` holds for a model whose ``findings`` are ``found``."""
    return float(found[name]) >= FINDINGS[name][1]


def study_counts(study: dict) -> dict[str, int]:
    """For each finding of ``FINDINGS``, in how many of the study's runs it holds; "runs": how many;
    "goals": how many reached the quality goals of ``book.translation.evaluation.QUALITY_GOALS``."""
    counts = {name: sum(holds(name, run) for run in study["runs"]) for name in FINDINGS}
    goals = sum(meets_goals(run) for run in study["runs"])
    return {"runs": len(study["runs"]), "goals": goals, **counts}


def load_study(path: Path = STUDY_PATH) -> dict:
    """The head study as ``benchmarks/study_heads.py`` wrote it."""
    return json.loads(path.read_text(encoding="utf-8"))
