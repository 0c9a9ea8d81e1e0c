"""``python -m book.translation`` was the training command; it is now ``python -m book.train``."""

import sys

print(
    "python -m book.translation: the training command is now `python -m book.train`, with the same options",
    file=sys.stderr,
)
raise SystemExit(2)
