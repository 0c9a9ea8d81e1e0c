"""What the browser tests share: Debian's Chromium driven by Playwright, and the reports they write.

The tests skip where Chromium is missing, except in CI (the ``CI`` variable), which installs it.
"""

import functools
import gzip
import http.server
import io
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
# --disable-background-networking & co. stop Chromium's own calls home, so every request a test sees
# comes from the page.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    """Skip the test without Chromium, or fail it in CI, which must have it."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def chromium():
    """One headless Chromium, closed at the end."""
    from playwright.sync_api import sync_playwright

    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@contextmanager
def json_report(name: str, folder: Path = SCREENSHOTS, key: str | None = None) -> Iterator[dict]:
    """A dict the tests fill, written to ``folder/name`` (by default ``_build/screenshots/``) at the end;
    with ``key``, under that key of the file, keeping what other tests wrote there."""
    results: dict = {}
    yield results
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if key is not None:
        whole = json.loads(path.read_text()) if path.exists() else {}
        results = {**whole, key: results}
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without logging every request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@functools.cache
def gzipped(path: Path) -> bytes:
    """The file at ``path`` compressed as web servers do (gzip, level 6); each file compressed once."""
    return gzip.compress(path.read_bytes(), compresslevel=6)


class GzipHandler(QuietHandler):
    """Serves a folder as a web host does: each file gzipped for a browser that accepts it."""

    def send_head(self) -> io.BufferedIOBase | None:
        path = Path(self.translate_path(self.path))
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzipped(path)
        self.send_response(http.HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(folder: Path, handler: type[QuietHandler] = QuietHandler) -> Iterator[str]:
    """``folder`` on a local HTTP server on 127.0.0.1 (files served by ``handler``), stopped at the end;
    yields its base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=folder))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()


# The theme's buttons change colour over CSS transitions (0.15 s): a colour read before they end belongs to
# neither theme, and axe-core would judge its contrast.
FINISH_TRANSITIONS = """async () => {
  const running = document.getAnimations().filter(animation => animation instanceof CSSTransition);
  await Promise.allSettled(running.map(animation => animation.finished));
}"""


def show_theme(page, mode: str) -> None:
    """Switch the site's theme to ``mode`` ('light' or 'dark') and wait until every colour has changed."""
    page.evaluate("mode => { document.documentElement.dataset.theme = mode; }", mode)
    page.evaluate(FINISH_TRANSITIONS)


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # installed by npm ci (package.json)
IMPACTS = ("critical", "serious", "moderate", "minor")  # axe-core's, most severe first


def axe_audit(page) -> dict:
    """axe-core's audit of the page as shown: how many rules it breaks at each impact, and for each rule
    broken, its impact and how many elements break it."""
    if not page.evaluate("() => 'axe' in window"):
        page.add_script_tag(path=AXE)
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .map(rule => ({id: rule.id, impact: rule.impact, elements: rule.nodes.length}))"""
    )
    return {
        **{impact: sum(rule["impact"] == impact for rule in violations) for impact in IMPACTS},
        "rules": {rule["id"]: f"{rule['impact']}, {rule['elements']} element(s)" for rule in violations},
    }


def broken_rules(audit: dict) -> set[str]:
    """The ids of the rules an ``axe_audit`` found broken, whatever their impact."""
    return set(audit["rules"])


class PageVisit:
    """One page of a served site opened in a fresh tab, with every request, failure and error it caused."""

    def __init__(self, browser, server: str, path: str, width: int = 1200, wait_until: str = "load") -> None:
        self.server = server
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "requestfailed", lambda request: self.failures.append(f"{request.url}: {request.failure}")
        )
        self.page.on(
            "response",
            lambda response: (
                response.status >= 400 and self.failures.append(f"{response.url}: {response.status}")
            ),
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(f"{server}/{path}", wait_until=wait_until)

    def outside_requests(self) -> list[str]:
        """Requests to anything but the local server (data: and blob: URLs stay inside the page)."""
        local = urlparse(self.server).netloc
        return [
            url
            for url in self.requests
            if urlparse(url).scheme not in ("data", "blob") and urlparse(url).netloc != local
        ]

    def site_paths(self) -> set[str]:
        """The site's files requested so far, as paths in the site (``_static/translator/widget.js``)."""
        return {
            unquote(urlparse(url).path).lstrip("/") for url in self.requests if url.startswith(self.server)
        }
