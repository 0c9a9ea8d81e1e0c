"""Show the book's own source code in a chapter, straight from the package (never retyped)."""

import ast
import inspect
import textwrap
from collections.abc import Sequence

from IPython.display import Code


def show_source(obj: object, only: Sequence[str] | None = None) -> Code:
    """Syntax-highlighted source of a class, function or method from ``book/``, as stored in the package
    (a method without its class's indentation).

    With ``only``, a class is shown with its docstring and those methods alone, so that a chapter shows
    what it teaches and leaves a later chapter's methods to that chapter.
    """
    source = textwrap.dedent(inspect.getsource(obj))
    return Code(source if only is None else _with_methods(source, only), language="python")


def _with_methods(source: str, names: Sequence[str]) -> str:
    """The class in ``source`` cut down to its header, its docstring and the methods ``names``."""
    cls = ast.parse(source).body[0]
    if not isinstance(cls, ast.ClassDef):
        raise TypeError("only= selects methods of a class")
    lines = source.splitlines()
    first = cls.body[0]
    has_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    kept = lines[: first.end_lineno if has_docstring else first.lineno - 1]
    methods = {node.name: node for node in cls.body if isinstance(node, ast.FunctionDef)}
    missing = [name for name in names if name not in methods]
    if missing:
        raise ValueError(f"{cls.name} has no method {', '.join(missing)}")
    for name in names:
        node = methods[name]
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        kept += ["", *lines[start - 1 : node.end_lineno]]
    return "\n".join(kept) + "\n"
