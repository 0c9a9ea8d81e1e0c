"""A Sphinx extension that puts the book's translator into the site, to run in the reader's browser.

A page shows the translator where it holds ``<div class="attention-built-translator"></div>`` (the page
``translator.md`` does); ``site/translator/widget.js`` turns each such element into a form, a translation and
its cross-attention. After an HTML build this extension writes into the site's ``_static/translator/``:

- the shipped translator (``book/data/translator.pt``) as ``encoder.onnx``, ``decoder.onnx`` and
  ``translator.json`` (``book.translation.onnx_export``). Exporting takes about ten seconds, so the export is
  kept in ``translator-onnx/`` beside the HTML folder (``_build/translator-onnx/``) with a hash of what
  made it: the checkpoint and the ``book`` code that exports it (``EXPORT_INPUTS``). It runs again only
  when that hash changes;
- ``site/translator/``'s JavaScript and CSS;
- from onnxruntime-web (``node_modules``, installed by ``npm ci``), the smallest set the page needs: the ES
  module of its WebAssembly backend with its Emscripten loader inside (``ort.wasm.bundle.min.mjs``) and the
  SIMD WebAssembly binary (``ort-wasm-simd-threaded.wasm``, the only one that backend runs). The widget runs
  it on one thread: threads need a cross-origin isolated page, which static hosts do not serve.

Only a page holding the widget loads anything of it: its ``widget.js`` (a module script) and ``widget.css``
are added to that page alone. The widget loads the runtime and the models when the reader first uses it.
As in ``tools/sphinx_assets.py``, the files are copied after the build instead of being listed in
``html_static_path``, where Jupyter Book 1 would load every ``.js`` and ``.css`` on every page.
"""

import hashlib
import subprocess
import sys
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from tools.sphinx_assets import copy_if_changed, node_modules

logger = logging.getLogger(__name__)

WIDGET = 'class="attention-built-translator"'  # how a page's HTML holds the widget
FOLDER = "translator"  # the folder under the site's _static/ that receives the files
SCRIPTS = ("tokenize.js", "translate.js", "widget.js", "widget.css")  # from site/translator/
RUNTIME = ("ort.wasm.bundle.min.mjs", "ort-wasm-simd-threaded.wasm")  # from onnxruntime-web/dist/
EXPORTED = ("encoder.onnx", "decoder.onnx", "translator.json")  # book.translation.onnx_export's files

# What the export depends on, relative to the book's root: the checkpoint and the code that builds the model
# and writes the files (its modules at the top of the package and in book/translation/).
CHECKPOINT = "book/data/translator.pt"
EXPORT_INPUTS = (CHECKPOINT, "book/*.py", "book/translation/*.py")
STAMP = "inputs.sha256"  # in the export's folder: the hash of the inputs that made it

RUNTIME_NOTICE = (
    "onnxruntime-web is not installed (node_modules/onnxruntime-web): the translator page will show an "
    "error when it tries to load its runtime. Install Node.js and run `npm ci` (or `make book`)."
)


def inputs_hash(root: Path) -> str:
    """The SHA-256 of every file the export depends on (``EXPORT_INPUTS`` under ``root``), names included."""
    digest = hashlib.sha256()
    for pattern in EXPORT_INPUTS:
        for path in sorted(root.glob(pattern)):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def exported_translator(root: Path, cache: Path) -> Path:
    """The folder ``cache`` holding the translator of ``root``'s checkpoint as ONNX, exported again only
    when the checkpoint or the exporting code changed.

    The export runs in its own Python process (``python -m book.translation.onnx_export``, from ``root``),
    which keeps PyTorch's messages out of the build's log unless it fails.
    """
    key = inputs_hash(root)
    stamp = cache / STAMP
    if stamp.is_file() and stamp.read_text() == key and all((cache / name).is_file() for name in EXPORTED):
        return cache
    logger.info(f"exporting {CHECKPOINT} to ONNX for the translator page (about ten seconds)")
    stamp.unlink(missing_ok=True)  # an export cut short is not taken for a finished one
    command = [sys.executable, "-m", "book.translation.onnx_export", str(cache)]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise ExtensionError(f"exporting the translator failed ({' '.join(command)}):\n{done.stderr[-3000:]}")
    stamp.write_text(key)
    return cache


def add_widget_files(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    """Load the widget's script and style on the pages that hold the widget, and only there."""
    if WIDGET in context.get("body", ""):
        app.add_js_file(f"{FOLDER}/widget.js", type="module")
        app.add_css_file(f"{FOLDER}/widget.css")


def copy_translator(app: Sphinx, exception: Exception | None) -> None:
    """After a successful HTML build, write the models, scripts and runtime into _static/translator/."""
    if exception is not None or app.builder.format != "html":
        return
    root, site = Path(app.srcdir), Path(app.outdir) / "_static" / FOLDER
    exported = exported_translator(root, Path(app.outdir).parent / "translator-onnx")
    sources = [exported / name for name in EXPORTED] + [root / "site" / FOLDER / name for name in SCRIPTS]
    runtime = node_modules(app) / "onnxruntime-web" / "dist"
    if runtime.is_dir():
        sources += [runtime / name for name in RUNTIME]
    else:
        logger.info(f"\n*** {RUNTIME_NOTICE} ***\n", color="red")
    for source in sources:
        copy_if_changed(source, site / source.name)


def setup(app: Sphinx) -> dict:
    """Register the extension (listed under ``sphinx.local_extensions`` in _config.yml)."""
    app.connect("html-page-context", add_widget_files)
    app.connect("build-finished", copy_translator)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
