"""Training the translator: the paper's section 5, one step at a time (chapter 9 explains it).

``train_translator(pairs, config, TrainingSettings(max_steps=2000))`` builds the vocabularies from the
training pairs and a model of ``config``'s size, then loops: a batch of sentences of similar lengths
(section 5.1), the forward pass, the label-smoothed loss (5.4), the backward pass, gradient clipping, Adam's
step at the warm-up schedule's rate (5.3); at the end it averages the last checkpoints (6.1). The same seed
and the same number of threads give the same weights, step for step, on one machine.

Every switch of the recipe is a field of ``TrainingSettings`` (the schedule, label smoothing, averaging,
the limits) or of the model's ``TransformerConfig`` (dropout, heads, norm placement, positions). The loop
itself does not change for several processes (``book.translation.distributed``: the model is wrapped in
DistributedDataParallel and each process takes its share of the batches) or for resuming
(``book.translation.resume`` restores a run's state, and a hook saves it every few steps).
"""

import contextlib
import math
import random
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from tqdm import tqdm

from book.config import TransformerConfig
from book.model import Transformer
from book.translation.batching import Batch, Example, encode_pairs, token_batches
from book.translation.distributed import (
    Place,
    gather,
    place,
    rank_zero_says,
    same_everywhere,
    shard,
    share_of_loss,
)
from book.translation.pairs import Corpus, Pair
from book.translation.resume import TrainingState, fingerprint, restore, saving_every
from book.translation.subwords import DEFAULT_SIZE, SubwordVocab, vocab_from_dict
from book.translation.tokenizer import PAD_ID, Vocab
from book.translation.translator import Translator

TOKENIZERS = ("word", "subword")
"""The kinds of vocabulary: the book's words (``Vocab``) or learned subword pieces (``SubwordVocab``)."""


@dataclass(frozen=True)
class TrainingSettings:
    """How to train, apart from the model's size.

    The learning rate follows the paper's schedule (``learning_rate``) with ``factor`` and ``warmup``
    steps of warm-up (0: none, the rate decays from the first step); the paper used factor 1 and 4000
    warm-up steps for batches of 25,000 tokens, the book's short runs 0.7 and 250 (chapter 9 says why).
    ``constant_rate`` replaces the schedule by one rate for every step. ``label_smoothing`` is the
    paper's epsilon (0: one-hot targets). ``batch_tokens`` bounds the padded tokens of one batch (per
    side); ``clip`` is the largest gradient norm allowed.

    Training stops at the first limit reached: ``max_steps``, ``minutes`` of training or ``max_epochs``
    (None: no such limit; one at least must be set). The returned weights are the mean of the last
    ``average_last`` checkpoints, one taken every ``average_every`` steps and one at the last step (the
    paper averaged its last 5); ``average_last=1`` keeps the last weights.

    ``tokenizer`` is "word" (the book's vocabulary) or "subword" (``vocab_size`` pieces at most).
    ``checkpoint_every`` saves the run's state every so many steps (None: never), to resume it.
    ``mixed_precision`` runs the forward pass in bf16 (autocast); None: on a CUDA GPU that supports it.
    """

    batch_tokens: int = 1024
    factor: float = 0.7
    warmup: int = 250
    constant_rate: float | None = None
    label_smoothing: float = 0.1
    clip: float = 1.0
    max_steps: int | None = None
    minutes: float | None = None
    max_epochs: int | None = None
    average_last: int = 5
    average_every: int = 100
    tokenizer: str = "word"
    vocab_size: int = DEFAULT_SIZE
    checkpoint_every: int | None = None
    mixed_precision: bool | None = None

    def __post_init__(self) -> None:
        at_least_one = ("batch_tokens", "average_last", "average_every", "max_steps", "max_epochs")
        for name in (*at_least_one, "checkpoint_every"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be at least 1, got {value}")
        if self.warmup < 0:
            raise ValueError(f"warmup must be 0 (none) or more steps, got {self.warmup}")
        if not 0 <= self.label_smoothing < 1:
            raise ValueError(f"label_smoothing must be at least 0 and below 1, got {self.label_smoothing}")
        for name in ("factor", "constant_rate", "minutes", "clip"):
            value = getattr(self, name)
            if value is not None and not 0 < value < math.inf:
                raise ValueError(f"{name} must be a number above 0, got {value}")
        if self.tokenizer not in TOKENIZERS:
            raise ValueError(f"tokenizer must be one of {TOKENIZERS}, got {self.tokenizer!r}")

    def rate(self, step: int, d_model: int) -> float:
        """The learning rate of ``step`` (counted from 1): ``constant_rate``, or the warm-up schedule."""
        if self.constant_rate is not None:
            return self.constant_rate
        return learning_rate(step, d_model, self.factor, self.warmup)


RESUMABLE_CHANGES = ("max_steps", "minutes", "max_epochs", "checkpoint_every")
"""Settings a resumed run may change; any other change would not continue the same run."""


def learning_rate(step: int, d_model: int, factor: float = 1.0, warmup: int = 4000) -> float:
    """The paper's schedule: lr = factor * d_model^-0.5 * min(step^-0.5, step * warmup^-1.5).

    It rises linearly for ``warmup`` steps, peaks at factor * (d_model * warmup)^-0.5, then
    decays as 1/sqrt(step). Steps count from 1. ``warmup=0`` leaves out the rise: the rate starts at
    factor * d_model^-0.5 and decays from there.
    """
    if step < 1:
        raise ValueError(f"steps count from 1, got {step}")
    rise = step * warmup**-1.5 if warmup > 0 else math.inf
    return factor * d_model**-0.5 * min(step**-0.5, rise)


def pick_device(device: str = "auto") -> torch.device:
    """ "auto" -> cuda when available, else cpu; "cpu" or "cuda" as named."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'auto', 'cpu' or 'cuda', got {device!r}")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was asked for, but PyTorch sees no CUDA GPU")
    return torch.device(device)


def build_vocabularies(
    pairs: Sequence[Pair], shared: bool, tokenizer: str = "word", size: int = DEFAULT_SIZE
) -> tuple[Vocab, Vocab] | tuple[SubwordVocab, SubwordVocab]:
    """Source and target vocabularies of the training pairs; one joint vocabulary if ``shared``.

    ``tokenizer`` "word" keeps every word; "subword" learns at most ``size`` pieces per vocabulary.
    """
    if tokenizer not in TOKENIZERS:
        raise ValueError(f"tokenizer must be one of {TOKENIZERS}, got {tokenizer!r}")
    build = Vocab.build if tokenizer == "word" else lambda sentences: SubwordVocab.train(sentences, size)
    sources, targets = [p.source for p in pairs], [p.target for p in pairs]
    if shared:
        joint = build(sources + targets)
        return joint, joint
    return build(sources), build(targets)


def precision(device: torch.device, mixed_precision: bool | None = None) -> contextlib.AbstractContextManager:
    """The context the forward pass runs in: bf16 autocast if ``mixed_precision`` (None: on a CUDA GPU
    that supports bf16), else nothing changes (float32)."""
    if mixed_precision is None:
        mixed_precision = device.type == "cuda" and torch.cuda.is_bf16_supported()
    return torch.autocast(device.type, dtype=torch.bfloat16) if mixed_precision else contextlib.nullcontext()


def copy_parameters(model: nn.Module) -> list[torch.Tensor]:
    """A detached copy of every parameter of ``model``, in ``model.parameters()`` order: a checkpoint."""
    return [p.detach().clone() for p in model.parameters()]


@torch.no_grad()
def average_into(model: nn.Module, checkpoints: Sequence[list[torch.Tensor]]) -> None:
    """Set every parameter of ``model`` to its mean over ``checkpoints`` (each: the parameters, in order)."""
    for parameter, values in zip(model.parameters(), zip(*checkpoints, strict=True), strict=True):
        parameter.copy_(torch.stack(values).mean(dim=0))


def batch_loss(
    model: Transformer | DistributedDataParallel,
    batch: Batch,
    label_smoothing: float = 0.1,
    reduction: str = "mean",
) -> torch.Tensor:
    """Mean label-smoothed cross-entropy per target word of ``batch`` (padding ignored); a scalar.

    ``reduction="sum"`` sums it over the target words instead. The model's log-probabilities
    (batch, tgt_len, vocab) are already normalized, so ``cross_entropy``'s own log-softmax leaves them
    unchanged.
    """
    log_probs = model(batch.src, batch.tgt_in)
    return F.cross_entropy(
        log_probs.flatten(0, 1),
        batch.tgt_out.flatten(),
        ignore_index=PAD_ID,
        label_smoothing=label_smoothing,
        reduction=reduction,
    )


def step_loss(
    model: Transformer | DistributedDataParallel, batch: Batch, label_smoothing: float, where: Place
) -> tuple[torch.Tensor, torch.Tensor]:
    """The loss to differentiate for one step, and this process's mean loss per target word (to log).

    One process differentiates ``batch_loss``. Several weight their summed losses by their tokens
    (``share_of_loss``), so that the gradients DDP averages are those of the mean over all their tokens.
    """
    if where.world_size == 1:
        loss = batch_loss(model, batch, label_smoothing)
        return loss, loss
    summed = batch_loss(model, batch, label_smoothing, reduction="sum")
    return share_of_loss(summed, batch.target_tokens), summed.detach() / batch.target_tokens


@dataclass
class Run:
    """One training run, as it stands: what the loop reads, and what it updates in place after each step.

    ``model`` is the Transformer; ``trained`` is what the loop differentiates, the model itself or its
    DistributedDataParallel wrapper. ``rng`` orders the batches. ``history`` holds the loss of every step,
    ``kept`` the checkpoints kept for averaging; ``epochs`` counts finished epochs, ``position`` the steps
    taken in the current one, whose batches were drawn from ``rng`` in the state ``epoch_rng``.
    ``seconds`` is the training time before this process started (a resumed run), ``tokens`` the target
    words this process trained on.
    """

    model: Transformer
    trained: Transformer | DistributedDataParallel
    optimizer: torch.optim.Optimizer
    settings: TrainingSettings
    rng: random.Random
    where: Place
    history: list[float] = field(default_factory=list)
    kept: deque[list[torch.Tensor]] = field(default_factory=deque)
    epochs: int = 0
    position: int = 0
    epoch_rng: tuple = ()
    seconds: float = 0.0
    tokens: int = 0
    started: float = field(default_factory=time.perf_counter)

    @classmethod
    def start(cls, config: TransformerConfig, settings: TrainingSettings, seed: int, device: str) -> "Run":
        """A fresh model of ``config`` on ``device`` with Adam (section 5.3), seeded by ``seed``."""
        torch.manual_seed(seed)
        where = place()
        model = Transformer(config).to(pick_device(device)).train()
        trained = model
        if where.world_size > 1:
            on_gpu = next(model.parameters()).is_cuda
            trained = DistributedDataParallel(model, device_ids=[where.local_rank] if on_gpu else None)
            torch.manual_seed(seed + where.rank)  # each process draws its own dropout masks
        optimizer = torch.optim.Adam(model.parameters(), lr=0.0, betas=(0.9, 0.98), eps=1e-9)
        kept = deque(maxlen=settings.average_last)
        return cls(model, trained, optimizer, settings, random.Random(seed), where, kept=kept)

    @property
    def steps(self) -> int:
        """Steps taken so far."""
        return len(self.history)

    @property
    def device(self) -> torch.device:
        """Where the model is."""
        return next(self.model.parameters()).device

    def elapsed(self) -> float:
        """Seconds of training so far, sessions before a resume included."""
        return self.seconds + time.perf_counter() - self.started

    def finished(self) -> bool:
        """Whether a limit of the settings is reached. Rank 0's clock decides for every process, so that
        all stop at the same step."""
        settings = self.settings
        if settings.max_steps is not None and self.steps >= settings.max_steps:
            return True
        if settings.max_epochs is not None and self.epochs >= settings.max_epochs:
            return True
        return settings.minutes is not None and rank_zero_says(self.elapsed() >= 60 * settings.minutes)

    def epoch(self, examples: Sequence[Example]) -> Iterator[Batch]:
        """The current epoch's batches not yet trained on, this process's share (``shard``), on the
        model's device; the run counts each batch taken, and the epoch once its last one is done."""
        self.epoch_rng = self.rng.getstate()
        batches = shard(token_batches(examples, self.settings.batch_tokens, self.rng), self.where)
        if not batches:
            processes = self.where.world_size
            raise ValueError(f"the training pairs make fewer batches than the {processes} processes")
        for batch in batches[self.position :]:
            self.position += 1
            yield batch.to(self.device)
        self.epochs, self.position = self.epochs + 1, 0


def train_step(run: Run, batch: Batch) -> float:
    """One step of the paper's recipe on ``batch``; returns this
    process's mean loss per target word."""
    settings, model = run.settings, run.model
    rate = settings.rate(run.steps + 1, model.config.d_model)  # (5.3)
    for group in run.optimizer.param_groups:
        group["lr"] = rate
    smoothing = settings.label_smoothing  # (5.4)
    with precision(run.device, settings.mixed_precision):
        loss, mean = step_loss(run.trained, batch, smoothing, run.where)
    run.optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), settings.clip)
    run.optimizer.step()  # Adam (5.3)
    return mean.item()


def train(
    run: Run,
    examples: Sequence[Example],
    after_step: Sequence[Callable[[Run], None]] = (),
) -> None:
    """Train ``run`` on ``examples`` until a limit of its settings,
    then average its last checkpoints.

    Each epoch shuffles batches of similar lengths (5.1); each step
    trains on one (``train_step``), and every ``average_every`` steps
    a checkpoint is kept (6.1). ``after_step`` functions see the run
    after each step (the progress bar, saving the state).
    """
    every = run.settings.average_every
    while not run.finished():
        for batch in run.epoch(examples):
            run.history.append(train_step(run, batch))
            run.tokens += batch.target_tokens
            if run.steps % every == 0:
                run.kept.append(copy_parameters(run.model))
            for hook in after_step:
                hook(run)
            if run.finished():
                break
    if run.steps % every != 0:  # the last step is always a checkpoint
        run.kept.append(copy_parameters(run.model))
    if run.steps > 0:
        average_into(run.model, run.kept)


@dataclass
class TrainingResult:
    """A trained model with its vocabularies; ``history`` holds the training loss of every step (rank 0's
    share of it under DDP), ``tokens`` the target words trained on by every process, ``seconds`` the time
    training took (a resumed run counts the time before it stopped)."""

    model: Transformer
    src_vocab: Vocab | SubwordVocab
    tgt_vocab: Vocab | SubwordVocab
    history: list[float] = field(default_factory=list)
    seconds: float = 0.0
    steps: int = 0
    epochs: int = 0
    tokens: int = 0

    @property
    def tokens_per_second(self) -> float:
        """Target words trained on per second of training, by all processes together."""
        return self.tokens / self.seconds if self.seconds > 0 else 0.0

    def translator(self, direction: str = "en-fr", corpus: dict | None = None) -> Translator:
        """The trained model and its vocabularies as one ``Translator`` (what evaluation and saving take)."""
        return Translator(self.model, self.src_vocab, self.tgt_vocab, direction, corpus)


def train_translator(
    data: Corpus | Sequence[Pair],
    config: TransformerConfig,
    settings: TrainingSettings,
    seed: int = 0,
    device: str = "auto",
    progress: bool = True,
    state_path: str | Path | None = None,
    resume: TrainingState | None = None,
) -> TrainingResult:
    """Train a translator from scratch on ``data`` (a ``Corpus``'s train split, or a list of pairs).

    The vocabulary sizes of ``config`` are replaced by those of the training data (one joint
    vocabulary when ``config.share_embeddings``). Returns the model in eval mode, its vocabularies and
    the loss of every step. With ``settings.checkpoint_every`` the run's state is written to
    ``state_path`` every so many steps; ``resume`` (a state read by ``load_state``) continues that run
    with the same data, seed and settings. Inside a process group (``distributed.start``) each process
    trains on its share of the batches; only rank 0 shows the progress bar and writes the state.
    """
    if settings.max_steps is None and settings.minutes is None and settings.max_epochs is None:
        raise ValueError("give a limit: settings.max_steps, settings.minutes or settings.max_epochs")
    if settings.checkpoint_every is not None and state_path is None:
        raise ValueError("checkpoint_every needs a state_path to write to")
    pairs = data.train if isinstance(data, Corpus) else list(data)
    if not pairs:
        raise ValueError("no training pairs")
    if resume is not None:
        resume.check(asdict(settings), RESUMABLE_CHANGES, seed, place().world_size, fingerprint(pairs))
    vocabularies = shared_vocabularies(pairs, config, settings, resume)
    config = config.with_vocab(*map(len, vocabularies))
    if resume is not None and resume.config != config.to_dict():
        raise ValueError("the saved run trained a model of another configuration; resume with the same size")
    examples = encode_pairs(pairs, *vocabularies)
    longest = max(max(len(s), len(t)) for s, t in examples)
    if longest > config.max_len:
        raise ValueError(f"a training pair has {longest} tokens, more than config.max_len={config.max_len}")

    run = Run.start(config, settings, seed, device)
    if resume is not None:
        restore(run, resume)
    bar = tqdm(
        total=settings.max_steps, initial=run.steps, disable=not (progress and run.where.is_main),
        unit="step", mininterval=1.0,
    )  # fmt: skip
    hooks = [lambda run: show_step(bar, run)]
    if settings.checkpoint_every is not None:
        hooks.append(saving_every(settings.checkpoint_every, Path(state_path), vocabularies, seed, pairs))
    train(run, examples, hooks)
    seconds = run.elapsed()
    bar.close()
    model, tokens = run.model.eval(), sum(gather(run.tokens))
    return TrainingResult(model, *vocabularies, run.history, seconds, run.steps, run.epochs, tokens)


def shared_vocabularies(
    pairs: Sequence[Pair], config: TransformerConfig, settings: TrainingSettings, resume: TrainingState | None
) -> tuple[Vocab, Vocab] | tuple[SubwordVocab, SubwordVocab]:
    """The run's vocabularies: those of a resumed run, else built by rank 0 and sent to every process
    (a subword model is learned once)."""
    if resume is not None:
        source, target = resume.vocabularies
        return vocab_from_dict(source), vocab_from_dict(target)
    built = None
    if place().is_main:
        built = build_vocabularies(pairs, config.share_embeddings, settings.tokenizer, settings.vocab_size)
    return same_everywhere(built)


def show_step(bar: tqdm, run: Run) -> None:
    """Move the progress bar one step on, showing the step's loss and the epoch."""
    bar.update()
    bar.set_postfix(loss=f"{run.history[-1]:.3f}", epoch=run.epochs + 1, refresh=False)
