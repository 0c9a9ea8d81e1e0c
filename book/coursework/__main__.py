"""Command line: ``python -m book.coursework student OUTDIR`` and ``... grade [PATH]``."""

import argparse
import json
import sys
from pathlib import Path

import book
from book.coursework.grade import EXERCISE_TIME_LIMIT_S, as_json, grade_book, markdown_table, text_table
from book.coursework.student import write_student_edition


def book_root() -> Path:
    """The book to work on by default: the current folder if it has notebooks, else this package's book."""
    here = Path.cwd()
    return here if (here / "notebooks").is_dir() else Path(book.__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 only when everything asked for succeeded)."""
    parser = argparse.ArgumentParser(prog="python -m book.coursework", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    student = commands.add_parser("student", help="write the students' edition (solutions replaced by stubs)")
    student.add_argument("outdir", type=Path, help="a new or empty folder")
    student.add_argument("--source", type=Path, default=None, help="the book's root (default: this book)")
    grade = commands.add_parser("grade", help="check every exercise; exit status 0 only when all pass")
    grade.add_argument(
        "path", type=Path, nargs="?", default=None, help="the book's root (default: this book)"
    )
    grade.add_argument("--json", action="store_true", help="print machine-readable results")
    grade.add_argument("--summary", type=Path, default=None, help="also append a Markdown table to this file")
    grade.add_argument("--timeout", type=float, default=EXERCISE_TIME_LIMIT_S, help="seconds per exercise")
    args = parser.parse_args(argv)

    if args.command == "student":
        try:
            written = write_student_edition(args.source or book_root(), args.outdir)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"wrote the students' edition to {args.outdir} ({len(written)} notebooks)")
        return 0

    grades = grade_book(args.path or book_root(), args.timeout)
    print(json.dumps(as_json(grades), indent=2) if args.json else text_table(grades), end="")
    if args.summary is not None:
        with args.summary.open("a") as summary:
            summary.write(markdown_table(grades))
    return 0 if all(g.passed for g in grades) else 1


if __name__ == "__main__":
    sys.exit(main())
