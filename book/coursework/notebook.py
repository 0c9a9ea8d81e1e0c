"""Find the exercise cells of a chapter notebook: the solution or answer, its check, its solution text.

An exercise's code cell carries ``metadata["exercise"] = "X.Y"``; it is tagged "solution" in the
published book and "exercise" in the students' edition. Its check cell has the same id and the
tag "check". Solution markdown cells open with a ``{solution-start}``, ``{solution-end}`` or
``{solution}`` directive.
"""

import ast
import re

from nbformat import NotebookNode

SOLUTION_DIRECTIVE = re.compile(r"^\s*(`{3,}|:{3,})\{solution(-start|-end)?\}")


def tags(cell: NotebookNode) -> list[str]:
    """The cell's tags (an empty list when it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


def exercise_id(cell: NotebookNode) -> str | None:
    """The exercise id in the cell's metadata ("4.1"), or None."""
    value = cell.get("metadata", {}).get("exercise")
    return None if value is None else str(value)


def is_check_cell(cell: NotebookNode) -> bool:
    """A code cell that runs an exercise's check."""
    return cell.cell_type == "code" and "check" in tags(cell)


def is_answer_cell(cell: NotebookNode) -> bool:
    """The code cell holding an exercise's function: the solution, the stub, or the student's answer."""
    return (
        cell.cell_type == "code"
        and not is_check_cell(cell)
        and (exercise_id(cell) is not None or "solution" in tags(cell))
    )


def is_solution_markdown(cell: NotebookNode) -> bool:
    """A markdown cell that opens a {solution-start}, {solution-end} or {solution} directive."""
    return cell.cell_type == "markdown" and bool(SOLUTION_DIRECTIVE.match(cell.source))


def answer_cell_index(notebook: NotebookNode, exercise: str) -> int | None:
    """Index of the answer cell of ``exercise`` in ``notebook`` (the first one), or None."""
    for index, cell in enumerate(notebook.cells):
        if is_answer_cell(cell) and exercise_id(cell) == exercise:
            return index
    return None


def setup_source(notebook: NotebookNode, before: int) -> str:
    """The code an exercise cell needs before it: the chapter's first code cell (the one that installs the
    book where it is missing), then every top-level import of the other code cells above cell ``before``.

    IPython magics (lines starting with % or !) are dropped; a cell that does not parse
    contributes no imports.
    """
    code_cells = [cell for cell in notebook.cells[:before] if cell.cell_type == "code"]
    if not code_cells:
        return ""
    parts = [without_magics(code_cells[0].source)]
    for cell in code_cells[1:]:
        if is_answer_cell(cell) or is_check_cell(cell):
            continue
        try:
            tree = ast.parse(without_magics(cell.source))
        except SyntaxError:
            continue
        imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
        parts.extend(ast.unparse(node) for node in imports)
    return "\n".join(parts) + "\n"


def without_magics(source: str) -> str:
    """The cell's source with IPython magic and shell lines (``%...``, ``!...``) removed."""
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
