"""Time budgets for checks that may hang (sympy's simplify can).

In the main thread a budget is enforced with ``SIGALRM``: the pending
computation is interrupted by :class:`BudgetExceeded`.  Elsewhere (a worker
thread) there is no safe way to interrupt Python code, so the budget is
checked cooperatively through :func:`remaining`.

>>> with budget(1.0):
...     x = sum(range(10))
>>> x
45
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time

from .exceptions import BudgetExceeded

_deadlines: list[float] = []
_expired = [0]  # how many times a budget has run out in this process (caught or not)


def _on_alarm(signum, frame):  # pragma: no cover - exercised through budget()
    _expired[0] += 1
    raise BudgetExceeded("time budget exceeded")


def expirations() -> int:
    """How many times a time budget has run out in this process, whoever caught the exception.

    A result computed while this count moved depended on the machine's speed
    (a symbolic attempt cut short, an unrolling stopped early), so it must
    not be remembered as if it were the result of the full computation.

    >>> before = expirations()
    >>> try:
    ...     with budget(1.0):
    ...         check_time()
    ... except BudgetExceeded:
    ...     pass
    >>> expirations() == before
    True
    """
    return _expired[0]


def remaining() -> float:
    """Seconds left in the innermost active budget (``inf`` when none).

    >>> remaining() == float("inf")
    True
    """
    if not _deadlines:
        return float("inf")
    return min(_deadlines) - time.monotonic()


@contextlib.contextmanager
def budget(seconds: float):
    """Run the body with at most ``seconds`` of wall time, else raise BudgetExceeded."""
    deadline = time.monotonic() + max(seconds, 0.001)
    if _deadlines:
        deadline = min(deadline, min(_deadlines))
    main = threading.current_thread() is threading.main_thread()
    _deadlines.append(deadline)
    old_handler = None
    try:
        if main:
            old_handler = signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, max(deadline - time.monotonic(), 0.001))
        yield
    finally:
        _deadlines.pop()
        if main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if old_handler is not None:
                signal.signal(signal.SIGALRM, old_handler)
            if _deadlines:  # re-arm the enclosing budget
                left = min(_deadlines) - time.monotonic()
                signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
                signal.signal(signal.SIGALRM, _on_alarm)


@contextlib.contextmanager
def apart(seconds: float):
    """Run the body under a budget of its own, ``seconds``, outside the enclosing budgets: they are
    paused, and their deadlines move by the time the body took.

    For work whose extent must not depend on the machine's speed (shrinking a counterexample already
    verified): a step's budget, half spent by a slow symbolic attempt, would cut it at a point that
    varies with the load.  Its own budget stays a last-resort guard.

    >>> with budget(1.0):
    ...     before = remaining()
    ...     with apart(5.0):
    ...         inside = remaining()
    ...     after = remaining()
    >>> 1.0 < inside <= 5.0, after > before - 0.5
    (True, True)
    """
    saved = list(_deadlines)
    main = threading.current_thread() is threading.main_thread()
    if main and saved:
        signal.setitimer(signal.ITIMER_REAL, 0)  # the enclosing alarm waits
    start = time.monotonic()
    del _deadlines[:]
    try:
        with budget(seconds):
            yield
    finally:
        spent = time.monotonic() - start
        _deadlines[:] = [d + spent for d in saved]
        if main and _deadlines:
            signal.setitimer(signal.ITIMER_REAL, max(min(_deadlines) - time.monotonic(), 0.001))
            signal.signal(signal.SIGALRM, _on_alarm)


def cut_short() -> None:
    """Record that a check stopped early to stay inside its budget (see :func:`expirations`).

    >>> before = expirations(); cut_short(); expirations() == before + 1
    True
    """
    _expired[0] += 1


def check_time() -> None:
    """Raise BudgetExceeded when the innermost budget has run out (cooperative check)."""
    if remaining() <= 0:
        _expired[0] += 1
        raise BudgetExceeded("time budget exceeded")
