"""Run one check safely: a student's function may raise, return rubbish or never finish.

``run_check`` turns every outcome into a ``CheckResult`` (pass/fail and one line of explanation);
it never lets the student's exception escape, and stops the function after a time limit.
"""

import re
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import torch

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
class Case:
    """One input to try: ``make()`` builds fresh arguments (so a function that edits them in place
    spoils nothing), ``description`` names the input in a failure message."""

    description: str
    make: Callable[[], tuple]


class WrongAnswerError(Exception):
    """The student's answer is wrong; the message says how."""


class TimeUp(BaseException):
    """Raised by the alarm when the time limit is over (a BaseException, so ``except Exception`` in
    the student's code cannot swallow it)."""


def compare_on_cases(
    function: Callable,
    reference: Callable,
    cases: Sequence[Case],
    mistakes: Sequence[tuple[str, Callable]],
    name: str | tuple[str, ...],
    atol: float = 1e-5,
) -> None:
    """Raise WrongAnswerError at the first case where ``function(*args)`` differs from ``reference(*args)``.

    ``mistakes`` holds (hint, mistaken variant) pairs with the reference's signature; when the
    student's output equals a variant's, its hint is added to the message.
    """
    for case in cases:
        actual = call_student(function, case)
        with torch.no_grad():
            expected = reference(*case.make())
        problem = difference(actual, expected, name, atol)
        if problem is None:
            continue
        variants = [(hint, _bind(variant, case)) for hint, variant in mistakes]
        hint = matching_hint(actual, variants, name)
        raise WrongAnswerError(f"on {case.description}: {problem}" + (f". Hint: {hint}" if hint else ""))


def call_student(function: Callable, case: Case) -> object:
    """``function(*case.make())``; an exception becomes a WrongAnswerError naming its type and message."""
    try:
        return function(*case.make())
    except NotImplementedError as error:
        raise WrongAnswerError(f"raised NotImplementedError: {one_line(error)}") from None
    except Exception as error:
        raise WrongAnswerError(
            f"on {case.description}: your function raised {type(error).__name__}: {one_line(error)}"
        ) from None


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
