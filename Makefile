# Two commands do all set-up on a fresh machine:
#   make book   builds the website into _build/html (the main job)
#   make test   runs the whole test suite (lint, unit tests, notebooks under nbval, browser tests)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: book test lab

$(BIN)/jupyter-book: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# The site is built from the notebooks' stored outputs (execute_notebooks: "off" in _config.yml);
# `make test` runs every notebook again under nbval. -W: any Sphinx warning fails the build.
book: $(BIN)/jupyter-book node_modules/.package-lock.json
	$(BIN)/jupyter-book build . -W -n --keep-going

# The JavaScript the site serves itself (MathJax, onnxruntime-web; the HTML manager, require.js and axe-core
# for the tests), pinned by package-lock.json. Without Node.js the site still builds, loading MathJax from a
# public CDN.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --ignore-scripts --no-audit --no-fund; \
	else \
	  echo "*** npm not found: the site will load MathJax from a public CDN (needs internet)."; \
	  echo "*** Install Node.js (with npm) and run make book again for a self-contained site."; \
	fi

# Floating-point settings under which PyTorch rounds the way another CPU would: the scalar fallback of its
# vectorised kernels, and MKL's portable matrix products. Each changes the bits of the book's model here
# (tests/test_chapter.py checks that), so stored outputs that pass under both are not specific to one CPU.
PERTURBED := ATEN_CPU_CAPABILITY=default MKL_CBWR=COMPATIBLE

test: book
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest tests
	$(BIN)/pytest --nbval notebooks
	$(PERTURBED) $(BIN)/pytest --nbval notebooks

# The chapters in JupyterLab, prepared by tools/jupyterlab/prepare.sh: widget state saved with the notebook
# (a chapter saved after a live run still shows its widgets on the site), the chapters trusted (their stored
# explorables are drawn before anything runs).
lab: $(BIN)/jupyter-book
	PYTHON=$(BIN)/python sh tools/jupyterlab/prepare.sh notebooks $(VENV)
	$(BIN)/jupyter lab notebooks/
