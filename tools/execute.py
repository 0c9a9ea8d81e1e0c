"""Execute chapters in place, storing outputs and widget state (what the static site renders).

    python tools/execute.py notebooks/03_queries_keys_values.ipynb [...]
    python tools/execute.py --text-only notebooks/*.ipynb   # only rewrite the paired text files

Each chapter is stored twice: the notebook with its outputs, and its text and code alone as a MyST Markdown
notebook in ``notebooks/text/`` (jupytext's ``md:myst``, paired by ``jupytext.toml``), which is what a
reviewer reads in a diff. The tests check that the two agree.

Each markdown cell's inline expressions (``{eval}`quote.bleu```) are evaluated in the kernel when the run
reaches the cell, as jupyterlab-myst does in JupyterLab, and their results stored with the cell
(``user_expressions``): JupyterLab shows them before the chapter runs, and the site renders them
(``tools/sphinx_eval.py``).

Prints each notebook's execution time. Every notebook runs in a fresh kernel from the
notebooks folder, exactly as nbval and a reader's "Restart & Run All" do. The stored file changes only
where its content does: no execution timestamps, the kernelspec as ipykernel writes it (so that
JupyterLab does not mark a freshly opened chapter as modified), each cell's printed text in one output
per stream, however the kernel happened to flush it, and widget ids numbered in order instead of random.
"""

import argparse
import hashlib
import json
import re
import time
from collections.abc import Mapping
from pathlib import Path

import jupytext
import nbformat
from jupyter_core.utils import ensure_async
from jupytext.config import load_jupytext_configuration_file
from jupytext.formats import long_form_one_format
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
"""The kernelspec metadata ipykernel's ``python3`` kernel writes into a notebook it saves."""


TEXT_FORMAT = "md:myst"
"""jupytext's format of the paired text files: MyST Markdown, which Jupyter Book reads too."""


def text_path(path: Path) -> Path:
    """Where the text of notebook ``path`` is stored: ``notebooks/text/<name>.md``."""
    return path.parent / "text" / path.with_suffix(".md").name


TEXT_CONFIG = load_jupytext_configuration_file(str(Path(__file__).resolve().parent.parent / "jupytext.toml"))
"""The project's jupytext settings, which JupyterLab's jupytext applies too (the text leaves out outputs)."""


def paired_text(notebook: nbformat.NotebookNode) -> str:
    """The chapter's text and code (no outputs, no stored results) as a MyST Markdown notebook."""
    fmt = long_form_one_format(TEXT_FORMAT)
    TEXT_CONFIG.set_default_format_options(fmt)
    return jupytext.writes(notebook, fmt=fmt, config=TEXT_CONFIG)


def write_text(path: Path, notebook: nbformat.NotebookNode) -> None:
    """Write the paired text file of ``notebook``, stored at ``path``."""
    target = text_path(path)
    target.parent.mkdir(exist_ok=True)
    target.write_text(paired_text(notebook), encoding="utf-8")


def coalesce_streams(cell: nbformat.NotebookNode) -> None:
    """Join consecutive outputs of one stream (stdout, stderr): a run splits them wherever it flushed."""
    if "outputs" not in cell:  # a markdown cell
        return
    merged: list[nbformat.NotebookNode] = []
    for output in cell.outputs:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and output.output_type == previous.output_type == "stream"
            and output.name == previous.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    cell.outputs = merged


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MODEL_REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def widget_views(notebook: Mapping) -> list[str]:
    """The model ids of the widgets a notebook's outputs show, in order (a notebook node or its JSON)."""
    return [
        output["data"][WIDGET_VIEW]["model_id"]
        for cell in notebook.get("cells", [])
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    ]


def widget_order(notebook: nbformat.NotebookNode) -> list[str]:
    """The notebook's widget model ids in an order that does not depend on their values: the models the
    outputs show, in order, then every model they refer to, breadth first; then the models nothing shows
    (links between widgets), by their content."""
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    queue = widget_views(notebook)
    order: list[str] = []
    while queue:
        model_id = queue.pop(0)
        if model_id in state and model_id not in order:
            order.append(model_id)
            queue += MODEL_REFERENCE.findall(json.dumps(state[model_id], sort_keys=True))

    def content(model_id: str) -> str:  # its state, with the models it refers to by their place in order
        place = {known: str(number) for number, known in enumerate(order)}
        text = json.dumps(state[model_id], sort_keys=True)
        return MODEL_REFERENCE.sub(lambda match: "IPY_MODEL_" + place.get(match[1], "?"), text)

    return order + sorted((model_id for model_id in state if model_id not in order), key=content)


def stable_widget_ids(notebook: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The notebook with its widget model ids (random UUIDs) renamed by ``widget_order``, so that running a
    chapter again stores the same widget state when its widgets are the same."""
    text = nbformat.writes(notebook)
    order = widget_order(notebook)
    for number, model_id in enumerate(order):  # through placeholders: a new id may be an old one
        text = text.replace(model_id, f"<widget {number}>")
    for number in range(len(order)):
        text = text.replace(f"<widget {number}>", hashlib.md5(f"{name}/{number}".encode()).hexdigest())
    return nbformat.reads(text, as_version=4)


INLINE_EXPRESSION = re.compile(r"\{eval\}`([^`]+)`")
"""MyST's inline expression role, as jupyterlab-myst and the site read it."""


def inline_expressions(source: str) -> list[str]:
    """The expressions of a markdown cell's ``{eval}`...``` roles, in order, each once."""
    return list(dict.fromkeys(INLINE_EXPRESSION.findall(source)))


class ChapterClient(NotebookClient):
    """Runs code cells as nbclient does, and evaluates each markdown cell's inline expressions when the run
    reaches it, storing the results where jupyterlab-myst does: ``cell.metadata.user_expressions``."""

    async def async_execute_cell(
        self, cell: nbformat.NotebookNode, cell_index: int, execution_count=None, store_history=True
    ) -> nbformat.NotebookNode:
        if cell.cell_type != "markdown":
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        expressions = inline_expressions(cell.source)
        cell.metadata.pop("user_expressions", None)
        if not expressions:
            return cell
        request = {str(number): expression for number, expression in enumerate(expressions)}
        msg_id = await ensure_async(
            self.kc.execute("", silent=True, store_history=False, user_expressions=request)
        )
        reply = await self.async_wait_for_reply(msg_id, cell)
        results = reply["content"]["user_expressions"]
        failed = [(request[key], result) for key, result in results.items() if result["status"] != "ok"]
        if failed:
            expression, result = failed[0]
            raise CellExecutionError(
                f"markdown cell {cell_index}: {{eval}}`{expression}` failed with "
                f"{result['ename']}: {result['evalue']}",
                result["ename"],
                result["evalue"],
            )
        cell.metadata.user_expressions = [
            {"expression": request[key], "result": results[key]} for key in sorted(results, key=int)
        ]
        return cell


def execute_notebook(path: Path, timeout: int = 600) -> float:
    """Run every cell of ``path`` in a fresh kernel, write the outputs back; return the seconds taken."""
    notebook = nbformat.read(path, as_version=4)
    client = ChapterClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        store_widget_state=True,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    notebook.metadata.kernelspec = KERNELSPEC
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps of this run
        coalesce_streams(cell)
    nbformat.write(stable_widget_ids(notebook, path.stem), path)
    write_text(path, notebook)  # the text pair has no outputs, so the widget ids do not matter to it
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description="Execute notebooks in place, storing widget state.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    parser.add_argument("--text-only", action="store_true", help="only rewrite the paired text files")
    args = parser.parse_args()
    for path in args.notebooks:
        if args.text_only:
            write_text(path, nbformat.read(path, as_version=4))
            print(f"{path} -> {text_path(path)}")
        else:
            print(f"{path}: {execute_notebook(path, args.timeout):.1f} s", flush=True)


if __name__ == "__main__":
    main()
