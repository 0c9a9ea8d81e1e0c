"""Command line: ``python -m book.coursework student OUTDIR``, ``... grade [PATH]`` and ``... roster DIR``."""

import argparse
import json
import sys
from pathlib import Path

import book
from book.coursework.grade import (
    EXERCISE_TIME_LIMIT_S,
    as_json,
    classroom_output,
    earned,
    grade_book,
    markdown_table,
    text_table,
)
from book.coursework.roster import grade_roster, summary_table, write_csv
from book.coursework.student import write_student_edition


def book_root() -> Path:
    """The book to work on by default: the current folder if it has notebooks, else this package's book."""
    here = Path.cwd()
    return here if (here / "notebooks").is_dir() else Path(book.__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 unless it failed, or fell under --fail-under)."""
    parser = argparse.ArgumentParser(prog="python -m book.coursework", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    student = commands.add_parser("student", help="write the students' edition (solutions replaced by stubs)")
    student.add_argument("outdir", type=Path, help="a new or empty folder")
    student.add_argument("--source", type=Path, default=None, help="the book's root (default: this book)")
    grade = commands.add_parser("grade", help="check every exercise and show points earned")
    grade.add_argument(
        "path", type=Path, nargs="?", default=None, help="the book's root (default: this book)"
    )
    grade.add_argument("--json", action="store_true", help="print machine-readable results")
    grade.add_argument("--summary", type=Path, default=None, help="also append a Markdown table to this file")
    grade.add_argument(
        "--classroom",
        type=Path,
        default=None,
        help="also append the autograding result (result=<base64 JSON>) to this file, e.g. $GITHUB_OUTPUT",
    )
    grade.add_argument(
        "--fail-under",
        type=float,
        default=None,
        metavar="POINTS",
        help="exit with status 1 when fewer points are earned (by default the exit status is 0)",
    )
    grade.add_argument("--timeout", type=float, default=EXERCISE_TIME_LIMIT_S, help="seconds per exercise")
    roster = commands.add_parser("roster", help="grade every student's edition under a folder into a CSV")
    roster.add_argument("folder", type=Path, help="a folder holding one folder per student")
    roster.add_argument("--out", type=Path, default=Path("grades.csv"), help="the CSV to write")
    roster.add_argument("--timeout", type=float, default=EXERCISE_TIME_LIMIT_S, help="seconds per exercise")
    args = parser.parse_args(argv)

    if args.command == "student":
        try:
            written = write_student_edition(args.source or book_root(), args.outdir)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"wrote the students' edition to {args.outdir} ({len(written)} notebooks)")
        return 0

    if args.command == "roster":
        if not args.folder.is_dir():
            print(f"error: {args.folder} is not a folder", file=sys.stderr)
            return 2
        grades = grade_roster(args.folder, args.timeout)
        write_csv(grades, args.out)
        print(summary_table(grades) + f"wrote {args.out}")
        return 0

    grades = grade_book(args.path or book_root(), args.timeout)
    failed = args.fail_under is not None and earned(grades) < args.fail_under
    print(json.dumps(as_json(grades), indent=2) if args.json else text_table(grades), end="")
    if args.summary is not None:
        with args.summary.open("a") as summary:
            summary.write(markdown_table(grades))
    if args.classroom is not None:
        with args.classroom.open("a") as output:
            output.write(classroom_output(grades, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
