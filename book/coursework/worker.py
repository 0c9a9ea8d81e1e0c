"""The grader's worker: imports torch and the book once, then forks one child per exercise.

    python -m book.coursework.worker         # serve: a JSON job per line on stdin, a JSON result per line out
    python -m book.coursework.worker --one   # run one job from stdin in this process (where there is no fork)

A job names the exercise, the setup code, the student's answer cell, the notebooks folder and a time
limit in seconds; the result is ``{"passed": bool, "message": str}``. The worker never runs a torch
operation itself, so forking it is safe (a process that has used torch's thread pool cannot fork).
Each child is killed when its time is up; whatever it does, the worker answers every job.
"""

import contextlib
import io
import json
import os
import select
import signal
import sys
import time

import book.chapters.setup  # noqa: F401  (what every chapter's first cell imports: loaded once, before forking)
from book.coursework.exercises import BY_ID
from book.coursework.runner import TIME_LIMIT_S, TimeUp, one_line, run_check, time_limit

KILL_MARGIN_S = 2.0


def grade_job(job: dict) -> dict:
    """Run the setup and the answer cell in a fresh namespace, then check the function they define."""
    exercise = BY_ID[job["exercise"]]
    seconds = job["seconds"]
    os.chdir(job["folder"])
    namespace: dict = {"__name__": "__main__"}

    def failed(message: str) -> dict:
        return {"passed": False, "message": message}

    try:
        with time_limit(seconds):
            exec(compile(job["setup"], f"<{exercise.notebook}: first cell>", "exec"), namespace)
    except (Exception, SystemExit, TimeUp) as error:
        return failed(f"the chapter's setup code failed: {type(error).__name__}: {one_line(error)}")
    before = namespace.get(exercise.function)  # e.g. the book's own version, imported by the setup
    try:
        code = compile(job["answer"], f"<exercise {exercise.id}>", "exec")
    except SyntaxError as error:
        return failed(f"your cell has a syntax error on line {error.lineno}: {error.msg}")
    try:
        with time_limit(seconds):
            exec(code, namespace)
    except TimeUp:
        return failed(f"your cell did not finish within {seconds:g} s")
    except (Exception, SystemExit) as error:
        return failed(f"your cell raised {type(error).__name__}: {one_line(error)}")
    function = namespace.get(exercise.function)
    if function is None or function is before:
        return failed(f"your cell does not define {exercise.function}")
    if getattr(function, "__module__", "__main__").startswith("book."):
        return failed(f"your cell imports {exercise.function} from the book instead of writing it")
    result = run_check(exercise.id, exercise.verify, function, min(seconds, TIME_LIMIT_S))
    return {"passed": result.passed, "message": result.message}


def run_forked(job: dict) -> dict:
    """``grade_job(job)`` in a forked child, killed ``KILL_MARGIN_S`` after its own time limit."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        try:
            os.close(read_end)
            _silence()
            os.write(write_end, json.dumps(grade_job(job)).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    data, finished = _read_all(read_end, time.monotonic() + job["seconds"] + KILL_MARGIN_S)
    os.close(read_end)
    if not finished:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if not finished:
        return {"passed": False, "message": f"did not finish within {job['seconds']:g} s and was stopped"}
    if not data:
        code = os.waitstatus_to_exitcode(status)
        return {"passed": False, "message": f"the grading process died (exit code {code}) before reporting"}
    return json.loads(data)


def serve() -> None:
    """Answer each job line on stdin with a result line, keeping stdout for results only."""
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    for line in sys.stdin:
        replies.write(json.dumps(run_forked(json.loads(line))) + "\n")
        replies.flush()


def _read_all(fd: int, deadline: float) -> tuple[bytes, bool]:
    """Read ``fd`` until end of file or ``deadline``; returns the bytes and whether the end was reached."""
    chunks = []
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                return b"".join(chunks), True
            chunks.append(chunk)
    return b"".join(chunks), False


def _silence() -> None:
    """Send the child's output (Python's and C's) nowhere: the student's prints are not the grader's."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = io.StringIO()
    sys.stderr = io.StringIO()


def main() -> None:
    """Serve jobs, or with ``--one`` grade a single job in this process (its output silenced)."""
    if sys.argv[1:] == ["--one"]:
        job = json.loads(sys.stdin.read())
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            result = grade_job(job)
        print(json.dumps(result))
    else:
        serve()


if __name__ == "__main__":
    main()
