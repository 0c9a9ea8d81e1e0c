"""Training the translator: label smoothing, Adam with warm-up, token-sized batches (paper section 5).

``train_translator(pairs, config, minutes=2.0)`` builds the vocabularies from the training pairs,
builds a model of ``config``'s size and trains it until the time budget (or a step or epoch limit) is
spent, then averages its last checkpoints (paper section 6.1). The same seed and the same number of
threads give the same weights, step for step, on one machine. Chapter 9 explains it.
"""

import math
import random
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn
from tqdm import tqdm

from book.config import TransformerConfig
from book.model import Transformer
from book.translation.batching import Batch, encode_pairs, token_batches
from book.translation.pairs import Corpus, Pair
from book.translation.tokenizer import PAD_ID, Vocab
from book.translation.translator import Translator


@dataclass(frozen=True)
class TrainingSettings:
    """How to train, apart from the model's size.

    ``factor`` and ``warmup`` set the learning-rate schedule (see ``learning_rate``); the paper used
    factor 1 and 4000 warm-up steps for batches of 25,000 tokens, the book's short runs use 0.7 and 250
    (chapter 9 says why). ``batch_tokens`` bounds the padded tokens of one batch (per side). ``clip`` is
    the largest gradient norm allowed.
    ``max_steps`` and ``max_epochs`` stop training early (None: no limit). The returned weights are
    the mean of the last ``average_last`` checkpoints, one taken every ``average_every`` steps and one at
    the last step (the paper averaged its last 5 checkpoints); ``average_last=1`` keeps the last weights.
    """

    batch_tokens: int = 1024
    factor: float = 0.7
    warmup: int = 250
    label_smoothing: float = 0.1
    clip: float = 1.0
    max_steps: int | None = None
    max_epochs: int | None = None
    average_last: int = 5
    average_every: int = 100


@dataclass
class TrainingResult:
    """A trained model with its vocabularies; ``history`` holds the training loss of every step."""

    model: Transformer
    src_vocab: Vocab
    tgt_vocab: Vocab
    history: list[float] = field(default_factory=list)
    seconds: float = 0.0
    steps: int = 0
    epochs: int = 0

    def translator(self, direction: str = "en-fr", corpus: dict | None = None) -> Translator:
        """The trained model and its vocabularies as one ``Translator`` (what evaluation and saving take)."""
        return Translator(self.model, self.src_vocab, self.tgt_vocab, direction, corpus)


def learning_rate(step: int, d_model: int, factor: float = 1.0, warmup: int = 4000) -> float:
    """The paper's schedule: lr = factor * d_model^-0.5 * min(step^-0.5, step * warmup^-1.5).

    It rises linearly for ``warmup`` steps, peaks at factor * (d_model * warmup)^-0.5, then
    decays as 1/sqrt(step). Steps count from 1.
    """
    if step < 1:
        raise ValueError(f"steps count from 1, got {step}")
    return factor * d_model**-0.5 * min(step**-0.5, step * warmup**-1.5)


def pick_device(device: str = "auto") -> torch.device:
    """ "auto" -> cuda when available, else cpu; "cpu" or "cuda" as named."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'auto', 'cpu' or 'cuda', got {device!r}")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was asked for, but PyTorch sees no CUDA GPU")
    return torch.device(device)


def build_vocabularies(pairs: Sequence[Pair], shared: bool) -> tuple[Vocab, Vocab]:
    """Source and target vocabularies of the training pairs; one joint vocabulary if ``shared``."""
    sources, targets = [p.source for p in pairs], [p.target for p in pairs]
    if shared:
        joint = Vocab.build(sources + targets)
        return joint, joint
    return Vocab.build(sources), Vocab.build(targets)


def copy_parameters(model: nn.Module) -> list[torch.Tensor]:
    """A detached copy of every parameter of ``model``, in ``model.parameters()`` order: a checkpoint."""
    return [p.detach().clone() for p in model.parameters()]


@torch.no_grad()
def average_into(model: nn.Module, checkpoints: Sequence[list[torch.Tensor]]) -> None:
    """Set every parameter of ``model`` to its mean over ``checkpoints`` (each: the parameters, in order)."""
    for parameter, values in zip(model.parameters(), zip(*checkpoints, strict=True), strict=True):
        parameter.copy_(torch.stack(values).mean(dim=0))


def batch_loss(model: Transformer, batch: Batch, label_smoothing: float = 0.1) -> torch.Tensor:
    """Mean label-smoothed cross-entropy per target word of ``batch`` (padding ignored); a scalar.

    The model's log-probabilities (batch, tgt_len, vocab) are already normalized, so
    ``cross_entropy``'s own log-softmax leaves them unchanged.
    """
    log_probs = model(batch.src, batch.tgt_in)
    return F.cross_entropy(
        log_probs.flatten(0, 1),
        batch.tgt_out.flatten(),
        ignore_index=PAD_ID,
        label_smoothing=label_smoothing,
    )


def train_translator(
    data: Corpus | Sequence[Pair],
    config: TransformerConfig,
    minutes: float | None = 2.0,
    seed: int = 0,
    device: str = "auto",
    progress: bool = True,
    settings: TrainingSettings | None = None,
) -> TrainingResult:
    """Train a translator from scratch on ``data`` (a ``Corpus``'s train split, or a list of pairs).

    The vocabulary sizes of ``config`` are replaced by those of the training data (one joint
    vocabulary when ``config.share_embeddings``). Training stops when ``minutes`` of training are
    spent, or earlier at ``settings.max_steps`` / ``settings.max_epochs``. Returns the model in
    eval mode, its vocabularies, and the loss of every step.
    """
    settings = settings or TrainingSettings()
    if minutes is None and settings.max_steps is None and settings.max_epochs is None:
        raise ValueError("give a time budget (minutes), settings.max_steps or settings.max_epochs")
    if settings.average_last < 1 or settings.average_every < 1:
        raise ValueError("average_last and average_every must be at least 1")
    pairs = data.train if isinstance(data, Corpus) else list(data)
    if not pairs:
        raise ValueError("no training pairs")
    src_vocab, tgt_vocab = build_vocabularies(pairs, config.share_embeddings)
    config = config.with_vocab(len(src_vocab), len(tgt_vocab))
    examples = encode_pairs(pairs, src_vocab, tgt_vocab)
    longest = max(max(len(s), len(t)) for s, t in examples)
    if longest > config.max_len:
        raise ValueError(f"a training pair has {longest} tokens, more than config.max_len={config.max_len}")

    torch.manual_seed(seed)
    rng = random.Random(seed)
    target = pick_device(device)
    model = Transformer(config).to(target).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.0, betas=(0.9, 0.98), eps=1e-9)
    budget = math.inf if minutes is None else minutes * 60.0
    max_steps = settings.max_steps or math.inf
    max_epochs = settings.max_epochs or math.inf

    history: list[float] = []
    checkpoints: deque[list[torch.Tensor]] = deque(maxlen=settings.average_last)
    bar = tqdm(total=settings.max_steps, disable=not progress, unit="step", mininterval=1.0)
    start = time.perf_counter()
    epochs = 0
    while epochs < max_epochs and len(history) < max_steps and time.perf_counter() - start < budget:
        for batch in token_batches(examples, settings.batch_tokens, rng):
            step = len(history) + 1
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(step, config.d_model, settings.factor, settings.warmup)
            loss = batch_loss(model, batch.to(target), settings.label_smoothing)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), settings.clip)
            optimizer.step()
            history.append(loss.item())
            if step % settings.average_every == 0:
                checkpoints.append(copy_parameters(model))
            bar.update()
            bar.set_postfix(loss=f"{history[-1]:.3f}", epoch=epochs + 1, refresh=False)
            if len(history) >= max_steps or time.perf_counter() - start >= budget:
                break
        else:
            epochs += 1
    if history and len(history) % settings.average_every != 0:  # the last step is always a checkpoint
        checkpoints.append(copy_parameters(model))
    if checkpoints:
        average_into(model, checkpoints)
    seconds = time.perf_counter() - start
    bar.close()
    return TrainingResult(model.eval(), src_vocab, tgt_vocab, history, seconds, len(history), epochs)
