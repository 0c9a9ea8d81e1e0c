"""The first code cell of every chapter: it installs the book's package where it is missing.

A launch button opens a chapter alone. On Colab nothing else of the repository comes with it, so the cell
installs the package, with its trained translator (package data), from the repository on GitHub; the kernel
then imports it without a restart. Where the package is already installed (a local checkout after
``make book``, Binder, which installs ``binder/requirements.txt``, the tests) the cell does nothing and
prints nothing. Without its ``%pip`` line, as the grader of ``book.coursework`` runs it, it is still valid
Python.

The text lives here, beside the tools that write the notebooks, rather than in the package, which the cell
runs before. ``tests/test_install.py`` checks that every chapter starts with it (hidden on the site, where
there is nothing to install) and runs it, offline, against this checkout.
"""

REPOSITORY = "https://github.com/attention-built/attention-built"

INSTALL_CELL = f"""\
import importlib.util

if importlib.util.find_spec("book") is None:  # not installed, as on Colab: install the book's package
    %pip install --quiet "attention-built @ git+{REPOSITORY}"
    importlib.invalidate_caches()  # so that this kernel finds it without a restart"""
