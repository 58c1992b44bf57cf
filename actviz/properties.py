"""Properties of an activation, computed (never typed in).

Range (with its ends open or closed), boundedness, monotonicity, the mean output for a
standard normal input and zero-centredness (that mean is 0), f(0) = 0, smoothness class,
max |f'| where f is differentiable and the Lipschitz constant (infinite where f jumps),
extrema, inflection points, intervals where f' = 0 exactly and where f' saturates
(|f'| < 1e-3·max|f'|).

Method: limits at ±∞ with sympy; exact zero-gradient intervals from the Piecewise pieces of
f' that are identically 0; the Gaussian mean piece by piece between the kinks
(:mod:`actviz.gauss`); everything else from f, f', f'' evaluated on a dense grid over
[-1000, 1000] (sinh-spaced, dense near 0, plus every kink ± a hair), with sign changes
verified in 50-digit arithmetic (:mod:`actviz.critical`) and threshold crossings refined by
Brent's method on the lambdified derivatives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy

from actviz import budget, domain, text
from actviz import kinks as kinks_mod
from actviz.text import json_number

GRID_HALF_WIDTH = 1000.0
GRID_POINTS = 40001
SATURATION = 1e-3
SMOOTHNESS_ORDERS = 4
SMOOTHNESS_S = 10.0  # budgets (seconds, scaled by ACTVIZ_BUDGET_SCALE) of the steps
ZERO_GRADIENT_S = 10.0
CRITICAL_S = 15.0
ZERO_MEAN = 1e-6  # zero-centred: |E f(z)| <= this * sqrt(E f(z)**2) (selu's float32 constants
#                   leave a mean of 1.3e-8)


@dataclass
class Properties:
    range: dict
    bounded: bool
    monotonic: str  # "increasing", "non-decreasing", "decreasing", "non-increasing", "no"
    zero_centred: bool  # E[f(z)] = 0 for z ~ N(0, 1)
    gaussian_mean: float  # E[f(z)], z ~ N(0, 1)
    zero_at_origin: bool  # f(0) = 0
    smoothness: str  # "discontinuous", "C0", "C1", ..., "C∞"
    max_abs_derivative: float  # sup |f'| where f is differentiable
    lipschitz: float  # the Lipschitz constant: max |f'| for a continuous f, inf where f jumps
    extrema: list = field(default_factory=list)  # {x, value, kind}
    inflection_points: list = field(default_factory=list)  # {x, value, at_kink}
    zero_gradient: list = field(default_factory=list)  # [lo, hi] where f' == 0 exactly
    zero_gradient_closed: list = field(default_factory=list)  # [lo end, hi end] f' = 0 there
    saturation: list = field(default_factory=list)  # [lo, hi] where |f'| < 1e-3 max|f'|
    limits: dict = field(default_factory=dict)  # f at -inf, +inf
    undefined: list = field(default_factory=list)  # [lo, hi] where f is not a real number
    not_computed: dict = field(default_factory=dict)  # property -> why (its budget ran out)

    def to_dict(self) -> dict:
        return {
            "range": self.range,
            "bounded": self.bounded,
            "monotonic": self.monotonic,
            "zero_centred": self.zero_centred,
            "gaussian_mean": json_number(self.gaussian_mean),
            "zero_at_origin": self.zero_at_origin,
            "smoothness": self.smoothness,
            "max_abs_derivative": json_number(self.max_abs_derivative),
            "lipschitz": json_number(self.lipschitz),
            "extrema": self.extrema,
            "inflection_points": self.inflection_points,
            "zero_gradient": [[json_number(a), json_number(b)] for a, b in self.zero_gradient],
            "zero_gradient_closed": [list(c) for c in self.zero_gradient_closed],
            "saturation": [[json_number(a), json_number(b)] for a, b in self.saturation],
            "limits": {k: json_number(v) for k, v in self.limits.items()},
            "undefined": [[json_number(a), json_number(b)] for a, b in self.undefined],
            "not_computed": dict(self.not_computed),
        }


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


def compute(func, kinks: list | None = None) -> Properties:
    """All properties of a :class:`actviz.symbolic.Function`. A property whose symbolic step
    runs out of its budget is left empty and named in ``not_computed``; the rest still comes.
    """
    import numpy as np

    from actviz import critical, gauss

    missing: dict[str, str] = {}

    def step(name, seconds, fn, default):
        try:
            with budget.time_limit(seconds, name):
                return fn()
        except budget.BudgetExceeded as exc:
            missing[name] = f"not computed: took longer than {exc.seconds:g} s"
            return default

    if kinks is None:
        kinks = step("kinks", SMOOTHNESS_S, lambda: kinks_mod.find(func, 2), [])
    kink_xs = [k.x for k in kinks]
    f0, f1 = func.numpy(0), func.numpy(1)
    f2 = step("inflection_points", CRITICAL_S, lambda: func.numpy(2), None)  # f'' may be huge
    x = grid(kink_xs)
    y = f0(x)
    undefined = domain.undefined(f0, x, y)
    d1 = np.where(np.isnan(y), np.nan, f1(x))  # only where f is
    d2 = None if f2 is None else np.where(np.isnan(y), np.nan, f2(x))
    lim_lo, lim_hi = domain.limit_at(func.expr, -1, f0), domain.limit_at(func.expr, 1, f0)
    tails = [(lim_lo, -math.inf), (lim_hi, math.inf)]
    if any(math.isnan(v) and not any(end in iv for iv in undefined) for v, end in tails):
        missing["limits"] = "not computed: sympy could not tell within its budget"
    dlim = [abs(domain.limit_at(func.derivative(1), s, f1)) for s in (-1, 1)]
    # at the finite ends of the domain (log(x) at 0, atanh(x) at ±1): one-sided limits
    ends = [(lo, "-") for lo, _ in undefined if math.isfinite(lo)] + [
        (hi, "+") for _, hi in undefined if math.isfinite(hi)]
    edge_f = [domain.edge_limit(func.expr, e, side) for e, side in ends]
    dlim += [abs(domain.edge_limit(func.derivative(1), e, side)) for e, side in ends]
    smooth = step("smoothness", SMOOTHNESS_S, lambda: smoothness(func, kinks), None)
    if any(lo == hi for lo, hi in undefined):
        smooth = "discontinuous"  # a pole
    max_d1 = _max_abs_derivative(f1, x, d1, kink_xs, kinks, dlim)
    roots = step("extrema", CRITICAL_S, lambda: critical.verified_roots(
        f1, func.mpmath(1), x, d1, kink_xs), [])
    extrema = [{"x": xc, "value": float(f0(xc)), "kind": "min" if sa < 0 else "max",
                "at_kink": at} for xc, at, sa in roots]
    roots2 = [] if f2 is None else step(
        "inflection_points", CRITICAL_S,
        lambda: critical.verified_roots(f2, func.mpmath(2), x, d2, kink_xs), [])
    inflections = [{"x": xc, "value": float(f0(xc)), "at_kink": at} for xc, at, _ in roots2]
    zero_grad = step("zero_gradient", ZERO_GRADIENT_S,
                     lambda: zero_gradient_intervals(func.derivative(1)), [])
    rng = value_range(func, x, y, kinks, extrema, (lim_lo, lim_hi, *edge_f))
    mean, second = gauss.moments(f0, kink_xs) if not undefined else (math.nan, math.nan)
    if np.isfinite(mean) and abs(mean) <= 1e-13 * max(1.0, math.sqrt(max(second, 0.0))):
        mean = 0.0  # below the quadrature's accuracy: a symmetric odd function's noise
    lipschitz = max_d1 if smooth != "discontinuous" else math.inf
    return Properties(
        range=rng,
        bounded=rng["lo"] not in ("-inf", None) and rng["hi"] not in ("inf", None),
        monotonic="no" if any(lo == hi for lo, hi in undefined) else monotonicity(
            d1, kinks, zero_grad),  # f reaches ±inf at a pole: no monotonic f can
        zero_centred=bool(np.isfinite(mean)
                          and abs(mean) <= ZERO_MEAN * math.sqrt(max(second, 0.0))),
        gaussian_mean=mean,
        zero_at_origin=bool(kinks_mod.value_at(func.expr, sympy.S.Zero) == 0.0),
        smoothness=smooth if smooth is not None else "not computed",
        max_abs_derivative=max_d1,
        lipschitz=lipschitz if smooth is not None else math.nan,
        extrema=extrema,
        inflection_points=inflections,
        zero_gradient=zero_grad,
        zero_gradient_closed=[tuple(_is_zero_at(func.derivative(1), e) for e in iv)
                              for iv in zero_grad],
        saturation=saturation_intervals(f1, x, d1, max_d1, kink_xs, dlim, extrema),
        limits={"-inf": lim_lo, "inf": lim_hi},
        undefined=undefined,
        not_computed=missing,
    )


def _max_abs_derivative(f1, x, d1, kink_xs, kinks, dlim) -> float:
    """sup |f'| where f is differentiable: the grid maximum refined near the best grid point,
    the one-sided values at the kinks and the limits at ±∞."""
    import numpy as np

    a1 = np.abs(np.where(np.isfinite(d1), d1, 0.0))
    i = int(np.argmax(a1))
    best = float(a1[i])
    lo_i, hi_i = x[max(i - 1, 0)], x[min(i + 1, len(x) - 1)]
    if hi_i > lo_i and not any(lo_i <= k <= hi_i for k in kink_xs):
        from scipy.optimize import minimize_scalar

        r = minimize_scalar(lambda t: -abs(float(f1(t))), bounds=(lo_i, hi_i), method="bounded",
                            options={"xatol": 1e-12})
        best = max(best, -float(r.fun))
    if np.isinf(d1).any():
        return math.inf  # f' unbounded (sqrt|x| at 0)
    return max([best] + [v for v in dlim if not math.isnan(v)]
               + [abs(v) for k in kinks for v in (k.orders[1].left, k.orders[1].right)
                  if not math.isnan(v)])


def monotonicity(d1, kinks, zero_grad) -> str:
    """From the signs of f' on the grid and the jumps of f."""
    import numpy as np

    jumps = [k.orders[0].right - k.orders[0].left for k in kinks if k.order == 0]
    nz = d1[np.isfinite(d1) & (np.abs(d1) > 1e-300)]
    up = np.all(nz >= 0) and all(j >= 0 for j in jumps)
    down = np.all(nz <= 0) and all(j <= 0 for j in jumps)
    if up and not down:
        return "non-decreasing" if zero_grad else "increasing"
    if down and not up:
        return "non-increasing" if zero_grad else "decreasing"
    return "constant" if up and down else "no"


def value_range(func, x, y, kinks, extrema, limits) -> dict:
    """The range: its infimum and supremum, and whether each is attained.

    Candidates are values f takes (grid values, extrema, the value at each kink) and values
    it only approaches (one-sided limits at jumps, limits at ±∞). An end is closed when a
    value f takes equals it; a grid value that equals an approached one counts only where f
    equals it exactly in 40-digit arithmetic at one of the grid points nearest 0 giving it
    (sigmoid(40) rounds to 1.0 in float64 but is not 1; hard_sigmoid is exactly 1 beyond
    its kink).
    """
    import numpy as np

    finite = np.isfinite(y)
    taken = [e["value"] for e in extrema] + [k.orders[0].value for k in kinks]
    approached = [v for k in kinks for v in (k.orders[0].left, k.orders[0].right)]
    approached += [float(v) for v in np.unique(y[np.isinf(y)])]  # at poles
    approached += [v for v in limits if not math.isnan(v)]
    ends = {}
    for side, pick in (("lo", min), ("hi", max)):
        grid_best = float(pick(y[finite])) if finite.any() else math.nan
        cands = [v for v in [grid_best, *taken, *approached] if not math.isnan(v)]
        if not cands:
            ends[side] = (math.nan, False)
            continue
        bound = pick(cands) + 0.0
        closed = False
        if math.isfinite(bound):
            closed = any(_same(v, bound) for v in taken) or (
                _same(grid_best, bound) and _grid_attains(func, x, y, finite, grid_best,
                                                          any(_same(v, bound)
                                                              for v in approached)))
        ends[side] = (bound, closed)
    rng = {"lo": json_number(ends["lo"][0]), "hi": json_number(ends["hi"][0]),
           "lo_closed": ends["lo"][1], "hi_closed": ends["hi"][1]}
    rng["text"] = _range_text(rng)
    return rng


def _is_zero_at(d1, end: float) -> bool:
    """Does f' (with the convention at kinks) vanish at the interval end ``end``?"""
    if not math.isfinite(end):
        return False
    return kinks_mod.value_at(d1, sympy.nsimplify(end, rational=True)) == 0.0


def _same(a: float, b: float) -> bool:
    return a == b or abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


def _grid_attains(func, x, y, finite, value, near_approached: bool) -> bool:
    """Does f take ``value`` at a grid point? Where ``value`` is also approached (a limit),
    only if f equals it exactly in 40 digits at one of the grid points nearest 0 giving it
    (far out, 1 - exp(-1000) equals 1 in 40 digits too)."""
    import mpmath
    import numpy as np

    if not near_approached:
        return True
    idx = np.flatnonzero(finite & (y == value))
    if idx.size == 0:
        return False
    probe = idx[np.argsort(np.abs(x[idx]), kind="stable")[:3]]  # nearest 0: far out, every
    # value equals its limit in 40 digits
    with mpmath.workdps(40):
        f = func.mpmath(0)
        for i in probe:
            try:
                if f(mpmath.mpf(float(x[i]))) == mpmath.mpf(value):
                    return True
            except (ValueError, ZeroDivisionError, TypeError):
                continue
    return False


def _range_text(r) -> str:
    if r["lo"] is None or r["hi"] is None:
        return "not computed"
    return (("[" if r["lo_closed"] else "(") + text.num(r["lo"]) + ", " + text.num(r["hi"])
            + ("]" if r["hi_closed"] else ")"))


def saturation_intervals(f1, x, d1, lip, kink_xs, dlim, extrema=()):
    """Intervals where |f'| < SATURATION * max|f'| (zero-gradient ones included).

    The small bounded intervals around an isolated extremum (where f' merely crosses 0)
    are not saturation and are left out; an unbounded f' has no relative threshold.
    """
    import numpy as np

    if any(math.isinf(v) for v in dlim) or math.isinf(lip):
        return []  # f' unbounded: no relative threshold
    if not lip:
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
    return float(_brent(lambda t: abs(float(f1(t))) - thr, a, b))


def _brent(f, a, b):
    from scipy.optimize import brentq

    fa, fb = float(f(a)), float(f(b))
    if fa == 0:
        return a
    if not fa * fb < 0:  # no sign change (or NaN at an end)
        return b
    try:
        return brentq(lambda t: float(f(t)), a, b, xtol=1e-14, rtol=1e-15, maxiter=200)
    except ValueError:  # NaN inside
        return b
