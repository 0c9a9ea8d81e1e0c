"""A Sphinx extension that renders MyST's inline expressions from the results stored in the notebook.

A chapter's text quotes its numbers as ``{eval}`quote.bleu``` (see ``book.chapters.prose.Quotes``). In
JupyterLab, jupyterlab-myst evaluates such an expression in the running kernel and stores the result with the
markdown cell, in ``cell.metadata.user_expressions``; ``tools/execute.py`` stores it the same way when it runs
a chapter. myst-nb's own ``eval`` role asks a kernel, which the site's build does not start
(``execute_notebooks: "off"``), so this role replaces it and reads the stored result instead: the page shows
the number the notebook computed, as JupyterLab does.

An expression without a stored result, or with an error or a result that is not plain text, is a build
warning (and ``-W`` makes it an error) that says how to store it again.
"""

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole


def stored_results(notebook: dict) -> dict[str, list[dict]]:
    """Every stored result of every markdown cell's inline expressions, by expression."""
    results: dict[str, list[dict]] = {}
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for stored in cell.get("metadata", {}).get("user_expressions", []):
                results.setdefault(stored["expression"], []).append(stored["result"])
    return results


def quoted_text(expression: str, results: list[dict]) -> str:
    """The plain text an expression's stored results agree on; ValueError says what is wrong with them."""
    if not results:
        raise ValueError("has no stored result")
    texts = set()
    for result in results:
        if result.get("status") != "ok":
            raise ValueError(f"stored an error: {result.get('ename')}: {result.get('evalue')}")
        if "text/plain" not in result.get("data", {}):
            raise ValueError(f"stored no plain text (only {sorted(result.get('data', {}))})")
        texts.add(result["data"]["text/plain"])
    if len(texts) > 1:
        raise ValueError(f"stored different results in different cells: {sorted(texts)}")
    text = texts.pop()
    quoted = len(text) >= 2 and text[0] == text[-1] and text[0] in "'\""
    return text[1:-1] if quoted else text  # a str's repr: shown without its quotation marks, as in JupyterLab


class StoredEval(SphinxRole):
    """``{eval}`expression```: the expression's result as the notebook stored it, as plain text."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        renderer = self.inliner.document.get("nb_renderer")
        if renderer is None:
            return [], [self.warning("can only be used in a notebook")]
        notebook = renderer.renderer.nb_client.notebook
        try:
            text = quoted_text(self.text, stored_results(notebook).get(self.text, []))
        except ValueError as problem:
            store = f"store it with python tools/execute.py {self.env.docname}.ipynb"
            return [], [self.warning(f"{problem}; {store}")]
        return [nodes.Text(text)], []

    def warning(self, message: str) -> nodes.system_message:
        return self.inliner.reporter.warning(f"{{eval}}`{self.text}` {message}", line=self.lineno)


def replace_myst_nb_role(app: Sphinx) -> None:
    """Take the ``eval`` role over from myst-nb (which registers its own when it is set up)."""
    app.add_role("eval", StoredEval(), override=True)


def setup(app: Sphinx) -> dict:
    """Register the extension (listed under ``sphinx.local_extensions`` in _config.yml)."""
    app.connect("builder-inited", replace_myst_nb_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
