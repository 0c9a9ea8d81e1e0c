"""Sentence pairs, the splits of a corpus, and tab-separated files of pairs (chapter 9).

Everything the translation pipeline reads is a list of ``Pair``: the generated corpus
(``book.corpus``) writes them, and so does ``load_tsv`` from a file of your own such as a
Tatoeba/Anki export. Nothing here knows the grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pair:
    """One sentence and its translation; `kind` names the pattern ("coref", "simple", ...)."""

    source: str
    target: str
    kind: str

    def reversed(self) -> Pair:
        """The same pair translated the other way (French -> English)."""
        return Pair(self.target, self.source, self.kind)


@dataclass
class Corpus:
    """Train, dev and test splits; English -> French unless `reversed()`."""

    train: list[Pair]
    dev: list[Pair]
    test: list[Pair]

    def reversed(self) -> Corpus:
        """French -> English."""
        return Corpus(*([p.reversed() for p in split] for split in (self.train, self.dev, self.test)))


class BadLineError(ValueError):
    """A line of a tab-separated file that holds no pair; the message names the file and the line."""


@dataclass
class TsvPairs:
    """The pairs read from a file, and the lines skipped as malformed: (line number, reason) each."""

    pairs: list[Pair]
    skipped: list[tuple[int, str]]

    def report(self, path: str | Path, shown: int = 5) -> str:
        """One line saying how many lines were skipped and the first ``shown`` of them ("" if none)."""
        if not self.skipped:
            return ""
        first = "; ".join(f"line {number}: {reason}" for number, reason in self.skipped[:shown])
        more = ", ..." if len(self.skipped) > shown else ""
        total = len(self.skipped) + len(self.pairs)
        return f"{path}: skipped {len(self.skipped)} malformed line(s) of {total} ({first}{more})"


def read_tsv(
    path: str | Path,
    source_column: int = 0,
    target_column: int = 1,
    kind_column: int | None = None,
    skip_bad_lines: bool = False,
) -> TsvPairs:
    """Read pairs from a UTF-8, tab-separated file such as a Tatoeba/Anki export.

    One pair per line; extra columns (attribution, ...) are ignored, blank lines and Anki
    header lines ("#separator:tab") are skipped. `kind` comes from `kind_column`, else "tsv".
    A line with too few columns or an empty sentence raises BadLineError naming file and line, or with
    `skip_bad_lines` is left out and counted in `skipped`.
    """
    needed = max(source_column, target_column, -1 if kind_column is None else kind_column) + 1
    pairs, skipped = [], []
    try:
        with open(path, encoding="utf-8-sig") as file:
            lines = file.read().splitlines()
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not valid UTF-8 ({error})") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip() or re.fullmatch(r"#\w+:[^\t]*", line):
            continue
        columns = line.split("\t")
        if len(columns) < needed:
            problem = f"expected at least {needed} tab-separated columns, found {len(columns)}"
        elif not columns[source_column].strip() or not columns[target_column].strip():
            problem = f"empty {'source' if not columns[source_column].strip() else 'target'} sentence"
        else:
            kind = "tsv" if kind_column is None else columns[kind_column].strip()
            pairs.append(Pair(columns[source_column].strip(), columns[target_column].strip(), kind))
            continue
        if not skip_bad_lines:
            raise BadLineError(f"{path}, line {number}: {problem}")
        skipped.append((number, problem))
    return TsvPairs(pairs, skipped)


def load_tsv(
    path: str | Path, source_column: int = 0, target_column: int = 1, kind_column: int | None = None
) -> list[Pair]:
    """The pairs of a tab-separated file (see ``read_tsv``); a malformed line raises BadLineError."""
    return read_tsv(path, source_column, target_column, kind_column).pairs


def write_tsv(pairs: list[Pair], path: str | Path) -> None:
    """Write pairs as UTF-8 lines "source<TAB>target<TAB>kind" (read back with kind_column=2)."""
    lines = []
    for pair in pairs:
        fields = (pair.source, pair.target, pair.kind)
        if any("\t" in f or "\n" in f for f in fields):
            raise ValueError(f"cannot write {pair!r}: a field contains a tab or a newline")
        lines.append("\t".join(fields) + "\n")
    Path(path).write_text("".join(lines), encoding="utf-8")
