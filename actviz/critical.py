"""Critical points of an activation: the extrema (zeros of f') and inflection points (zeros of
f''), found as sign changes on a dense grid and *verified*: a bracket counts only where f'
(or f'') evaluated in 50-digit arithmetic has opposite, non-zero signs at its ends, so that
rounding noise in float64 (f'' of x*sigmoid(1.702x) near x = 830 is below 1e-300 and flips
sign at random) is not reported as a root. Each verified root is refined by Brent's method
on the float64 derivative and, where that is not decisive, by bisection in mpmath.
"""

from __future__ import annotations

import math

DPS = 50
MAX_BRACKETS = 200  # sign changes checked at high precision, at most (the most prominent)


def sign_changes(x, y, kink_xs):
    """(a, b, at_kink) brackets between grid neighbours where y changes sign (zeros of y
    on the grid are stepped over: the bracket joins the non-zero values around them; points
    where y is not finite are not: f is undefined in between, as log(x) is left of 0)."""
    import numpy as np

    keep = np.isfinite(y) & (y != 0)
    hole = ~np.isfinite(y) & ~np.isin(x, kink_xs)  # sqrt|x|' is NaN at its kink 0: spanned
    gap = np.cumsum(hole)[keep]  # brackets must not span a non-finite point
    xs, ys = x[keep], y[keep]
    out = []
    flips = (np.sign(ys[:-1]) != np.sign(ys[1:])) & (gap[:-1] == gap[1:])
    for i in np.nonzero(flips)[0]:
        a, b = float(xs[i]), float(xs[i + 1])
        at = [k for k in kink_xs if a <= k <= b]
        out.append((a, b, at[0] if at else None, abs(ys[i]) + abs(ys[i + 1])))
    if len(out) > MAX_BRACKETS:
        out = sorted(sorted(out, key=lambda r: -r[3])[:MAX_BRACKETS], key=lambda r: r[0])
    return [(a, b, at) for a, b, at, _ in out]


def _sign_mp(g_mp, t: float) -> int:
    import mpmath

    with mpmath.workdps(DPS):
        try:
            v = g_mp(mpmath.mpf(t))
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            return 0
        if isinstance(v, mpmath.mpc):
            if v.imag != 0:
                return 0  # undefined (complex) there
            v = v.real
        if not mpmath.isfinite(v) or v == 0:
            return 0
        return 1 if v > 0 else -1


def verified_roots(g, g_mp, x, y, kink_xs):
    """Roots of a derivative g (vectorized float64 ``g``, mpmath scalar ``g_mp``) from the
    grid values ``y = g(x)``: ``[(x_root, at_kink, sign_before)]``. A bracket around a kink
    is a root at the kink (the derivative flips sign there) when its one-sided signs differ
    in 50 digits too."""
    out = []
    for a, b, at in sign_changes(x, y, kink_xs):
        sa, sb = _sign_mp(g_mp, a), _sign_mp(g_mp, b)
        if sa == 0 or sb == 0 or sa == sb:
            continue
        root = at if at is not None else _refine(g, g_mp, a, b, sa)
        if at is None and abs(root) < 1e-12 and _sign_mp(g_mp, 0.0) == 0:
            root = 0.0  # an odd function's root, refined to rounding noise around 0
        out.append((float(root), at is not None, sa))
    return out


def _refine(g, g_mp, a: float, b: float, sa: int) -> float:
    """A root of g in (a, b) where g(a) has sign sa and g(b) the other: Brent on float64 when
    float64 agrees with the signs at the ends, bisection in mpmath otherwise."""
    from scipy.optimize import brentq

    fa, fb = float(g(a)), float(g(b))
    if fa * sa > 0 and fb * sa < 0:
        try:
            return brentq(lambda t: float(g(t)), a, b, xtol=1e-14, rtol=1e-15, maxiter=200)
        except ValueError:  # NaN inside the bracket: bisect in mpmath
            pass
    for _ in range(120):
        mid = 0.5 * (a + b)
        if mid in (a, b):
            break
        s = _sign_mp(g_mp, mid)
        if s == 0:
            return mid
        a, b = (mid, b) if s == sa else (a, mid)
    return 0.5 * (a + b) if math.isfinite(a + b) else a
