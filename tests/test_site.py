"""Browser tests of the built site: every page works offline, its widgets respond and its math renders.

They drive Debian's Chromium (``/usr/bin/chromium``) through Playwright over ``_build/html``, served by a
local HTTP server, so they need ``make book`` first (``make test`` runs it). Each page is screenshot in
light and dark mode under ``_build/screenshots/``, with ``site.json`` there listing each page's weight
and the explorables that worked, each with the time from key press to new frame in the page's own clock.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.browser import SCREENSHOTS, PageVisit, json_report, require_chromium, serve

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
# Page errors known to be harmless, as substrings of the message. Empty: the one every Jupyter Book 1
# page used to raise (sphinx-thebe writing `const THEBE_JS_URL` twice) is removed at build time by
# tools/sphinx_assets.py, so any page error fails a test.
KNOWN_PAGE_ERRORS: list[str] = []

# An explorable (book.chapters.explorable): a slider, the label of the frame shown, then the Stack of its
# pre-drawn frames; its CSS classes name the parts.
EXPLORABLE = ".explorable"
WIDGET_VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]'
TIMEOUT_MS = 20_000


def toc_pages() -> list[str]:
    """The site path of every page in _toc.yml, in reading order (e.g. ``notebooks/01_black_box.html``)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        files += [chapter["file"] for chapter in part["chapters"]]
    return [f"{Path(file).with_suffix('')}.html" for file in files]


PAGES = toc_pages()
CHAPTERS = [page for page in PAGES if page.startswith("notebooks/")]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The built site on a local HTTP server; yields its base URL."""
    require_chromium()
    if not (SITE / "intro.html").exists():
        pytest.fail(f"{SITE} has no built site: run `make book` first")
    if "_static/npm/" not in (SITE / "intro.html").read_text():  # intro.html has math, so loads MathJax
        pytest.fail(
            f"{SITE} was built without its Node.js packages (CDN fallback): install Node.js, make book"
        )
    with serve(SITE) as url:
        yield url


@pytest.fixture(scope="module")
def report() -> Iterator[dict]:
    """Collects each page's weight and explorables; written to _build/screenshots/site.json at the end."""
    with json_report("site.json") as results:
        yield results


class SitePageVisit(PageVisit):
    """A page of the book's site, which knows its harmless errors and its weight."""

    def unexpected_errors(self) -> list[str]:
        """Page errors that are not on the list of known harmless ones."""
        return [error for error in self.errors if not any(known in error for known in KNOWN_PAGE_ERRORS)]

    def weight(self) -> int:
        """Bytes of the page and every file it loaded from the site (each file counted once)."""
        paths = [SITE / path for path in self.site_paths()]
        return sum(path.stat().st_size for path in paths if path.is_file())


def wait_for_widgets(page) -> int:
    """Wait until the widget manager has drawn every stored widget view; return how many there are."""
    views = page.locator(WIDGET_VIEW).count()
    if views:
        page.wait_for_function(
            """selector => [...document.querySelectorAll(selector)].every(script => {
                 const area = script.previousElementSibling;
                 return area && area.classList.contains('widget-subarea') && area.children.length > 0;
               })""",
            arg=WIDGET_VIEW,
            timeout=TIMEOUT_MS,
        )
    return views


def wait_for_math(page) -> int:
    """Wait until MathJax has typeset every formula of the page; return how many there are."""
    formulas = page.locator(".math").count()
    if formulas:
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=TIMEOUT_MS
        )
        page.evaluate("() => MathJax.startup.promise")
        page.wait_for_function(
            "() => document.querySelectorAll('.math:not(:has(mjx-container))').length === 0",
            timeout=TIMEOUT_MS,
        )
    return formulas


def frames_shown(explorable) -> str:
    """What an explorable's frame area shows now (its HTML: each frame's image data differs)."""
    return explorable.locator(":scope > .explorable-frames").inner_html()


def move_slider(page, explorable) -> tuple[str, str]:
    """Move an explorable's slider one step (right, or left at the end); return its label before, after."""
    handle = explorable.locator(":scope > .widget-slider .noUi-handle").first
    readout = explorable.locator(":scope > .explorable-readout")
    before = readout.inner_text()
    handle.focus()
    page.keyboard.press("ArrowRight")
    if readout.inner_text() == before:
        page.keyboard.press("ArrowLeft")
    return before, readout.inner_text()


def screenshot(page, path: str) -> None:
    """Save full-page screenshots (JPEG, faster to write than PNG) of the page in light and dark mode."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = path.removesuffix(".html").replace("/", "__")
    for mode in ("light", "dark"):
        page.evaluate("mode => { document.documentElement.dataset.theme = mode; }", mode)
        page.wait_for_timeout(100)
        page.screenshot(path=SCREENSHOTS / f"{name}-{mode}.jpg", full_page=True, quality=85)


# Times a frame switch with the page's own clock, from the key press (the event's timeStamp) to the first
# change inside the explorable's frames, and to the second animation frame after it (the new frame painted).
WATCH_FRAME_SWITCH = """explorable => {
  const timing = {};
  const onKey = event => { timing.key = event.timeStamp; };
  const observer = new MutationObserver(() => {
    if (timing.key === undefined) return;
    observer.disconnect();
    document.removeEventListener('keydown', onKey, true);
    timing.changed = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => { timing.painted = performance.now(); }));
  });
  document.addEventListener('keydown', onKey, true);
  observer.observe(explorable.querySelector(':scope > .explorable-frames'),
                   {childList: true, subtree: true, attributes: true});
  window.frameSwitch = timing;
}"""


def check_explorables(page, path: str) -> list[str]:
    """Move the slider of every explorable shown; each must show another frame. Return what moved,
    with how long the page took to change the frame and to paint it (measured, not asserted)."""
    explorables = page.locator(EXPLORABLE)
    moved = []
    for index in range(explorables.count()):
        explorable = explorables.nth(index)
        if not explorable.is_visible():
            continue  # inside another explorable's frame that is not shown
        label = explorable.locator(":scope > .widget-slider .widget-label").first.inner_text()
        frame = frames_shown(explorable)
        explorable.evaluate(WATCH_FRAME_SWITCH)
        before, after = move_slider(page, explorable)
        assert after != before, f"{path}: the slider {label!r} did not move"
        assert frames_shown(explorable) != frame, f"{path}: the slider {label!r} did not change the frame"
        shown = explorable.locator(":scope > .explorable-readout")
        assert shown.evaluate("el => el.scrollWidth <= el.clientWidth"), f"{path}: label {after!r} is cut"
        page.wait_for_function("() => window.frameSwitch.painted !== undefined", timeout=TIMEOUT_MS)
        timing = page.evaluate("() => window.frameSwitch")
        moved.append(
            f"{label} ({before} -> {after}): frame changed {timing['changed'] - timing['key']:.0f} ms "
            f"after the key press, painted after {timing['painted'] - timing['key']:.0f} ms"
        )
    return moved


@pytest.mark.parametrize("path", PAGES)
def test_page_works_offline(browser, server: str, report: dict, path: str) -> None:
    """The page loads only from the site, without errors; its widgets and math render; every explorable
    of a chapter responds to its slider, with no kernel behind it."""
    visit = SitePageVisit(browser, server, path)
    page = visit.page
    views = wait_for_widgets(page)
    formulas = wait_for_math(page)
    assert page.locator(".jupyter-widgets-error-widget").count() == 0, f"{path}: a widget failed to render"
    assert page.get_by_text("could not be rendered").count() == 0, f"{path}: a widget placeholder was left"
    assert page.locator("mjx-merror").count() == 0, f"{path}: MathJax could not typeset a formula"
    page.wait_for_load_state("networkidle")
    screenshot(page, path)
    if path in CHAPTERS:
        moved = check_explorables(page, path)
        assert moved, f"{path} has no explorable"
        report.setdefault(path, {})["explorables"] = moved
    assert visit.outside_requests() == [], f"{path} asked for files outside the site"
    assert visit.failures == [], f"{path}: requests failed"
    assert visit.unexpected_errors() == [], f"{path}: page errors"
    report.setdefault(path, {}).update(weight_bytes=visit.weight(), widget_views=views, formulas=formulas)
    page.close()


def test_search_works_offline(browser, server: str) -> None:
    """The built-in full-text search finds a word that every chapter uses."""
    visit = SitePageVisit(browser, server, "search.html?q=attention")
    results = visit.page.locator("#search-results li")
    results.first.wait_for(timeout=TIMEOUT_MS)
    assert results.count() >= 2
    assert visit.outside_requests() == []
    visit.page.close()
