"""The package's parts depend on each other in one direction only: the Transformer's components, then the
translation pipeline, the generated corpus, the chapters' helpers and the coursework (book/__init__.py)."""

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import book

PARTS = ("translation", "corpus", "chapters", "coursework")
"""In order: a part may import the components and the parts before it, never one after it."""

IMPORTS_OF_EACH = """
import importlib, json, sys
found = {}
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "book" or m.startswith("book.")]:
        del sys.modules[loaded]
    importlib.import_module(name)
    found[name] = sorted(m for m in sys.modules if m.startswith("book."))
print(json.dumps(found))
"""


def part(module: str) -> str:
    """ "components" for a module at the top of the package, else its part."""
    name = module.split(".")[1]
    return name if name in PARTS else "components"


def test_every_part_imports_only_the_parts_before_it() -> None:
    names = [
        info.name
        for info in pkgutil.walk_packages(book.__path__, "book.")
        if not info.name.endswith("__main__")
    ]
    assert {part(name) for name in names} == {"components", *PARTS}
    result = subprocess.run(
        [sys.executable, "-c", IMPORTS_OF_EACH, *names],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(book.__file__).parent.parent,
    )
    order = ("components", *PARTS)
    for name, loaded in json.loads(result.stdout).items():
        allowed = order[: order.index(part(name)) + 1]
        later = [module for module in loaded if part(module) not in allowed]
        assert not later, f"{name} imports {later}, a later part of the package"
