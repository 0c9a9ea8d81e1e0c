# Two commands do all set-up on a fresh machine:
#   make book   builds the website into _build/html (the main job)
#   make test   runs the whole test suite (lint, unit tests, notebooks under nbval, browser tests)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: book test

$(BIN)/jupyter-book: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

book: $(BIN)/jupyter-book
	$(BIN)/jupyter-book build . -W -n --keep-going

test: book
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest tests
	$(BIN)/pytest --nbval notebooks
