"""The site renders a quoted number as the notebook stored it, and refuses one it cannot trust."""

import pytest

from tools.execute import inline_expressions
from tools.sphinx_eval import quoted_text, stored_results


def ok(text: str) -> dict:
    return {"status": "ok", "data": {"text/plain": text}, "metadata": {}}


def markdown(source: str, *results: tuple[str, dict]) -> dict:
    stored = [{"expression": expression, "result": result} for expression, result in results]
    return {"cell_type": "markdown", "source": source, "metadata": {"user_expressions": stored}}


def test_inline_expressions_are_read_in_order_once_each() -> None:
    source = "BLEU {eval}`quote.bleu`, exact {eval}`quote.exact`; again {eval}`quote.bleu`. Not `code`."
    assert inline_expressions(source) == ["quote.bleu", "quote.exact"]


def test_results_are_collected_across_cells() -> None:
    notebook = {
        "cells": [
            markdown("{eval}`quote.bleu`", ("quote.bleu", ok("99.7"))),
            {"cell_type": "code", "source": "quote('bleu', 99.7)", "metadata": {}, "outputs": []},
            markdown("again {eval}`quote.bleu`", ("quote.bleu", ok("99.7"))),
        ]
    }
    results = stored_results(notebook)
    assert list(results) == ["quote.bleu"] and len(results["quote.bleu"]) == 2
    assert quoted_text("quote.bleu", results["quote.bleu"]) == "99.7"


def test_a_string_repr_loses_its_quotation_marks_as_in_jupyterlab() -> None:
    assert quoted_text("name", [ok("'il'")]) == "il"
    assert quoted_text("n", [ok("2,000")]) == "2,000"


@pytest.mark.parametrize(
    ("results", "problem"),
    [
        ([], "no stored result"),
        ([{"status": "error", "ename": "NameError", "evalue": "quote"}], "NameError"),
        ([{"status": "ok", "data": {"text/html": "<b>1</b>"}}], "no plain text"),
        ([ok("99.7"), ok("98.0")], "different results"),
    ],
)
def test_a_result_that_cannot_be_trusted_is_refused(results: list[dict], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        quoted_text("quote.bleu", results)
