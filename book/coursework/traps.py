"""Make the implementations an answer may not call raise instead, in the child process that runs the answer.

Installed after the chapter's setup code and before the answer cell: each of the exercise's ``forbidden``
objects (the book's own version, PyTorch's ready-made one) is replaced, in every loaded module and in the
cell's namespace, by a function that raises ``ForbiddenCall``; a forbidden class gets a raising
``__init__`` and ``forward``. So ``import book.attention as b`` followed by
``b.scaled_dot_product_attention(...)``, a helper that calls ``F.layer_norm``, or ``nn.LayerNorm(d)``
fail with a message that says why. It runs in the student's own process, where a determined answer could
dig the original back out; ``book.coursework.rules`` reads the source for that (no ``gc``, no dunders).
"""

import importlib
import sys
from collections.abc import Callable

from book.coursework.exercises import Exercise
from book.coursework.runner import ForbiddenCall


def install(exercise: Exercise, namespace: dict) -> None:
    """Replace every object named in ``exercise.forbidden`` by a trap, here and in ``namespace``."""
    replaced: dict[int, Callable] = {}
    for path in exercise.forbidden:
        owner, name = _owner(path)
        original = getattr(owner, name, None) if owner is not None else None
        if original is None:
            continue
        trap = _trap(path, exercise)
        if isinstance(original, type):
            original.__init__ = trap
            original.forward = trap
        elif isinstance(owner, type):
            setattr(owner, name, staticmethod(trap))
        else:
            replaced[id(original)] = trap
    if not replaced:
        return
    tables = [namespace] + [vars(module) for module in list(sys.modules.values()) if module is not None]
    for table in tables:
        for key, value in list(table.items()):
            if id(value) in replaced:
                table[key] = replaced[id(value)]


def _owner(path: str) -> tuple[object | None, str]:
    """The module or class that holds ``path``'s last name, and that name (None if it cannot be loaded)."""
    parts = path.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:-1]:
            owner = getattr(owner, attribute, None)
        return owner, parts[-1]
    return None, parts[-1]


def _trap(path: str, exercise: Exercise) -> Callable:
    whose = "the book's" if path.startswith("book.") else "PyTorch's"
    message = (
        f"your function calls {path}, {whose} ready-made version of what exercise {exercise.id} asks you to "
        f"write. Allowed: {exercise.allowed}"
    )

    def forbidden(*args: object, **kwargs: object) -> None:
        raise ForbiddenCall(message)

    return forbidden
