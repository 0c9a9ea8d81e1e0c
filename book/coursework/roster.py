"""An instructor's roster: grade every student's edition under a folder into one CSV and a summary.

    python -m book.coursework roster DIR [--out grades.csv]

Each folder directly under DIR that holds a ``notebooks`` folder is one student (the folder's name).
Every student's notebooks are read before any answer runs, and all run on one worker, each exercise in
its own children (``book.coursework.worker``): a broken or hostile submission fails only its own rows.
"""

import csv
from pathlib import Path

from book.coursework.grade import (
    EXERCISE_TIME_LIMIT_S,
    Grade,
    Worker,
    aligned,
    earned,
    possible,
    prepare,
    run_jobs,
)


def submissions(folder: Path) -> list[Path]:
    """The students' editions under ``folder``: its subfolders that have a notebooks folder, by name."""
    return sorted(path for path in folder.iterdir() if (path / "notebooks").is_dir())


def grade_roster(folder: Path, seconds: float = EXERCISE_TIME_LIMIT_S) -> dict[str, list[Grade]]:
    """Every student's grades, by student (the folder's name), on one shared worker."""
    students = submissions(folder)
    prepared = {path.name: prepare(path, seconds) for path in students}
    worker = Worker()
    try:
        return {name: run_jobs(items, worker) for name, items in prepared.items()}
    finally:
        worker.close()


def write_csv(grades: dict[str, list[Grade]], path: Path) -> None:
    """One row per student and exercise: student, exercise, points, possible, passed, message."""
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["student", "exercise", "points", "possible", "passed", "message"])
        for student, rows in grades.items():
            for g in rows:
                writer.writerow([student, g.exercise, g.points, g.possible, g.passed, g.message])


def summary_table(grades: dict[str, list[Grade]]) -> str:
    """One line per student: points earned of possible, and exercises passed."""
    rows = [("Student", "Points", "Passed")]
    rows += [
        (student, f"{earned(rows)}/{possible(rows)}", f"{sum(g.passed for g in rows)}/{len(rows)}")
        for student, rows in grades.items()
    ]
    return "\n".join(aligned(rows)) + f"\n\n{len(grades)} students\n"
