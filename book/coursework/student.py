"""Write the students' edition of the book: every exercise's solution replaced by its stub.

    python -m book.coursework student OUTDIR

The edition holds what a class repository needs to run the notebooks and the grader: the chapters
(solutions removed, check outputs cleared), the ``book`` package, the build tools, the pinned requirements,
a README for students and a GitHub Actions workflow that grades every push.
"""

import shutil
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from book.coursework.exercises import BY_ID
from book.coursework.notebook import exercise_id, is_answer_cell, is_check_cell, is_solution_markdown, tags

WORKFLOW_TEMPLATE = Path(__file__).with_name("grade.yml")
COPIED_FILES = ["requirements.txt", "pyproject.toml", ".gitignore"]
SITE_FILES = ["_config.yml", "_toc.yml", "intro.md", "glossary.md", "references.md", "references.bib"]
STUDENT_README = """# Attention, Built: exercises

This repository is the students' edition of *Attention, Built*. Each chapter in `notebooks/` has
exercises: a code cell holds a function whose body raises `NotImplementedError`. Replace that body
with your own code, then run the check cell below it: it prints whether your function passes, and
if not, what is wrong.

## Set up and work

```bash
python3 -m venv .venv
.venv/bin/pip install --extra-index-url https://download.pytorch.org/whl/cpu -r requirements.txt
.venv/bin/jupyter lab notebooks/
```

## Grade your work

```bash
.venv/bin/python -m book.coursework grade          # a table of every exercise: passed or failed, and why
.venv/bin/python -m book.coursework grade --json   # the same, machine-readable
```

Every push runs the same grader on GitHub Actions (`.github/workflows/grade.yml`) and shows the
table in the run's summary.
"""


def write_student_edition(source: Path, out: Path) -> list[Path]:
    """Write the students' edition of the book at ``source`` (its root) into the new folder ``out``.

    Returns the notebooks written. Raises ValueError if ``out`` exists and is not empty, if
    ``source`` has no notebooks folder, or if a solution cell names no known exercise (its code
    would otherwise be copied).
    """
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} already exists and is not empty; choose a new folder")
    notebooks = source / "notebooks"
    if not notebooks.is_dir():
        raise ValueError(f"{source} has no notebooks folder")
    out.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    shutil.copytree(source / "book", out / "book", ignore=ignore)
    shutil.copytree(source / "tools", out / "tools", ignore=ignore)  # the Sphinx extension, the executor
    for name in COPIED_FILES + SITE_FILES:
        if (source / name).is_file():
            shutil.copy2(source / name, out / name)
    (out / "README.md").write_text(STUDENT_README)
    workflow = out / ".github" / "workflows" / "grade.yml"
    workflow.parent.mkdir(parents=True)
    shutil.copy2(WORKFLOW_TEMPLATE, workflow)
    # The paired text files (notebooks/text/, for reviewing the book) hold the solutions: not copied.
    shutil.copytree(
        notebooks, out / "notebooks", ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "text")
    )
    written = []
    for path in sorted(notebooks.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        nbformat.write(student_notebook(notebook, path.name), out / "notebooks" / path.name)
        written.append(out / "notebooks" / path.name)
    return written


def student_notebook(notebook: NotebookNode, name: str) -> NotebookNode:
    """A copy of ``notebook`` without solutions: answer cells become stubs, solution markdown goes,
    and the outputs of answer and check cells are cleared. ``name`` is used in error messages."""
    result = nbformat.from_dict(notebook)
    cells = []
    for index, cell in enumerate(result.cells):
        if is_solution_markdown(cell):
            continue
        if is_answer_cell(cell):
            cell = _stub_cell(cell, f"{name}, cell {index}")
        if is_answer_cell(cell) or is_check_cell(cell):
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    result.cells = cells
    return result


def _stub_cell(cell: NotebookNode, where: str) -> NotebookNode:
    """The answer cell with its solution replaced by the exercise's stub, tagged "exercise"."""
    exercise = exercise_id(cell)
    if exercise not in BY_ID:
        raise ValueError(
            f"{where}: a solution cell must carry metadata exercise set to a known id "
            f"({', '.join(BY_ID)}), got {exercise!r}"
        )
    cell.source = BY_ID[exercise].stub
    cell.metadata["tags"] = [tag for tag in tags(cell) if tag != "solution"] + ["exercise"]
    return cell
