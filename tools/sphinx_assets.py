"""A Sphinx extension that makes the published site self-contained and light: widgets and math work offline.

The pages draw their widgets (the chapters' explorables, ``book/chapters/explorable.py``) with the book's own
renderer, ``site/explorables/``: a few KB of JavaScript that reads the widget state stored in the page,
where the ipywidgets HTML manager and the require.js it needs weighed 1.15 MB gzipped (issue 16;
``tests/test_explorables_js.py`` checks that both show and switch the same frames). myst-nb loads it,
deferred, on the pages that store widget state, in the manager's place (``nb_ipywidgets_js``), and this
extension adds its stylesheet to those pages alone.

``make book`` installs MathJax 3 from npm (``package.json``, ``package-lock.json``) into ``node_modules/``;
this extension copies the files the pages use into the built site under ``_static/npm/`` and points Sphinx's
MathJax there, so a page asks for nothing outside the site.

The files are copied after the build, not listed in ``html_static_path``: Jupyter Book 1 would add every
``.js`` and ``.css`` found there to every page. Where ``node_modules`` is missing (no Node.js on the
machine), the pages keep loading MathJax from a public CDN and the build says so. ``drop_unused_assets``
removes from each page what Jupyter Book adds to every page and that page does not use.

The extension also refuses a chapter whose widgets the site could not draw: JupyterLab, unless its setting
"Save Widget State Automatically" is on, saves a notebook's widget outputs (views) without the widget models
they show, and the page then has an empty space where each widget was. ``missing_widget_models`` finds them
and the build warns (``-W`` makes that an error), naming the command that stores the chapter again.
``tools/jupyterlab/overrides.json`` turns the setting on in a JupyterLab that has it installed (README).

A page's text comes before its widgets: myst-nb writes the widget state (every stored widget of the chapter,
its explorables' frames: most of the page's bytes) into the page's head, and a browser paints nothing until
it has read it. The extension moves the state to the end of the body (issue 16: on a slow phone connection,
the first paint had waited for all of it), and lets the images in the text load as the reader nears them. It
also corrects two things in the pages' markup that screen readers trip on (``repair_markup``).
"""

import json
import re
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

# What the pages load: folder under _static/npm/ -> (its package folder under node_modules/, files copied):
# the combined TeX/MathML component of MathJax, plus the folders it loads from on demand (TeX packages,
# fonts, the context menu and its accessibility tools).
ASSETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "mathjax": (
        "mathjax/es5",
        ("tex-mml-chtml.js", "input/**/*", "output/chtml/**/*", "ui/**/*", "a11y/**/*", "sre/**/*"),
    ),
}
MATHJAX = f"{VENDOR}/mathjax/tex-mml-chtml.js"  # relative to _static/

# The widget renderer, which comes with this extension: its folder (site/explorables/ in the repository, and
# under the site's _static/), its files, and what the pages with widgets load from it (relative to _static/).
EXPLORABLES = "explorables"
RENDERER = Path(__file__).resolve().parents[1] / "site" / EXPLORABLES
EXPLORABLES_FILES = ("explorables.js", "explorables.css")
EXPLORABLES_JS = f"{EXPLORABLES}/explorables.js"
EXPLORABLES_CSS = f"{EXPLORABLES}/explorables.css"

CDN_NOTICE = (
    "Node.js packages not installed (no node_modules/): the site will load MathJax from a public CDN, so "
    "its math needs an internet connection. Install Node.js and run `make book` for a self-contained site."
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
    """Make widget pages load the book's renderer, and math the copy under ``_static/npm/``."""
    config.nb_ipywidgets_js = {EXPLORABLES_JS: {"defer": "defer"}}  # myst-nb adds it to widget pages only
    if not vendored(app):
        logger.info(f"\n*** {CDN_NOTICE} ***\n", color="red")
        return
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
    """After a successful HTML build, copy the renderer into ``_static/explorables/`` and the vendored
    files into ``_static/npm/``."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for name in EXPLORABLES_FILES:
        copy_if_changed(RENDERER / name, static / EXPLORABLES / name)
    if not vendored(app):
        return
    for folder, (package, patterns) in ASSETS.items():
        source = node_modules(app) / package
        for pattern in patterns:
            for path in source.glob(pattern):
                if path.is_file():
                    copy_if_changed(path, static / VENDOR / folder / path.relative_to(source))


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
    """On a page with widgets, let the browser paint the text before it reads the widgets, and style them.

    The widget state (myst-nb's ``<script type="application/vnd.jupyter.widget-state+json">``) moves from the
    head to the end of the body, where the renderer finds it once the page is parsed. MathJax's deferred
    script (0.27 MB gzipped) moves after it: a browser starts downloading a script when it reads its tag, and
    from the head MathJax shared a slow connection with the page itself, so the widgets, drawn once the page
    has arrived, waited for both (chapter 6 on Fast 3G: the page arrived after 5.2 s). Deferred scripts run
    in the order of their tags, so the renderer, in the head, still runs before MathJax.
    """
    scripts = context.get("script_files", [])
    states = [script for script in scripts if script.attributes.get("type") == WIDGET_STATE]
    if not states:
        return
    mathjax = [script for script in scripts if script.filename == f"_static/{MATHJAX}"]
    context["script_files"] = [script for script in scripts if script not in states + mathjax]
    for state in states:  # its JSON is escaped for a script element (myst-nb's sanitize_script_content)
        context["body"] += f'<script type="{WIDGET_STATE}">{state.attributes["body"]}</script>\n'
    context["body"] += "".join(context["js_tag"](script) + "\n" for script in mathjax)
    app.add_css_file(EXPLORABLES_CSS)  # this page only (Sphinx resets the list after each page)


# What Jupyter Book 1 adds to every page, as the page's head names it, and when a page uses it: sphinx-thebe's
# loader, its inline configuration and its stylesheet, with thebe's launch button (off in _config.yml); and
# sphinx-design's stylesheet and its tabs' script, with the extension's components, whose classes start with
# "sd-" (the book has none). Together 13 KB gzipped, the stylesheet blocking the first paint.
THEBE_ASSETS = ("_static/sphinx-thebe.js", "_static/sphinx-thebe.css")
THEBE_CONFIG = "const THEBE_JS_URL"  # how the inline configuration starts
DESIGN_ASSETS = ("_static/design-tabs.js", "_static/sphinx-design.min.css")
DESIGN_CLASS = re.compile(r'class="(?:[^"]*\s)?sd-')


def drop_unused_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    """Remove from the page the scripts and stylesheets of features it does not use (see above)."""
    thebe = bool(app.config.html_theme_options.get("launch_buttons", {}).get("thebe"))
    unused = set() if thebe else set(THEBE_ASSETS)
    if not DESIGN_CLASS.search(context.get("body", "")):
        unused.update(DESIGN_ASSETS)

    def used(asset) -> bool:  # a script or stylesheet of Sphinx's page context
        inline = asset.attributes.get("body") or ""
        return asset.filename not in unused and (thebe or not inline.startswith(THEBE_CONFIG))

    # In place: Sphinx resets these lists after each page, and add_css_file appends to the same list.
    context["script_files"][:] = [script for script in context["script_files"] if used(script)]
    context["css_files"][:] = [css for css in context["css_files"] if used(css)]


# Markup that axe-core (tests/test_site.py) finds screen readers trip on, and its correction.
MARKUP_REPAIRS = {
    # myst-nb's button that shows a hidden cell reads "Show code cell source" but is named "Toggle hidden
    # content" (label-content-name-mismatch): named by its text, a screen reader says what it shows.
    '<summary aria-label="Toggle hidden content">': "<summary>",
    # docutils writes a bibliography as a list (role="list") of entries with the role doc-biblioentry,
    # which ARIA 1.2 deprecates and which a list may not hold (aria-required-children): each is a list item.
    'role="doc-biblioentry"': 'role="listitem"',
}


# An image of the page's text that does not say how to load: the browser then fetches it only as the reader
# nears it. On a slow connection, the figures far down a chapter no longer share the bandwidth with the page's
# text and widget state.
EAGER_IMAGE = re.compile(r"<img (?![^>]*\bloading=)")


def repair_markup(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    """Apply ``MARKUP_REPAIRS`` to the page's body (pages such as the index have none), and let its images
    load lazily."""
    if "body" not in context:
        return
    for found, repaired in MARKUP_REPAIRS.items():
        context["body"] = context["body"].replace(found, repaired)
    context["body"] = EAGER_IMAGE.sub('<img loading="lazy" ', context["body"])


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
    app.connect("html-page-context", drop_unused_assets, priority=900)  # after the themes' and extensions'
    app.connect("html-page-context", repair_markup)
    app.connect("build-finished", copy_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
