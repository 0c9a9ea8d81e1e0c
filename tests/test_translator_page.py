"""The translator page: the book's translator runs in the reader's browser and translates as Python does.

Drives Debian's Chromium through Playwright over the built site (``_build/html``, or the build folder that
``BOOK_SITE`` names), served by a local HTTP server as tests/test_site.py does: offline. The page must show
Python's translations (greedy and beam 4), draw the cross-attention for each layer and head, refuse bad input
with a clear message and load nothing of the translator until it is used, and other pages nothing at all.
Screenshots (light, dark, a 375 px phone) go to ``screenshots/`` beside the site, and to its ``site.json``,
under ``translator``, each translation's time in the page's own clock, from the submit to the translation
painted, and the bytes the page loads before and after its first use, raw and gzipped (measured, not
asserted).
"""

import json
import os
import statistics
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

from book.translation.translator import Translator, UnfinishedTranslationWarning, UnknownWordsWarning
from tests.browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    PageVisit,
    axe_audit,
    broken_rules,
    gzipped,
    json_report,
    require_chromium,
    serve,
    show_theme,
)
from tests.test_site import TIMEOUT_MS

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("BOOK_SITE", ROOT / "_build" / "html")).resolve()
SCREENSHOTS = SITE.parent / "screenshots"
PAGE = "translator.html"
FILES = "_static/translator/"  # where tools/sphinx_translator.py puts everything the widget loads
WIDGET = "div.attention-built-translator"
CHAPTERS_WITH_THE_WIDGET = ["notebooks/01_black_box.html", "notebooks/09_translator.html"]
SERVE = "python3 -m http.server -d _build/html"

TYPED = "The animal didn't cross the street because it was too tired."  # the page's initial sentence
GREEDY = [
    TYPED,
    "I see the red car.",
    "the purple zebra is tired",  # two unknown words
    "Is the boy happy?",
    "the girl is sad because the cat is sick",
    "the king and the queen left",
    "The cat doesn't like the soup.",
    "the horse is in the field near the forest",
    "the yellow bird is in the tree and the black cat is under the tree",  # greedy does not end it
]
BEAM = ["the horse is in the field near the forest", TYPED, "the cat and the dog are hungry"]
BEAM_CHANGES = "the horse is in the field near the forest"  # beam search finds another translation
HOSTILE = 'the dog eats <b>the</b> apple <img src=x onerror="window.hacked = 1">'


@pytest.fixture(scope="module")
def python() -> dict[int, Translator]:
    """Python's translators, by beam size."""
    greedy = Translator.pretrained()
    return {1: greedy, 4: greedy.with_beam(4)}


def python_translation(translators: dict[int, Translator], text: str, beam: int) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownWordsWarning)
        warnings.simplefilter("ignore", UnfinishedTranslationWarning)
        return translators[beam].translate(text)


def python_ends(translators: dict[int, Translator], text: str, beam: int) -> bool:
    """Whether Python's translator ends its translation of ``text`` (no UnfinishedTranslationWarning)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        translators[beam].translate(text)
    return not any(issubclass(w.category, UnfinishedTranslationWarning) for w in caught)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The built site on a local HTTP server; yields its base URL."""
    require_chromium()
    if not (SITE / PAGE).exists():
        pytest.fail(f"{SITE} has no {PAGE}: run `make book` first")
    if not (SITE / FILES / "ort-wasm-simd-threaded.wasm").exists():
        pytest.fail(f"{SITE / FILES} lacks onnxruntime-web: install Node.js, run `make book`")
    with serve(SITE) as url:
        yield url


@pytest.fixture(scope="module")
def report() -> Iterator[dict]:
    """What the tests measure; written at the end under "translator" in the site tests' site.json, beside
    the site built (tests/test_site.py writes the file first)."""
    with json_report("site.json", SCREENSHOTS, key="translator") as results:
        yield results


class Visit(PageVisit):
    """A page opened once its network is quiet; ``problems`` are its failed requests and page errors."""

    def __init__(self, browser, server: str, path: str, width: int = 1200) -> None:
        super().__init__(browser, server, path, width, wait_until="networkidle")

    @property
    def problems(self) -> list[str]:
        return self.failures + self.errors

    def files(self) -> set[str]:
        """The site paths requested so far (``_static/translator/widget.js``); none may be elsewhere."""
        assert self.outside_requests() == [], "requests outside the site"
        return self.site_paths()


def weight(paths: set[str]) -> dict[str, int]:
    """The bytes of the site files ``paths``, raw and gzipped (level 6, as web servers compress)."""
    files = [SITE / path for path in paths if (SITE / path).is_file()]
    return {
        "files": len(files),
        "bytes": sum(file.stat().st_size for file in files),
        "gzip_bytes": sum(len(gzipped(file)) for file in files),
    }


@pytest.fixture(scope="module")
def visit(browser, server: str, report: dict) -> Iterator[Visit]:
    """The translator page, used once (the input focused, the translator loaded); every test uses it."""
    visit = Visit(browser, server, PAGE)
    page = visit.page
    widget = page.locator(WIDGET)
    widget.get_by_label("English sentence").wait_for(timeout=TIMEOUT_MS)
    before = visit.files()
    assert f"{FILES}widget.js" in before and f"{FILES}widget.css" in before
    assert not [path for path in before if path.endswith((".onnx", ".wasm", ".mjs", "translate.js"))]
    started = page.evaluate("performance.now()")
    widget.get_by_label("English sentence").focus()
    widget.locator(".abt-status", has_text="ready").wait_for(timeout=TIMEOUT_MS)
    loaded = page.evaluate("performance.now()") - started
    after = visit.files()
    runtime = {path for path in after - before if path.startswith(FILES)}
    assert {path.removeprefix(FILES) for path in runtime} == {
        "ort.wasm.bundle.min.mjs",
        "ort-wasm-simd-threaded.wasm",
        "encoder.onnx",
        "decoder.onnx",
        "translator.json",
        "translate.js",
        "tokenize.js",
    }
    fetched = [url for url in visit.requests if url.endswith((".wasm", ".onnx"))]
    assert len(fetched) == len(set(fetched)) == 3  # each once: onnxruntime reuses the widget's download
    report.update(
        page_before_first_use=weight(before),
        widget_files_before_first_use=weight({path for path in before if path.startswith(FILES)}),
        page_after_first_use=weight(after),
        loaded_on_first_use=weight(runtime),
        loaded_on_first_use_by_file={path.removeprefix(FILES): weight({path}) for path in sorted(runtime)},
        first_use_load_ms=round(loaded),
    )
    yield visit
    assert visit.problems == [], "requests failed or the page raised errors"
    visit.page.close()


def submit(page, text: str, beam: int = 1) -> None:
    """Type ``text`` into the widget, pick the search, press Enter; wait until the widget is free again."""
    widget = page.locator(WIDGET)
    widget.get_by_label("Search", exact=True).select_option(value=str(beam))
    widget.get_by_label("English sentence").fill(text)
    count = page.evaluate("attentionBuilt.timings.length")
    widget.get_by_label("English sentence").press("Enter")
    page.wait_for_function(
        """([count, widget]) => attentionBuilt.timings.length > count ||
             document.querySelector(widget + ' .abt-status.abt-error')""",
        arg=[count, WIDGET],
        timeout=TIMEOUT_MS,
    )
    assert widget.get_by_role("button", name="Translate").is_enabled()  # never left busy


def shown(page) -> str:
    return page.locator(f"{WIDGET} .abt-french").inner_text()


def test_the_page_shows_pythons_translations(visit: Visit, python: dict, report: dict) -> None:
    page = visit.page
    assert page.locator(WIDGET).get_by_label("English sentence").input_value() == TYPED  # data-sentence
    searched = {1: GREEDY, 4: BEAM}
    for beam, texts in searched.items():
        for text in texts:
            submit(page, text, beam)
            assert shown(page) == python_translation(python, text, beam), (text, beam)
            unknown = page.locator(f"{WIDGET} .abt-unknown").inner_text()
            if text == "the purple zebra is tired":
                assert "purple, zebra" in unknown
                assert page.locator(f"{WIDGET} .abt-unknown-word").all_inner_texts() == ["purple", "zebra"]
            else:
                assert unknown == ""
            unfinished = page.locator(f"{WIDGET} .abt-unfinished").inner_text()
            assert ("did not end within" in unfinished) != python_ends(python, text, beam), (text, beam)
    assert not python_ends(python, GREEDY[-1], 1)  # the page was shown a translation that does not end
    assert python_translation(python, BEAM_CHANGES, 4) != python_translation(python, BEAM_CHANGES, 1)
    timings = page.evaluate("attentionBuilt.timings")
    assert [(t["text"], t["beam"]) for t in timings] == [
        (text, b) for b, texts in searched.items() for text in texts
    ]
    assert not any(t["loading"] for t in timings)  # focusing the input had loaded the translator
    for beam, name in ((1, "greedy"), (4, "beam4")):
        each = [round(t["milliseconds"], 1) for t in timings if t["beam"] == beam]
        report[f"{name}_submit_to_painted_ms"] = {"median": statistics.median(each), "each": each}


def test_the_api_returns_the_documented_shape(visit: Visit, python: dict) -> None:
    result = visit.page.evaluate("attentionBuilt.translate('I see the red car.', {beam: 4})")
    assert set(result) == {"text", "tokens", "unknown", "crossAttention"}
    assert result["text"] == python_translation(python, "I see the red car.", 4)
    result = visit.page.evaluate(f"attentionBuilt.translate({TYPED!r})")
    analysis = python[1].analyze(TYPED)
    assert result["text"] == analysis.translation
    assert result["tokens"] == {"source": analysis.source_tokens, "target": analysis.target_tokens}
    assert result["unknown"] == []
    expected = torch.stack(analysis.attention.cross)[:, 0]  # (layers, heads, target, source)
    assert (torch.tensor(result["crossAttention"]) - expected).abs().max() <= 1e-4
    error = visit.page.evaluate("attentionBuilt.translate('   ').catch(error => [error.name, error.message])")
    assert error == ["InputError", "nothing to translate: '   ' has no words"]


def heatmap(page) -> list[list[str]]:
    """The heat map's cells, row by row (the header row first)."""
    return page.locator(f"{WIDGET} table.abt-heatmap").evaluate(
        "table => [...table.rows].map(row => [...row.cells].map(cell => cell.textContent))"
    )


def test_the_heat_map_follows_the_layer_and_the_head(visit: Visit, python: dict) -> None:
    page = visit.page
    widget = page.locator(WIDGET)
    submit(page, TYPED)
    analysis = python[1].analyze(TYPED)
    cross = torch.stack(analysis.attention.cross)[:, 0]  # (layers, heads, target, source)
    layers, heads = cross.shape[:2]
    assert widget.get_by_label("Layer", exact=True).input_value() == str(layers - 1)  # the last layer
    assert widget.get_by_label("Head", exact=True).input_value() == "mean"
    shown_maps = {}
    for layer in range(layers):
        for head in ["mean", *map(str, range(heads))]:
            # by index: select_option's string matches an option's label as well as its value
            widget.get_by_label("Layer", exact=True).select_option(index=layer)
            widget.get_by_label("Head", exact=True).select_option(
                index=0 if head == "mean" else int(head) + 1
            )
            header, *rows = heatmap(page)
            assert header[1:] == analysis.source_tokens
            assert [row[0] for row in rows] == analysis.target_tokens
            weights = cross[layer].mean(0) if head == "mean" else cross[layer, int(head)]
            shown_weights = torch.tensor([[float(cell) for cell in row[1:]] for row in rows])
            assert (shown_weights - weights).abs().max() <= 0.005 + 1e-4  # shown with two decimals
            shown_maps[layer, head] = rows
    assert len({json.dumps(rows) for rows in shown_maps.values()}) == len(shown_maps)  # every choice differs
    caption = widget.locator(".abt-caption").inner_text()
    assert caption.startswith(f"Layer {layers}, head {heads}")


def test_bad_input_gets_a_clear_message(visit: Visit, python: dict) -> None:
    page = visit.page
    status = page.locator(f"{WIDGET} .abt-status")
    messages = {
        "": "Type an English sentence",
        " \t ": "Type an English sentence",
        "the dog " * 150: "the text has 300 tokens; this translator reads at most 254",
        "xyzzy plugh!": "no word of 'xyzzy plugh!' is known to this translator: xyzzy, plugh",
        "?!...": "nothing to translate: '?!...' has no words",
    }
    for text, message in messages.items():
        submit(page, text)
        assert message in status.inner_text(), text
        assert "abt-error" in status.get_attribute("class")
        assert not page.locator(f"{WIDGET} .abt-result").is_visible()
    submit(page, HOSTILE)  # shown as text: no element made, nothing run
    assert shown(page) == python_translation(python, HOSTILE, 1)
    assert page.locator(f"{WIDGET} .abt-result b, {WIDGET} .abt-result img").count() == 0
    assert page.evaluate("window.hacked") is None
    unknown = ", ".join(python[1].read(HOSTILE)[1])
    assert f"it reads each as <unk>): {unknown}." in page.locator(f"{WIDGET} .abt-unknown").inner_text()


def test_screenshots_in_light_dark_and_on_a_phone(browser, server: str, visit: Visit) -> None:
    """After the other tests, so the widget shows a translation; a phone's page does not scroll sideways."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = visit.page
    submit(page, TYPED)
    widget = page.locator(WIDGET)
    for mode in ("light", "dark"):
        show_theme(page, mode)
        widget.screenshot(path=SCREENSHOTS / f"translator-widget-{mode}.png")
    phone = Visit(browser, server, PAGE, width=375)
    phone.page.locator(WIDGET).get_by_label("English sentence").focus()
    submit(phone.page, TYPED, beam=4)
    assert shown(phone.page) == shown(page)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 375
    scroll = phone.page.locator(f"{WIDGET} .abt-scroll")
    assert scroll.evaluate("box => box.scrollWidth > box.clientWidth")  # the heat map scrolls in its box
    phone.page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
    phone.page.screenshot(path=SCREENSHOTS / "translator-phone.png", full_page=True)
    assert phone.problems == []
    phone.page.close()


def test_without_webassembly_the_widget_says_so(browser, server: str) -> None:
    page = browser.new_page()
    page.add_init_script("delete window.WebAssembly")
    page.goto(f"{server}/{PAGE}", wait_until="networkidle")
    widget = page.locator(WIDGET)
    widget.get_by_label("English sentence").focus()
    message = widget.locator(".abt-status.abt-error")
    message.wait_for(timeout=TIMEOUT_MS)
    assert "cannot run WebAssembly" in message.inner_text()
    submit(page, "the red car is here")
    assert "cannot run WebAssembly" in message.inner_text()
    page.close()


def test_a_page_opened_as_a_file_says_how_to_serve_it(browser) -> None:
    """Chromium runs no module from a file, so the div's own text tells; where a browser does run it
    (Chromium allowed to), the widget tells the same."""
    url = (SITE / PAGE).as_uri()
    allowing = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_FLAGS, "--allow-file-access-from-files"]
    )
    for opened in (browser, allowing):
        page = opened.new_page()
        page.goto(url, wait_until="load")
        widget = page.locator(WIDGET)
        if opened is allowing:
            widget.get_by_label("English sentence").focus()
            widget.locator(".abt-status.abt-error").wait_for(timeout=TIMEOUT_MS)
        else:
            page.wait_for_timeout(500)
            assert widget.get_by_label("English sentence").count() == 0
        assert SERVE in widget.inner_text()
        page.close()
    allowing.close()


def test_pages_without_the_widget_load_nothing_of_it(browser, server: str) -> None:
    pages = [path.relative_to(SITE).as_posix() for path in SITE.rglob("*.html")]
    holding = sorted(page for page in pages if FILES in (SITE / page).read_text(encoding="utf-8"))
    assert holding == sorted([PAGE, *CHAPTERS_WITH_THE_WIDGET])
    for path in ("intro.html", "notebooks/04_scores_scaling_softmax.html"):
        visit = Visit(browser, server, path)
        assert not [file for file in visit.files() if file.startswith(FILES)], path
        visit.page.close()


@pytest.mark.parametrize("path", CHAPTERS_WITH_THE_WIDGET)
def test_the_chapters_translate_in_the_page_in_place_of_their_kernel_box(
    browser, server: str, python: dict, path: str
) -> None:
    visit = Visit(browser, server, path)
    widget = visit.page.locator(WIDGET)
    sentence = widget.get_attribute("data-sentence")
    widget.get_by_label("English sentence").focus()
    widget.locator(".abt-status", has_text="ready").wait_for(timeout=TIMEOUT_MS)
    submit(visit.page, sentence)
    assert shown(visit.page) == python_translation(python, sentence, 1)
    assert "Needs a running Python kernel" not in visit.page.inner_text("body"), "the kernel's box is shown"
    assert visit.problems == []
    visit.page.close()


def test_the_widget_in_use_has_no_accessibility_violation(visit: Visit) -> None:
    """With a translation, its unknown words and its heat map shown, axe-core finds no violation on the page
    in light or dark mode: the heat map's numbers keep their contrast at every weight."""
    page = visit.page
    submit(page, "the purple zebra is tired")
    assert page.locator(f"{WIDGET} table.abt-heatmap td").count() > 0
    audits = {}
    for mode in ("light", "dark"):
        show_theme(page, mode)
        audits[mode] = axe_audit(page)
    show_theme(page, "light")
    assert broken_rules(audits["light"]) | broken_rules(audits["dark"]) == set(), f"axe: {audits}"
