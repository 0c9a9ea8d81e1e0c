#!/bin/sh
# Prepares JupyterLab as the book's readers get it: for `make lab`, for Binder (binder/postBuild) and for
# tests/test_jupyterlab.py.
#   - The book's settings (overrides.json): widget state saved with the notebook, so that a chapter saved
#     after a live run keeps its widgets on the site.
#   - The chapters trusted (`jupyter trust`), so that JupyterLab draws their stored explorables before
#     anything runs: of a notebook it does not trust, it shows only each widget's text form.
# Usage: PYTHON=python sh tools/jupyterlab/prepare.sh NOTEBOOK_DIR PREFIX, with the Python that runs
# JupyterLab and the prefix it is installed in (sys.prefix).
set -eu
settings="$2/share/jupyter/lab/settings"
mkdir -p "$settings"
cp "$(dirname "$0")/overrides.json" "$settings/"
"${PYTHON:-python3}" -m nbformat.sign "$1"/*.ipynb
