"""The grader's worker: imports torch and the book once, then forks two children per exercise.

    python -m book.coursework.worker            # serve: a JSON job per line on stdin, a result line out
    python -m book.coursework.worker --answer   # without fork: run one job's answer, frames to stdout
    python -m book.coursework.worker --judge    # ... and judge them: job and frames in, result out

A job names the exercise, the setup code, the student's answer cell, the notebooks folder and a time
limit in seconds; the result is ``{"passed": bool, "message": str}``.

The answer and its judge never share a process. The *answer child* runs the chapter's setup and the
answer cell, then calls the function on every case of ``book.coursework.cases`` and sends back only the
outcomes, one frame per case (``torch.save`` of plain data: tensors, numbers, lists, tuples), on a pipe of
its own; it never holds a right answer (``book.coursework.checks`` is not loaded there). The worker stops it
when its time is up, when it sends more than ``OUTPUT_LIMIT_BYTES``, and the system stops it past
``MEMORY_LIMIT_BYTES``. The *judge child*, forked from the worker (which never runs student code), loads the
frames with ``torch.load(weights_only=True)``, computes the expected values and compares. Whatever the
answer does to modules, builtins, torch or files in its own process, the verdict is the judge's.

The worker never runs a torch operation itself, so forking it is safe (a process that has used torch's
thread pool cannot fork).
"""

import contextlib
import io
import json
import numbers
import os
import pkgutil
import select
import signal
import struct
import sys
import time
import types

import torch

import book
from book.coursework import traps
from book.coursework.cases import CASES
from book.coursework.compare import Unsupported, kind
from book.coursework.exercises import BY_ID
from book.coursework.runner import Outcome, TimeUp, WrongAnswerError, call, judge, one_line, time_limit

KILL_MARGIN_S = 2.0
JUDGE_TIME_LIMIT_S = 120.0
MEMORY_LIMIT_BYTES = 2 << 30
"""Address space an answer child may add to what it inherits from the worker."""
OUTPUT_LIMIT_BYTES = 16 << 20
"""What an answer child may send back, all cases together."""
NOT_PRELOADED = ("book.coursework.checks", "book.coursework.worker")
HEADER = struct.Struct(">Q")


# The answer child --------------------------------------------------------------------------------


def run_answer(job: dict, out: int) -> None:
    """Run the setup and the answer cell, then write one frame per case to the file descriptor ``out``."""
    exercise = BY_ID[job["exercise"]]
    seconds = job["seconds"]
    sys.modules["book.coursework.checks"] = _stand_in_checks()
    os.chdir(job["folder"])
    namespace: dict = {"__name__": "__main__"}

    def fail(message: str) -> None:
        _send(out, {"failure": message})

    try:
        with time_limit(seconds):
            exec(compile(job["setup"], f"<{exercise.notebook}: first cell>", "exec"), namespace)
    except (Exception, SystemExit, TimeUp) as error:
        return fail(f"the chapter's setup code failed: {type(error).__name__}: {one_line(error)}")
    try:
        code = compile(job["answer"], f"<exercise {exercise.id}>", "exec")
    except SyntaxError as error:
        return fail(f"your cell has a syntax error on line {error.lineno}: {error.msg}")
    arguments = [case.make() for case in CASES[exercise.id]()]  # before the traps: inputs may use the book
    traps.install(exercise, namespace)
    before = namespace.get(exercise.function)  # e.g. the book's own version (now a trap), from the setup
    started = time.monotonic()
    try:
        with time_limit(seconds):
            exec(code, namespace)
    except TimeUp:
        return fail(f"your cell did not finish within {seconds:g} s")
    except BaseException as error:
        return fail(f"your cell raised {type(error).__name__}: {one_line(error)}")
    function = namespace.get(exercise.function)
    if function is None or function is before:
        return fail(f"your cell does not define {exercise.function}")
    if not callable(function):
        return fail(f"{exercise.function} should be a function, got {type(function).__name__}")
    left = max(seconds - (time.monotonic() - started), 0.01)
    for args in arguments:
        try:
            with time_limit(left):
                outcome = call(function, args)
        except TimeUp:
            outcome = Outcome(error=TimeUp.__name__, message=f"did not finish within {seconds:g} s")
        _send(out, {"value": portable(outcome.value), "error": outcome.error, "message": outcome.message})
        if outcome.error == TimeUp.__name__:
            return


def portable(value: object, depth: int = 0) -> object:
    """``value`` as plain data ``torch.load(weights_only=True)`` reads: plain CPU tensors, Python numbers,
    lists and tuples of them; anything else becomes ``{"unsupported": its kind}``."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().as_subclass(torch.Tensor).clone()
    if value is None or type(value) is bool:
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, list | tuple) and depth < 3 and len(value) <= 10_000:
        items = [portable(item, depth + 1) for item in value]
        return items if isinstance(value, list) else tuple(items)
    return {"unsupported": kind(value)}


def _stand_in_checks() -> types.ModuleType:
    """What ``from book.coursework.checks import check_x`` gets in the answer child: checks that do nothing
    (the grader judges elsewhere), and no reference solution to call."""
    module = types.ModuleType("book.coursework.checks", "Stand-in: the grader checks answers in its judge.")

    def check(function: object) -> None:
        return None

    module.__getattr__ = lambda name: check if name.startswith("check_") else _missing(name)
    return module


def _missing(name: str) -> None:
    raise AttributeError(f"book.coursework.checks has no {name} in the grader")


def _send(out: int, frame: dict) -> None:
    buffer = io.BytesIO()
    torch.save(frame, buffer)
    data = buffer.getvalue()
    _write_all(out, HEADER.pack(len(data)) + data)


def _write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data) :]


def _limit_resources() -> None:
    """Cap the child's address space (so a cell that allocates without bound fails) and forbid writing
    files (a write fails with EFBIG instead of killing the child); no core dumps."""
    try:
        import resource
    except ImportError:  # Windows: no limits but time
        return
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/statm") as statm:
            inherited = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(
            resource.RLIMIT_AS, (inherited + MEMORY_LIMIT_BYTES, inherited + MEMORY_LIMIT_BYTES)
        )
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    for limit in (resource.RLIMIT_FSIZE, resource.RLIMIT_CORE):
        with contextlib.suppress(OSError, ValueError):
            resource.setrlimit(limit, (0, 0))


def _isolate(out: int) -> int:
    """Leave the child only its output pipe (as fd 3): stdin, stdout and stderr go to /dev/null and every
    other inherited descriptor (the worker's job and reply pipes) is closed. Returns the pipe's new fd."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.dup2(out, 3)
    os.closerange(4, 1 << 16)
    sys.stdout = io.StringIO()
    sys.stderr = io.StringIO()
    return 3


# The judge ---------------------------------------------------------------------------------------


def judge_frames(job: dict, data: bytes, ended: str | None) -> dict:
    """The verdict on an answer child's frames; ``ended`` says why it stopped early (None: it finished)."""
    from book.coursework.checks import SPECS  # only the judge holds the right answers

    try:
        frames = [_restore(frame) for frame in _frames(data)]
    except Exception as error:
        return _result(False, f"the grader could not read what your function returned: {one_line(error)}")
    if frames and "failure" in frames[0]:
        return _result(False, str(frames[0]["failure"])[:500])
    spec = SPECS[job["exercise"]]
    cases = spec.cases()
    for case, frame in zip(cases, frames, strict=False):
        outcome = Outcome(frame.get("value"), frame.get("error"), str(frame.get("message", "")))
        if outcome.error == TimeUp.__name__:
            return _result(False, f"on {case.description}: your function {outcome.message}")
        try:
            judge(spec, case, outcome)
        except WrongAnswerError as failure:
            return _result(False, str(failure))
        except Exception as error:
            return _result(False, f"the grader could not compare your answer: {one_line(error)}")
    if len(frames) < len(cases):
        why = ended or "the grading process ended before it reported every case"
        return _result(False, f"on {cases[len(frames)].description}: {why}" if frames else why)
    return _result(True, spec.success)


def _frames(data: bytes) -> list[dict]:
    frames, at = [], 0
    while at + HEADER.size <= len(data):
        (size,) = HEADER.unpack_from(data, at)
        at += HEADER.size
        if at + size > len(data):
            break  # cut off: the child was stopped while writing
        frame = torch.load(io.BytesIO(data[at : at + size]), weights_only=True)
        if not isinstance(frame, dict):
            raise ValueError(f"expected a frame, got {type(frame).__name__}")
        frames.append(frame)
        at += size
    return frames


def _restore(value: object) -> object:
    if isinstance(value, dict):
        if set(value) == {"unsupported"}:
            return Unsupported(str(value["unsupported"]))
        return {key: _restore(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_restore(item) for item in value)
    return value


def _result(passed: bool, message: str) -> dict:
    return {"passed": passed, "message": message}


# The worker --------------------------------------------------------------------------------------


def grade_forked(job: dict) -> dict:
    """Run the job's answer in one forked child and judge its outcomes in another."""
    data, ended = _run_child(lambda out: run_answer(job, out), job["seconds"] + KILL_MARGIN_S, answer=True)
    if ended == "timeout":
        ended = f"did not finish within {job['seconds']:g} s and was stopped"
    verdict, judge_ended = _run_child(
        lambda out: _write_all(out, json.dumps(judge_frames(job, data, ended)).encode()), JUDGE_TIME_LIMIT_S
    )
    if judge_ended is not None or not verdict:
        return _result(False, f"the grader's judge failed ({judge_ended or 'no verdict'}); please report it")
    return json.loads(verdict)


def _run_child(work, seconds: float, answer: bool = False) -> tuple[bytes, str | None]:
    """Fork, run ``work(write_fd)`` in the child, read what it writes until it exits, ``seconds`` pass or
    (for an answer) ``OUTPUT_LIMIT_BYTES`` is passed. Returns the bytes and None, or why the child ended
    early: "timeout", an output limit message, or its exit status."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        code = 70  # EX_SOFTWARE: the child's own code failed
        try:
            os.close(read_end)
            if answer:
                write_end = _isolate(write_end)
                _limit_resources()
                torch.set_num_threads(1)
            work(write_end)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    limit = OUTPUT_LIMIT_BYTES if answer else 1 << 30
    data, why = _read_all(read_end, time.monotonic() + seconds, limit)
    os.close(read_end)
    if why is not None:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if why is None and os.waitstatus_to_exitcode(status) != 0:
        why = _death(os.waitstatus_to_exitcode(status))
    return data, why


def _death(code: int) -> str:
    if code < 0:
        name = signal.Signals(-code).name
        return f"the grading process was killed by {name} before reporting (out of memory, or a crash)"
    return f"the grading process died (exit code {code}) before reporting"


def _read_all(fd: int, deadline: float, limit: int) -> tuple[bytes, str | None]:
    """Read ``fd`` until end of file, ``deadline`` or more than ``limit`` bytes; returns the bytes and
    None, "timeout" or the output limit message."""
    chunks, size = [], 0
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks), None
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                return b"".join(chunks)[:limit], (
                    f"your function's outputs passed the limit of {limit >> 20} MiB and it was stopped: "
                    "return only what the exercise asks for"
                )
    return b"".join(chunks), "timeout"


def preload() -> None:
    """Import the whole book (but the judge's checks) and what chapters import, once, before forking:
    children start fast, and a file an answer damages on disk cannot change what a later one imports."""
    import matplotlib.pyplot  # noqa: F401

    for module in pkgutil.walk_packages(book.__path__, "book."):
        if module.name not in NOT_PRELOADED and not module.name.endswith("__main__"):
            with contextlib.suppress(Exception):
                __import__(module.name)


def serve() -> None:
    """Answer each job line on stdin with a result line, keeping stdout for results only."""
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    preload()
    for line in sys.stdin:
        replies.write(json.dumps(grade_forked(json.loads(line))) + "\n")
        replies.flush()


def main() -> None:
    """Serve jobs; or, where there is no fork, ``--answer`` (frames to stdout) or ``--judge``."""
    if sys.argv[1:] == ["--answer"]:
        job = json.loads(sys.stdin.read())
        out = os.dup(sys.stdout.fileno())
        sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
        run_answer(job, out)
    elif sys.argv[1:] == ["--judge"]:
        header, data = sys.stdin.buffer.read().split(b"\n", 1)
        request = json.loads(header)
        print(json.dumps(judge_frames(request["job"], data, request["ended"])))
    else:
        serve()


if __name__ == "__main__":
    main()
