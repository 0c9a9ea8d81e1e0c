"""Compare a student's answer with the expected one and say, in plain words, what differs.

Answers are tensors, tuples of tensors, ints, floats or lists of ints. Every function here returns
``None`` when the answer is right and otherwise one sentence a student can act on.
"""

import math
import numbers
from collections.abc import Callable, Sequence

import torch

ATOL = 1e-5
RTOL = 1e-4


def difference(
    actual: object, expected: object, name: str | tuple[str, ...], atol: float = ATOL
) -> str | None:
    """One sentence saying how ``actual`` differs from ``expected`` (``None`` when they agree).

    ``name`` names the returned value in the sentence; for a tuple answer it is a tuple of names,
    one per element, e.g. ``("z", "weights")``.
    """
    if isinstance(expected, torch.Tensor):
        return _tensor_difference(actual, expected, str(name), atol)
    if isinstance(expected, tuple):
        return _tuple_difference(actual, expected, tuple(name), atol)
    if isinstance(expected, list):
        return _id_list_difference(actual, expected, str(name))
    if isinstance(expected, int):
        return _int_difference(actual, expected, str(name))
    return _float_difference(actual, float(expected), str(name))


def matching_hint(
    actual: object, mistakes: Sequence[tuple[str, Callable[[], object]]], name: str | tuple[str, ...]
) -> str | None:
    """The hint of the first mistaken variant whose output equals ``actual`` (NaNs equal NaNs), if any.

    ``mistakes`` holds (hint, variant) pairs; ``variant()`` computes what the mistaken code returns.
    """
    for hint, variant in mistakes:
        try:
            with torch.no_grad():
                wrong = variant()
        except Exception:  # a variant that cannot handle this input (e.g. no mask to invert) explains nothing
            continue
        if difference(actual, wrong, name) is None:
            return hint
    return None


class Unsupported:
    """A value an answer returned that is not plain data (a dict, a numpy array, ...): the grader's judge
    receives only its kind, ``name``."""

    def __init__(self, name: str) -> None:
        self.name = name


def kind(value: object) -> str:
    """A short description of a value's type, e.g. ``Tensor``, ``tuple of 2``, ``NoneType``."""
    if isinstance(value, Unsupported):
        return value.name
    if isinstance(value, tuple | list):
        return f"{type(value).__name__} of {len(value)}"
    return type(value).__name__


def _tensor_difference(actual: object, expected: torch.Tensor, name: str, atol: float) -> str | None:
    if not isinstance(actual, torch.Tensor):
        return f"{name} should be a torch.Tensor, got {kind(actual)}"
    if tuple(actual.shape) != tuple(expected.shape):
        return f"{name} has shape {tuple(actual.shape)}, expected {tuple(expected.shape)}"
    actual = actual.detach().cpu()
    if expected.dtype == torch.bool:
        if actual.dtype != torch.bool:
            return (
                f"{name} should be a bool tensor (True = may attend), got dtype {actual.dtype}: "
                "build it from a comparison or pass dtype=torch.bool"
            )
        wrong = actual != expected
    else:
        if not actual.is_floating_point():
            return f"{name} should hold floating-point numbers, got dtype {actual.dtype}"
        actual = actual.to(expected.dtype)
        wrong = ~torch.isclose(actual, expected, rtol=RTOL, atol=atol, equal_nan=True)
    if not wrong.any():
        return None
    where = tuple(int(i) for i in wrong.nonzero()[0])
    count = f"{int(wrong.sum())} of {wrong.numel()} values differ"
    if actual.is_floating_point() and torch.isnan(actual[where]):
        first = f"the first at index {list(where)}, expected {_show(expected[where])}"
        return f"{name} contains NaN ({count}; {first})"
    return (
        f"{name} is wrong at index {list(where)}: expected {_show(expected[where])}, "
        f"got {_show(actual[where])} ({count})"
    )


def _tuple_difference(actual: object, expected: tuple, names: tuple[str, ...], atol: float) -> str | None:
    wanted = f"a tuple of {len(expected)} ({', '.join(names)})"
    if not isinstance(actual, tuple | list):
        return f"expected {wanted}, got {kind(actual)}"
    if len(actual) != len(expected):
        return f"expected {wanted}, got a {kind(actual)}"
    for part, want, name in zip(actual, expected, names, strict=True):
        problem = difference(part, want, name, atol)
        if problem is not None:
            return problem
    return None


def _id_list_difference(actual: object, expected: list[int], name: str) -> str | None:
    if isinstance(actual, torch.Tensor):
        return f"{name} should be a list of ints, got a Tensor: convert it with .tolist()"
    if not isinstance(actual, list):
        return f"{name} should be a list of ints, got {kind(actual)}"
    for item in actual:
        if not _is_int(item):
            return (
                f"{name} should hold Python ints, got an element of type {type(item).__name__} (use .item())"
            )
    if [int(item) for item in actual] != expected:
        return f"{name} should be {expected}, got {[int(item) for item in actual]}"
    return None


def _int_difference(actual: object, expected: int, name: str) -> str | None:
    if not _is_int(actual):
        return f"{name} should be a Python int, got {kind(actual)}" + (
            " (use .item())" if isinstance(actual, torch.Tensor) else ""
        )
    if int(actual) != expected:
        return f"{name} should be {expected:,}, got {int(actual):,}"
    return None


def _float_difference(actual: object, expected: float, name: str) -> str | None:
    if isinstance(actual, torch.Tensor) or not isinstance(actual, numbers.Real) or isinstance(actual, bool):
        return f"{name} should be a Python float, got {kind(actual)}" + (
            " (use .item())" if isinstance(actual, torch.Tensor) else ""
        )
    if not math.isclose(float(actual), expected, rel_tol=1e-6, abs_tol=1e-12):
        return f"{name} should be {expected:.6g}, got {float(actual):.6g}"
    return None


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _show(value: torch.Tensor) -> str:
    """A single element, printed the same way on every run."""
    if value.dtype == torch.bool:
        return str(bool(value))
    return f"{float(value):.4f}"
