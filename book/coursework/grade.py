"""Grade every code exercise of a book (a student's repository or the published one).

    python -m book.coursework grade [PATH] [--json] [--summary FILE] [--classroom FILE] [--fail-under POINTS]

First this process reads each answer cell and refuses one that uses what an answer may not
(``book.coursework.rules``). Then a worker process (``book.coursework.worker``), which imports torch and
the book once, forks a child per exercise that runs the chapter's first code cell (and the imports of the
cells above the exercise), the answer cell, and the function it defines on every case; a second child,
which never runs student code, judges what the first sent back. A cell that crashes, hangs, allocates
without bound or breaks the interpreter spoils only its own row. This process never imports torch.
"""

import base64
import contextlib
import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from book.coursework.exercises import BY_ID, EXERCISES, Exercise
from book.coursework.notebook import answer_cell_index, setup_source, without_magics
from book.coursework.rules import problems

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
    possible: int

    @property
    def points(self) -> int:
        """The points earned: all of the exercise's when it passes, none otherwise."""
        return self.possible if self.passed else 0


class Worker:
    """The worker process, started on first use; ``grade(job)`` returns its result for one job.

    Where the system cannot fork (Windows), each job runs in a fresh interpreter instead.
    """

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.environment = {**os.environ, "MPLBACKEND": "Agg"}

    def grade(self, job: dict) -> dict:
        """Send one job; the worker always answers (it kills a child whose time is up); if it dies
        (an answer can kill it), this job fails and the next starts a new worker."""
        if not hasattr(os, "fork"):
            return self._grade_in_new_interpreter(job)
        if self.process is None:
            self.process = subprocess.Popen(
                WORKER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=self.environment
            )
        try:
            self.process.stdin.write(json.dumps(job) + "\n")
            self.process.stdin.flush()
            reply = self.process.stdout.readline()
        except OSError:  # the worker is gone
            reply = ""
        if not reply:
            self.close()
            return {"passed": False, "message": "the grader's worker stopped unexpectedly"}
        return json.loads(reply)

    def close(self) -> None:
        """Stop the worker (it exits when its input ends)."""
        if self.process is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
            self.process.wait()
            self.process = None

    def _grade_in_new_interpreter(self, job: dict) -> dict:
        """The answer in one fresh interpreter, its judge in another (no time or memory limit but the
        answer's wall clock)."""
        ended = None
        try:
            answer = subprocess.run(
                [*WORKER, "--answer"],
                input=json.dumps(job).encode(),
                capture_output=True,
                env=self.environment,
                timeout=job["seconds"] + 30,
            )
            frames = answer.stdout
            if answer.returncode != 0:
                ended = f"the grading process died (exit code {answer.returncode}) before reporting"
        except subprocess.TimeoutExpired as stopped:
            frames = stopped.stdout or b""
            ended = f"did not finish within {job['seconds']:g} s and was stopped"
        request = json.dumps({"job": job, "ended": ended}).encode() + b"\n" + frames
        done = subprocess.run([*WORKER, "--judge"], input=request, capture_output=True, env=self.environment)
        if done.returncode != 0 or not done.stdout.strip():
            return {"passed": False, "message": f"the grader's judge failed (exit code {done.returncode})"}
        return json.loads(done.stdout.splitlines()[-1])


def grade_book(
    path: Path, seconds: float = EXERCISE_TIME_LIMIT_S, worker: Worker | None = None
) -> list[Grade]:
    """Grade every exercise of the book at ``path`` (its root, or its notebooks folder), in order.

    ``seconds`` limits each exercise's setup, cell and calls of its function together. Pass a
    ``worker`` to reuse one across several books (the caller closes it); by default a new one is
    started and closed.
    """
    return run_jobs(prepare(path, seconds), worker)


def prepare(path: Path, seconds: float = EXERCISE_TIME_LIMIT_S) -> list[Grade | dict]:
    """Read every exercise of the book at ``path`` now: a Grade where there is nothing to run (no
    notebook, no cell, a refused cell), else the job for the worker. Reading everything before running
    anything means no answer can change a notebook that is still to be graded."""
    folder = (path / "notebooks" if (path / "notebooks").is_dir() else path).resolve()
    return [_prepare_exercise(exercise, folder, seconds) for exercise in EXERCISES]


def run_jobs(prepared: list[Grade | dict], worker: Worker | None = None) -> list[Grade]:
    """The Grades of ``prepare``'s list, running its jobs on ``worker`` (by default a new one)."""
    own = worker is None
    worker = Worker() if own else worker
    try:
        return [item if isinstance(item, Grade) else _graded(item, worker.grade(item)) for item in prepared]
    finally:
        if own:
            worker.close()


def _grade(exercise: Exercise, passed: bool, message: str) -> Grade:
    return Grade(
        exercise.chapter, exercise.id, exercise.function, exercise.notebook, passed, message, exercise.points
    )


def _graded(job: dict, result: dict) -> Grade:
    return _grade(BY_ID[job["exercise"]], bool(result["passed"]), str(result["message"]))


def _prepare_exercise(exercise: Exercise, folder: Path, seconds: float) -> Grade | dict:
    path = folder / exercise.notebook
    if not path.is_file():
        return _grade(exercise, False, f"notebook {path.name} not found in {folder}")
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:
        return _grade(exercise, False, f"could not read {path.name}: {type(error).__name__}: {error}")
    index = answer_cell_index(notebook, exercise.id)
    if index is None:
        return _grade(
            exercise,
            False,
            f"no cell for exercise {exercise.id} in {path.name} (a code cell with metadata exercise "
            f'"{exercise.id}")',
        )
    answer = without_magics(notebook.cells[index].source)
    refused = problems(answer, exercise)
    if refused:
        return _grade(exercise, False, "your cell uses what an answer may not: " + "; ".join(refused))
    return {
        "exercise": exercise.id,
        "setup": setup_source(notebook, index),
        "answer": answer,
        "folder": str(folder),
        "seconds": seconds,
    }


def text_table(grades: list[Grade]) -> str:
    """The grades as an aligned plain-text table with a total line."""
    rows = [("Chapter", "Exercise", "Function", "Result", "Points", "Message")]
    rows += [
        (
            str(g.chapter),
            g.exercise,
            g.function,
            "pass" if g.passed else "FAIL",
            f"{g.points}/{g.possible}",
            g.message,
        )
        for g in grades
    ]
    return "\n".join(aligned(rows)) + f"\n\n{_total(grades)}\n"


def aligned(rows: list[tuple[str, ...]]) -> list[str]:
    """``rows``, a header first, as lines whose columns are padded to their widest cell (the last column,
    free text, is not), with a rule under the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = [
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths) + "  -------")
    return lines


def markdown_table(grades: list[Grade]) -> str:
    """The grades as a Markdown table (for a GitHub job summary)."""
    lines = [
        "## Exercises",
        "",
        "| Chapter | Exercise | Function | Result | Points | Message |",
        "|---|---|---|---|---|---|",
    ]
    for g in grades:
        message = g.message.replace("|", "\\|")
        result = "✅ pass" if g.passed else "❌ fail"
        points = f"{g.points}/{g.possible}"
        lines.append(f"| {g.chapter} | {g.exercise} | `{g.function}` | {result} | {points} | {message} |")
    return "\n".join(lines) + f"\n\n{_total(grades)}\n"


def as_json(grades: list[Grade]) -> dict:
    """The grades as plain data: counts, points and one record per exercise (with its points)."""
    return {
        "passed": sum(g.passed for g in grades),
        "total": len(grades),
        "points": earned(grades),
        "possible": possible(grades),
        "results": [{**asdict(g), "points": g.points} for g in grades],
    }


def classroom_result(grades: list[Grade], failed: bool) -> dict:
    """The grades as an autograding runner's result, the JSON that GitHub Classroom's
    ``autograding-grading-reporter`` reads (base64-encoded) from a runner's ``result`` output: one test
    per exercise with its score, and ``max_score``. ``status`` is "fail" only when ``failed`` (the
    reporter then fails the job); otherwise "pass", so that a class sees its table either way."""
    return {
        "version": 1,
        "status": "fail" if failed else "pass",
        "max_score": possible(grades),
        "tests": [
            {
                "name": f"Exercise {g.exercise}: {g.function}",
                "status": "pass" if g.passed else "fail",
                "message": g.message,
                "test_code": f"check_{g.function}({g.function})  # {g.notebook}",
                "filename": f"notebooks/{g.notebook}",
                "line_no": 0,
                "score": g.points,
            }
            for g in grades
        ],
    }


def classroom_output(grades: list[Grade], failed: bool) -> str:
    """The line to append to ``$GITHUB_OUTPUT``: ``result=`` and the base64 of ``classroom_result``."""
    encoded = base64.b64encode(json.dumps(classroom_result(grades, failed)).encode()).decode()
    return f"result={encoded}\n"


def earned(grades: list[Grade]) -> int:
    """Points earned over ``grades``."""
    return sum(g.points for g in grades)


def possible(grades: list[Grade]) -> int:
    """Points possible over ``grades``."""
    return sum(g.possible for g in grades)


def _total(grades: list[Grade]) -> str:
    return (
        f"{sum(g.passed for g in grades)} of {len(grades)} exercises pass: "
        f"{earned(grades)} of {possible(grades)} points"
    )
