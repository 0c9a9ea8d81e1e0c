"""The site's Sphinx extension refuses a notebook whose widget outputs name models it does not store, and
gives the pages with widgets the book's renderer, and no page what it does not use.

JupyterLab saves a running notebook's widget views without their models unless its widget manager's
"Save Widget State Automatically" is on; the static site then draws nothing where those widgets were.
"""

import json
import subprocess
import sys
from pathlib import Path

import jupyterlab_widgets
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools.execute import WIDGET_STATE, WIDGET_VIEW
from tools.sphinx_assets import EXPLORABLES_FILES, missing_models_message, missing_widget_models

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("*.ipynb"))

BOX, SLIDER, LABEL, LOST = "a" * 32, "b" * 32, "c" * 32, "d" * 32


def model(name: str, **state: object) -> dict:
    """One stored widget model, as ipywidgets 8 writes it."""
    return {
        "model_module": "@jupyter-widgets/controls",
        "model_module_version": "2.0.0",
        "model_name": name,
        "state": state,
    }


# A box holding a slider and a label: the box refers to its children by IPY_MODEL_<id>.
STATE = {
    BOX: model("VBoxModel", children=[f"IPY_MODEL_{SLIDER}", f"IPY_MODEL_{LABEL}"]),
    SLIDER: model("IntSliderModel", value=1, max=3),
    LABEL: model("LabelModel", value="one"),
}


def notebook_with(views: list[str], state: dict) -> nbformat.NotebookNode:
    """A notebook whose one code cell shows the widgets ``views`` and that stores the models ``state``."""
    outputs = [
        new_output(
            "display_data",
            data={
                "text/plain": "VBox()",
                WIDGET_VIEW: {"model_id": model_id, "version_major": 2, "version_minor": 0},
            },
        )
        for model_id in views
    ]
    notebook = new_notebook(cells=[new_markdown_cell("# A widget"), new_code_cell("box", outputs=outputs)])
    notebook.metadata["language_info"] = {"name": "python"}  # the site's code highlighting needs it
    notebook.metadata["widgets"] = {WIDGET_STATE: {"state": state, "version_major": 2, "version_minor": 0}}
    return notebook


def test_a_notebook_storing_every_model_it_shows_misses_none() -> None:
    assert missing_widget_models(notebook_with([BOX], STATE)) == []


def test_views_naming_models_not_stored_are_found() -> None:
    assert missing_widget_models(notebook_with([LOST, BOX, LOST], STATE)) == [LOST]
    unsaved = notebook_with([BOX, SLIDER], STATE)
    del unsaved.metadata["widgets"]  # saved with no widget state at all
    assert missing_widget_models(unsaved) == [BOX, SLIDER]


def test_stored_models_referring_to_models_not_stored_are_found() -> None:
    state = {model_id: stored for model_id, stored in STATE.items() if model_id != LABEL}
    assert missing_widget_models(notebook_with([BOX], state)) == [LABEL]
    state[BOX] = model("VBoxModel", children=[f"IPY_MODEL_{model_id}" for model_id in (SLIDER, LOST, LABEL)])
    assert missing_widget_models(notebook_with([LOST, BOX], state)) == [LOST, LABEL]


def test_the_message_names_the_notebook_the_count_and_the_fix() -> None:
    message = missing_models_message("notebooks/05_multi_head_attention.ipynb", [LOST, LABEL])
    assert message.startswith(
        f"2 widget model(s) missing from the notebook's stored widget state (first: {LOST}"
    )
    assert "`.venv/bin/python tools/execute.py notebooks/05_multi_head_attention.ipynb`" in message
    assert '"Save Widget State Automatically"' in message


def build(source: Path, out: Path) -> subprocess.CompletedProcess:
    """Build the Sphinx project in ``source`` to HTML as the site is built: every warning an error."""
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", source, out]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def book_source(folder: Path, extensions: tuple[str, ...] = ()) -> Path:
    """A Sphinx project in ``folder/book`` that renders stored notebooks with myst-nb, this extension and
    ``extensions``; its pages are left to the caller."""
    source = folder / "book"
    source.mkdir()
    (source / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        f'extensions = ["myst_nb", "tools.sphinx_assets", *{list(extensions)!r}]\nnb_execution_mode = "off"\n'
        'thebe_config = {"selector": ".thebe"}\n'  # sphinx-thebe warns without one
    )
    return source


def test_the_site_build_refuses_a_notebook_missing_models_until_it_is_stored_again(tmp_path: Path) -> None:
    source, out = book_source(tmp_path), tmp_path / "html"
    (source / "index.md").write_text("# Book\n\n```{toctree}\nstored\nsaved_live\n```\n")
    nbformat.write(notebook_with([BOX], STATE), source / "stored.ipynb")
    nbformat.write(notebook_with([LOST], STATE), source / "saved_live.ipynb")

    for attempt in ("first build", "rebuild, nothing changed"):
        result = build(source, out)
        assert result.returncode != 0, f"{attempt} passed"
        assert "saved_live.ipynb: WARNING: 1 widget model(s) missing" in result.stderr, result.stderr
        assert "tools/execute.py saved_live.ipynb" in result.stderr
        assert "stored.ipynb" not in result.stderr

    nbformat.write(notebook_with([BOX], STATE), source / "saved_live.ipynb")
    result = build(source, out)
    assert result.returncode == 0, result.stderr
    assert WIDGET_VIEW in (out / "saved_live.html").read_text(encoding="utf-8")


def test_pages_with_widgets_load_the_renderer_and_no_page_loads_what_it_does_not_use(tmp_path: Path) -> None:
    """The page with widgets loads the book's renderer, deferred, and its stylesheet, with the widget state at
    the end of its body; no page loads the ipywidgets HTML manager or require.js, sphinx-thebe's files (no
    thebe button), or sphinx-design's, except the page that shows sphinx-design's tabs."""
    source, out = book_source(tmp_path, ("sphinx_design", "sphinx_thebe")), tmp_path / "html"
    (source / "index.md").write_text("# Book\n\n```{toctree}\nstored\ntabs\n```\n")
    nbformat.write(notebook_with([BOX], STATE), source / "stored.ipynb")
    (source / "tabs.md").write_text("# Tabs\n\n````{tab-set}\n```{tab-item} One\nA\n```\n````\n")
    result = build(source, out)
    assert result.returncode == 0, result.stderr
    pages = {name: (out / f"{name}.html").read_text(encoding="utf-8") for name in ("index", "stored", "tabs")}
    widgets = pages["stored"]
    assert '<script defer="defer" src="_static/explorables/explorables.js' in widgets
    assert 'href="_static/explorables/explorables.css' in widgets
    head, body = widgets.split("<body", 1)
    assert WIDGET_STATE not in head and body.index(WIDGET_VIEW) < body.index(f'<script type="{WIDGET_STATE}"')
    for name in EXPLORABLES_FILES:
        copied = out / "_static" / "explorables" / name
        assert copied.read_bytes() == (ROOT / "site" / "explorables" / name).read_bytes()
    for name, page in pages.items():
        assert ("explorables" in page) == (name == "stored"), name
        for unused in ("embed-amd.js", "require.js", "sphinx-thebe", "THEBE_JS_URL"):
            assert unused not in page, f"{name} loads {unused}"
        for design in ("design-tabs.js", "sphinx-design.min.css"):
            assert (design in page) == (name == "tabs"), f"{name}: {design}"


def test_the_jupyterlab_overrides_turn_on_saving_widget_state() -> None:
    """``tools/jupyterlab/overrides.json`` sets a key that the installed widget manager's settings have."""
    overrides = json.loads((ROOT / "tools" / "jupyterlab" / "overrides.json").read_text(encoding="utf-8"))
    assert overrides == {"@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True}}
    extension = Path(jupyterlab_widgets._jupyter_labextension_paths()[0]["src"])
    schema = json.loads((extension / "schemas/@jupyter-widgets/jupyterlab-manager/plugin.json").read_text())
    setting = schema["properties"]["saveState"]
    assert setting["type"] == "boolean"
    assert setting["default"] is False  # what the override changes
