"""Properties of an activation, computed (never typed in).

Range, boundedness, monotonicity, zero-centredness, smoothness class, Lipschitz constant,
extrema, inflection points, intervals where f' = 0 exactly and where f' saturates
(|f'| < 1e-3·max|f'|).

Method: limits at ±∞ with sympy; exact zero-gradient intervals from the Piecewise pieces of
f' that are identically 0; everything else from f, f', f'' evaluated on a dense grid over
[-1000, 1000] (sinh-spaced, dense near 0, plus every kink ± a hair), with sign changes and
threshold crossings refined by Brent's method on the lambdified derivatives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy

from actviz import kinks as kinks_mod
from actviz.expr import X
from actviz.kinks import json_number

GRID_HALF_WIDTH = 1000.0
GRID_POINTS = 40001
SATURATION = 1e-3
SMOOTHNESS_ORDERS = 4


@dataclass
class Properties:
    range: dict
    bounded: bool
    monotonic: str  # "increasing", "non-decreasing", "decreasing", "non-increasing", "no"
    zero_centred: bool
    smoothness: str  # "discontinuous", "C0", "C1", ..., "C∞"
    lipschitz: float  # max |f'| (inf for a discontinuous f)
    extrema: list = field(default_factory=list)  # {x, value, kind}
    inflection_points: list = field(default_factory=list)  # {x, value, at_kink}
    zero_gradient: list = field(default_factory=list)  # [lo, hi] where f' == 0 exactly
    saturation: list = field(default_factory=list)  # [lo, hi] where |f'| < 1e-3 max|f'|
    limits: dict = field(default_factory=dict)  # f at -inf, +inf

    def to_dict(self) -> dict:
        return {
            "range": self.range,
            "bounded": self.bounded,
            "monotonic": self.monotonic,
            "zero_centred": self.zero_centred,
            "smoothness": self.smoothness,
            "lipschitz": json_number(self.lipschitz),
            "extrema": self.extrema,
            "inflection_points": self.inflection_points,
            "zero_gradient": [[json_number(a), json_number(b)] for a, b in self.zero_gradient],
            "saturation": [[json_number(a), json_number(b)] for a, b in self.saturation],
            "limits": {k: json_number(v) for k, v in self.limits.items()},
        }


def limit_at(expr: sympy.Expr, direction: int) -> float:
    """lim f(x) as x -> +inf (direction 1) or -inf (-1); nan if sympy cannot tell."""
    target = sympy.oo if direction > 0 else -sympy.oo
    piece = expr
    if isinstance(expr, sympy.Piecewise):
        probe = sympy.Integer(10) ** 30 * direction
        for e, cond in expr.args:
            if bool(cond.subs(X, probe)):
                piece = e
                break
    try:
        val = sympy.limit(piece.rewrite(sympy.exp), X, target)
    except (NotImplementedError, ValueError, TypeError):
        return float("nan")
    if val in (sympy.oo, -sympy.oo) or val.is_finite:
        return float(val)
    return float("nan")


def grid(points_of_interest=()) -> np.ndarray:  # noqa: F821
    import numpy as np

    t = np.linspace(-np.arcsinh(GRID_HALF_WIDTH), np.arcsinh(GRID_HALF_WIDTH), GRID_POINTS)
    g = [np.sinh(t)]
    for p in points_of_interest:
        h = 1e-9 * max(1.0, abs(p))
        g.append(np.array([p - h, p, p + h]))
    return np.unique(np.concatenate(g))


def smoothness(func, kinks: list) -> str:
    if any(k.order == 0 for k in kinks):
        return "discontinuous"
    if kinks:
        return f"C{min(k.order for k in kinks) - 1}"
    if not kinks_mod.candidate_points(kinks_mod._piecewise(func.expr)):
        return "C∞"
    deeper = kinks_mod.find(func, SMOOTHNESS_ORDERS)
    if deeper:
        return f"C{min(k.order for k in deeper) - 1}"
    return f"C{SMOOTHNESS_ORDERS}+"


def zero_gradient_intervals(d1: sympy.Expr) -> list[tuple[float, float]]:
    """Intervals (closed hull) where f' is identically 0, from the symbolic pieces."""
    d1 = kinks_mod._piecewise(d1)
    if d1 == 0:
        return [(-math.inf, math.inf)]
    if not isinstance(d1, sympy.Piecewise):
        return []
    out = []
    for e, s in d1.as_expr_set_pairs(sympy.Reals):
        if e != 0:
            continue
        for iv in (s.args if isinstance(s, sympy.Union) else (s,)):
            if isinstance(iv, sympy.Interval) and iv.measure > 0:
                out.append((float(iv.start), float(iv.end)))
    return _merge(out)


def _merge(intervals):
    out = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _sign_changes(x, y, scale, kink_xs):
    """(a, b, at_kink) brackets where y changes sign between non-negligible values."""
    import numpy as np

    tiny = 1e-12 * max(scale, 1e-300)
    keep = np.abs(y) > tiny
    xs, ys = x[keep], y[keep]
    out = []
    idx = np.nonzero(np.sign(ys[:-1]) != np.sign(ys[1:]))[0]
    for i in idx:
        a, b = xs[i], xs[i + 1]
        at = [k for k in kink_xs if a <= k <= b]
        out.append((a, b, at[0] if at else None))
    return out


def _refine(f, a, b):
    from scipy.optimize import brentq

    fa, fb = float(f(a)), float(f(b))
    if fa == 0:
        return a
    if fb == 0 or fa * fb > 0:
        return b
    return brentq(lambda t: float(f(t)), a, b, xtol=1e-14, rtol=1e-15, maxiter=200)


def compute(func, kinks: list | None = None) -> Properties:
    """All properties of a :class:`actviz.symbolic.Function`."""
    import numpy as np

    if kinks is None:
        kinks = kinks_mod.find(func, 2)
    kink_xs = [k.x for k in kinks]
    f0, f1, f2 = func.numpy(0), func.numpy(1), func.numpy(2)
    x = grid(kink_xs)
    y, d1, d2 = f0(x), f1(x), f2(x)
    finite = np.isfinite(y)
    lim_lo, lim_hi = limit_at(func.expr, -1), limit_at(func.expr, 1)
    dlim = [abs(limit_at(func.derivative(1), s)) for s in (-1, 1)]

    # Lipschitz: max |f'| on the grid, refined near the best grid point, and at +-inf.
    a1 = np.abs(np.where(np.isfinite(d1), d1, 0.0))
    i = int(np.argmax(a1))
    lip = float(a1[i])
    lo_i, hi_i = x[max(i - 1, 0)], x[min(i + 1, len(x) - 1)]
    if hi_i > lo_i and not any(lo_i <= k <= hi_i for k in kink_xs):
        from scipy.optimize import minimize_scalar

        r = minimize_scalar(lambda t: -abs(float(f1(t))), bounds=(lo_i, hi_i), method="bounded",
                            options={"xatol": 1e-12})
        lip = max(lip, -float(r.fun))
    lip = max([lip] + [v for v in dlim if not math.isnan(v)]
              + [abs(v) for k in kinks for v in (k.orders[1].left, k.orders[1].right)])
    smooth = smoothness(func, kinks)
    lipschitz = math.inf if smooth == "discontinuous" else lip

    # Extrema: sign changes of f' (or at a kink where f' flips sign).
    extrema = []
    for a, b, at in _sign_changes(x, d1, lip, kink_xs):
        xc = at if at is not None else _refine(f1, a, b)
        kind = "min" if f1(a) < 0 else "max"
        extrema.append({"x": float(xc), "value": float(f0(xc)), "kind": kind,
                        "at_kink": at is not None})
    inflections = []
    scale2 = float(np.max(np.abs(np.where(np.isfinite(d2), d2, 0.0)))) or 1.0
    for a, b, at in _sign_changes(x, d2, scale2, kink_xs):
        xc = at if at is not None else _refine(f2, a, b)
        inflections.append({"x": float(xc), "value": float(f0(xc)), "at_kink": at is not None})

    # Range: grid extremes (with refined extrema and kink one-sided values) and limits.
    values = list(y[finite]) + [e["value"] for e in extrema]
    for k in kinks:
        values += [k.orders[0].left, k.orders[0].right, k.orders[0].value]
    gmin, gmax = min(values), max(values)
    lo = min(gmin, lim_lo) if not math.isnan(lim_lo) else gmin
    hi = max(gmax, lim_hi) if not math.isnan(lim_hi) else gmax
    zero_grad = zero_gradient_intervals(func.derivative(1))
    ends = (float(x[0]), float(x[-1]))
    rng = {
        "lo": json_number(lo + 0.0), "hi": json_number(hi + 0.0),
        "lo_closed": _attained(func, lo, lim_lo, x[np.argmin(np.where(finite, y, np.inf))], ends,
                               zero_grad),
        "hi_closed": _attained(func, hi, lim_hi, x[np.argmax(np.where(finite, y, -np.inf))], ends,
                               zero_grad),
    }
    rng["text"] = _range_text(rng)

    # Monotonicity from f' and the jumps of f.
    jumps = [k.orders[0].right - k.orders[0].left for k in kinks if k.order == 0]
    nz = d1[np.isfinite(d1) & (np.abs(d1) > 1e-300)]
    up = np.all(nz >= 0) and all(j >= 0 for j in jumps)
    down = np.all(nz <= 0) and all(j <= 0 for j in jumps)
    if up and not down:
        monotonic = "non-decreasing" if zero_grad else "increasing"
    elif down and not up:
        monotonic = "non-increasing" if zero_grad else "decreasing"
    elif up and down:
        monotonic = "constant"
    else:
        monotonic = "no"

    return Properties(
        range=rng,
        bounded=not (math.isinf(lo) or math.isinf(hi)),
        monotonic=monotonic,
        zero_centred=bool(kinks_mod.value_at(func.expr, sympy.S.Zero) == 0.0),
        smoothness=smooth,
        lipschitz=lipschitz,
        extrema=extrema,
        inflection_points=inflections,
        zero_gradient=zero_grad,
        saturation=saturation_intervals(f1, x, d1, lip, kink_xs, dlim, extrema),
        limits={"-inf": lim_lo, "inf": lim_hi},
    )


def _attained(func, bound, limit, x_at, ends, zero_grad) -> bool:
    """Is the infimum/supremum reached at a finite x?

    Yes if it differs from the limit at infinity (an interior extremum or a jump value).
    If it equals the limit: at the grid's edge only where f is flat out to that infinity
    (relu's 0); inside, only if f equals it exactly in 40-digit arithmetic (sigmoid(40)
    rounds to 1.0 in float64 but is not 1).
    """
    import mpmath

    if math.isinf(bound):
        return False
    if math.isnan(limit) or abs(bound - limit) > 1e-12 * max(1.0, abs(bound)):
        return True
    if x_at in ends:
        side = -math.inf if x_at == ends[0] else math.inf
        return any(side in (lo, hi) for lo, hi in zero_grad)
    with mpmath.workdps(40):
        return bool(func.mpmath(0)(mpmath.mpf(float(x_at))) == mpmath.mpf(limit))


def _range_text(r) -> str:
    def fmt(v):
        if v in ("inf", "-inf"):
            return "∞" if v == "inf" else "-∞"
        return f"{v:.6g}"

    return (("[" if r["lo_closed"] else "(") + fmt(r["lo"]) + ", " + fmt(r["hi"])
            + ("]" if r["hi_closed"] else ")"))


def saturation_intervals(f1, x, d1, lip, kink_xs, dlim, extrema=()):
    """Intervals where |f'| < SATURATION * max|f'| (zero-gradient ones included).

    The small bounded intervals around an isolated extremum (where f' merely crosses 0)
    are not saturation and are left out; an unbounded f' has no relative threshold.
    """
    import numpy as np

    if any(math.isinf(v) for v in dlim):
        return []
    if not lip or math.isinf(lip):
        finite = np.abs(d1[np.isfinite(d1)])
        lip = float(finite.max()) if finite.size else 0.0
    if lip == 0:
        return [(-math.inf, math.inf)]
    thr = SATURATION * lip
    below = np.abs(np.nan_to_num(d1, nan=np.inf)) < thr
    out = []
    n = len(x)
    i = 0
    while i < n:
        if not below[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and below[j + 1]:
            j += 1
        lo = -math.inf if i == 0 and dlim[0] < thr else _edge(f1, thr, x, i - 1, i, kink_xs)
        hi = math.inf if j == n - 1 and dlim[1] < thr else _edge(f1, thr, x, j, j + 1, kink_xs)
        crossing = any(lo < e["x"] < hi and not e["at_kink"] for e in extrema)
        if not (crossing and math.isfinite(lo) and math.isfinite(hi)):
            out.append((lo, hi))
        i = j + 1
    return _merge(out)


def _edge(f1, thr, x, i, j, kink_xs):
    if i < 0:
        return float(x[0])
    if j >= len(x):
        return float(x[-1])
    a, b = float(x[i]), float(x[j])
    for k in kink_xs:
        if a <= k <= b:
            return float(k)
    return float(_refine(lambda t: abs(float(f1(t))) - thr, a, b))
