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


def load_tsv(
    path: str | Path, source_column: int = 0, target_column: int = 1, kind_column: int | None = None
) -> list[Pair]:
    """Read pairs from a UTF-8, tab-separated file such as a Tatoeba/Anki export.

    One pair per line; extra columns (attribution, ...) are ignored, blank lines and Anki
    header lines ("#separator:tab") are skipped. `kind` comes from `kind_column`, else "tsv".
    A line with too few columns or an empty sentence raises ValueError naming file and line.
    """
    needed = max(source_column, target_column, -1 if kind_column is None else kind_column) + 1
    pairs = []
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
            raise ValueError(
                f"{path}, line {number}: expected at least {needed} tab-separated columns, "
                f"found {len(columns)}"
            )
        source, target = columns[source_column].strip(), columns[target_column].strip()
        if not source or not target:
            side = "source" if not source else "target"
            raise ValueError(f"{path}, line {number}: empty {side} sentence")
        kind = "tsv" if kind_column is None else columns[kind_column].strip()
        pairs.append(Pair(source, target, kind))
    return pairs


def write_tsv(pairs: list[Pair], path: str | Path) -> None:
    """Write pairs as UTF-8 lines "source<TAB>target<TAB>kind" (read back with kind_column=2)."""
    lines = []
    for pair in pairs:
        fields = (pair.source, pair.target, pair.kind)
        if any("\t" in f or "\n" in f for f in fields):
            raise ValueError(f"cannot write {pair!r}: a field contains a tab or a newline")
        lines.append("\t".join(fields) + "\n")
    Path(path).write_text("".join(lines), encoding="utf-8")
