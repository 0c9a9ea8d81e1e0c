"""Execution time of every chapter, and how fast each explorable draws a frame.

Each notebook runs in a fresh kernel on a temporary copy (the stored notebooks are not touched).
Before the chapter's own cells, a cell wraps ``book.chapters.explorable.explorable`` so that every frame's
draw call is timed; a cell after them reports the times. A frame is drawn once, at execution; in
the browser the slider only switches frames. Goals: all chapters in at most 6 minutes together,
and every frame drawn in under 100 ms.

    python benchmarks/bench_notebooks.py [notebooks/05_multi_head_attention.ipynb ...]
"""

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

TIME_FRAMES = """
import time as _time
import book.chapters.explorable as _explorable
_frame_seconds = {}
_original_explorable = _explorable.explorable
def _timed_explorable(draw, values, description, *args, **kwargs):
    seconds = _frame_seconds.setdefault(description, [])
    def timed_draw(value):
        start = _time.perf_counter()
        frame = draw(value)
        if isinstance(frame, _explorable.Explorable):  # its own frames were timed already
            return frame
        frame = _explorable.as_widget(frame)  # the PNG rendering counts too
        seconds.append(_time.perf_counter() - start)
        return frame
    return _original_explorable(timed_draw, values, description, *args, **kwargs)
_explorable.explorable = _timed_explorable
"""

REPORT_FRAMES = "import json as _json; print(_json.dumps(_frame_seconds))"


def run(path: Path) -> tuple[float, dict[str, list[float]]]:
    """Execute a copy of ``path``; return its seconds and the draw times per explorable."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(TIME_FRAMES))
    notebook.cells.append(nbformat.v4.new_code_cell(REPORT_FRAMES))
    with tempfile.TemporaryDirectory() as scratch:
        client = NotebookClient(
            notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        )
        start = time.perf_counter()
        client.execute(cwd=scratch)
        seconds = time.perf_counter() - start
    frames = json.loads(notebook.cells[-1].outputs[0]["text"])
    return seconds, frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args()
    paths = args.notebooks or sorted(Path(__file__).resolve().parent.parent.glob("notebooks/*.ipynb"))
    total = 0.0
    slowest_frame = 0.0
    for path in paths:
        seconds, frames = run(path)
        total += seconds
        print(f"{path.name:40} {seconds:6.1f} s")
        for description, times in frames.items():
            if not times:
                continue
            slowest_frame = max(slowest_frame, max(times))
            print(
                f"    explorable {description!r:28} {len(times):3} frames, "
                f"median {1000 * statistics.median(times):5.1f} ms, max {1000 * max(times):5.1f} ms"
            )
    print(f"{'all chapters':40} {total:6.1f} s (goal: at most 360 s)")
    print(f"slowest frame: {1000 * slowest_frame:.1f} ms (goal: under 100 ms)")


if __name__ == "__main__":
    main()
