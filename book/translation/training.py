"""Training the translator: label smoothing, Adam with warm-up, token-sized batches (paper section 5).

``train_translator(pairs, config, minutes=2.0)`` builds the vocabularies from the training pairs,
builds a model of ``config``'s size and trains it until the time budget (or a step or epoch limit) is
spent, then averages its last checkpoints (paper section 6.1). The same seed and the same number of
threads give the same weights, step for step, on one machine. Chapter 9 explains it.

The same function trains on several processes under torchrun (``book.translation.distributed``), on a
GPU with bf16 mixed precision, with subword vocabularies (``book.translation.subwords``), and saves its
state every few steps so that a killed run can resume (``book.translation.resume``); the appendix explains
them.
"""

import contextlib
import math
import random
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from tqdm import tqdm

from book.config import TransformerConfig
from book.model import Transformer
from book.translation.batching import Batch, encode_pairs, token_batches
from book.translation.distributed import (
    Place,
    gather,
    main_decides,
    place,
    same_everywhere,
    shard,
    share_of_loss,
)
from book.translation.pairs import Corpus, Pair
from book.translation.resume import TrainingState, fingerprint, save_state
from book.translation.subwords import DEFAULT_SIZE, SubwordVocab, vocab_from_dict
from book.translation.tokenizer import PAD_ID, Vocab
from book.translation.translator import Translator

TOKENIZERS = ("word", "subword")
"""The kinds of vocabulary: the book's words (``Vocab``) or learned subword pieces (``SubwordVocab``)."""


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
    ``tokenizer`` is "word" (the book's vocabulary) or "subword" (``vocab_size`` pieces at most).
    ``checkpoint_every`` saves the run's state every so many steps (None: never), to resume it.
    ``mixed_precision`` runs the forward pass in bf16 (autocast); None: on a CUDA GPU that supports it.
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
    tokenizer: str = "word"
    vocab_size: int = DEFAULT_SIZE
    checkpoint_every: int | None = None
    mixed_precision: bool | None = None


RESUMABLE_CHANGES = ("max_steps", "max_epochs", "checkpoint_every")
"""Settings a resumed run may change; any other change would not continue the same run."""


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


def train_step(
    trained: Transformer | DistributedDataParallel,
    optimizer: torch.optim.Optimizer,
    batch: Batch,
    step: int,
    settings: TrainingSettings,
    where: Place,
) -> float:
    """One step of the paper's recipe on ``batch`` (on the model's device): the warm-up learning rate of
    ``step`` (1 for the first), the label-smoothed loss, backpropagation, gradient clipping and Adam's
    update. Returns the loss per target word of this process's batch."""
    model = trained.module if isinstance(trained, DistributedDataParallel) else trained
    for group in optimizer.param_groups:
        group["lr"] = learning_rate(step, model.config.d_model, settings.factor, settings.warmup)
    with precision(batch.src.device, settings.mixed_precision):
        loss, logged = step_loss(trained, batch, settings.label_smoothing, where)
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), settings.clip)
    optimizer.step()
    return logged.item()


def train_translator(
    data: Corpus | Sequence[Pair],
    config: TransformerConfig,
    minutes: float | None = 2.0,
    seed: int = 0,
    device: str = "auto",
    progress: bool = True,
    settings: TrainingSettings | None = None,
    state_path: str | Path | None = None,
    resume: TrainingState | None = None,
) -> TrainingResult:
    """Train a translator from scratch on ``data`` (a ``Corpus``'s train split, or a list of pairs).

    The vocabulary sizes of ``config`` are replaced by those of the training data (one joint
    vocabulary when ``config.share_embeddings``). Training stops when ``minutes`` of training are
    spent, or earlier at ``settings.max_steps`` / ``settings.max_epochs``. Returns the model in
    eval mode, its vocabularies, and the loss of every step.

    With ``settings.checkpoint_every``, the run's state is written to ``state_path`` every so many
    steps; ``resume`` (a state read by ``load_state``) continues that run with the same data, seed and
    settings. Inside a process group (``distributed.start``) the model is wrapped in
    DistributedDataParallel and each process trains on its share of the batches; only rank 0 shows the
    progress bar and writes the state.
    """
    settings = settings or TrainingSettings()
    if minutes is None and settings.max_steps is None and settings.max_epochs is None:
        raise ValueError("give a time budget (minutes), settings.max_steps or settings.max_epochs")
    if settings.average_last < 1 or settings.average_every < 1:
        raise ValueError("average_last and average_every must be at least 1")
    if settings.checkpoint_every is not None and (settings.checkpoint_every < 1 or state_path is None):
        raise ValueError("checkpoint_every must be at least 1 and needs a state_path to write to")
    pairs = data.train if isinstance(data, Corpus) else list(data)
    if not pairs:
        raise ValueError("no training pairs")
    where = place()
    if resume is None:
        vocabularies = None
        if where.is_main:  # the others receive them: a subword model is learned once
            vocabularies = build_vocabularies(
                pairs, config.share_embeddings, settings.tokenizer, settings.vocab_size
            )
        src_vocab, tgt_vocab = same_everywhere(vocabularies)
    else:
        resume.check(asdict(settings), RESUMABLE_CHANGES, seed, where.world_size, fingerprint(pairs))
        src_vocab, tgt_vocab = vocab_from_dict(resume.src_vocab), vocab_from_dict(resume.tgt_vocab)
    config = config.with_vocab(len(src_vocab), len(tgt_vocab))
    if resume is not None and resume.config != config.to_dict():
        raise ValueError(
            "the saved run trained a model of another configuration; resume with the same --size"
        )
    examples = encode_pairs(pairs, src_vocab, tgt_vocab)
    longest = max(max(len(s), len(t)) for s, t in examples)
    if longest > config.max_len:
        raise ValueError(f"a training pair has {longest} tokens, more than config.max_len={config.max_len}")

    torch.manual_seed(seed)
    rng = random.Random(seed)
    target = pick_device(device)
    model = Transformer(config).to(target).train()
    trained = model
    if where.world_size > 1:
        trained = DistributedDataParallel(
            model, device_ids=[where.local_rank] if target.type == "cuda" else None
        )
        torch.manual_seed(seed + where.rank)  # each process draws its own dropout masks
    optimizer = torch.optim.Adam(model.parameters(), lr=0.0, betas=(0.9, 0.98), eps=1e-9)
    budget = math.inf if minutes is None else minutes * 60.0
    max_steps = settings.max_steps or math.inf
    max_epochs = settings.max_epochs or math.inf

    history: list[float] = []
    checkpoints: deque[list[torch.Tensor]] = deque(maxlen=settings.average_last)
    epochs, position, spent, tokens = 0, 0, 0.0, 0  # position: steps taken in the current epoch
    if resume is not None:
        model.load_state_dict(resume.model)
        optimizer.load_state_dict(resume.optimizer)
        history, epochs, position = list(resume.history), resume.epochs, resume.position
        spent, tokens = resume.seconds, resume.tokens[where.rank]
        checkpoints.extend([t.to(target) for t in kept] for kept in resume.averaged)
        rng.setstate(resume.epoch_rng)  # the current epoch's batches are drawn again, the same
        torch.set_rng_state(resume.torch_rng[where.rank])
        if target.type == "cuda":
            torch.cuda.set_rng_state(resume.cuda_rng[where.rank])
    bar = tqdm(
        total=settings.max_steps, initial=len(history), disable=not (progress and where.is_main),
        unit="step", mininterval=1.0,
    )  # fmt: skip
    start = time.perf_counter()

    def out_of_time() -> bool:  # every process stops at the step rank 0 stops at
        return budget < math.inf and main_decides(spent + time.perf_counter() - start >= budget)

    while epochs < max_epochs and len(history) < max_steps and not out_of_time():
        epoch_rng = rng.getstate()
        batches = shard(token_batches(examples, settings.batch_tokens, rng), where)
        if not batches:
            raise ValueError(f"the training pairs make fewer batches than the {where.world_size} processes")
        for batch in batches[position:]:
            step = len(history) + 1
            history.append(train_step(trained, optimizer, batch.to(target), step, settings, where))
            tokens += batch.target_tokens
            position += 1
            if step % settings.average_every == 0:
                checkpoints.append(copy_parameters(model))
            if settings.checkpoint_every is not None and step % settings.checkpoint_every == 0:
                state = TrainingState(
                    config=config.to_dict(),
                    src_vocab=src_vocab.to_dict(),
                    tgt_vocab=tgt_vocab.to_dict(),
                    settings=asdict(settings),
                    seed=seed,
                    world_size=where.world_size,
                    data=fingerprint(pairs),
                    model={name: tensor.cpu() for name, tensor in model.state_dict().items()},
                    optimizer=optimizer.state_dict(),
                    history=history,
                    averaged=[[t.cpu() for t in kept] for kept in checkpoints],
                    epochs=epochs,
                    position=position,
                    epoch_rng=epoch_rng,
                    torch_rng=gather(torch.get_rng_state()),
                    cuda_rng=gather(torch.cuda.get_rng_state()) if target.type == "cuda" else [],
                    seconds=spent + time.perf_counter() - start,
                    tokens=gather(tokens),
                )
                if where.is_main:
                    save_state(state, state_path)
            bar.update()
            bar.set_postfix(loss=f"{history[-1]:.3f}", epoch=epochs + 1, refresh=False)
            if len(history) >= max_steps or out_of_time():
                break
        else:
            epochs += 1
            position = 0
    if history and len(history) % settings.average_every != 0:  # the last step is always a checkpoint
        checkpoints.append(copy_parameters(model))
    if checkpoints:
        average_into(model, checkpoints)
    seconds = spent + time.perf_counter() - start
    bar.close()
    tokens = sum(gather(tokens))
    return TrainingResult(model.eval(), src_vocab, tgt_vocab, history, seconds, len(history), epochs, tokens)
