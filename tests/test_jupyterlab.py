"""The chapters in JupyterLab read as they do on the site: numbers, glossary terms, exercises, live widgets.

A JupyterLab server (the pinned JupyterLab with jupyterlab-myst, as a reader installs it) serves copies of
the chapters on 127.0.0.1, prepared as ``make lab`` prepares them (tools/jupyterlab/prepare.sh: widget state
saved, chapters trusted), and Debian's Chromium opens them through Playwright. Every chapter, as stored,
must show its text without raw MyST syntax, each quoted number shown from the result stored with its cell,
each citation as on the site, and every explorable drawn from its stored state, its slider live before
anything runs; one chapter is then run end to end (Run All Cells) from a copy with nothing stored (no
outputs, no widget state, no quoted results), so that every number its text shows comes from the live kernel,
and a slider is moved (every chapter with ``BOOK_LAB_RUN=all``). What each chapter showed goes to
``_build/screenshots/jupyterlab.json``.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from book.chapters.prose import QUOTE_MIME
from tests.browser import json_report, require_chromium
from tests.test_notebooks import CITATION, markdown, widget_state
from tools.execute import WIDGET_VIEW, inline_expressions
from tools.sphinx_eval import stored_results

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# The chapters run end to end: by default one with numbers in its text and sliders that runs in seconds;
# BOOK_LAB_RUN=all runs every chapter (about five minutes, chapter 9 training its translator).
RUN_CHAPTERS = (
    [path.name for path in NOTEBOOKS]
    if os.environ.get("BOOK_LAB_RUN") == "all"
    else ["04_scores_scaling_softmax.ipynb"]
)
TOKEN = "attention-built-test"
TIMEOUT_MS = 60_000

# Settings for the test's JupyterLab: every cell in the page (by default JupyterLab 4 draws only the cells
# near the viewport) and no pop-up asking about news.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}
# What MyST source looks like when nothing rendered it: a role, a directive fence, an inline expression
# that jupyterlab-myst could not fill in (it shows the expression as code).
RAW_ROLE = re.compile(r"\{(eval|term|cite|cite:[a-z]+|glue(:[a-z]+)?|ref|numref|doc)\}")
RAW_DIRECTIVE = re.compile(r"^(:::|```)\{", re.M)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A JupyterLab server over copies of the chapters; yields its base URL (the token is TOKEN)."""
    require_chromium()
    home = tmp_path_factory.mktemp("jupyterlab")
    chapters = home / "notebooks"
    chapters.mkdir()
    for path in NOTEBOOKS:  # copies: JupyterLab saves what it runs
        shutil.copy(path, chapters / path.name)
    (chapters / "unrun").mkdir()
    for name in RUN_CHAPTERS:
        (chapters / "unrun" / name).write_text(json.dumps(unrun(ROOT / "notebooks" / name)))
    for name, values in SETTINGS.items():
        (home / "settings" / name).parent.mkdir(parents=True, exist_ok=True)
        (home / "settings" / name).write_text(json.dumps(values))
    # The reader's preparation, with the trust database of this test's own (JUPYTER_DATA_DIR), not the user's.
    environment = {**os.environ, "JUPYTER_DATA_DIR": str(home / "data"), "PYTHON": sys.executable}
    subprocess.run(
        ["sh", ROOT / "tools" / "jupyterlab" / "prepare.sh", chapters, home / "prefix"],
        env=environment,
        check=True,
    )
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={chapters}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        f"--LabApp.app_settings_dir={home / 'prefix' / 'share' / 'jupyter' / 'lab' / 'settings'}",
    ]
    if os.geteuid() == 0:  # JupyterLab refuses root without it; CI runs as root
        command.append("--allow-root")
    log = (home / "server.log").open("w")
    jupyterlab = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=home, env=environment)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if jupyterlab.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start: {(home / 'server.log').read_text()[-2000:]}")
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        jupyterlab.terminate()
        jupyterlab.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def report() -> Iterator[dict]:
    """What each chapter showed in JupyterLab; written to _build/screenshots/jupyterlab.json at the end."""
    with json_report("jupyterlab.json") as results:
        yield results


def unrun(path: Path) -> dict:
    """The notebook at ``path`` as if it had never run: no outputs, counts, widget state or quoted results."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["metadata"].pop("widgets", None)
    for cell in notebook["cells"]:
        cell["metadata"].pop("user_expressions", None)
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return notebook


def open_chapter(browser, server: str, name: str):
    """A new tab with chapter ``name`` open in JupyterLab, every markdown cell rendered."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    workspace = re.sub(r"\W", "-", name)  # a workspace of its own: JupyterLab reopens a workspace's tabs
    page.goto(f"{server}/lab/workspaces/{workspace}/tree/{name}?token={TOKEN}")
    page.wait_for_selector(".jp-NotebookPanel .jp-MarkdownCell", timeout=TIMEOUT_MS)
    page.wait_for_function(  # jupyterlab-myst renders each markdown cell on its own
        "() => [...document.querySelectorAll('.jp-MarkdownCell')].every("
        "cell => cell.querySelector('.jp-MarkdownOutput, .jp-RenderedMarkdown, .myst'))",
        timeout=TIMEOUT_MS,
    )
    return page


def markdown_text(page, hidden: bool = False) -> str:
    """The rendered text of every markdown cell (jupyterlab-myst's ``.myst``): what a reader sees, or with
    ``hidden`` also what is folded away (exercise solutions)."""
    rendered = page.locator(".jp-MarkdownCell .myst")
    return "\n\n".join(rendered.all_text_contents() if hidden else rendered.all_inner_texts())


def quoted_values(path: Path, every_run: bool = False) -> list[str]:
    """The text of every inline expression's stored result in a chapter, read as the site reads them; with
    ``every_run``, only those that every run computes alike (not those quoted by a cell nbval ignores)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    varying = {
        text.partition(" = ")[0]
        for cell in notebook["cells"]
        if "nbval-ignore-output" in cell["metadata"].get("tags", [])
        for output in cell.get("outputs", [])
        for text in [output.get("data", {}).get(QUOTE_MIME, "")]
        if text
    }
    return [
        result["data"]["text/plain"]
        for expression, results in stored_results(notebook).items()
        for result in results
        if not (every_run and expression.removeprefix("quote.") in varying)
    ]


def displayed_explorables(notebook: dict) -> int:
    """How many explorables a notebook's outputs display, by the views stored with their cells."""
    models = widget_state(notebook)
    return sum(
        "explorable" in models[output["data"][WIDGET_VIEW]["model_id"]]["state"].get("_dom_classes", [])
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    )


def move_a_slider(page) -> int:
    """Press the right arrow on the first explorable's slider and wait for its picture to change; returns
    how many explorables the page shows."""
    explorables = page.locator(".jp-OutputArea .explorable")
    frames = explorables.first.locator(":scope > .explorable-frames")
    frames.scroll_into_view_if_needed()
    before = frames.inner_html()
    explorables.first.locator(":scope > .widget-slider .noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([frames, before]) => frames.innerHTML !== before",
        arg=[frames.element_handle(), before],
        timeout=TIMEOUT_MS,
    )
    return explorables.count()


def disconnected_marks(page) -> tuple[int, int]:
    """How many parts of the page's explorables JupyterLab marks as having no kernel, and on how many of
    them its red broken-chain icon (a ``::before`` rule) shows."""
    return tuple(
        page.evaluate(
            "() => { const parts = [...document.querySelectorAll('.jp-OutputArea .explorable"
            ".jupyter-widgets-disconnected, .jp-OutputArea .explorable .jupyter-widgets-disconnected')];"
            " return [parts.length,"
            " parts.filter(part => getComputedStyle(part, '::before').display !== 'none').length]; }"
        )
    )


def assert_reads_as_text(text: str, name: str) -> None:
    roles = sorted(set(match[0] for match in RAW_ROLE.finditer(text)))
    assert not roles, f"{name}: raw MyST roles in JupyterLab: {roles}"
    assert not RAW_DIRECTIVE.search(text), f"{name}: a raw MyST directive in JupyterLab"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_stored_chapter_reads_as_on_the_site(browser, server: str, report: dict, path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    source = markdown(path)
    page = open_chapter(browser, server, path.name)
    try:
        text = markdown_text(page)
        assert_reads_as_text(text, path.name)
        citations = {f"[{label.replace('*', '')}]" for label, _ in CITATION.findall(source)}
        missing = [citation for citation in citations if citation not in text]
        assert not missing, f"{path.name}: citations not shown as on the site: {missing}"
        expressions = inline_expressions(source)
        shown_as_code = page.locator(".jp-MarkdownCell code", has_text=re.compile(r"^quote\.")).count()
        assert shown_as_code == 0, f"{path.name}: {shown_as_code} quoted numbers shown as their expression"
        everything = markdown_text(page, hidden=True)
        missing = [value for value in quoted_values(path) if value not in everything]
        assert not missing, f"{path.name}: quoted values not shown: {missing[:5]}"
        assert len(quoted_values(path)) >= len(set(expressions))
        exercises = len(re.findall(r"^Exercise \d+", text, re.M))  # a heading of jupyterlab-myst's own
        assert exercises >= 2, f"{path.name}: exercises not rendered as exercises ({exercises})"
        stored = displayed_explorables(notebook)
        page.wait_for_function(  # JupyterLab draws a trusted notebook's widgets from its stored state
            "count => document.querySelectorAll('.jp-OutputArea .explorable').length >= count",
            arg=stored,
            timeout=TIMEOUT_MS,
        )
        marked, icons = disconnected_marks(page)
        assert marked > 0, f"{path.name}: JupyterLab no longer marks widgets without a kernel; check the test"
        assert icons == 0, f"{path.name}: {icons} broken-chain icons on explorables, which need no kernel"
        report[path.name] = {
            "raw_roles": 0,
            "quoted_values_shown": len(quoted_values(path)),
            "citations": len(CITATION.findall(source)),
            "exercises": exercises,
            "explorables_stored": stored,
            "explorables_drawn_before_running": move_a_slider(page),
            "slider_moved_before_running": True,
            "broken_chain_icons": icons,
        }
    finally:
        page.close()


@pytest.mark.parametrize("name", RUN_CHAPTERS)
def test_a_chapter_runs_end_to_end_with_live_numbers_and_sliders(
    browser, server: str, report: dict, name: str
) -> None:
    page = open_chapter(browser, server, f"unrun/{name}")
    try:
        assert page.locator(".jp-MarkdownCell code", has_text=re.compile(r"^quote\.")).count() > 0
        started = time.monotonic()
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
        page.wait_for_function(  # every code cell shows its number (a collapsed one shows no prompt)
            "() => { const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
            ".map(p => p.textContent.trim()).filter(text => text);"
            " return prompts.length > 0 && prompts.every(text => /^\\[\\d+\\]:$/.test(text)); }",
            timeout=10 * TIMEOUT_MS,
        )
        seconds = time.monotonic() - started
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        tracebacks = [text for text in errors.all_inner_texts() if "Traceback" in text or "Error" in text]
        assert not tracebacks, f"{name}: errors in the run: {tracebacks[0][:500]}"
        page.wait_for_function(  # jupyterlab-myst asks the kernel for a cell's numbers once the cell has run
            "() => [...document.querySelectorAll('.jp-MarkdownCell code')]"
            ".every(code => !code.textContent.startsWith('quote.'))",
            timeout=TIMEOUT_MS,
        )
        text = markdown_text(page)
        assert_reads_as_text(text, name)
        expected = quoted_values(ROOT / "notebooks" / name, every_run=True)
        everything = markdown_text(page, hidden=True)
        missing = [value for value in expected if value not in everything]
        assert not missing, f"{name}: numbers the live run does not show: {missing[:5]}"

        report[f"run {name}"] = {
            "seconds": round(seconds, 1),
            "raw_roles": 0,
            "live_quoted_values_shown": len(expected),
            "explorables": move_a_slider(page),
            "slider_moved": True,
        }
    finally:
        page.close()
