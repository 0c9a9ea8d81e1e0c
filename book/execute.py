"""Execute chapters in place, storing outputs and widget state (what the static site renders).

    python -m book.execute notebooks/03_queries_keys_values.ipynb [...]

Prints each notebook's execution time. Every notebook runs in a fresh kernel from the
notebooks folder, exactly as nbval and a reader's "Restart & Run All" do. The stored file changes only
where its content does: no execution timestamps, the kernelspec as ipykernel writes it (so that
JupyterLab does not mark a freshly opened chapter as modified), and each cell's printed text in one output
per stream, however the kernel happened to flush it.
"""

import argparse
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
"""The kernelspec metadata ipykernel's ``python3`` kernel writes into a notebook it saves."""


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


def execute_notebook(path: Path, timeout: int = 600) -> float:
    """Run every cell of ``path`` in a fresh kernel, write the outputs back; return the seconds taken."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
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
    nbformat.write(notebook, path)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description="Execute notebooks in place, storing widget state.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    args = parser.parse_args()
    for path in args.notebooks:
        print(f"{path}: {execute_notebook(path, args.timeout):.1f} s", flush=True)


if __name__ == "__main__":
    main()
