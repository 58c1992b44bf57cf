"""The numeric core of the approximation analysis: values through ``actviz.kernels`` and the
largest error on a set of x.

Every value of a target or an approximation comes from :func:`actviz.kernels.derivative`
(the one numeric path: catalog formulas, or the compiled generic path for expressions), in
float64 on the NumPy backend for the many small evaluations of a fit (the numba backend
would compile a loop for every new parameter value of an expression family).

:func:`largest` finds the largest |h| on a grid and refines every local maximum of the grid
by a vectorized golden-section search between its grid neighbours: the maximum of an error
curve sits either in the smooth interior of a piece (a tangency) or at a kink of the
approximation (hard_sigmoid against sigmoid: at its corners), and |h| is unimodal around
both, so the search converges to either without knowing where the kinks are.
"""

from __future__ import annotations

import math

import numpy as np

from actviz.errors import ActvizError

GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
GOLDEN_STEPS = 90  # 0.618**90 ~ 1e-19: the bracket shrinks to float64 resolution
TOP = 24  # grid maxima refined


def values(func, x, order: int = 0, params: dict | None = None):
    """f (order 0) or f' (order 1) of ``func`` (a spec or a symbolic.Function) at float64
    ``x``, through the kernels (NumPy backend)."""
    from actviz import kernels

    x = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        return kernels.derivative(func, x, order, backend="numpy", **(params or {}))


def golden_max(h, a, b, steps: int = GOLDEN_STEPS):
    """For each bracket [a_i, b_i], the x in it where h (vectorized) is largest, assuming h
    is unimodal there; returns (x, h(x)) arrays (the ends are candidates too)."""
    a, b = np.array(a, dtype=np.float64), np.array(b, dtype=np.float64)
    a0, b0 = a.copy(), b.copy()
    c, d = b - GOLDEN * (b - a), a + GOLDEN * (b - a)
    hc, hd = h(c), h(d)
    for _ in range(steps):
        left = hc >= hd  # the maximum lies in [a, d]: d becomes c; else in [c, b]
        a, b = np.where(left, a, c), np.where(left, d, b)
        new = np.where(left, b - GOLDEN * (b - a), a + GOLDEN * (b - a))
        hn = h(new)
        c, d, hc, hd = (np.where(left, new, d), np.where(left, c, new),
                        np.where(left, hn, hd), np.where(left, hc, hn))
    xs = np.stack([a0, b0, c, d])
    hs = np.stack([h(a0), h(b0), hc, hd])
    idx = np.argmax(hs, axis=0)
    cols = np.arange(a.size)
    return xs[idx, cols], hs[idx, cols]


def local_maxima(v, top: int = TOP):
    """Indices of the ``top`` largest local maxima of the array ``v`` (ends included)."""
    n = v.size
    if n < 3:
        return np.arange(n)
    left = np.r_[True, v[1:] >= v[:-1]]
    right = np.r_[v[:-1] >= v[1:], True]
    idx = np.flatnonzero(left & right)
    if idx.size > top:
        idx = idx[np.argsort(v[idx])[-top:]]
    return idx


def largest(h, x, *, top: int = TOP, steps: int = GOLDEN_STEPS):
    """(max |h|, where) over the sorted grid ``x``, the ``top`` largest grid maxima refined
    between their grid neighbours (``steps`` golden-section steps; 0: the grid alone); a NaN
    of h counts as an infinite error."""
    hx = np.abs(h(x))
    hx = np.where(np.isnan(hx), np.inf, hx)
    if not np.isfinite(hx).all():
        i = int(np.flatnonzero(~np.isfinite(hx))[0])
        return math.inf, float(x[i])
    idx = local_maxima(hx, top)
    if steps == 0:
        i = int(np.argmax(hx))
        return float(hx[i]), float(x[i])
    lo = x[np.maximum(idx - 1, 0)]
    hi = x[np.minimum(idx + 1, x.size - 1)]
    best, where = float(hx[idx].max()), float(x[idx[np.argmax(hx[idx])]])
    ok = hi > lo
    if ok.any():
        def ah(t):
            with np.errstate(all="ignore"):
                r = np.abs(h(t))
            return np.where(np.isnan(r), -np.inf, r)

        xr, hr = golden_max(ah, lo[ok], hi[ok], steps)
        j = int(np.argmax(hr))
        if hr[j] > best:
            best, where = float(hr[j]), float(xr[j])
    return best, where


def grid(lo: float, hi: float, n: int, extra=()):
    """n evenly spaced points on [lo, hi] plus ``extra`` points inside, sorted, unique."""
    pts = [np.linspace(lo, hi, n)]
    extra = [float(e) for e in extra if lo <= float(e) <= hi]
    if extra:
        pts.append(np.array(extra))
    return np.unique(np.concatenate(pts))


def asymptote(func, side: int):
    """(slope, intercept) of the line ``func`` approaches as x -> side*inf (side = +-1), or
    None where it approaches none (measured at |x| = 1e4 and 1e6, through the kernels)."""
    far = np.array([1e4, 1e6, 2e6]) * side
    with np.errstate(all="ignore"):
        y = values(func, far)
    if not np.isfinite(y).all():
        return None
    s1 = (y[2] - y[1]) / (far[2] - far[1])
    c1 = y[1] - s1 * far[1]
    s0 = (y[1] - y[0]) / (far[1] - far[0])
    if abs(s1 - s0) > 1e-6 * max(1.0, abs(s1)):
        return None
    slope = 0.0 if abs(s1) < 1e-9 else float(round(s1, 9))
    c = y[1] - slope * far[1]
    if abs(c - c1) > 1e-6 * max(1.0, abs(c)):
        return None
    return slope, float(round(c, 12))


def check_finite_range(lo: float, hi: float, what: str = "--range"):
    from actviz.validate import x_range

    if lo is None or hi is None:
        raise ActvizError(f"{what} needs LO and HI")
    return x_range(lo, hi, what)
