"""A Sphinx extension that makes the published site self-contained: widgets and math work offline.

``make book`` installs three pinned npm packages (``package.json``, ``package-lock.json``) into
``node_modules/``: the ipywidgets HTML manager (renders stored widget state in the browser), require.js
(which the manager needs) and MathJax 3. This extension copies the files the pages use into the built
site under ``_static/npm/`` and points myst-nb's widget scripts and Sphinx's MathJax there, so a page
asks for nothing outside the site.

The files are copied after the build, not listed in ``html_static_path``: Jupyter Book 1 would add every
``.js`` and ``.css`` found there to every page. Where ``node_modules`` is missing (no Node.js on the
machine), the pages keep loading these libraries from public CDNs and the build says so.
"""

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging

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
# - require.js resolves the manager's module path against the page, and the manager asks for its icon
#   fonts next to that path; a `paths` entry sends it to our copy, also for pages in sub-folders.
# - ipywidgets 8 typesets widget labels through MathJax 2's `MathJax.Hub.Queue`; the site runs MathJax 3,
#   so once MathJax is ready, that call is mapped onto `MathJax.typesetPromise`.
WIDGETS_CONFIG = "widgets-config.js"
WIDGETS_CONFIG_JS = """// Written by tools/sphinx_assets.py (see its comments).
var require = {
  paths: {"@jupyter-widgets/html-manager/dist": new URL("html-manager", document.currentScript.src).href},
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
    config.nb_ipywidgets_js = {
        f"{VENDOR}/{WIDGETS_CONFIG}": {},
        f"{VENDOR}/requirejs/require.js": {},
        f"{VENDOR}/html-manager/embed-amd.js": {},
    }
    config.mathjax_path = f"{VENDOR}/mathjax/tex-mml-chtml.js"


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


def setup(app: Sphinx) -> dict:
    """Register the extension (listed under ``sphinx.extra_extensions`` in _config.yml)."""
    app.connect("config-inited", point_pages_at_copies)
    app.connect("html-page-context", drop_repeated_inline_scripts, priority=900)
    app.connect("build-finished", copy_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
