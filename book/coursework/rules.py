"""What an answer cell may contain, checked on its source before it runs: the grader's own reading of it.

An exercise asks for a computation with tensors. An answer therefore never needs to look inside the
interpreter (``gc``, ``sys``, ``inspect``, dunder attributes such as ``__globals__``, private names such
as ``torch._C``), to run code it builds at run time (``exec``, ``eval``, ``__import__``), to read or
write files, start processes or load modules from disk (``open``, ``os``, ``importlib``, ``torch.load``,
``torch.hub``), nor to call the implementation it is asked to write (the exercise's ``forbidden`` names:
the book's own version and PyTorch's ready-made one). ``problems(source, exercise)`` lists each such use
with its line. The grader reads the student's source itself, so nothing the cell does can change this
verdict; the traps of ``book.coursework.traps`` catch at run time the calls that no name in the source
shows (a helper that calls the forbidden function, say).
"""

import ast

from book.coursework.exercises import Exercise

ESCAPE_MODULES = frozenset(
    [
        "_thread",
        "atexit",
        "builtins",
        "code",
        "codeop",
        "ctypes",
        "dis",
        "gc",
        "importlib",
        "inspect",
        "io",
        "linecache",
        "marshal",
        "multiprocessing",
        "os",
        "pathlib",
        "pickle",
        "pty",
        "resource",
        "runpy",
        "shutil",
        "signal",
        "site",
        "socket",
        "subprocess",
        "sys",
        "sysconfig",
        "threading",
        "tracemalloc",
        "types",
        "weakref",
    ]
)
"""Modules that reach the interpreter, files or processes: none is needed to compute an answer."""

ESCAPE_NAMES = frozenset(
    [
        "breakpoint",
        "compile",
        "delattr",
        "eval",
        "exec",
        "exit",
        "getattr",
        "globals",
        "help",
        "input",
        "locals",
        "memoryview",
        "open",
        "quit",
        "setattr",
        "vars",
    ]
)
"""Built-in functions that run code built at run time, reach namespaces or files, or stop the process."""

ESCAPE_ATTRIBUTES = frozenset(
    [
        "builtins",
        "compile",
        "cpp_extension",
        "export",
        "fx",
        "gc",
        "hub",
        "jit",
        "library",
        "load",
        "modules",
        "onnx",
        "ops",
        "os",
        "overrides",
        "package",
        "save",
        "sys",
    ]
)
"""Attributes through which a module reaches the interpreter, files or compiled code (``torch.hub``)."""

GENERAL = (
    "an answer computes with tensors and needs no introspection, files, processes or code built at run time"
)


def problems(source: str, exercise: Exercise) -> list[str]:
    """One sentence per disallowed use in ``source`` (the answer cell), with its line; empty when none.

    A cell that does not parse has no problems here: running it reports the syntax error.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    forbidden = {path.rsplit(".", 1)[-1] for path in exercise.forbidden}
    found = []
    for node in ast.walk(tree):
        for name, kind in _uses(node):
            reason = _reason(name, kind, forbidden, exercise)
            if reason is not None:
                found.append(f"line {node.lineno}: {reason}")
    return list(dict.fromkeys(found))


def _uses(node: ast.AST) -> list[tuple[str, str]]:
    """The (name, kind) pairs a node uses: kind is "module", "import", "name" or "attribute"."""
    if isinstance(node, ast.Import):
        return [(alias.name, "module") for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        return [(node.module or "", "module")] + [(alias.name, "import") for alias in node.names]
    if isinstance(node, ast.Name):
        return [(node.id, "name")]
    if isinstance(node, ast.Attribute):
        return [(node.attr, "attribute")]
    return []


def _reason(name: str, kind: str, forbidden: set[str], exercise: Exercise) -> str | None:
    """Why using ``name`` (of ``kind``) is not allowed in an answer to ``exercise``, or None."""
    if kind == "module":
        parts = name.split(".")
        if parts[0] in ESCAPE_MODULES or name.startswith("book.coursework"):
            return f"importing {name} is not allowed: {GENERAL}"
        return _reason(parts[-1], "import", forbidden, exercise) if len(parts) > 1 else None
    if name.startswith("__") and name.endswith("__"):
        return f"{name} is not allowed: {GENERAL}"
    if name in forbidden and not (kind == "name" and name == exercise.function):
        return (
            f"{name} is the book's or PyTorch's ready-made version of what exercise {exercise.id} asks you "
            f"to write, so an answer may not use it. Allowed: {exercise.allowed}"
        )
    if kind == "name" and name in ESCAPE_NAMES:
        return f"{name}() is not allowed: {GENERAL}"
    if kind in ("attribute", "import") and (name.startswith("_") or name in ESCAPE_ATTRIBUTES):
        return f".{name} is not allowed: {GENERAL}"
    return None
