"""The chapters as stored: fully executed, in order, with the parts every chapter promises.

Strict nbval compares stored outputs with fresh ones, but passes a notebook whose outputs were
cleared without comparing anything; these checks close that gap.
"""

import functools
import hashlib
import inspect
import json
import re
from itertools import pairwise
from pathlib import Path

import nbformat
import pytest
import yaml
from pybtex.database import parse_file

from book.chapters import diagrams
from book.chapters.prose import QUOTE_MIME
from tools.execute import (
    KERNELSPEC,
    WIDGET_STATE,
    WIDGET_VIEW,
    coalesce_streams,
    inline_expressions,
    paired_text,
    stable_widget_ids,
    text_path,
)
from tools.sphinx_assets import missing_models_message, missing_widget_models

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHAPTER_COUNT = 9
ALLOWED_TAGS = {
    "solution",
    "check",
    "nbval-ignore-output",
    "hide-input",
    "remove-input",
    "hide-output",
    "remove-cell",
    "remove-output",
}


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def code_cells(path: Path) -> list[dict]:
    return [cell for cell in cells(path) if cell["cell_type"] == "code" and "".join(cell["source"]).strip()]


def widget_state(notebook: dict) -> dict:
    """The stored ipywidgets models of a notebook, by model id."""
    return notebook["metadata"]["widgets"][WIDGET_STATE]["state"]


# A citation in a chapter's text: a link to its references.bib key, written as the site's bibliography
# renders it ("[Vaswani *et al.*, 2017]"). On the site sphinxcontrib-bibtex resolves the link like its
# {cite} role; jupyterlab-myst shows the link's text, where it would show a {cite} role's bare key
# (jupyterlab-myst #127).
CITATION = re.compile(r"\[\[([^\]]+)\]\]\(#([\w-]+)\)")


@functools.cache
def bibliography() -> dict:
    """The entries of references.bib, by key (pybtex, as sphinxcontrib-bibtex reads them)."""
    return parse_file(ROOT / "references.bib").entries


def citation_label(key: str) -> str:
    """How sphinxcontrib-bibtex's author_year style labels ``key``: one or two surnames, else "et al."."""
    entry = bibliography()[key]
    names = [" ".join(person.last_names) for person in entry.persons["author"]]
    authors = " and ".join(names) if len(names) <= 2 else f"{names[0]} *et al.*"
    return f"{authors}, {entry.fields['year']}"


def markdown(path: Path) -> str:
    return "\n".join("".join(cell["source"]) for cell in cells(path) if cell["cell_type"] == "markdown")


def test_nine_chapters_all_in_the_table_of_contents() -> None:
    assert len(NOTEBOOKS) == CHAPTER_COUNT, [path.name for path in NOTEBOOKS]
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    listed = re.findall(r"notebooks/([\w-]+)", toc)
    assert listed == [path.stem for path in NOTEBOOKS]
    assert yaml.safe_load(toc)["root"] == "intro"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_every_code_cell_executed_in_order_without_errors(path: Path) -> None:
    counts = [cell["execution_count"] for cell in code_cells(path)]
    assert None not in counts, f"{path.name}: {counts.count(None)} code cell(s) never executed"
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: not one Restart & Run All: {counts}"
    errors = [o for cell in code_cells(path) for o in cell["outputs"] if o["output_type"] == "error"]
    assert not errors, f"{path.name}: stored error output {errors[0].get('ename')}"
    with_output = sum(1 for cell in code_cells(path) if cell["outputs"])
    assert with_output * 2 >= len(counts), f"{path.name}: most code cells have no stored output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_stored_notebook_changes_only_with_its_content(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"] == KERNELSPEC, "kernelspec as ipykernel writes it"
    timed = [i for i, cell in enumerate(notebook["cells"]) if "execution" in cell["metadata"]]
    assert not timed, f"{path.name}: execution timestamps stored in cells {timed[:5]}"
    split = [
        i
        for i, cell in enumerate(notebook["cells"])
        for first, second in pairwise(cell.get("outputs", []))
        if first["output_type"] == second["output_type"] == "stream" and first["name"] == second["name"]
    ]
    assert not split, f"{path.name}: cells {split[:5]} store one stream in pieces (where the kernel flushed)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_nbval_ignores_only_explained_cells(path: Path) -> None:
    code = code_cells(path)
    for cell in code:
        tags = set(cell["metadata"].get("tags", []))
        assert tags <= ALLOWED_TAGS, f"{path.name}: unexpected tags {tags - ALLOWED_TAGS}"
        assert "nbval-skip" not in tags
        if "nbval-ignore-output" in tags:
            assert "#" in "".join(cell["source"]), f"{path.name}: an ignored cell must say why in a comment"
    ignored = sum("nbval-ignore-output" in cell["metadata"].get("tags", []) for cell in code)
    assert ignored * 4 <= len(code), f"{path.name}: {ignored} of {len(code)} cells ignored by nbval"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_chapter_has_every_promised_part(path: Path) -> None:
    text = markdown(path)
    code = "\n".join("".join(cell["source"]) for cell in code_cells(path))
    assert re.search(r"^## Learning objectives$", text, re.M), "learning objectives"
    assert re.search(r"^## .*summary", text, re.I | re.M), "summary"
    assert 2 <= text.count("{exercise}") <= 4, "2-4 exercises"
    assert text.count("{exercise}") == text.count("{solution}") + text.count("{solution-start}")
    assert CITATION.search(text), "citations"
    assert "{term}" in text, "glossary links"
    assert "show_source(" in code, "the book's source shown from the package"
    assert "explorable(" in code or "Explorable(" in code, "an explorable"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_widget_state_is_stored_for_the_static_site(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert widget_state(notebook), f"{path.name}: no widget state stored"
    assert WIDGET_VIEW in path.read_text(encoding="utf-8"), f"{path.name}: no widget output"
    missing = missing_widget_models(notebook)  # what the site build refuses (tools/sphinx_assets.py)
    assert not missing, missing_models_message(f"notebooks/{path.name}", missing)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_text_pair_is_in_sync(path: Path) -> None:
    text = text_path(path)
    assert text.is_file(), (
        f"{text.relative_to(ROOT)} missing: run python tools/execute.py --text-only {path.name}"
    )
    stored = paired_text(nbformat.read(path, as_version=4))
    assert text.read_text(encoding="utf-8") == stored, (
        f"{text.relative_to(ROOT)} differs from {path.name}: run python tools/execute.py --text-only on it"
    )


def test_every_text_pair_has_its_notebook() -> None:
    texts = sorted((ROOT / "notebooks" / "text").glob("*.md"))
    assert [text.stem for text in texts] == [path.stem for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_reader_cells_hold_no_publishing(path: Path) -> None:
    for cell in code_cells(path)[1:]:  # the first installs the book where it is missing: test_install.py
        source = "".join(cell["source"])
        hidden = "remove-cell" in cell["metadata"].get("tags", [])
        publishes = "quote(" in source or "Quotes()" in source
        problem = "is hidden but quotes nothing" if hidden else "that readers see quotes values for the text"
        assert hidden == publishes, f"{path.name}: a cell {problem}: {source[:80]!r}"
        if hidden:
            assert cell["metadata"]["jupyter"]["source_hidden"], "collapsed in JupyterLab too"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_widget_ids_are_numbered_not_random(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    renamed = nbformat.writes(stable_widget_ids(notebook, path.stem))  # text: the state holds NaN != NaN
    assert renamed == nbformat.writes(notebook), "store chapters with python tools/execute.py"


def test_stable_widget_ids_do_not_depend_on_the_random_ones() -> None:
    def notebook_with(slider: str, layout: str) -> nbformat.NotebookNode:
        view = {"model_id": slider, "version_major": 2, "version_minor": 0}
        cell = nbformat.v4.new_code_cell(
            outputs=[
                nbformat.v4.new_output(
                    "display_data", data={"application/vnd.jupyter.widget-view+json": view}
                )
            ]
        )
        state = {
            slider: {"model_name": "IntSliderModel", "state": {"layout": f"IPY_MODEL_{layout}"}},
            layout: {"model_name": "LayoutModel", "state": {}},
        }
        cell.id = "widget"  # new_code_cell draws a random one
        notebook = nbformat.v4.new_notebook(cells=[cell])
        notebook.metadata["widgets"] = {
            WIDGET_STATE: {"state": state, "version_major": 2, "version_minor": 0}
        }
        return notebook

    first = stable_widget_ids(notebook_with("a" * 32, "b" * 32), "chapter")
    again = stable_widget_ids(notebook_with("c" * 32, "d" * 32), "chapter")
    assert nbformat.writes(first) == nbformat.writes(again)
    numbered = [hashlib.md5(f"chapter/{number}".encode()).hexdigest() for number in (1, 0)]
    swapped = stable_widget_ids(notebook_with(*numbered), "chapter")  # new ids that were old ones, swapped
    assert nbformat.writes(swapped) == nbformat.writes(first)
    state = first.metadata["widgets"][WIDGET_STATE]["state"]
    slider = first.cells[0].outputs[0].data["application/vnd.jupyter.widget-view+json"]["model_id"]
    assert state[slider]["state"]["layout"][len("IPY_MODEL_") :] in state  # references follow the rename


def test_coalesce_streams_joins_only_consecutive_outputs_of_one_stream() -> None:
    out = nbformat.v4.new_output
    cell = nbformat.v4.new_code_cell(
        outputs=[
            out("stream", name="stdout", text="a\n"),
            out("stream", name="stdout", text="b\n"),
            out("stream", name="stderr", text="warning\n"),
            out("display_data", data={"text/plain": "figure"}),
            out("stream", name="stdout", text="c\n"),
        ]
    )
    coalesce_streams(cell)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in cell.outputs] == [
        ("stream", "stdout", "a\nb\n"),
        ("stream", "stderr", "warning\n"),
        ("display_data", None, None),
        ("stream", "stdout", "c\n"),
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_text_does_not_hedge_its_plurals(path: Path) -> None:
    # "2 different top word(s)": a count glued into a sentence comes with its own noun (book.chapters.prose).
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            assert not re.search(r"\w\(s\)", cell.source), f"{path.name}: {cell.source[:80]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_citations_are_links_labelled_as_the_bibliography_labels_them(path: Path) -> None:
    text = markdown(path)
    assert "{cite" not in text, f"{path.name}: a {{cite}} role, which JupyterLab shows as its bare key"
    citations = CITATION.findall(text)
    assert citations, f"{path.name} cites nothing"
    for label, key in citations:
        expected = citation_label(key)
        assert label == expected, f"{path.name}: [[{label}]](#{key}) should read [[{expected}]](#{key})"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_chapter_opens_with_figure_1_and_every_diagram_has_alt_text(path: Path) -> None:
    names = [
        name
        for name, value in vars(diagrams).items()
        if inspect.isfunction(value) and value.__module__ == diagrams.__name__ and not name.startswith("_")
    ]
    call = re.compile(rf"\b({'|'.join(names)})\(")
    drawing = [cell for cell in code_cells(path) if call.search("".join(cell["source"]))]
    assert drawing, f"{path.name}: no diagram"
    assert "\narchitecture(highlight=" in "".join(drawing[0]["source"]), "figure 1 comes first"
    assert cells(path).index(drawing[0]) == 2, "figure 1 follows the title and objectives, then installing"
    for cell in drawing:
        assert "remove-input" in cell["metadata"].get("tags", []), "the site shows the picture, not the call"
        assert cell["metadata"]["jupyter"]["source_hidden"], "collapsed in JupyterLab too"
        alt = cell["metadata"]["mystnb"]["image"]["alt"]
        assert len(alt.split()) >= 15, f"{path.name}: alt text too short to say what it shows: {alt!r}"
        assert any(o["output_type"] == "display_data" and "image/png" in o["data"] for o in cell["outputs"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_no_slider_starts_at_its_last_frame(path: Path) -> None:
    # A slider parked at its end looks finished: nothing tells the reader there is anything to move it to.
    for model in widget_state(json.loads(path.read_text(encoding="utf-8"))).values():
        if model["model_name"] == "SelectionSliderModel":
            labels, index = model["state"]["_options_labels"], model["state"]["index"]
            assert len(labels) < 3 or index < len(labels) - 1, (
                f"{path.name}: the {model['state']['description']!r} slider starts at its last frame, "
                f"{labels[index]!r}"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_quoted_numbers_are_stored_as_their_cells_recorded_them(path: Path) -> None:
    # nbval compares the records `quote` leaves in its cell on every run, in both floating-point settings;
    # the text shows the results tools/execute.py stored with each markdown cell. They must be the same.
    recorded: dict[str, str] = {}
    shown = 0
    for number, cell in enumerate(cells(path)):
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            for output in cell.get("outputs", []):
                if QUOTE_MIME in output.get("data", {}):
                    name, _, text = output["data"][QUOTE_MIME].partition(" = ")
                    recorded[name] = text
            continue
        stored = {item["expression"]: item["result"] for item in cell["metadata"].get("user_expressions", [])}
        for expression in inline_expressions(source):
            result = stored.get(expression)
            assert result is not None, f"{path.name}, cell {number}: {expression} has no stored result"
            assert result["status"] == "ok", f"{path.name}, cell {number}: {expression} failed"
            name = expression.removeprefix("quote.")
            assert name in recorded, f"{path.name}, cell {number}: {expression} is not a quoted value"
            assert result["data"]["text/plain"] == recorded[name], f"{path.name}: {expression}"
            shown += 1
    assert shown >= 5, f"{path.name}: only {shown} quoted numbers in the text"
