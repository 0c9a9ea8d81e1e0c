"""Fixtures shared by several test files."""

from pathlib import Path

import pytest

from book.translation.onnx_export import export_translator
from book.translation.translator import Translator
from tests.browser import chromium


@pytest.fixture(scope="session")
def onnx_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped translator exported to ONNX once per test session: the folder of its three files."""
    folder = tmp_path_factory.mktemp("onnx")
    export_translator(Translator.pretrained(), folder)
    return folder


@pytest.fixture(scope="module")
def browser(server: str):
    """One headless Chromium for a test module, started once the module's own ``server`` fixture is up."""
    with chromium() as browser:
        yield browser
