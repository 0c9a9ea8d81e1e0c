"""Show the book's own source code in a chapter, straight from the package (never retyped)."""

import inspect
import textwrap

from IPython.display import Code


def show_source(obj: object) -> Code:
    """Syntax-highlighted source of a class, function or method from ``book/``, as stored in the package
    (a method without its class's indentation)."""
    return Code(textwrap.dedent(inspect.getsource(obj)), language="python")
