"""Coursework: the checks (reference solutions pass, each common mistake fails with its hint, stubs fail),
the students' edition (no solution left anywhere) and the grader (isolation, time limits, reports)."""

import json
import math
import os
import shutil
from pathlib import Path

import nbformat
import pytest
import torch
import torch.nn.functional as F
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from book.coursework import checks
from book.coursework.__main__ import main
from book.coursework.exercises import BY_ID, EXERCISES
from book.coursework.grade import Worker, grade_book, markdown_table, text_table
from book.coursework.notebook import is_solution_markdown
from book.coursework.runner import run_check
from book.coursework.student import write_student_edition

ROOT = Path(__file__).resolve().parent.parent

# Reference solutions, written for these tests (the chapters hold the published ones).
SOLUTIONS = {
    "1.1": '''def count_parameters(model):
    """Numbers in the model, each shared tensor once."""
    tally_of_numbers = 0
    for tensor_in_model in model.parameters():
        tally_of_numbers += tensor_in_model.numel()
    return tally_of_numbers
''',
    "2.1": '''def embed(tokens, weight):
    """(batch, seq) ids, (vocab, d_model) table -> (batch, seq, d_model)."""
    looked_up_rows = weight[tokens]
    return looked_up_rows * math.sqrt(weight.shape[-1])
''',
    "3.1": '''def project_qkv(x, w_q, w_k, w_v):
    """x (seq, d_model) -> q, k, v (seq, d_k)."""
    queries_here, keys_here, values_here = x @ w_q, x @ w_k, x @ w_v
    return queries_here, keys_here, values_here
''',
    "3.2": '''def attention_scores(q, k):
    """(q_len, d_k), (k_len, d_k) -> (q_len, k_len)."""
    every_pair = torch.matmul(q, k.t())
    return every_pair
''',
    "4.1": '''def attend(q, k, v, mask=None):
    """(..., q_len, d_k), (..., k_len, d_k), (..., k_len, d_v) -> z, weights."""
    scaled_scores_here = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    if mask is not None:
        scaled_scores_here = scaled_scores_here.masked_fill(mask.logical_not(), -math.inf)
    attention_here = torch.softmax(scaled_scores_here, dim=-1)
    return attention_here @ v, attention_here
''',
    "5.1": '''def multi_head_attention(x, w_q, w_k, w_v, w_o, heads, mask=None):
    """(batch, seq, d_model) -> (batch, seq, d_model)."""
    n_batch, n_seq, width = x.shape

    def into_heads(t):
        return t.view(n_batch, n_seq, heads, width // heads).permute(0, 2, 1, 3)

    hq, hk, hv = into_heads(x @ w_q), into_heads(x @ w_k), into_heads(x @ w_v)
    head_scores = hq @ hk.transpose(-1, -2) / math.sqrt(width // heads)
    if mask is not None:
        head_scores = head_scores.masked_fill(mask.logical_not(), -math.inf)
    per_head = torch.softmax(head_scores, dim=-1) @ hv
    return per_head.permute(0, 2, 1, 3).reshape(n_batch, n_seq, width) @ w_o
''',
    "6.1": '''def positional_encoding(max_len, d_model):
    """(max_len, d_model) sinusoid table."""
    table_here = torch.zeros(max_len, d_model)
    where = torch.arange(max_len, dtype=torch.float64)[:, None]
    rates = 10000.0 ** (torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    table_here[:, 0::2] = torch.sin(where / rates).float()
    table_here[:, 1::2] = torch.cos(where / rates).float()
    return table_here
''',
    "7.1": '''def layer_norm(x, gain, bias, eps=1e-5):
    """(..., d) -> (..., d), statistics over the last dimension."""
    centre_here = x.mean(dim=-1, keepdim=True)
    spread_here = ((x - centre_here) ** 2).mean(dim=-1, keepdim=True)
    return gain * (x - centre_here) / torch.sqrt(spread_here + eps) + bias
''',
    "8.1": '''def subsequent_mask(size):
    """(size, size) bool, True = may attend."""
    rows_here = torch.arange(size)
    return rows_here[:, None] >= rows_here[None, :]
''',
    "8.2": '''def greedy_search(step, bos, eos, max_len):
    """Ids generated after bos, stopping at eos (not included) or after max_len ids."""
    produced_ids = []
    while len(produced_ids) < max_len:
        best_id = int(step([bos] + produced_ids).argmax())
        if best_id == eos:
            break
        produced_ids.append(best_id)
    return produced_ids
''',
    "9.1": '''def noam_rate(step, d_model, warmup):
    """The paper's learning rate at step >= 1."""
    rising_part = step * warmup ** -1.5
    falling_part = step ** -0.5
    return d_model ** -0.5 * min(rising_part, falling_part)
''',
    "9.2": '''def smoothed_targets(target, vocab_size, smoothing, pad_id):
    """(n,) ids -> (n, vocab_size) smoothed distributions, pad rows zero."""
    dist_here = torch.full((target.numel(), vocab_size), smoothing / vocab_size)
    dist_here[torch.arange(target.numel()), target] += 1.0 - smoothing
    dist_here[target == pad_id] = 0.0
    return dist_here
''',
}

# Deliberately wrong solutions: (exercise, a fragment of the hint it must get, source).
MISTAKES = [
    (
        "1.1",
        "counted twice",
        "def count_parameters(model):\n    return sum(p.numel() for p in model.state_dict().values())\n",
    ),
    ("1.1", "not the tensors", "def count_parameters(model):\n    return len(list(model.parameters()))\n"),
    ("2.1", "forgot the sqrt(d_model) scaling", "def embed(tokens, weight):\n    return weight[tokens]\n"),
    (
        "2.1",
        "do not divide",
        "def embed(tokens, weight):\n    return weight[tokens] / weight.size(1) ** 0.5\n",
    ),
    ("3.1", "order (q, k, v)", "def project_qkv(x, w_q, w_k, w_v):\n    return x @ w_k, x @ w_q, x @ w_v\n"),
    (
        "3.1",
        "not x @ w.T",
        "def project_qkv(x, w_q, w_k, w_v):\n    return x @ w_q.T, x @ w_k.T, x @ w_v.T\n",
    ),
    ("3.2", "not k @ q.T", "def attention_scores(q, k):\n    return k @ q.T\n"),
    ("3.2", "raw dot products", "def attention_scores(q, k):\n    return q @ k.T / q.size(-1) ** 0.5\n"),
    ("4.1", "forgot the sqrt(d_k) scaling", SOLUTIONS["4.1"].replace(" / math.sqrt(q.shape[-1])", "")),
    ("4.1", "not by d_k", SOLUTIONS["4.1"].replace("math.sqrt(q.shape[-1])", "q.shape[-1]")),
    ("4.1", "softmax over the wrong axis", SOLUTIONS["4.1"].replace("dim=-1", "dim=-2")),
    ("4.1", "mask was not applied", SOLUTIONS["4.1"].replace("if mask is not None", "if False")),
    ("4.1", "mask is inverted", SOLUTIONS["4.1"].replace("mask.logical_not()", "mask")),
    ("4.1", "not 0", SOLUTIONS["4.1"].replace("-math.inf", "0.0")),
    (
        "4.1",
        "(z, weights), in that order",
        SOLUTIONS["4.1"].replace("attention_here @ v, attention_here", "attention_here, attention_here @ v"),
    ),
    (
        "5.1",
        "heads were not split",
        "def multi_head_attention(x, w_q, w_k, w_v, w_o, heads, mask=None):\n"
        "    scores = (x @ w_q) @ (x @ w_k).transpose(-1, -2) / math.sqrt(x.shape[-1])\n"
        "    if mask is not None:\n        scores = scores.masked_fill(~mask[:, 0], -math.inf)\n"
        "    return torch.softmax(scores, -1) @ (x @ w_v) @ w_o\n",
    ),
    (
        "5.1",
        "not by sqrt(d_model)",
        SOLUTIONS["5.1"].replace("math.sqrt(width // heads)", "math.sqrt(width)"),
    ),
    ("5.1", "output projection", SOLUTIONS["5.1"].replace(" @ w_o", "")),
    (
        "5.1",
        "mixes positions",
        SOLUTIONS["5.1"]
        .replace(
            ".view(n_batch, n_seq, heads, width // heads).permute(0, 2, 1, 3)",
            ".reshape(n_batch, heads, n_seq, width // heads)",
        )
        .replace("per_head.permute(0, 2, 1, 3)", "per_head"),
    ),
    ("5.1", "mask was not applied", SOLUTIONS["5.1"].replace("if mask is not None", "if False")),
    (
        "6.1",
        "sin and cos are swapped",
        SOLUTIONS["6.1"]
        .replace("torch.sin", "TMP")
        .replace("torch.cos", "torch.sin")
        .replace("TMP", "torch.cos"),
    ),
    (
        "6.1",
        "not first half sin",
        "def positional_encoding(max_len, d_model):\n"
        "    pos = torch.arange(max_len)[:, None] / 10000 ** (torch.arange(0, d_model, 2) / d_model)\n"
        "    return torch.cat([pos.sin(), pos.cos()], dim=1)\n",
    ),
    (
        "6.1",
        "not i / d_model",
        SOLUTIONS["6.1"].replace(
            "torch.arange(0, d_model, 2, dtype=torch.float64)",
            "torch.arange(d_model // 2, dtype=torch.float64)",
        ),
    ),
    (
        "7.1",
        "biased variance",
        "def layer_norm(x, gain, bias, eps=1e-5):\n"
        "    centred = x - x.mean(-1, keepdim=True)\n"
        "    return gain * centred / torch.sqrt(x.var(-1, keepdim=True) + eps) + bias\n",
    ),
    ("7.1", "not dim 0", SOLUTIONS["7.1"].replace("dim=-1", "dim=0")),
    ("7.1", "not dim -2", SOLUTIONS["7.1"].replace("dim=-1", "dim=-2")),
    (
        "7.1",
        "inside the square root",
        SOLUTIONS["7.1"].replace("torch.sqrt(spread_here + eps)", "(torch.sqrt(spread_here) + eps)"),
    ),
    ("7.1", "forgot eps", SOLUTIONS["7.1"].replace(" + eps)", ")")),
    ("7.1", "use the eps argument", SOLUTIONS["7.1"].replace(" + eps)", " + 1e-5)")),
    (
        "7.1",
        "swapped",
        SOLUTIONS["7.1"].replace("return gain *", "return bias *").replace("+ bias\n", "+ gain\n"),
    ),
    ("8.1", "transposed", SOLUTIONS["8.1"].replace(">=", "<=")),
    ("8.1", "inverted", SOLUTIONS["8.1"].replace(">=", "<")),
    ("8.1", "diagonal must be True", SOLUTIONS["8.1"].replace(">=", ">")),
    (
        "8.2",
        "did not stop at eos",
        SOLUTIONS["8.2"].replace("        if best_id == eos:\n            break\n", ""),
    ),
    (
        "8.2",
        "do not include eos",
        SOLUTIONS["8.2"].replace(
            "            break", "            produced_ids.append(eos)\n            break"
        ),
    ),
    ("8.2", "after bos", SOLUTIONS["8.2"].replace("return produced_ids", "return [bos] + produced_ids")),
    ("8.2", "one too many", SOLUTIONS["8.2"].replace("< max_len", "<= max_len")),
    ("8.2", "MOST likely", SOLUTIONS["8.2"].replace("argmax", "argmin")),
    ("9.1", "forgot the d_model**-0.5", SOLUTIONS["9.1"].replace("d_model ** -0.5 * ", "")),
    ("9.1", "not the max", SOLUTIONS["9.1"].replace("min(", "max(")),
    ("9.1", "not step * warmup**-0.5", SOLUTIONS["9.1"].replace("-1.5", "-0.5")),
    ("9.2", "must be all zero", SOLUTIONS["9.2"].replace("dist_here[target == pad_id] = 0.0", "")),
    (
        "9.2",
        "not the pad_id column",
        SOLUTIONS["9.2"].replace("dist_here[target == pad_id]", "dist_here[:, pad_id]"),
    ),
    (
        "9.2",
        "vocab_size - 1",
        "def smoothed_targets(target, vocab_size, smoothing, pad_id):\n"
        "    hot = F.one_hot(target, vocab_size).float()\n"
        "    out = hot * (1 - smoothing) + (1 - hot) * smoothing / (vocab_size - 1)\n"
        "    out[target == pad_id] = 0\n    return out\n",
    ),
]


def define(source: str, name: str):
    """The function ``name`` defined by ``source`` (with the imports a chapter's first cell provides)."""
    namespace = {"math": math, "torch": torch, "F": F}
    exec(source, namespace)
    return namespace[name]


def run(exercise: str, source: str, seconds: float = 10.0):
    item = BY_ID[exercise]
    return run_check(exercise, item.verify, define(source, item.function), seconds)


@pytest.mark.parametrize("exercise", list(SOLUTIONS))
def test_reference_solution_passes(exercise: str, capsys: pytest.CaptureFixture) -> None:
    item = BY_ID[exercise]
    assert item.check(define(SOLUTIONS[exercise], item.function)) is True
    line = capsys.readouterr().out
    assert line.startswith(f"Exercise {exercise} passed: ") and line.count("\n") == 1


@pytest.mark.parametrize(("exercise", "hint", "source"), MISTAKES, ids=[f"{m[0]}-{m[1]}" for m in MISTAKES])
def test_common_mistake_fails_with_its_hint(exercise: str, hint: str, source: str) -> None:
    result = run(exercise, source)
    assert not result.passed
    assert "Hint: " in result.message and hint in result.message.split("Hint: ")[1], result.message


def test_every_brief_mistake_has_a_wrong_solution() -> None:
    hints = " ".join(hint for _, hint, _ in MISTAKES)
    for needed in [
        "sqrt(d_k)",
        "wrong axis",
        "mask was not applied",
        "heads were not split",
        "sin and cos",
        "not dim 0",
        "biased variance",
        "transposed",
        "counted twice",
        "sqrt(d_model)",
        "stop at eos",
    ]:
        assert needed in hints


@pytest.mark.parametrize("item", EXERCISES, ids=[e.id for e in EXERCISES])
def test_untouched_stub_fails_with_not_implemented(item, capsys: pytest.CaptureFixture) -> None:
    assert item.check(define(item.stub, item.function)) is False
    assert capsys.readouterr().out == (
        f"Exercise {item.id} failed: raised NotImplementedError: Exercise {item.id}: implement "
        f"{item.function} (see the exercise above)\n"
    )


def test_each_exercise_says_what_the_grader_allows() -> None:
    """The sentence an exercise's text gives is the one the grader's refusals quote (``Exercise.allowed``)."""
    texts = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown" and ":label: ex-" in cell.source:
                label = cell.source.split(":label: ex-", 1)[1].split()[0]
                texts[label.replace("-", ".")] = " ".join(cell.source.replace("`", "").split())
    for item in EXERCISES:
        assert f"Allowed: {item.allowed}" in texts[item.id], f"exercise {item.id}: no or another 'Allowed:'"


def test_wrong_shape_names_both_shapes() -> None:
    result = run("3.2", "def attention_scores(q, k):\n    return (q @ k.T)[:, :1]\n")
    assert "has shape (3, 1), expected (3, 5)" in result.message


def test_first_mismatch_shows_position_and_both_values() -> None:
    result = run(
        "2.1",
        "def embed(tokens, weight):\n    out = weight[tokens] * weight.size(1) ** 0.5\n"
        "    out[0, 1, 2] += 1\n    return out\n",
    )
    assert (
        "is wrong at index [0, 1, 2]: expected " in result.message
        and "(1 of 80 values differ)" in result.message
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def embed(tokens, weight):\n    return [1, 2]\n", "should be a torch.Tensor, got list of 2"),
        ("def embed(tokens, weight):\n    return weight[tokens] * float('nan')\n", "contains NaN"),
        (
            "def embed(tokens, weight):\n    raise ValueError('boom')\n",
            "your function raised ValueError: boom",
        ),
        ("def embed(tokens, weight):\n    while True:\n        pass\n", "did not finish within 0.5 s"),
        (
            "def embed(tokens, weight):\n    while True:\n        try:\n            pass\n"
            "        except Exception:\n            pass\n",
            "did not finish within 0.5 s",
        ),
    ],
    ids=["wrong-type", "nan", "raises", "hangs", "hangs-catching-exceptions"],
)
def test_bad_functions_are_reported_not_raised(source: str, expected: str) -> None:
    result = run("2.1", source, seconds=0.5)
    assert not result.passed and expected in result.message


def test_non_function_and_wrong_return_types() -> None:
    assert run_check("1.1", BY_ID["1.1"].verify, 42).message == "expected a function, got int"
    assert "Python int" in run("1.1", "def count_parameters(model):\n    return 3.5\n").message
    float_mask = "def subsequent_mask(size):\n    return torch.ones(size, size).tril()\n"
    bool_message = run("8.1", float_mask).message
    assert "should be a bool tensor" in bool_message
    assert (
        "Python float"
        in run("9.1", "def noam_rate(step, d_model, warmup):\n    return torch.tensor(1.0)\n").message
    )
    assert (
        ".tolist()"
        in run("8.2", "def greedy_search(step, bos, eos, max_len):\n    return torch.tensor([1])\n").message
    )


def test_endless_decoder_fails_fast_with_a_clear_message() -> None:
    source = (
        "def greedy_search(step, bos, eos, max_len):\n    out = []\n    while True:\n"
        "        out.append(int(step([bos] + out).argmax()))\n"
    )
    assert "stop after max_len" in run("8.2", source).message
    assert "must start with bos" in run("8.2", source.replace("[bos] + out", "out + [0]")).message


def test_checks_are_deterministic_and_keep_the_random_state(capsys: pytest.CaptureFixture) -> None:
    wrong = define(MISTAKES[11][2], "attend")
    torch.manual_seed(3)
    state = torch.get_rng_state()
    checks.check_attend(wrong)
    checks.check_attend(wrong)
    first, second = capsys.readouterr().out.splitlines()
    assert first == second
    assert torch.equal(torch.get_rng_state(), state)


def test_smoothed_targets_formula_matches_cross_entropy_label_smoothing() -> None:
    smoothed = define(SOLUTIONS["9.2"], "smoothed_targets")
    logits = torch.randn(6, 7, generator=torch.Generator().manual_seed(0))
    target = torch.tensor([3, 0, 5, 1, 0, 6])
    ours = -(smoothed(target, 7, 0.1, 0) * logits.log_softmax(-1)).sum(-1)
    torch_loss = F.cross_entropy(logits, target, label_smoothing=0.1, ignore_index=0, reduction="none")
    assert (ours - torch_loss).abs().max() < 1e-6


# Fixture books -------------------------------------------------------------------------------------

SECRET = "The conceptual answer is forty-two dimensions"


def chapter_notebook(exercises: list, answers: dict[str, str]) -> nbformat.NotebookNode:
    """A chapter with the CHAPTERS.md layout: setup cell, an import cell, code exercises, one conceptual."""
    names = ", ".join(f"check_{e.function}" for e in exercises)
    cells = [
        new_markdown_cell(f"# {exercises[0].chapter}. A chapter"),
        new_code_cell(
            f"from book.chapters.setup import start_chapter\nfrom book.coursework.checks import {names}\n\n"
            "start_chapter()"
        ),
        new_code_cell(
            "import math\n\nimport torch\nimport torch.nn.functional as F\n\nprint(torch.ones(2).sum())",
            outputs=[nbformat.v4.new_output("stream", text="tensor(2.)\n")],
        ),
    ]
    for e in exercises:
        label = f"ex-{e.id.replace('.', '-')}"
        cells += [
            new_markdown_cell(
                f"```{{exercise}} Write {e.function}\n:label: {label}\n\nThen run the check below.\n```"
            ),
            new_markdown_cell(f"```{{solution-start}} {label}\n:class: dropdown\n```"),
            new_code_cell(
                answers.get(e.id, ""),
                metadata={"tags": ["solution"], "exercise": e.id},
                outputs=[nbformat.v4.new_output("stream", text="solution output\n")],
            ),
            new_markdown_cell("```{solution-end}\n```"),
            new_code_cell(
                f"check_{e.function}({e.function})",
                metadata={"tags": ["check"], "exercise": e.id},
                outputs=[nbformat.v4.new_output("stream", text=f"Exercise {e.id} passed: ...\n")],
            ),
        ]
    cells += [
        new_markdown_cell("```{exercise} Think\n:label: ex-9-9\n\nWhy?\n```"),
        new_markdown_cell(f"```{{solution}} ex-9-9\n:class: dropdown\n\n{SECRET}.\n```"),
    ]
    return new_notebook(
        cells=cells,
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )


def make_book(root: Path, answers: dict[str, str], skip_notebooks: tuple[str, ...] = ()) -> Path:
    """A book at ``root``: the real book/ and tools/, pinned files, and fixture chapters with ``answers``."""
    for folder in ("book", "tools"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ["requirements.txt", "pyproject.toml"]:
        shutil.copy2(ROOT / name, root / name)
    (root / "notebooks").mkdir()
    by_notebook: dict[str, list] = {}
    for e in EXERCISES:
        by_notebook.setdefault(e.notebook, []).append(e)
    for notebook, exercises in by_notebook.items():
        if notebook not in skip_notebooks:
            nbformat.write(chapter_notebook(exercises, answers), root / "notebooks" / notebook)
    return root


def solution_lines(source: str) -> set[str]:
    """The code lines of a solution's body: not the def line, docstring, comments or blank lines."""
    lines = [line.strip() for line in source.splitlines()[1:]]
    return {line for line in lines if line and not line.startswith(("#", '"""', "def ", "import ", "from "))}


def strings_in(value: object) -> list[str]:
    """Every string inside parsed JSON (a notebook's sources, outputs and metadata)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [text for item in value for text in strings_in(item)] if isinstance(value, list) else []


def text_files(root: Path) -> dict[Path, str]:
    """Every file's text under ``root``; a notebook's strings decoded from their JSON escapes."""
    files = {}
    for path in root.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            files[path] = "".join(strings_in(json.loads(text))) if path.suffix == ".ipynb" else text
    return files


def package_lines(root: Path) -> set[str]:
    """The lines of the book package outside coursework: library code every student has anyway."""
    lines = set()
    for path in (root / "book").rglob("*.py"):
        if "coursework" not in path.parts:
            lines |= {line.strip() for line in path.read_text().splitlines()}
    return lines


def test_student_edition_has_stubs_and_no_solutions(tmp_path: Path) -> None:
    source = make_book(tmp_path / "book_root", SOLUTIONS)
    out = tmp_path / "student"
    assert main(["student", str(out), "--source", str(source)]) == 0
    files = text_files(out)
    public = package_lines(source)
    for exercise, solution in SOLUTIONS.items():
        for line in solution_lines(solution) - public:
            leaks = [path for path, text in files.items() if line in text]
            assert not leaks, f"solution {exercise} line {line!r} found in {leaks}"
    assert not any(SECRET in text for text in files.values())
    assert not (out / "tests").exists()
    for item in EXERCISES:
        notebook = nbformat.read(out / "notebooks" / item.notebook, as_version=4)
        assert not any(is_solution_markdown(cell) for cell in notebook.cells)
        answer = [
            c
            for c in notebook.cells
            if c.metadata.get("exercise") == item.id and "check" not in c.metadata.tags
        ]
        check = [
            c for c in notebook.cells if c.metadata.get("exercise") == item.id and "check" in c.metadata.tags
        ]
        assert (
            answer[0].source == item.stub
            and answer[0].metadata.tags == ["exercise"]
            and not answer[0].outputs
        )
        assert check[0].outputs == [] and check[0].execution_count is None
        assert any(c.outputs for c in notebook.cells if c.cell_type == "code")  # other outputs are kept
    workflow = yaml.safe_load((out / ".github" / "workflows" / "grade.yml").read_text())
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    assert workflow[True]["push"] is None  # YAML 1.1 reads the key "on" as True
    assert any(
        "book.coursework grade" in step.get("run", "") and "GITHUB_STEP_SUMMARY" in step["run"]
        for step in steps
    )
    assert "python -m book.coursework grade" in (out / "README.md").read_text()
    assert main(["student", str(out), "--source", str(source)]) == 2  # never writes over an edition


def test_solution_cell_without_a_known_exercise_is_refused(tmp_path: Path) -> None:
    source = make_book(tmp_path / "book_root", SOLUTIONS)
    path = source / "notebooks" / "01_black_box.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(new_code_cell("def leaked(): return 1", metadata={"tags": ["solution"]}))
    nbformat.write(notebook, path)
    with pytest.raises(ValueError, match="01_black_box.ipynb, cell"):
        write_student_edition(source, tmp_path / "student")


@pytest.fixture(scope="module")
def worker():
    """One grading worker for the whole file (it imports torch once)."""
    shared = Worker()
    yield shared
    shared.close()


def test_grader_passes_solutions_and_fails_stubs(
    tmp_path: Path, capsys: pytest.CaptureFixture, worker: Worker
) -> None:
    source = make_book(tmp_path / "book_root", SOLUTIONS)
    write_student_edition(source, tmp_path / "student")
    capsys.readouterr()
    assert all(grade.passed for grade in grade_book(source, worker=worker))
    summary = tmp_path / "summary.md"
    assert main(["grade", str(tmp_path / "student"), "--json", "--summary", str(summary)]) == 0
    report = json.loads(capsys.readouterr().out)
    results = report["results"]
    assert [r["exercise"] for r in results] == [e.id for e in EXERCISES]
    assert all(not r["passed"] and "NotImplementedError" in r["message"] for r in results)
    assert all(r["points"] == 0 and r["possible"] == BY_ID[r["exercise"]].points for r in results)
    assert (report["points"], report["possible"]) == (0, sum(e.points for e in EXERCISES))
    assert summary.read_text().count("❌ fail") == len(EXERCISES)


def test_grader_isolates_broken_hanging_and_missing_exercises(tmp_path: Path, worker: Worker) -> None:
    answers = dict(SOLUTIONS)
    answers["2.1"] = "def embed(tokens, weight)\n    return weight\n"  # syntax error
    answers["3.1"] = "import os\nos._exit(3)\n"  # kills its interpreter
    answers["3.2"] = "while True:\n    pass\n"  # the cell itself hangs
    answers["4.1"] = SOLUTIONS["4.1"].replace("/ math.sqrt(q.shape[-1])", "")
    answers["6.1"] = "raise RuntimeError('cell broke')\n"
    answers["7.1"] = (
        "while True:\n    try:\n        while 1:\n            pass\n    except BaseException:\n        pass\n"
    )
    answers["8.1"] = "from book.masks import causal_mask as subsequent_mask\n"
    answers.pop("8.2")  # empty cell
    book_root = make_book(tmp_path / "book_root", answers, skip_notebooks=("09_translator.ipynb",))
    path = book_root / "notebooks" / "05_multi_head_attention.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells = [c for c in notebook.cells if c.metadata.get("exercise") != "5.1"]
    nbformat.write(notebook, path)

    grades = {g.exercise: g for g in grade_book(book_root, seconds=3.0, worker=worker)}
    messages = {exercise: grade.message for exercise, grade in grades.items()}
    assert [e for e, g in grades.items() if g.passed] == ["1.1"]
    assert "syntax error on line 1" in messages["2.1"]
    assert "line 1: importing os is not allowed" in messages["3.1"]
    assert "did not finish within 3 s" in messages["3.2"]
    assert "forgot the sqrt(d_k) scaling" in messages["4.1"]
    assert "no cell for exercise 5.1" in messages["5.1"]
    assert messages["6.1"] == "your cell raised RuntimeError: cell broke"
    assert messages["7.1"] == "did not finish within 3 s and was stopped"  # it caught the alarm: killed
    assert messages["8.1"].startswith(
        "your cell uses what an answer may not: line 1: causal_mask is the book's"
    )
    assert messages["8.2"] == "your cell does not define greedy_search"
    assert "notebook 09_translator.ipynb not found" in messages["9.1"]
    table = text_table(list(grades.values()))
    assert table.splitlines()[0].split() == ["Chapter", "Exercise", "Function", "Result", "Points", "Message"]
    assert table.endswith("1 of 12 exercises pass: 1 of 22 points\n")
    assert markdown_table(list(grades.values())).count("| ") > 12 * 5


def real_exercises() -> list[str]:
    found = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        found += [str(c.metadata["exercise"]) for c in cells if "solution" in c.metadata.get("tags", [])]
    return found


@pytest.mark.skipif(not real_exercises(), reason="no chapter has exercises yet")
def test_real_chapters_pass_and_their_student_edition_leaks_nothing(tmp_path: Path, worker: Worker) -> None:
    present = real_exercises()
    grades = {g.exercise: g for g in grade_book(ROOT, worker=worker)}
    assert all(grades[exercise].passed for exercise in present), [grades[e].message for e in present]
    out = tmp_path / "student"
    write_student_edition(ROOT, out)
    public = package_lines(ROOT)  # lines a student sees anyway: the package and the chapters' other cells
    solutions = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if "solution" in cell.metadata.get("tags", []) or is_solution_markdown(cell):
                solutions.append(cell.source)
            else:
                public |= {line.strip() for line in cell.source.splitlines()}
    files = text_files(out)
    student_lines = {line.strip() for text in files.values() for line in text.splitlines()}
    for solution in solutions:
        leaked = {line for line in solution_lines(solution) - public if len(line) > 3} & student_lines
        assert not leaked
    for exercise in present:
        item = BY_ID[exercise]
        cells = nbformat.read(out / "notebooks" / item.notebook, as_version=4).cells
        assert item.stub in [cell.source for cell in cells if cell.metadata.get("exercise") == exercise]


def test_without_fork_each_exercise_runs_in_a_new_interpreter(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delattr(os, "fork")  # as on Windows
    wrong = next(source for _, hint, source in MISTAKES if hint == "did not stop at eos")
    job = {
        "exercise": "8.2",
        "setup": "import torch\n",
        "answer": wrong,
        "folder": str(tmp_path),
        "seconds": 30.0,
    }
    assert "did not stop at eos" in Worker().grade(job)["message"]


def test_the_books_own_version_from_the_setup_does_not_count(tmp_path: Path, worker: Worker) -> None:
    job = {
        "exercise": "8.2",
        "setup": "import torch\nfrom book.translation.decoding import greedy_decode as greedy_search\n",
        "answer": "x = 1\n",
        "folder": str(tmp_path),
        "seconds": 5.0,
    }
    assert worker.grade(job) == {"passed": False, "message": "your cell does not define greedy_search"}
    job["answer"] = SOLUTIONS["8.2"]
    assert worker.grade(job)["passed"]
