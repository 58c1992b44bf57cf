"""The domain of an activation and its ends: limits at ±∞ and at the finite ends of the
domain, and where f is not a real number (NaN: log(x) for x < 0; isolated infinities: poles).

Limits come from sympy within a budget; where sympy cannot tell in time, from the float64
values far out where they settle (:func:`numeric_limit`).
"""

from __future__ import annotations

import math

import sympy

from actviz import budget
from actviz import kinks as kinks_mod
from actviz.expr import X

LIMIT_S = 5.0  # budget of one sympy limit, seconds


def limit_at(expr: sympy.Expr, direction: int, estimate=None) -> float:
    """lim f(x) as x -> +inf (direction 1) or -inf (-1) by sympy; where sympy cannot tell
    within its budget, the float64 estimate of ``estimate`` (a vectorized f) if given
    (:func:`numeric_limit`); else nan."""
    val = _sympy_limit(expr, direction)
    if math.isnan(val) and estimate is not None:
        return numeric_limit(estimate, direction)
    return val


def numeric_limit(f, direction: int) -> float:
    """The float64 limit of a vectorized f at ±∞ where its values settle: f at ±10**k for
    k = 4..16 agreeing to 1e-12 over the last four (or beyond 1e300 and growing); else nan."""
    import numpy as np

    xs = direction * 10.0 ** np.arange(4, 17)
    with np.errstate(all="ignore"):
        v = np.asarray(f(xs), dtype=float)
    tail = v[-4:]
    if np.all(np.isinf(tail)) and len(set(np.sign(tail))) == 1:
        return float(tail[-1])
    if np.all(np.isfinite(tail)) and np.ptp(tail) <= 1e-12 * max(1.0, np.max(np.abs(tail))):
        return float(tail[-1])
    return float("nan")


def _sympy_limit(expr: sympy.Expr, direction: int) -> float:
    target = sympy.oo if direction > 0 else -sympy.oo
    piece = expr
    if isinstance(expr, sympy.Piecewise):
        probe = sympy.Integer(10) ** 30 * direction
        for e, cond in expr.args:
            if bool(cond.subs(X, probe)):
                piece = e
                break
    try:
        with budget.time_limit(LIMIT_S, "a limit at infinity"):
            val = sympy.limit(piece.rewrite(sympy.exp), X, target)
    except (NotImplementedError, ValueError, TypeError, budget.BudgetExceeded):
        return float("nan")
    if val in (sympy.oo, -sympy.oo) or (val.is_finite and val.is_real):
        return float(val)
    return float("nan")


def edge_limit(expr: sympy.Expr, edge: float, side: str) -> float:
    """The one-sided limit of ``expr`` at the finite end ``edge`` of its domain (a float
    bisected to the last ulp, read as the nearby simple number), from the side where it is
    defined: '-' from the left, '+' from the right; NaN when sympy cannot tell in budget."""
    exact = sympy.nsimplify(edge, tolerance=1e-9 * max(1.0, abs(edge)), rational=True)
    if abs(float(exact) - edge) > 1e-9 * max(1.0, abs(edge)):
        return float("nan")
    try:
        with budget.time_limit(LIMIT_S, "a limit at the end of the domain"):
            val = sympy.limit(expr, X, exact, side)
    except (NotImplementedError, ValueError, TypeError, budget.BudgetExceeded):
        return float("nan")
    return kinks_mod.real_value(val)


def undefined(f0, x, y) -> list[tuple[float, float]]:
    """Where f is not a real number: intervals of the grid where it is NaN (log(x) for
    x < 0), ends bisected, extended to an adjacent point where it is infinite (log(0)), and
    isolated points where it is infinite between finite values (1/x at 0: poles) as
    [x, x]. Runs of infinite values are overflow (exp(exp(x)) for x > 6.6), not listed."""
    import numpy as np

    bad = np.isnan(y)
    if bad.all():
        return [(-math.inf, math.inf)]
    out = []
    if bad.any():
        edges = np.flatnonzero(np.diff(bad.astype(np.int8)))
        starts = [0] + [i + 1 for i in edges if bad[i + 1]]
        stops = [i for i in edges if bad[i]] + [len(x) - 1]
        for i0, i1 in zip(starts, stops):
            if not bad[i0]:
                continue
            lo = -math.inf if i0 == 0 else _nan_edge(f0, float(x[i0 - 1]), float(x[i0]))
            hi = math.inf if i1 == len(x) - 1 else _nan_edge(f0, float(x[i1 + 1]), float(x[i1]))
            if i0 > 0 and np.isinf(y[i0 - 1]):
                lo = float(x[i0 - 1])
            if i1 < len(x) - 1 and np.isinf(y[i1 + 1]):
                hi = float(x[i1 + 1])
            out.append((lo, hi))
    inf = np.isinf(y)
    fin = np.isfinite(y)
    lone = inf & np.r_[False, fin[:-1]] & np.r_[fin[1:], False]
    for v in x[lone]:
        if not any(lo <= v <= hi for lo, hi in out):
            out.append((float(v), float(v)))
    return sorted(out)


def _nan_edge(f0, good: float, bad: float) -> float:
    import numpy as np

    for _ in range(80):
        mid = 0.5 * (good + bad)
        if mid in (good, bad):
            break
        if np.isnan(f0(mid)):
            bad = mid
        else:
            good = mid
    return bad
