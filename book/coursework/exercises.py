"""The book's code exercises: where each lives, the stub a student starts from, and its check.

A stub is the signature and docstring of the function to write, with a body that raises
``NotImplementedError`` naming the exercise; the students' edition puts it in place of the solution.
"""

import importlib
import textwrap
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    """One code exercise: id ("4.1"), chapter notebook, function name, docstring, points and rules.

    ``signature`` is the parameter list, e.g. ``"q, k, v, mask=None"``. ``points`` grow with the work the
    exercise asks for. ``forbidden`` names, by import path, the book's implementation of the function and
    PyTorch's ready-made equivalents, which an answer may not call; ``allowed`` says in one sentence what
    an answer may use. The registry itself does not import torch (the grader's parent process stays
    light); ``verify`` and ``check`` load the checks.
    """

    id: str
    notebook: str
    function: str
    signature: str
    docstring: str
    points: int
    forbidden: tuple[str, ...]
    allowed: str

    @property
    def verify(self) -> Callable[[Callable], str]:
        """``verify_<function>(fn)``: the success message, or WrongAnswerError (run it with ``run_check``)."""
        return getattr(importlib.import_module("book.coursework.checks"), f"verify_{self.function}")

    @property
    def check(self) -> Callable[[Callable], bool]:
        """The public ``check_<function>(fn)``, which prints one line and returns True/False."""
        return getattr(importlib.import_module("book.coursework.checks"), f"check_{self.function}")

    @property
    def chapter(self) -> int:
        """The chapter number, e.g. 4 for exercise 4.1."""
        return int(self.id.split(".")[0])

    @property
    def stub(self) -> str:
        """The source of the cell a student starts from."""
        docstring = [f"    {line}" if line else "" for line in self.docstring.strip().splitlines()]
        docstring[0] = '    """' + docstring[0].lstrip()
        docstring += [
            "",
            *textwrap.wrap(f"Allowed: {self.allowed}", 100, initial_indent="    ", subsequent_indent="    "),
        ]
        message = f"Exercise {self.id}: implement {self.function} (see the exercise above)"
        lines = [
            f"def {self.function}({self.signature}):",
            *docstring,
            '    """',
            f'    raise NotImplementedError("{message}")',
        ]
        return "\n".join(lines) + "\n"


EXERCISES: list[Exercise] = [
    Exercise(
        "1.1",
        "01_black_box.ipynb",
        "count_parameters",
        "model",
        """Number of trainable numbers in ``model`` (a torch.nn.Module), as a Python int.

A tensor shared by two layers (tied embeddings) is counted once.""",
        1,
        ("book.model.parameter_count",),
        "any Python and tensor code of your own; not the book's parameter_count.",
    ),
    Exercise(
        "2.1",
        "02_encoder_stack.ipynb",
        "embed",
        "tokens, weight",
        """Look up each token's vector and scale it by sqrt(d_model).

tokens (batch, seq) integer ids; weight (vocab, d_model) the embedding table.
Returns (batch, seq, d_model).""",
        1,
        (
            "book.embeddings.TokenEmbedding",
            "torch.nn.Embedding",
            "torch.nn.functional.embedding",
            "torch.embedding",
        ),
        "indexing the table and tensor arithmetic; not the book's TokenEmbedding nor PyTorch's nn.Embedding"
        " or F.embedding.",
    ),
    Exercise(
        "3.1",
        "03_queries_keys_values.ipynb",
        "project_qkv",
        "x, w_q, w_k, w_v",
        """Project the words into queries, keys and values.

x (seq, d_model), one row per word; w_q, w_k, w_v each (d_model, d_k).
Returns (q, k, v), each (seq, d_k), with q = x @ w_q and likewise for k and v.""",
        1,
        ("book.attention.MultiHeadAttention",),
        "matrix products (@, torch.matmul, F.linear) and any tensor operation; not the book's "
        "MultiHeadAttention.",
    ),
    Exercise(
        "3.2",
        "03_queries_keys_values.ipynb",
        "attention_scores",
        "q, k",
        """Raw attention scores: the dot product of every query with every key (no scaling, no softmax).

q (q_len, d_k), k (k_len, d_k). Returns (q_len, k_len); entry [i, j] is q[i] . k[j].""",
        1,
        ("book.attention.scaled_dot_product_attention", "book.attention.MultiHeadAttention"),
        "matrix products, transposes and any tensor operation; not the book's attention functions.",
    ),
    Exercise(
        "4.1",
        "04_scores_scaling_softmax.ipynb",
        "attend",
        "q, k, v, mask=None",
        """Z = softmax(q k^T / sqrt(d_k)) v, and the attention weights.

q (..., q_len, d_k), k (..., k_len, d_k), v (..., k_len, d_v);
mask None or bool, broadcastable to (..., q_len, k_len), True = may attend.
Returns (z, weights): z (..., q_len, d_v), weights (..., q_len, k_len).""",
        3,
        (
            "book.attention.scaled_dot_product_attention",
            "book.attention.MultiHeadAttention",
            "torch.nn.functional.scaled_dot_product_attention",
            "torch.nn.functional.multi_head_attention_forward",
            "torch.nn.MultiheadAttention",
        ),
        "matrix products, softmax, masked_fill and any other tensor operation; not the book's "
        "scaled_dot_product_attention or MultiHeadAttention, nor PyTorch's F.scaled_dot_product_attention "
        "or nn.MultiheadAttention.",
    ),
    Exercise(
        "5.1",
        "05_multi_head_attention.ipynb",
        "multi_head_attention",
        "x, w_q, w_k, w_v, w_o, heads, mask=None",
        """Multi-head self-attention without biases (x @ w convention).

x (batch, seq, d_model); w_q, w_k, w_v, w_o each (d_model, d_model); heads divides d_model;
mask None or bool, broadcastable to (batch, heads, seq, seq), True = may attend.
Returns (batch, seq, d_model).""",
        4,
        (
            "book.attention.scaled_dot_product_attention",
            "book.attention.MultiHeadAttention",
            "torch.nn.functional.scaled_dot_product_attention",
            "torch.nn.functional.multi_head_attention_forward",
            "torch.nn.MultiheadAttention",
        ),
        "matrix products, view, reshape, transpose, softmax, masked_fill and any other tensor operation; "
        "not the book's attention functions nor PyTorch's F.scaled_dot_product_attention or "
        "nn.MultiheadAttention.",
    ),
    Exercise(
        "6.1",
        "06_positional_encoding.ipynb",
        "positional_encoding",
        "max_len, d_model",
        """The sinusoidal positional encoding table.

PE[pos, 2i] = sin(pos / 10000^(2i / d_model)), PE[pos, 2i + 1] = cos(pos / 10000^(2i / d_model)).
Returns (max_len, d_model).""",
        2,
        ("book.positional.sinusoid_table", "book.positional.PositionalEncoding"),
        "torch.arange, sin, cos, exp and any other tensor operation; not the book's sinusoid_table or "
        "PositionalEncoding.",
    ),
    Exercise(
        "7.1",
        "07_residuals_layer_norm.ipynb",
        "layer_norm",
        "x, gain, bias, eps=1e-5",
        """Layer normalization: gain * (x - mean) / sqrt(var + eps) + bias.

x (..., d_model); gain and bias (d_model,); mean and (biased) variance over the last dimension.
Returns a tensor of the same shape as x.""",
        2,
        (
            "book.normalization.LayerNorm",
            "torch.nn.LayerNorm",
            "torch.nn.functional.layer_norm",
            "torch.layer_norm",
            "torch.native_layer_norm",
            "torch.nn.GroupNorm",
            "torch.nn.functional.group_norm",
            "torch.group_norm",
            "torch.nn.functional.batch_norm",
            "torch.batch_norm",
            "torch.nn.functional.instance_norm",
            "torch.instance_norm",
        ),
        "mean, var, sqrt and any other tensor operation; not the book's LayerNorm nor PyTorch's "
        "normalization layers or functions (layer_norm, group_norm, batch_norm, instance_norm).",
    ),
    Exercise(
        "8.1",
        "08_decoder.ipynb",
        "subsequent_mask",
        "size",
        """The decoder's causal mask: position t may attend to positions 0..t.

Returns a bool tensor (size, size), True = may attend.""",
        1,
        (
            "book.masks.causal_mask",
            "book.masks.target_mask",
            "torch.nn.Transformer.generate_square_subsequent_mask",
        ),
        "torch.arange, comparisons, torch.tril or triu and any other tensor operation; not the book's "
        "causal_mask or target_mask nor nn.Transformer.generate_square_subsequent_mask.",
    ),
    Exercise(
        "8.2",
        "08_decoder.ipynb",
        "greedy_search",
        "step, bos, eos, max_len",
        """Greedy decoding: repeatedly append the most likely next id.

step(prefix) takes the ids so far (a list starting with bos) and returns log-probs (vocab,).
Returns the list of generated ids after bos: stop after eos is produced (eos not included)
or after max_len ids.""",
        3,
        ("book.translation.decoding.greedy_decode", "book.translation.decoding.beam_search"),
        "calls of step, argmax and any Python; not the book's greedy_decode or beam_search.",
    ),
    Exercise(
        "9.1",
        "09_translator.ipynb",
        "noam_rate",
        "step, d_model, warmup",
        """The paper's learning rate at ``step`` (>= 1), as a Python float.

d_model**-0.5 * min(step**-0.5, step * warmup**-1.5).""",
        1,
        ("book.translation.training.learning_rate",),
        "math and plain Python; not the book's learning_rate.",
    ),
    Exercise(
        "9.2",
        "09_translator.ipynb",
        "smoothed_targets",
        "target, vocab_size, smoothing, pad_id",
        """Label-smoothed target distributions.

target (n,) integer ids. Returns (n, vocab_size): (1 - smoothing) * one_hot + smoothing / vocab_size,
with the rows whose target is pad_id all zero.""",
        2,
        (),
        "F.one_hot, indexing and any other tensor operation; nothing from the book's grader.",
    ),
]

BY_ID: dict[str, Exercise] = {exercise.id: exercise for exercise in EXERCISES}
