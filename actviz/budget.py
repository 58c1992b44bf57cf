"""Budgets for the symbolic steps that can explode: time, and the size of expressions.

sympy can take minutes on ordinary-looking input (``sympy.limit`` of ``mish(mish(x))``, the
expansion of ``(x + 1)**1000000``), so each such step runs under :func:`time_limit`: after
``seconds`` it raises :class:`BudgetExceeded`, which a caller turns into a property reported
as "not computed" (the rest of the answer still comes) or into a one-line error.

The limit is an interval timer (``SIGALRM``): it interrupts pure-Python work, which is what
sympy does. It applies in the main thread of a process on POSIX; elsewhere (other threads,
Windows) steps run without a time limit and only the size checks hold. Limits nest: an inner
budget never outlives the outer one. ``ACTVIZ_BUDGET_SCALE`` scales every budget (tests set
it small; a slow machine can set it large).
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
import threading
import time

from actviz.errors import ActvizError

MAX_OPS = 4000  # operations in one expression (f and each derivative) before it is "too large"


class BudgetExceeded(ActvizError):
    """A symbolic step did not finish within its time budget."""

    def __init__(self, what: str, seconds: float):
        self.what, self.seconds = what, seconds
        super().__init__(f"{what} took longer than {seconds:g} s")


def scale() -> float:
    try:
        v = float(os.environ.get("ACTVIZ_BUDGET_SCALE", "1"))
    except ValueError:
        return 1.0
    return v if math.isfinite(v) and v > 0 else 1.0


_deadline: list[float] = []  # the stack of active deadlines (monotonic seconds)
_hooks: list = []  # the unraisable hook replaced by the outermost active budget


def _usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


RETRY = 0.02  # seconds: the alarm again, in case Python swallowed the one raised


def _alarm(signum, frame):
    # Raised inside a __del__, a weakref or GC callback, the exception is swallowed by
    # Python ("Exception ignored in ...") and the step would run on unlimited: so the timer
    # fires again shortly, until the exception reaches time_limit (which stops the timer).
    signal.setitimer(signal.ITIMER_REAL, RETRY)
    raise _Expired()


def _unraisable(info) -> None:
    """sys.unraisablehook while a budget runs: a swallowed alarm is not reported (it
    fires again); anything else goes to the hook that was there."""
    if not isinstance(info.exc_value, _Expired):
        _hooks[0](info)


class _Expired(BaseException):
    """Raised by the timer; BaseException so that sympy's ``except Exception`` cannot eat it."""


@contextlib.contextmanager
def time_limit(seconds: float, what: str):
    """Run the block for at most ``seconds`` (times :func:`scale`); BudgetExceeded after."""
    seconds = seconds * scale()
    if not _usable():
        yield
        return
    now = time.monotonic()
    deadline = now + seconds
    if _deadline:
        deadline = min(deadline, _deadline[-1])
    _deadline.append(deadline)
    if len(_deadline) == 1:
        _hooks.append(sys.unraisablehook)
        sys.unraisablehook = _unraisable
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, max(deadline - now, 1e-3))
    try:
        yield
    except _Expired:
        # no alarm while this is handled: the retry (or the outer budget, re-armed for 1 ms
        # when it ran out in an inner block) could fire again inside BudgetExceeded's
        # construction and replace it with a bare _Expired
        signal.setitimer(signal.ITIMER_REAL, 0)
        if len(_deadline) > 1 and _deadline[-2] <= deadline:
            raise  # the outer budget ran out: let the outer block report it
        raise BudgetExceeded(what, round(seconds, 3)) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _deadline.pop()
        signal.signal(signal.SIGALRM, old)
        if _deadline:  # re-arm the outer budget
            signal.setitimer(signal.ITIMER_REAL, max(_deadline[-1] - time.monotonic(), 1e-3))
        else:
            sys.unraisablehook = _hooks.pop()


def check_size(expr, what: str = "the expression") -> None:
    """ActvizError when ``expr`` (sympy) has more than MAX_OPS operations."""
    import sympy

    n = sympy.count_ops(expr)
    if n > MAX_OPS:
        raise ActvizError(f"{what} is too large to handle ({n} operations, at most {MAX_OPS})")
