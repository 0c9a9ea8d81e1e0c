"""Coursework against answers that try to pass without the work: the source rules, the answer's own child
process, the judge that never runs student code, the limits, points for a class platform, the roster."""

import base64
import csv
import json
from pathlib import Path

import pytest
import yaml
from test_coursework import SOLUTIONS, make_book

from book.coursework.__main__ import main
from book.coursework.exercises import BY_ID, EXERCISES
from book.coursework.grade import Worker, grade_book
from book.coursework.rules import problems

GC_READER = (
    "import gc\nimport types\n\nsmoothed_targets = next(o for o in gc.get_objects() "
    "if isinstance(o, types.FunctionType) and o.__name__ == '_smoothing_reference')\n"
)
IDENTITY_LAYER_NORM = "def layer_norm(x, gain, bias, eps=1e-5):\n    return x\n"
WRONG_OUTPUT = "on x of shape (2, 3, 8): the output is wrong at index [0, 0, 0]"

# The two attacks and others, each as the whole answer cell: (exercise, cell, what the verdict says).
# Graded end to end, the source rules refuse them before they run.
REFUSED = {
    "wrapper of the book's attention (issue)": (
        "4.1",
        "import book.attention as b\n\ndef attend(q, k, v, mask=None):\n"
        "    return b.scaled_dot_product_attention(q, k, v, mask)\n",
        "scaled_dot_product_attention is the book's or PyTorch's ready-made version",
    ),
    "identity plus run_check replaced in __main__ (issue)": (
        "7.1",
        IDENTITY_LAYER_NORM + "import sys\nfrom book.coursework.runner import CheckResult\n"
        "sys.modules['__main__'].run_check = lambda exercise, *a, **k: CheckResult(exercise, True, 'ok')\n",
        "importing sys is not allowed",
    ),
    "PyTorch's layer_norm": (
        "7.1",
        "def layer_norm(x, gain, bias, eps=1e-5):\n"
        "    return F.layer_norm(x, x.shape[-1:], gain, bias, eps)\n",
        "layer_norm is the book's or PyTorch's ready-made version",
    ),
    "PyTorch's fused attention": (
        "4.1",
        "def attend(q, k, v, mask=None):\n    return F.scaled_dot_product_attention(q, k, v, mask), None\n",
        "scaled_dot_product_attention is the book's or PyTorch's ready-made version",
    ),
    "the book's causal mask": (
        "8.1",
        "from book.masks import causal_mask\n\n"
        "def subsequent_mask(size):\n    return causal_mask(size)[0, 0]\n",
        "causal_mask is the book's or PyTorch's ready-made version",
    ),
    "the reference read through gc": (
        "9.2",
        GC_READER,
        "importing gc is not allowed",
    ),
    "exec of the book's source": (
        "6.1",
        "src = open('../book/positional.py').read()\nexec(src)\npositional_encoding = sinusoid_table\n",
        "open() is not allowed",
    ),
    "dunder escape": (
        "9.1",
        "def noam_rate(step, d_model, warmup):\n"
        "    return noam_rate.__globals__['__builtins__']['eval']('1.0')\n",
        "__globals__ is not allowed",
    ),
    "exit early with a fake success line": (
        "3.2",
        'import os\nos.write(1, b\'{"passed": true, "message": "ok"}\\n\')\nos._exit(0)\n',
        "importing os is not allowed",
    ),
}

# The same kinds of attack sent straight to the worker, past the source rules: the answer's child process
# and the judge alone must hold. (exercise, cell, what the verdict says).
HOSTILE = {
    "wrapper of the book's attention": (
        "4.1",
        "from book import attention as b\n\ndef attend(q, k, v, mask=None):\n"
        "    return b.scaled_dot_product_attention(q, k, v, mask)\n",
        "your function calls book.attention.scaled_dot_product_attention, the book's ready-made version",
    ),
    "the setup's own import of the book's attention": (
        "4.1",
        "def attend(q, k, v, mask=None):\n    return scaled_dot_product_attention(q, k, v, mask)\n",
        "your function calls book.attention.scaled_dot_product_attention",
    ),
    "PyTorch's LayerNorm module": (
        "7.1",
        "def layer_norm(x, gain, bias, eps=1e-5):\n    return torch.nn.LayerNorm(x.shape[-1], eps)(x)\n",
        "your function calls torch.nn.LayerNorm, PyTorch's ready-made version",
    ),
    "identity plus run_check replaced in __main__": (
        "7.1",
        IDENTITY_LAYER_NORM + "import sys\nfrom book.coursework.runner import CheckResult\n"
        "sys.modules['__main__'].run_check = lambda exercise, *a, **k: CheckResult(exercise, True, 'ok')\n",
        WRONG_OUTPUT,
    ),
    "torch.allclose and torch.isclose patched": (
        "7.1",
        IDENTITY_LAYER_NORM + "torch.allclose = lambda *a, **k: True\n"
        "torch.isclose = lambda a, b, **k: torch.ones_like(a, dtype=torch.bool)\n"
        "torch.Tensor.__ne__ = lambda a, b: torch.zeros_like(a, dtype=torch.bool)\n",
        WRONG_OUTPUT,
    ),
    "the checks module monkeypatched": (
        "7.1",
        IDENTITY_LAYER_NORM + "import book.coursework.checks as c\nimport book.coursework.runner as r\n"
        "c.verify_layer_norm = lambda f: 'looks right'\nc.SPECS = {}\n"
        "r.judge = lambda *a: None\nr.difference = lambda *a, **k: None\n",
        WRONG_OUTPUT,
    ),
    "the reference read through gc": (
        "9.2",
        GC_READER,
        "your cell raised StopIteration",
    ),
    "exit early with a fake success line": (
        "3.2",
        "import os\nfor fd in range(1, 64):\n    try:\n"
        '        os.write(fd, b\'{"passed": true, "message": "ok"}\\n\')\n    except OSError:\n        pass\n'
        "os._exit(0)\n",
        "the grading process ended before it reported every case",
    ),
    "an exit with a status": (
        "3.2",
        "import os\nos._exit(3)\n",
        "the grading process died (exit code 3) before reporting",
    ),
    "an early exit after right answers to the first cases": (
        "3.2",
        "import os\ncalls = []\n\ndef attention_scores(q, k):\n    calls.append(1)\n"
        "    if len(calls) == 2:\n        os._exit(0)\n    return q @ k.T\n",
        "on 4 queries and 4 keys: the grading process ended before it reported every case",
    ),
}


@pytest.fixture(scope="module")
def worker():
    """One grading worker for the whole file (it imports torch and the book once)."""
    shared = Worker()
    yield shared
    shared.close()


def job(exercise: str, answer: str, folder: Path, seconds: float = 20.0) -> dict:
    """A worker job with chapter 4's imports as its setup (torch, F, math and the book's attention)."""
    setup = (
        "import math\nimport torch\nimport torch.nn.functional as F\n"
        "from book.attention import MultiHeadAttention, scaled_dot_product_attention\n"
        f"from book.coursework.checks import check_{BY_ID[exercise].function}\n"
    )
    return {"exercise": exercise, "setup": setup, "answer": answer, "folder": str(folder), "seconds": seconds}


@pytest.mark.parametrize("attack", list(REFUSED))
def test_the_source_rules_refuse_each_attack(attack: str) -> None:
    exercise, cell, expected = REFUSED[attack]
    found = problems(cell, BY_ID[exercise])
    assert any(expected in problem for problem in found), found


def test_the_reference_solutions_break_no_rule() -> None:
    assert all(problems(SOLUTIONS[e.id], e) == [] for e in EXERCISES)
    mistake = (
        "def layer_norm(x, gain, bias, eps=1e-5):\n    return gain * (x - x.mean(-1, keepdim=True)) + bias\n"
    )
    assert problems(mistake, BY_ID["7.1"]) == []  # a function may share its name with a forbidden one


def test_graded_end_to_end_refused_attacks_fail_and_honest_work_passes(
    tmp_path: Path, worker: Worker
) -> None:
    answers = dict(SOLUTIONS)
    for exercise, cell, _ in (REFUSED[name] for name in REFUSED):
        answers[exercise] = cell
    book_root = make_book(tmp_path / "book_root", answers)
    grades = {g.exercise: g for g in grade_book(book_root, seconds=20.0, worker=worker)}
    attacked = {exercise for exercise, _, _ in REFUSED.values()}
    for exercise, grade in grades.items():
        if exercise in attacked:
            assert not grade.passed and grade.message.startswith("your cell uses what an answer may not")
            assert grade.points == 0
        else:
            assert grade.passed and grade.points == BY_ID[exercise].points, grade.message


@pytest.mark.parametrize("attack", list(HOSTILE))
def test_past_the_rules_no_answer_changes_the_verdict(attack: str, tmp_path: Path, worker: Worker) -> None:
    exercise, cell, expected = HOSTILE[attack]
    result = worker.grade(job(exercise, cell, tmp_path))
    assert not result["passed"] and expected in result["message"], result["message"]


def test_an_answer_cannot_write_the_files_it_would_need(tmp_path: Path, worker: Worker) -> None:
    cell = (
        "with open('expected.json', 'w') as expected:\n    expected.write('{\"passed\": true}')\n"
        "def noam_rate(step, d_model, warmup):\n    return 0.0\n"
    )
    result = worker.grade(job("9.1", cell, tmp_path))
    assert result == {"passed": False, "message": "your cell raised OSError: [Errno 27] File too large"}
    assert (tmp_path / "expected.json").read_text() == ""


def test_limits_memory_output_and_time_each_with_its_message(tmp_path: Path, worker: Worker) -> None:
    hog = "def embed(tokens, weight):\n    kept = []\n    while True:\n        kept.append(torch.empty(9**9))"
    message = worker.grade(job("2.1", hog, tmp_path))["message"]
    assert message.startswith("on a batch of 2 sequences of 5 ids") and "ran out of memory" in message
    flood = "def embed(tokens, weight):\n    return torch.zeros(8_000_000)\n"
    assert "passed the limit of 16 MiB" in worker.grade(job("2.1", flood, tmp_path))["message"]
    slow = "def embed(tokens, weight):\n    while True:\n        pass\n"
    message = worker.grade(job("2.1", slow, tmp_path, seconds=1.0))["message"]
    assert message.endswith("(vocabulary 11, d_model 8): your function did not finish within 1 s")
    assert worker.grade(job("2.1", SOLUTIONS["2.1"], tmp_path))["passed"]  # the worker serves on


def test_an_answer_that_kills_the_worker_fails_alone(tmp_path: Path) -> None:
    own = Worker()
    try:
        killer = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"
        assert own.grade(job("1.1", killer, tmp_path)) == {
            "passed": False,
            "message": "the grader's worker stopped unexpectedly",
        }
        assert own.grade(job("1.1", SOLUTIONS["1.1"], tmp_path))["passed"]
    finally:
        own.close()


def test_classroom_output_and_fail_under(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    answers = {"1.1": SOLUTIONS["1.1"], "9.1": SOLUTIONS["9.1"]}
    book_root = make_book(
        tmp_path / "book_root",
        answers,
        skip_notebooks=tuple({e.notebook for e in EXERCISES} - {"01_black_box.ipynb", "09_translator.ipynb"}),
    )
    output = tmp_path / "github_output"
    assert main(["grade", str(book_root), "--classroom", str(output)]) == 0  # not asked to fail: exit 0
    assert "2 of 12 exercises pass: 2 of 22 points" in capsys.readouterr().out
    assert main(["grade", str(book_root), "--json", "--fail-under", "3"]) == 1
    report = json.loads(capsys.readouterr().out)
    line = output.read_text()
    assert line.startswith("result=") and line.endswith("\n")
    result = json.loads(base64.b64decode(line[len("result=") :]))
    assert result["status"] == "pass" and result["max_score"] == sum(e.points for e in EXERCISES)
    scores = {test["name"]: test["score"] for test in result["tests"]}
    assert scores["Exercise 1.1: count_parameters"] == 1 and scores["Exercise 9.1: noam_rate"] == 1
    assert sum(scores.values()) == 2 and len(scores) == len(EXERCISES)
    assert (report["points"], report["possible"]) == (2, result["max_score"])


def test_the_class_workflow_reports_points_to_the_classroom_reporter() -> None:
    workflow = yaml.safe_load((Path(__file__).parent.parent / "book/coursework/grade.yml").read_text())
    assert workflow["name"] == "Autograding Tests" and list(workflow["jobs"]) == ["run-autograding-tests"]
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    grade = next(step for step in steps if step.get("id") == "exercises")
    assert '--classroom "$GITHUB_OUTPUT"' in grade["run"] and "--fail-under" not in grade["run"]
    reporter = steps[-1]
    assert reporter["uses"].startswith("classroom-resources/autograding-grading-reporter@")
    assert (
        reporter["with"]["runners"] == "exercises"
        and "steps.exercises.outputs.result" in reporter["env"]["EXERCISES_RESULTS"]
    )


def test_roster_with_a_hostile_submission_among_honest_ones(tmp_path: Path) -> None:
    classroom = tmp_path / "class"
    make_book(classroom / "alice", SOLUTIONS)
    make_book(classroom / "bob", SOLUTIONS)
    mallory = dict(SOLUTIONS)
    mallory["1.1"] = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"  # refused by the rules
    mallory["2.1"] = "def embed(tokens, weight):\n    while True:\n        pass\n"
    mallory["3.1"] = "x = [0] * (1 << 40)\n"
    mallory["4.1"] = REFUSED["wrapper of the book's attention (issue)"][1]
    make_book(classroom / "mallory", mallory)
    (classroom / "notes").mkdir()  # not a submission
    out = tmp_path / "grades.csv"
    assert main(["roster", str(classroom), "--out", str(out), "--timeout", "3"]) == 0
    rows = list(csv.DictReader(out.open()))
    assert {row["student"] for row in rows} == {"alice", "bob", "mallory"} and len(rows) == 3 * len(EXERCISES)
    total = sum(e.points for e in EXERCISES)
    for student in ("alice", "bob"):
        assert sum(int(r["points"]) for r in rows if r["student"] == student) == total
    failed = {
        r["exercise"]: r["message"] for r in rows if r["student"] == "mallory" and r["passed"] == "False"
    }
    assert set(failed) == {"1.1", "2.1", "3.1", "4.1"}
    assert "importing os is not allowed" in failed["1.1"]
    assert "did not finish within 3 s" in failed["2.1"]
    assert failed["3.1"].startswith("your cell raised MemoryError")
