"""Grade every code exercise of a book (a student's repository or the published one).

    python -m book.coursework grade [PATH] [--json] [--summary FILE]

Each exercise is graded in its own child process: the chapter's first code cell (and the imports of
the cells above the exercise) runs, then the student's answer cell, then the exercise's check on the
function the cell defines. A worker process (``book.coursework.worker``) imports torch and the book
once and forks a child per exercise, so a cell that crashes, hangs or breaks the interpreter spoils
only its own row. This process never imports torch.
"""

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from book.coursework.exercises import EXERCISES, Exercise
from book.coursework.notebook import answer_cell_index, setup_source, without_magics

EXERCISE_TIME_LIMIT_S = 60.0
WORKER = [sys.executable, "-m", "book.coursework.worker"]


@dataclass(frozen=True)
class Grade:
    """One row of the grade table."""

    chapter: int
    exercise: str
    function: str
    notebook: str
    passed: bool
    message: str


class Worker:
    """The worker process, started on first use; ``grade(job)`` returns its result for one job.

    Where the system cannot fork (Windows), each job runs in a fresh interpreter instead.
    """

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.environment = {**os.environ, "MPLBACKEND": "Agg"}

    def grade(self, job: dict) -> dict:
        """Send one job; the worker always answers (it kills a child whose time is up)."""
        if not hasattr(os, "fork"):
            return self._grade_in_new_interpreter(job)
        if self.process is None:
            self.process = subprocess.Popen(
                WORKER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=self.environment
            )
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline()
        if not reply:
            self.close()
            return {"passed": False, "message": "the grader's worker stopped unexpectedly"}
        return json.loads(reply)

    def close(self) -> None:
        """Stop the worker (it exits when its input ends)."""
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait()
            self.process = None

    def _grade_in_new_interpreter(self, job: dict) -> dict:
        try:
            done = subprocess.run(
                [*WORKER, "--one"],
                input=json.dumps(job),
                capture_output=True,
                text=True,
                env=self.environment,
                timeout=job["seconds"] + 30,
            )
        except subprocess.TimeoutExpired:
            return {"passed": False, "message": f"did not finish within {job['seconds']:g} s and was stopped"}
        if done.returncode != 0 or not done.stdout.strip():
            return {"passed": False, "message": f"the grading process died (exit code {done.returncode})"}
        return json.loads(done.stdout.splitlines()[-1])


def grade_book(
    path: Path, seconds: float = EXERCISE_TIME_LIMIT_S, worker: Worker | None = None
) -> list[Grade]:
    """Grade every exercise of the book at ``path`` (its root, or its notebooks folder), in order.

    ``seconds`` limits each exercise's setup, cell and check (the function itself gets at most the
    check's own limit, ``book.coursework.runner.TIME_LIMIT_S``). Pass a ``worker`` to reuse one
    across several books (the caller closes it); by default a new one is started and closed.
    """
    folder = (path / "notebooks" if (path / "notebooks").is_dir() else path).resolve()
    own = worker is None
    worker = Worker() if own else worker
    try:
        return [_grade_exercise(exercise, folder, seconds, worker) for exercise in EXERCISES]
    finally:
        if own:
            worker.close()


def _grade_exercise(exercise: Exercise, folder: Path, seconds: float, worker: Worker) -> Grade:
    def grade(passed: bool, message: str) -> Grade:
        return Grade(exercise.chapter, exercise.id, exercise.function, exercise.notebook, passed, message)

    path = folder / exercise.notebook
    if not path.is_file():
        return grade(False, f"notebook {path.name} not found in {folder}")
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:
        return grade(False, f"could not read {path.name}: {type(error).__name__}: {error}")
    index = answer_cell_index(notebook, exercise.id)
    if index is None:
        return grade(
            False,
            f"no cell for exercise {exercise.id} in {path.name} (a code cell with metadata exercise "
            f'"{exercise.id}")',
        )
    job = {
        "exercise": exercise.id,
        "setup": setup_source(notebook, index),
        "answer": without_magics(notebook.cells[index].source),
        "folder": str(folder),
        "seconds": seconds,
    }
    result = worker.grade(job)
    return grade(result["passed"], result["message"])


def text_table(grades: list[Grade]) -> str:
    """The grades as an aligned plain-text table with a total line."""
    rows = [("Chapter", "Exercise", "Function", "Result", "Message")]
    rows += [
        (str(g.chapter), g.exercise, g.function, "pass" if g.passed else "FAIL", g.message) for g in grades
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[4]])
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths) + "  -------")
    return "\n".join(lines) + f"\n\n{_total(grades)}\n"


def markdown_table(grades: list[Grade]) -> str:
    """The grades as a Markdown table (for a GitHub job summary)."""
    lines = [
        "## Exercises",
        "",
        "| Chapter | Exercise | Function | Result | Message |",
        "|---|---|---|---|---|",
    ]
    for g in grades:
        message = g.message.replace("|", "\\|")
        result = "✅ pass" if g.passed else "❌ fail"
        lines.append(f"| {g.chapter} | {g.exercise} | `{g.function}` | {result} | {message} |")
    return "\n".join(lines) + f"\n\n{_total(grades)}\n"


def as_json(grades: list[Grade]) -> dict:
    """The grades as plain data: counts and one record per exercise."""
    return {
        "passed": sum(g.passed for g in grades),
        "total": len(grades),
        "results": [asdict(g) for g in grades],
    }


def _total(grades: list[Grade]) -> str:
    return f"{sum(g.passed for g in grades)} of {len(grades)} exercises pass"
