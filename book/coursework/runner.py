"""Judge a function's answers, and run one check safely: a function may raise, return rubbish or never end.

``judge`` compares one call's outcome with the exercise's reference and names the mistake; the grader
calls it in a process that never runs the student's code, on outcomes sent back as data. ``run_check``
(the notebook's self-check) calls the function and judges it in one process, turns every outcome into a
``CheckResult`` (pass/fail and one line of explanation) and stops the function after a time limit.
"""

import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import torch

from book.coursework.cases import CASES, Case
from book.coursework.compare import difference, matching_hint

TIME_LIMIT_S = 10.0


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one exercise: its id ("4.1"), pass or fail, and one sentence why."""

    exercise: str
    passed: bool
    message: str

    def line(self) -> str:
        """The line a check prints, e.g. ``Exercise 4.1 passed: ...``."""
        return f"Exercise {self.exercise} {'passed' if self.passed else 'failed'}: {self.message}"


@dataclass(frozen=True)
class Outcome:
    """What one call of a student's function gave: its value, or the exception it raised
    (``error`` is the exception's type name, ``message`` its text on one line)."""

    value: object = None
    error: str | None = None
    message: str = ""


@dataclass(frozen=True)
class Spec:
    """How to judge one exercise: the right answer, the common mistakes, how to name the result.

    ``reference(*case.make())`` is the right answer; ``mistakes()`` holds (hint, mistaken variant)
    pairs with the reference's signature; ``name`` names the returned value in a message (a tuple of
    names for a tuple answer); ``success`` is the message of a pass.
    """

    exercise: str
    reference: Callable
    mistakes: Callable[[], list[tuple[str, Callable]]]
    name: str | tuple[str, ...]
    success: str
    atol: float = 1e-5

    def cases(self) -> list[Case]:
        """The inputs the function is tried on (``book.coursework.cases``)."""
        return CASES[self.exercise]()


class WrongAnswerError(Exception):
    """The student's answer is wrong; the message says how."""


class ForbiddenCall(BaseException):
    """Raised where an answer calls the implementation it was asked to write (``book.coursework.traps``);
    a BaseException, so ``except Exception`` in the answer does not swallow it."""


class TimeUp(BaseException):
    """Raised by the alarm when the time limit is over (a BaseException, so ``except Exception`` in
    the student's code cannot swallow it)."""


OUT_OF_MEMORY = ("can't allocate memory", "not enough memory", "out of memory")


def call(function: Callable, args: tuple) -> Outcome:
    """``function(*args)`` as an Outcome; an Exception (or a ForbiddenCall) becomes its error."""
    try:
        return Outcome(function(*args))
    except (Exception, ForbiddenCall) as error:
        return Outcome(error=type(error).__name__, message=one_line(error))


def judge(spec: Spec, case: Case, outcome: Outcome) -> None:
    """Raise WrongAnswerError if ``outcome`` is not the right answer for ``case``, saying why.

    When the answer equals a mistaken variant's, its hint is added to the message.
    """
    if outcome.error is not None:
        raise WrongAnswerError(failure_message(case, outcome))
    with torch.no_grad():
        expected = spec.reference(*case.make())
    problem = difference(outcome.value, expected, spec.name, spec.atol)
    if problem is None:
        return
    variants = [(hint, _bind(variant, case)) for hint, variant in spec.mistakes()]
    hint = matching_hint(outcome.value, variants, spec.name)
    raise WrongAnswerError(f"on {case.description}: {problem}" + (f". Hint: {hint}" if hint else ""))


def failure_message(case: Case, outcome: Outcome) -> str:
    """The message for a call that raised: not implemented, a forbidden call, no memory, or an error."""
    if outcome.error == "NotImplementedError":
        return f"raised NotImplementedError: {outcome.message}"
    if outcome.error == ForbiddenCall.__name__:
        return f"on {case.description}: {outcome.message}"
    if outcome.error == "MemoryError" or any(words in outcome.message for words in OUT_OF_MEMORY):
        return f"on {case.description}: your function ran out of memory ({outcome.error}: {outcome.message})"
    return f"on {case.description}: your function raised {outcome.error}: {outcome.message}"


def verify(spec: Spec, function: Callable) -> str:
    """Call ``function`` on every case of ``spec`` and judge it here (the notebook's self-check);
    the success message, or WrongAnswerError at the first wrong case."""
    for case in spec.cases():
        judge(spec, case, call(function, case.make()))
    return spec.success


def run_check(
    exercise: str, verify: Callable[[Callable], str], function: object, seconds: float = TIME_LIMIT_S
) -> CheckResult:
    """Run ``verify(function)`` under a time limit; its return value is the success message.

    The global random state is restored afterwards, so a check does not change what later notebook
    cells print.
    """
    if not callable(function):
        return CheckResult(exercise, False, f"expected a function, got {type(function).__name__}")
    try:
        with time_limit(seconds), torch.random.fork_rng(devices=[]):
            return CheckResult(exercise, True, verify(function))
    except WrongAnswerError as failure:
        return CheckResult(exercise, False, str(failure))
    except TimeUp:
        return CheckResult(
            exercise, False, f"did not finish within {seconds:g} s: is there a loop that never ends?"
        )
    except Exception as error:
        return CheckResult(exercise, False, f"raised {type(error).__name__}: {one_line(error)}")


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeUp after ``seconds`` in the main thread; no limit in others (signals need the main one)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum: int, frame: object) -> None:
        raise TimeUp

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _bind(variant: Callable, case: Case) -> Callable[[], object]:
    return lambda: variant(*case.make())


def one_line(error: BaseException) -> str:
    """An exception's message on one line, without memory addresses (they change from run to run)."""
    text = " ".join(str(error).split()) or "(no message)"
    text = re.sub(r" at 0x[0-9a-fA-F]+", "", text)
    return text if len(text) <= 300 else text[:297] + "..."
