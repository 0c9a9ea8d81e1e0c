"""The package's parts depend on each other in one direction only: the Transformer's components, then the
translation pipeline, the generated corpus, the training command above both, the chapters' helpers and the
coursework (book/__init__.py). Every import counts, those inside functions too."""

import ast
from pathlib import Path

import book

PARTS = ("translation", "corpus", "train", "chapters", "coursework")
"""In order: a part may import the components and the parts before it, never one after it."""

ROOT = Path(book.__file__).parent


def module_name(path: Path) -> str:
    """book/translation/training.py -> "book.translation.training"; a package's __init__ -> the package."""
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str) -> set[str]:
    """Every ``book`` module that ``source`` imports, at any depth (functions and branches included)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}  # a submodule, if it is one
    return {name for name in found if name == "book" or name.startswith("book.")}


def part(module: str) -> str:
    """ "components" for a module at the top of the package (or the package itself), else its part."""
    name = module.split(".")[1] if "." in module else ""
    return name if name in PARTS else "components"


def test_imports_inside_functions_are_read() -> None:
    source = "import torch\n\ndef load():\n    from book.corpus.splits import generate_corpus\n"
    assert imported_modules(source) == {"book.corpus.splits", "book.corpus.splits.generate_corpus"}
    assert imported_modules("if True:\n    import book.train as t\n") == {"book.train"}


def test_every_part_imports_only_the_parts_before_it() -> None:
    modules = {module_name(path): path for path in ROOT.rglob("*.py")}
    assert {part(name) for name in modules} == {"components", *PARTS}
    order = ("components", *PARTS)
    for name, path in sorted(modules.items()):
        allowed = order[: order.index(part(name)) + 1]
        imports = imported_modules(path.read_text(encoding="utf-8"))
        later = sorted(module for module in imports if part(module) not in allowed)
        assert not later, f"{name} imports {later}, a later part of the package"
