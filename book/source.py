"""Show the book's own source code in a chapter, straight from the package (never retyped)."""

import inspect

from IPython.display import Code


def show_source(obj: object) -> Code:
    """Syntax-highlighted source of a class or function from ``book/``, as stored in the package."""
    return Code(inspect.getsource(obj), language="python")
