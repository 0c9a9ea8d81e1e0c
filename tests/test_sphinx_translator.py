"""The site's translator extension exports the checkpoint only when it changed, and adds the widget's files
only to the pages that hold the widget (tests/test_translator_page.py checks the built site in a browser)."""

import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from sphinx.errors import ExtensionError

from tools import sphinx_translator
from tools.sphinx_translator import EXPORTED, add_widget_files, exported_translator


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A book's root with a checkpoint and the code that exports it."""
    (tmp_path / "book" / "translation").mkdir(parents=True)
    (tmp_path / "book" / "data").mkdir()
    (tmp_path / "book" / "data" / "translator.pt").write_bytes(b"weights")
    (tmp_path / "book" / "model.py").write_text("# the model\n")
    (tmp_path / "book" / "translation" / "onnx_export.py").write_text("# the export\n")
    return tmp_path


@pytest.fixture
def exports(monkeypatch) -> list[list[str]]:
    """The export commands run; each writes the three files, or fails where the checkpoint says "broken"."""
    commands = []

    def run(command: list[str], cwd: Path, **options) -> subprocess.CompletedProcess:
        commands.append(command)
        if (cwd / "book" / "data" / "translator.pt").read_bytes() == b"broken":
            return subprocess.CompletedProcess(command, 1, "", "Traceback: the checkpoint is broken")
        for name in EXPORTED:
            (Path(command[-1]) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(command[-1]) / name).write_text(name)
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(sphinx_translator.subprocess, "run", run)
    return commands


def test_the_export_runs_again_only_when_the_checkpoint_or_the_code_changed(book, exports, tmp_path) -> None:
    cache = tmp_path / "_build" / "translator-onnx"
    assert exported_translator(book, cache) == cache
    assert exports[0][1:4] == ["-m", "book.translation.onnx_export", str(cache)]
    assert sorted(path.name for path in cache.iterdir()) == sorted([*EXPORTED, "inputs.sha256"])
    exported_translator(book, cache)
    assert len(exports) == 1  # nothing changed
    (book / "book" / "data" / "translator.pt").write_bytes(b"other weights")
    exported_translator(book, cache)
    (book / "book" / "translation" / "onnx_export.py").write_text("# the export, changed\n")
    exported_translator(book, cache)
    (cache / "decoder.onnx").unlink()
    exported_translator(book, cache)
    assert len(exports) == 4


def test_a_failed_export_says_why_and_is_not_taken_for_a_finished_one(book, exports, tmp_path) -> None:
    cache = tmp_path / "_build" / "translator-onnx"
    exported_translator(book, cache)
    (book / "book" / "data" / "translator.pt").write_bytes(b"broken")
    with pytest.raises(ExtensionError, match="the checkpoint is broken"):
        exported_translator(book, cache)
    with pytest.raises(ExtensionError):
        exported_translator(book, cache)  # tried again, not served from the old export
    assert len(exports) == 3


def test_only_pages_holding_the_widget_load_its_files() -> None:
    added = []
    app = SimpleNamespace(
        add_js_file=lambda name, **attributes: added.append((name, attributes)),
        add_css_file=lambda name, **attributes: added.append((name, attributes)),
    )
    add_widget_files(app, "intro", "page.html", {"body": "<p>attention-built-translator, named</p>"}, None)
    assert added == []
    body = '<div class="attention-built-translator" data-sentence="the red car"></div>'
    add_widget_files(app, "translator", "page.html", {"body": body}, None)
    assert added == [("translator/widget.js", {"type": "module"}), ("translator/widget.css", {})]
