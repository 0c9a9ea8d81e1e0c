"""A reader's install: every chapter starts with the cell that installs the book where it is missing (on
Colab), and that cell, run as a kernel runs it, installs the book and its trained translator.

The install runs offline, against this checkout: a fresh virtual environment without the book borrows the
book's dependencies from the environment running the tests, through a ``.pth`` file naming its
site-packages. Python adds that folder to the path without processing the ``.pth`` files inside it, among
them the one of the developer's editable install, so the book itself is not importable until the cell has
installed it. pip then builds and installs the book, with no index, from a copy of the checkout.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import yaml

from book.coursework.notebook import setup_source
from tools.install_cell import INSTALL_CELL, REPOSITORY

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# Runs each argument as a cell of one IPython shell (as a kernel does: %pip included); stops at an error.
RUN_CELLS = """
import sys
from IPython.core.interactiveshell import InteractiveShell

shell = InteractiveShell.instance(colors="nocolor")  # plain tracebacks in a failure message
for cell in sys.argv[1:]:
    if not shell.run_cell(cell).success:
        sys.exit(1)
"""

# What the chapters then do, in the same kernel: import the book and use the shipped translator.
USE_THE_BOOK = """\
import json

import book
from book.corpus.splits import READER_SET
from book.translation.translator import PRETRAINED_PATH, Translator

french = Translator.pretrained().translate("the red car is here")
print(json.dumps({"package": book.__file__, "model": str(PRETRAINED_PATH), "french": french,
                  "reader_set": len(READER_SET)}))"""


def test_every_chapter_starts_with_the_install_cell() -> None:
    assert CHAPTERS, "no chapters in notebooks/"
    wrong = []
    for path in CHAPTERS:
        code = [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
        if not code or code[0].source != INSTALL_CELL:
            wrong.append(f"{path.name}: {code[0].source[:60] if code else '(no code cell)'!r}")
        elif code[0].metadata.get("tags") != ["remove-cell"]:
            wrong.append(f"{path.name}: the install cell is shown on the site (tag it remove-cell)")
    assert not wrong, "first code cell is not tools/install_cell.py's INSTALL_CELL:\n" + "\n".join(wrong)


def test_the_install_cell_installs_from_the_repository_the_launch_buttons_open() -> None:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["repository"]["url"] == REPOSITORY


def test_the_grader_can_run_the_install_cell() -> None:
    """The grader runs a chapter's first code cell, without its magics, before each exercise."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(INSTALL_CELL),
        nbformat.v4.new_code_cell("from book.masks import causal_mask\n\ncausal_mask(3)"),
    ]
    setup = setup_source(notebook, before=len(notebook.cells))
    compile(setup, "the grader's setup", "exec")  # a SyntaxError here would fail every exercise
    assert "find_spec" in setup and "from book.masks import causal_mask" in setup


def offline_environment(tmp_path: Path) -> dict[str, str]:
    """This process's environment variables without pip's and Python's own, and pip set to work offline."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PIP_", "PYTHON"))}
    return env | {
        "PIP_CONFIG_FILE": os.devnull,  # none of this machine's pip settings (indexes, constraints)
        "PIP_NO_INDEX": "1",  # nothing is downloaded
        "PIP_NO_DEPS": "1",  # the dependencies come through dependencies.pth
        "PIP_NO_BUILD_ISOLATION": "0",  # read as build_isolation's value: pip builds with our setuptools
        "PIP_IGNORE_INSTALLED": "1",  # the editable install seen through dependencies.pth stays untouched
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "IPYTHONDIR": str(tmp_path / "ipython"),
    }


def run(python: Path, code: str, *cells: str, cwd: Path, env: dict[str, str]) -> str:
    """``python -I -c code cells...`` in ``cwd`` (isolated: neither the checkout nor PYTHONPATH is on the
    path); its stdout, or a failure that shows both streams."""
    result = subprocess.run(
        [str(python), "-I", "-c", code, *cells], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{code[:80]!r} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def reader_without_the_book(folder: Path, env: dict[str, str]) -> tuple[Path, Path]:
    """A new virtual environment in ``folder`` that imports the dependencies installed here, but not the
    book: its Python and its site-packages."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=60)
    python = folder / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = Path(run(python, purelib, cwd=folder, env=env).strip())
    dependencies = sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")})
    (site / "dependencies.pth").write_text("\n".join(dependencies) + "\n")
    found = "import importlib.util; print(importlib.util.find_spec('book') is not None)"
    assert run(python, found, cwd=folder, env=env).strip() == "False", "the book is importable already"
    return python, site


def test_the_install_cell_installs_the_book_and_its_translator(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"  # pip builds in the source folder: a copy keeps the checkout clean
    shutil.copytree(ROOT / "book", checkout / "book", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", checkout)
    cell = INSTALL_CELL.replace(f"git+{REPOSITORY}", checkout.as_uri())
    assert cell != INSTALL_CELL, "the install cell does not name the repository"
    env = offline_environment(tmp_path)
    python, site = reader_without_the_book(tmp_path / "reader", env)

    output = run(python, RUN_CELLS, cell, USE_THE_BOOK, cwd=tmp_path, env=env)
    used = json.loads(output.strip().splitlines()[-1])
    assert used["french"] == "la voiture rouge est ici"
    assert used["reader_set"] >= 250  # the package's data files are installed with it
    assert Path(used["package"]).is_relative_to(site), f"book imported from {used['package']}, not {site}"
    model = Path(used["model"])
    assert model.is_relative_to(site) and model.is_file(), f"the translator is read from {model}, not {site}"

    again = run(python, RUN_CELLS, cell, cwd=tmp_path, env=env)
    assert again == "", f"with the book installed, the cell should do nothing; it printed:\n{again}"
