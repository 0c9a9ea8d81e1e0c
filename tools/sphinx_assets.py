"""A Sphinx extension that makes the published site self-contained: widgets and math work offline.

``make book`` installs three pinned npm packages (``package.json``, ``package-lock.json``) into
``node_modules/``: the ipywidgets HTML manager (renders stored widget state in the browser), require.js
(which the manager needs) and MathJax 3. This extension copies the files the pages use into the built
site under ``_static/npm/`` and points myst-nb's widget scripts and Sphinx's MathJax there, so a page
asks for nothing outside the site.

The files are copied after the build, not listed in ``html_static_path``: Jupyter Book 1 would add every
``.js`` and ``.css`` found there to every page. Where ``node_modules`` is missing (no Node.js on the
machine), the pages keep loading these libraries from public CDNs and the build says so.

The extension also refuses a chapter whose widgets the site could not draw: JupyterLab, unless its setting
"Save Widget State Automatically" is on, saves a notebook's widget outputs (views) without the widget models
they show, and the page then has an empty space where each widget was. ``missing_widget_models`` finds them
and the build warns (``-W`` makes that an error), naming the command that stores the chapter again.
``tools/jupyterlab/overrides.json`` turns the setting on in a JupyterLab that has it installed (README).

A page's text comes before its widgets: myst-nb writes the widget state (every stored widget of the chapter,
its explorables' frames as PNG: most of the page's bytes) and the widget scripts into the page's head, and a
browser paints nothing until it has read them. The extension moves the state to the end of the body and
defers the scripts (issue 16: on a slow phone connection, the first paint had waited for all of it). It also
corrects two things in the pages' markup that screen readers trip on (``repair_markup``).
"""

import json
import shutil
from collections.abc import Mapping
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from tools.execute import MODEL_REFERENCE, WIDGET_STATE, widget_views

logger = logging.getLogger(__name__)

VENDOR = "npm"  # the folder under the site's _static/ that receives the copies

# What the pages load: folder under _static/npm/ -> (its package folder under node_modules/, files copied).
ASSETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "requirejs": ("requirejs", ("require.js",)),
    "html-manager": (
        "@jupyter-widgets/html-manager/dist",
        ("embed-amd.js", "*.woff2", "*.woff", "*.ttf", "*.eot", "*.svg"),
    ),
    # The combined TeX/MathML component, plus the folders it loads from on demand (TeX packages,
    # fonts, the context menu and its accessibility tools).
    "mathjax": (
        "mathjax/es5",
        ("tex-mml-chtml.js", "input/**/*", "output/chtml/**/*", "ui/**/*", "a11y/**/*", "sre/**/*"),
    ),
}

# Loaded on widget pages before require.js. Two fixes for a self-hosted html-manager:
# - require.js resolves the manager's module paths against the page, and each module of the manager's bundle
#   (libembed-amd, and @jupyter-widgets/controls, whose Font Awesome then also draws the theme's icons) asks
#   for its icon fonts next to its path; `paths` entries send them to our copy, also for pages in
#   sub-folders.
# - ipywidgets 8 typesets widget labels through MathJax 2's `MathJax.Hub.Queue`; the site runs MathJax 3,
#   so once MathJax is ready, that call is mapped onto `MathJax.typesetPromise`.
WIDGETS_CONFIG = "widgets-config.js"
WIDGETS_CONFIG_JS = """// Written by tools/sphinx_assets.py (see its comments).
var require = {
  paths: {
    "@jupyter-widgets/html-manager/dist": new URL("html-manager", document.currentScript.src).href,
    "@jupyter-widgets": new URL("html-manager", document.currentScript.src).href,
  },
};
if (window.MathJax !== undefined) {
  window.MathJax.startup = {
    ...window.MathJax.startup,
    ready() {
      MathJax.startup.defaultReady();
      MathJax.Hub = {Queue: (job) => MathJax.typesetPromise([job[2]])};
    },
  };
}
"""

# What the pages load from the copies, relative to _static/: the widget scripts in this order, and MathJax.
WIDGET_SCRIPTS = (
    f"{VENDOR}/{WIDGETS_CONFIG}",
    f"{VENDOR}/requirejs/require.js",
    f"{VENDOR}/html-manager/embed-amd.js",
)
MATHJAX = f"{VENDOR}/mathjax/tex-mml-chtml.js"

CDN_NOTICE = (
    "Node.js packages not installed (no node_modules/): the site will load require.js, the ipywidgets "
    "HTML manager and MathJax from public CDNs, so its widgets and math need an internet connection. "
    "Install Node.js and run `make book` for a self-contained site."
)


def node_modules(app: Sphinx) -> Path:
    """The ``node_modules`` folder next to the book's sources."""
    return Path(app.srcdir) / "node_modules"


def vendored(app: Sphinx) -> bool:
    """Whether ``npm ci`` has installed the packages; raise if it did so only in part."""
    root = node_modules(app)
    if not root.is_dir():
        return False
    missing = [package for package, _ in ASSETS.values() if not (root / package).is_dir()]
    if missing:
        raise ExtensionError(f"{root} lacks {', '.join(missing)}: run `npm ci` (or `make book`) again")
    return True


def point_pages_at_copies(app: Sphinx, config: Config) -> None:
    """Make widget pages and math load the copies under ``_static/npm/`` (paths relative to _static/)."""
    if not vendored(app):
        logger.info(f"\n*** {CDN_NOTICE} ***\n", color="red")
        return
    # Deferred, so that they do not hold up the text (widgets_after_the_text puts them before MathJax's).
    config.nb_ipywidgets_js = {path: {"defer": "defer"} for path in WIDGET_SCRIPTS}
    config.mathjax_path = MATHJAX


def copy_if_changed(source: Path, target: Path) -> None:
    """Copy one file unless an identical-looking copy (same size and time) is already there."""
    if target.exists():
        old, new = target.stat(), source.stat()
        if old.st_size == new.st_size and int(old.st_mtime) == int(new.st_mtime):
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def copy_assets(app: Sphinx, exception: Exception | None) -> None:
    """After a successful HTML build, copy the vendored files into ``_static/npm/``."""
    if exception is not None or app.builder.format != "html" or not vendored(app):
        return
    site = Path(app.outdir) / "_static" / VENDOR
    for folder, (package, patterns) in ASSETS.items():
        source = node_modules(app) / package
        for pattern in patterns:
            for path in source.glob(pattern):
                if path.is_file():
                    copy_if_changed(path, site / folder / path.relative_to(source))
    (site / WIDGETS_CONFIG).write_text(WIDGETS_CONFIG_JS)


def drop_repeated_inline_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """Write each inline script once per page.

    sphinx-thebe adds its configuration (``const THEBE_JS_URL = ...``) twice, and the second copy throws
    "Identifier 'THEBE_JS_URL' has already been declared" on every page.
    """
    seen: set[str] = set()
    scripts = []
    for script in context.get("script_files", []):
        body = None if script.filename else script.attributes.get("body")
        if body in seen:
            continue
        if body:
            seen.add(body)
        scripts.append(script)
    context["script_files"] = scripts


def widgets_after_the_text(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """On a page with widgets, let the browser paint the text before it reads the widgets.

    The widget state (myst-nb's ``<script type="application/vnd.jupyter.widget-state+json">``) moves from the
    head to the end of the body: the widget manager finds it anywhere, once the page has loaded. The widget
    scripts, deferred (``point_pages_at_copies``), move just before MathJax's deferred script, so that they
    still run first: WIDGETS_CONFIG_JS changes MathJax's settings before MathJax reads them.
    """
    scripts = context.get("script_files", [])
    states = [script for script in scripts if script.attributes.get("type") == WIDGET_STATE]
    named = {f"_static/{path}" for path in WIDGET_SCRIPTS}  # as Sphinx names them
    widgets = [script for script in scripts if script.filename in named]
    scripts = [script for script in scripts if script not in states + widgets]
    mathjax = [at for at, script in enumerate(scripts) if script.filename == f"_static/{MATHJAX}"]
    at = mathjax[0] if mathjax else len(scripts)
    context["script_files"] = scripts[:at] + widgets + scripts[at:]
    for state in states:  # its JSON is escaped for a script element (myst-nb's sanitize_script_content)
        context["body"] += f'<script type="{WIDGET_STATE}">{state.attributes["body"]}</script>\n'


# Markup that axe-core (tests/test_site.py) finds screen readers trip on, and its correction.
MARKUP_REPAIRS = {
    # myst-nb's button that shows a hidden cell reads "Show code cell source" but is named "Toggle hidden
    # content" (label-content-name-mismatch): named by its text, a screen reader says what it shows.
    '<summary aria-label="Toggle hidden content">': "<summary>",
    # docutils writes a bibliography as a list (role="list") of entries with the role doc-biblioentry,
    # which ARIA 1.2 deprecates and which a list may not hold (aria-required-children): each is a list item.
    'role="doc-biblioentry"': 'role="listitem"',
}


def repair_markup(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    """Apply ``MARKUP_REPAIRS`` to the page's body (pages such as the index have none)."""
    if "body" not in context:
        return
    for found, repaired in MARKUP_REPAIRS.items():
        context["body"] = context["body"].replace(found, repaired)


def missing_widget_models(notebook: Mapping) -> list[str]:
    """The ids of the widget models that ``notebook`` (a notebook's JSON) needs and does not store.

    These are the models its widget outputs show (``model_id`` of each widget view), then the models that its
    stored models refer to (``IPY_MODEL_<id>``: a box's children, a link's ends), each once, in the order
    met. The static site draws a widget only from the stored state, so an empty list means every widget
    of the notebook appears on its page.
    """
    state = notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    shown = widget_views(notebook)
    referred = [found for model in state.values() for found in MODEL_REFERENCE.findall(json.dumps(model))]
    return [model_id for model_id in dict.fromkeys(shown + referred) if model_id not in state]


def missing_models_message(path: str, missing: list[str]) -> str:
    """The build's warning about the notebook at ``path`` (relative to the book) that misses ``missing``."""
    return (
        f"{len(missing)} widget model(s) missing from the notebook's stored widget state (first: "
        f"{missing[0]}), so its page would show no widget there: JupyterLab saved its widget outputs without "
        "their state. "
        f"Store it again with `.venv/bin/python tools/execute.py {path}`, or in JupyterLab turn on "
        'Settings > "Save Widget State Automatically" (tools/jupyterlab/overrides.json turns it on: see the '
        "README), then run the notebook and save it."
    )


def refuse_notebooks_missing_widgets(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Before the sources are read, warn about every notebook of the book that misses widget models.

    Every notebook is checked, not only those about to be read (``docnames``): a notebook refused by one
    build is not read again by the next one if it has not changed, and must still be refused.
    """
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname, base=False))
        if path.suffix != ".ipynb":
            continue
        try:
            notebook = json.loads((Path(app.srcdir) / path).read_text(encoding="utf-8"))
        except ValueError as error:  # not UTF-8 or not JSON
            logger.warning(f"{path} is not a notebook's JSON ({error})", location=docname)
            continue
        missing = missing_widget_models(notebook)
        if missing:
            logger.warning(missing_models_message(path.as_posix(), missing), location=docname)


def setup(app: Sphinx) -> dict:
    """Register the extension (listed under ``sphinx.local_extensions`` in _config.yml)."""
    app.connect("config-inited", point_pages_at_copies)
    app.connect("env-before-read-docs", refuse_notebooks_missing_widgets)
    app.connect("html-page-context", drop_repeated_inline_scripts, priority=900)
    app.connect("html-page-context", widgets_after_the_text, priority=900)  # after myst-nb's and MathJax's
    app.connect("html-page-context", repair_markup)
    app.connect("build-finished", copy_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
