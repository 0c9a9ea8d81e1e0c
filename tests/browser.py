"""What the browser tests share: Debian's Chromium driven by Playwright, and the reports they write.

The tests skip where Chromium is missing, except in CI (the ``CI`` variable), which installs it.
"""

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
def json_report(name: str) -> Iterator[dict]:
    """A dict the tests fill, written to ``_build/screenshots/<name>`` at the end."""
    results: dict = {}
    yield results
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / name).write_text(json.dumps(results, indent=2))
