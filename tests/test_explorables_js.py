"""The site's widget renderer (``site/explorables/explorables.js``) shows and switches exactly what the
ipywidgets HTML manager shows, names its sliders and images for screen readers, and says what it cannot show.

A test page holds one chapter's stored widget state and the widget views its site page shows, and loads
either the HTML manager (``embed-amd.js`` with require.js, installed from npm as the site once served them) or
the renderer. In both, the test visits every position of every explorable's slider with the keyboard, and of
each explorable that a frame shows (chapter 5 nests them), and records the whole page each time: every
explorable's readout, and the bytes of the images and the text its frame shows. Both records must be equal
and hold every position. The chapters: 5 (explorables inside explorables' frames) and 9 (the most sliders).
"""

import json
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from tests.browser import require_chromium, serve
from tools.execute import WIDGET_STATE, WIDGET_VIEW, widget_views

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
CHAPTERS = ("05_multi_head_attention", "09_translator")
TIMEOUT_MS = 20_000

# What each page loads, and the keyboard control of a slider, under an explorable: the manager's is a
# noUiSlider handle (its aria-valuemax the last position), the renderer's a native range input (max).
MANAGER = {
    "head": '<script src="require.js"></script><script src="html-manager/embed-amd.js"></script>',
    "control": ":scope > .widget-slider .noUi-handle",
    "last": "aria-valuemax",
}
RENDERER = {
    "head": '<link rel="stylesheet" href="explorables.css"><script defer src="explorables.js"></script>',
    "control": ":scope > .explorable-slider input[type=range]",
    "last": "max",
}

# The page as shown: for every explorable, in document order (both draw only the frame selected, so every
# explorable in the page is shown), the text of its readout and what its own frame shows (not the frames of
# the explorables inside it): each image's SHA-256 (the manager shows them as blob: URLs, the renderer as
# data: URLs) and each HTML frame's text.
SHOWN = """async () => {
  const digest = async url => {
    const bytes = await (await fetch(url)).arrayBuffer();
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return Array.from(hash, byte => byte.toString(16).padStart(2, '0')).join('');
  };
  const shown = [];
  for (const explorable of document.querySelectorAll('.explorable')) {
    const frames = explorable.querySelector(':scope > .explorable-frames');
    const own = element => element.closest('.explorable') === explorable;
    shown.push({
      readout: explorable.querySelector(':scope > .explorable-readout').innerText.trim(),
      images: await Promise.all([...frames.querySelectorAll('img')].filter(own).map(img => digest(img.src))),
      texts: [...frames.querySelectorAll('.widget-html')].filter(own).map(html => html.innerText.trim()),
    });
  }
  return shown;
}"""

# Every view's drawn area (the manager's .widget-subarea, the renderer's .explorable-view) holds its slider.
VIEWS_DRAWN = """selector => [...document.querySelectorAll(selector)].every(script => {
  const area = script.previousElementSibling;
  return area?.matches('.widget-subarea, .explorable-view') && area.querySelector('input, .noUi-handle');
})"""


# A box holding a text field, which the renderer does not draw, and a Stack whose title for its image is the
# image's alt text; and a view of a model the state lacks.
BOX, TEXT, STACK, IMAGE, LOST = ("abcde"[n] * 32 for n in range(5))
PIXEL = "R0lGODlhAQABAAAAACwAAAAAAQABAAA="  # a 1x1 GIF, base64
SYNTHETIC = {
    BOX: {
        "model_name": "VBoxModel",
        "state": {"children": [f"IPY_MODEL_{TEXT}", f"IPY_MODEL_{STACK}"], "_dom_classes": ["box"]},
    },
    TEXT: {"model_name": "TextModel", "state": {"value": "typed"}},
    STACK: {
        "model_name": "StackModel",
        "state": {"children": [f"IPY_MODEL_{IMAGE}"], "selected_index": 0, "titles": ["A dot"]},
    },
    IMAGE: {
        "model_name": "ImageModel",
        "state": {"format": "gif"},
        "buffers": [{"data": PIXEL, "encoding": "base64", "path": ["value"]}],
    },
}
# The renderer's sliders and images as a screen reader meets them: each slider's accessible name (its label),
# value text and the readout beside it; each image's alt text.
NAMES = """() => ({
  sliders: [...document.querySelectorAll('.explorable')].map(explorable => {
    const slider = explorable.querySelector(':scope > .explorable-slider input[type=range]');
    return {name: [...slider.labels].map(label => label.textContent).join(' '),
            value: slider.getAttribute('aria-valuetext'),
            readout: explorable.querySelector(':scope > .explorable-readout').innerText.trim()};
  }),
  alts: [...document.querySelectorAll('.explorable-frames img')].map(img => img.alt),
})"""
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
AXE_RULES = ["image-alt", "label", "aria-input-field-name", "aria-valid-attr-value"]


def shown_views(notebook: nbformat.NotebookNode) -> list[str]:
    """The model ids of the widget views the site shows: those of cells whose output is not removed."""
    shown = [cell for cell in notebook.cells if "remove-output" not in cell.metadata.get("tags", [])]
    return widget_views({"cells": shown})


def positions(state: dict, model_id: str) -> int:
    """How many slider positions the widget ``model_id`` offers, counting the explorables in its frames for
    each frame (an explorable's children: its slider, its readout, the Stack of its frames and a style)."""
    model = state[model_id]["state"]
    children = [child.removeprefix("IPY_MODEL_") for child in model.get("children", [])]
    if "explorable" not in model.get("_dom_classes", []):
        return sum(positions(state, child) for child in children)
    slider, _, frames, _ = children
    inner = [child.removeprefix("IPY_MODEL_") for child in state[frames]["state"]["children"]]
    return len(state[slider]["state"]["_options_labels"]) + sum(positions(state, child) for child in inner)


def explorables_page(widgets: dict, views: list[str], head: str) -> str:
    """A page holding the stored ``widgets`` (a notebook's widget metadata) with ``views`` shown, as the
    site's pages hold them (the state after the views), loading what ``head`` names."""
    scripts = [f'<script type="{WIDGET_VIEW}">{json.dumps({"model_id": view})}</script>' for view in views]
    cells = "".join(f'<div class="cell_output">{script}</div>' for script in scripts)
    state = json.dumps(widgets).replace("</", "<\\/")  # as myst-nb escapes it for a script element
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Explorables</title>{head}</head>'
        f'<body><main>{cells}</main><script type="{WIDGET_STATE}">{state}</script></body></html>'
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A folder holding the manager, the renderer and, for each chapter, its page for each, on a local
    server; yields its base URL."""
    require_chromium()
    manager = NODE_MODULES / "@jupyter-widgets" / "html-manager" / "dist"
    if not (manager / "embed-amd.js").is_file() or not (NODE_MODULES / "requirejs").is_dir():
        pytest.fail(f"{NODE_MODULES} lacks the ipywidgets HTML manager or require.js: run `npm ci`")
    folder = tmp_path_factory.mktemp("explorables")
    (folder / "html-manager").symlink_to(manager)
    (folder / "require.js").symlink_to(NODE_MODULES / "requirejs" / "require.js")
    for name in ("explorables.js", "explorables.css"):
        (folder / name).symlink_to(ROOT / "site" / "explorables" / name)
    for chapter in CHAPTERS:
        notebook = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4)
        widgets, views = notebook.metadata["widgets"][WIDGET_STATE], shown_views(notebook)
        for name, drawn in (("manager", MANAGER), ("renderer", RENDERER)):
            (folder / f"{chapter}-{name}.html").write_text(explorables_page(widgets, views, drawn["head"]))
    synthetic = explorables_page({"state": SYNTHETIC}, [BOX, LOST], RENDERER["head"])
    (folder / "synthetic.html").write_text(synthetic)
    with serve(folder) as url:
        yield url


def settled(page) -> list[dict]:
    """What the page shows, once two looks 100 ms apart agree (the manager draws a frame asynchronously)."""
    shown = page.evaluate(SHOWN)
    while True:
        page.wait_for_timeout(100)
        again = page.evaluate(SHOWN)
        if again == shown:
            return shown
        shown = again


def explore(page, explorable, drawn: dict, record: list) -> None:
    """Move ``explorable``'s slider to its first position, then one step at a time to its last, with the
    keyboard; at each, record what the page shows and explore the explorables its frame shows."""
    control = explorable.locator(drawn["control"]).first
    readout = explorable.locator(":scope > .explorable-readout")
    last = round(float(control.get_attribute(drawn["last"])))
    control.focus()
    page.keyboard.press("Home")
    for position in range(last + 1):
        if position:
            before = readout.inner_text()
            control.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "([readout, before]) => readout.innerText !== before",
                arg=[readout.element_handle(), before],
                timeout=TIMEOUT_MS,
            )
        record.append(settled(page))
        inner = explorable.locator(":scope > .explorable-frames > .explorable")
        for index in range(inner.count()):
            explore(page, inner.nth(index), drawn, record)


def every_position(browser, url: str, drawn: dict) -> list[list[dict]]:
    """What the page at ``url`` shows first, then at every slider position that ``explore`` visits."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_function(VIEWS_DRAWN, arg=f'script[type="{WIDGET_VIEW}"]', timeout=TIMEOUT_MS)
    record = [settled(page)]
    top = page.locator(".explorable:not(.explorable-frames .explorable)")
    for index in range(top.count()):
        explore(page, top.nth(index), drawn, record)
    assert errors == [], f"{url}: page errors"
    page.close()
    return record


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_renderer_shows_what_the_widget_manager_does(browser, server: str, chapter: str) -> None:
    """At first and at every slider position, the renderer shows the same frames and readouts."""
    notebook = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4)
    state = notebook.metadata["widgets"][WIDGET_STATE]["state"]
    expected = 1 + sum(positions(state, view) for view in shown_views(notebook))  # the first look, then each
    manager = every_position(browser, f"{server}/{chapter}-manager.html", MANAGER)
    renderer = every_position(browser, f"{server}/{chapter}-renderer.html", RENDERER)
    assert len(manager) == expected, f"the manager's page offered {len(manager)} of {expected} positions"
    assert all(any(explorable["images"] for explorable in look) for look in manager), "a look without frames"
    for step, (theirs, ours) in enumerate(zip(manager, renderer, strict=True)):
        assert ours == theirs, f"{chapter}, look {step}: the renderer shows {ours}, the manager {theirs}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_renderer_names_its_sliders_and_images(browser, server: str, chapter: str) -> None:
    """Every slider is named by its description and says the label it selects, at its first and last
    position; every image's alt text is a description the chapter stored (a frame's title in its Stack);
    axe-core finds no violation of the rules on names and alt text."""
    notebook = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4)
    stored = [model["state"] for model in notebook.metadata["widgets"][WIDGET_STATE]["state"].values()]
    descriptions = {title for state in stored for title in state.get("titles", [])}
    page = browser.new_page()
    page.goto(f"{server}/{chapter}-renderer.html")
    page.wait_for_function(VIEWS_DRAWN, arg=f'script[type="{WIDGET_VIEW}"]', timeout=TIMEOUT_MS)
    for key in ("Home", "End"):
        for slider in page.locator(RENDERER["control"].removeprefix(":scope > ")).all():
            slider.focus()
            page.keyboard.press(key)
        names = page.evaluate(NAMES)
        assert names["sliders"] and names["alts"]
        for slider in names["sliders"]:
            assert slider["name"].strip() and slider["value"] == slider["readout"], slider
        assert set(names["alts"]) <= descriptions - {None, ""}, f"alt text not stored: {names['alts']}"
    page.add_script_tag(path=AXE)
    violations = page.evaluate("rules => axe.run(document, {runOnly: rules})", AXE_RULES)["violations"]
    assert violations == [], violations
    page.close()


def test_the_renderer_says_what_it_cannot_show(browser, server: str) -> None:
    """A model it does not draw, and a view of a model the page does not store, each leave a visible message
    that names them; the box around the first is drawn with its classes, and the image beside it has its
    Stack's title as alt text."""
    page = browser.new_page()
    page.goto(f"{server}/synthetic.html")
    messages = page.locator(".explorable-unsupported")
    messages.first.wait_for(timeout=TIMEOUT_MS)
    assert messages.count() == 2 and all(message.is_visible() for message in messages.all())
    assert "TextModel" in messages.nth(0).inner_text()
    assert page.locator(".box > .explorable-unsupported").count() == 1
    assert LOST in messages.nth(1).inner_text()
    assert page.locator(".box img").get_attribute("alt") == "A dot"
    page.close()
