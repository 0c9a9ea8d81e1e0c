"""Time ``python -m book.coursework roster`` on copies of the students' edition (stubs: every cell runs).

    python benchmarks/bench_roster.py [--copies 30]

Writes the students' edition of this book once, copies it ``--copies`` times into a temporary folder, and
times the roster command over them (one worker for the class, two children per exercise).
"""

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from book.coursework.__main__ import main
from book.coursework.student import write_student_edition

ROOT = Path(__file__).resolve().parent.parent


def run(copies: int) -> float:
    """Seconds the roster command takes over ``copies`` students' editions."""
    with tempfile.TemporaryDirectory() as folder:
        edition = Path(folder) / "edition"
        write_student_edition(ROOT, edition)
        classroom = Path(folder) / "class"
        for number in range(copies):
            shutil.copytree(edition / "notebooks", classroom / f"student{number:02d}" / "notebooks")
        start = time.perf_counter()
        status = main(["roster", str(classroom), "--out", str(Path(folder) / "grades.csv")])
        seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"the roster command failed with status {status}")
    return seconds


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=30)
    copies = parser.parse_args().copies
    seconds = run(copies)
    print(f"roster of {copies} editions: {seconds:.1f} s ({seconds / copies:.2f} s per student)")
