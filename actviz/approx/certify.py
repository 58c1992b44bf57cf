"""The error of an approximation g against a target f, checked rather than estimated.

- ``real``: every real x in the range. The range is cut at the breakpoints of both functions
  (the points where either may fail to be smooth, :func:`actviz.pieces.float_points`);
  inside each piece |g - f| (and |g' - f'|) is smooth, so its supremum is attained at a zero
  of the error's derivative or approached at the piece's ends. Each piece is sampled on a
  dense grid (float64, through the kernels), every local maximum of the grid is located by
  golden section between its neighbours, and the error there and at both ends of the piece
  (one-sided, 1e-20 inside) is evaluated with mpmath at 30 digits. Extrema narrower than the
  grid spacing (2001 points per piece) would be missed; the exhaustive dtype checks below
  have no such gap.
- ``float16``, ``bfloat16``: every finite value of the type (63487 / 65279, the two zeros counted
  once), the error of
  the function at those inputs (both evaluated in float64), and after rounding g's output to
  the type.
- ``float32``: every float32 value in the range (about 2.2e9 in [-8, 8]; numba's compiled
  scan, :mod:`.scan32`: 2 to 8 minutes for those on the 2-core development machine).
  Without numba at most ``NUMPY_FLOAT32_MAX`` values are scanned (with NumPy); a larger
  range is skipped and the check says so.

f' is compared where g' is defined: on the open pieces, with the one-sided limits at their
ends (the kernels' value at a kink is one of them). ``zero_derivative`` lists the intervals
where g' is exactly 0.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from actviz.approx import curves
from actviz.pieces import float_points

PIECE_GRID = 2001
GOLDEN_STEPS = 40  # bracket 2/2000 of a piece -> 1e-11 of it; the value is then taken at 30 digits
MP_DPS = 30
NUMPY_FLOAT32_MAX = 1 << 25
DTYPE_CHECKS = ("float16", "bfloat16", "float32")


@dataclass
class Check:
    what: str  # "real", "float16", "bfloat16", "float32"
    over: str  # in words: what was checked
    points: int | None
    max_abs_error: float | None
    argmax: float | None
    max_abs_error_derivative: float | None
    argmax_derivative: float | None
    max_abs_error_rounded: float | None = None  # output rounded to the dtype
    seconds: float = 0.0
    skipped: str | None = None
    brief: str = ""  # what was checked, for the text report

    def to_dict(self) -> dict:
        from actviz.text import json_number as _jn

        def json_number(v):
            return None if v is None else _jn(v)

        return {"what": self.what, "over": self.over, "points": self.points,
                "max_abs_error": json_number(self.max_abs_error),
                "argmax": json_number(self.argmax),
                "max_abs_error_derivative": json_number(self.max_abs_error_derivative),
                "argmax_derivative": json_number(self.argmax_derivative),
                "max_abs_error_rounded": json_number(self.max_abs_error_rounded),
                "seconds": round(self.seconds, 3), "skipped": self.skipped}


def _mp(fn, order):
    return fn.mpmath(order)
def _real_order(g, f, order, edges):
    """(max |g^(k) - f^(k)|, where) on the pieces between consecutive ``edges``."""
    import mpmath

    from actviz import kernels

    gm, fm = _mp(g, order), _mp(f, order)
    gp, fp = kernels.plan(g), kernels.plan(f)
    best, where = -1.0, None

    def mp_err(x):
        with mpmath.workdps(MP_DPS + 10):
            try:
                v = abs(gm(x) - fm(x))
            except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                return math.inf
            return float(v) if mpmath.isfinite(v) else math.inf

    for a, b in zip(edges[:-1], edges[1:]):
        width = b - a
        inset = width * 1e-12
        xs = np.linspace(a + inset, b - inset, PIECE_GRID)

        def h(t):
            with np.errstate(all="ignore"):
                e = np.abs(curves.values(gp, t, order) - curves.values(fp, t, order))
            return np.where(np.isnan(e), -np.inf, e)

        e = h(xs)
        idx = curves.local_maxima(e, 4)
        lo = xs[np.maximum(idx - 1, 0)]
        hi = xs[np.minimum(idx + 1, xs.size - 1)]
        xm, _ = curves.golden_max(h, lo, hi, GOLDEN_STEPS)
        cands = [(float(x), mp_err(mpmath.mpf(float(x)))) for x in xm]
        for end, side in ((a, 1), (b, -1)):  # one-sided limits at the piece's ends
            with mpmath.workdps(MP_DPS + 10):
                x = mpmath.mpf(end) + side * mpmath.mpf(10) ** -20 * (1 + abs(end))
                cands.append((float(end), mp_err(x)))
        for x, v in cands:
            if v > best:
                best, where = v, x
    return best, where


def real(g, f, x_range) -> Check:
    """The real-number check of ``g`` against ``f`` (symbolic Functions) on ``x_range``."""
    t0 = time.perf_counter()
    lo, hi = x_range
    cuts = sorted(set(float_points(g.expr, lo, hi)) | set(float_points(f.expr, lo, hi)))
    edges = [lo, *cuts, hi]
    e0, x0 = _real_order(g, f, 0, edges)
    e1, x1 = _real_order(g, f, 1, edges)
    over = (f"every real x in [{lo:g}, {hi:g}]: extrema between the {len(cuts)} breakpoints "
            f"located on {PIECE_GRID}-point grids, evaluated at {MP_DPS} digits (mpmath)")
    return Check("real", over, None, e0, x0, e1, x1, None, time.perf_counter() - t0,
                 brief=f"all real x in [{lo:g}, {hi:g}], {MP_DPS} digits")


def dtype_check(g, f, dtype: str, x_range, backend: str = "auto") -> Check:
    """The exhaustive check in ``dtype``: every value of a 16-bit type, every float32 value
    in ``x_range``."""
    from actviz import kernels
    from actviz.stability import dtypes

    t0 = time.perf_counter()
    info = dtypes.dtype_info(dtype)
    if info.bits == 16:
        xs = dtypes.grid(dtype, -info.max, info.max).astype(np.float64)
        dt = dtypes.numpy_dtype(dtype)
        fv, gv = curves.values(f, xs), curves.values(g, xs)
        dfv, dgv = curves.values(f, xs, 1), curves.values(g, xs, 1)
        with np.errstate(all="ignore"):
            rounded = gv.astype(dt).astype(np.float64)
        ok = ~np.isnan(fv)
        res = []
        for a, b, mask in ((gv, fv, ok), (dgv, dfv, ok & ~np.isnan(dfv)), (rounded, fv, ok)):
            with np.errstate(all="ignore"):
                err = np.abs(a - b)
            err = np.where(np.isnan(err), np.inf, err)
            err = np.where(mask, err, -1.0)
            i = int(np.argmax(err))
            res.append((float(err[i]), float(xs[i])))
        over = f"every finite {dtype} value ({xs.size}), evaluated in float64"
        return Check(dtype, over, int(xs.size), res[0][0], res[0][1], res[1][0], res[1][1],
                     res[2][0], time.perf_counter() - t0, brief=f"all {xs.size} finite values")
    if dtype != "float32":
        raise ValueError(dtype)
    from actviz.approx import scan32

    lo, hi = x_range
    dt = np.dtype(np.float32)
    k_lo = dtypes.key(float(np.float32(lo)) if np.float32(lo) >= lo else
                      float(np.nextafter(np.float32(lo), np.float32(np.inf))), info, dt)
    k_hi = dtypes.key(float(np.float32(hi)) if np.float32(hi) <= hi else
                      float(np.nextafter(np.float32(hi), np.float32(-np.inf))), info, dt)
    count = k_hi - k_lo + 1
    if count < 1:
        return Check(dtype, f"no float32 value in [{lo:g}, {hi:g}]", 0, None, None, None,
                     None, skipped="the range holds no float32 value")
    over = f"every float32 value in [{lo:g}, {hi:g}] ({count:,}), evaluated in float64"
    use = kernels.choose(backend)
    if use != "numba" and count > NUMPY_FLOAT32_MAX:
        return Check(dtype, over, count, None, None, None, None,
                     skipped=f"{count:,} float32 values need numba (pip install "
                             f"'actviz[numba]'); without it at most {NUMPY_FLOAT32_MAX:,} "
                             "are scanned: narrow --range")
    (e0, x0), (e1, x1), (er, _) = scan32.scan(f, g, k_lo, k_hi, use)
    return Check(dtype, over, count, e0, x0, e1, x1, er, time.perf_counter() - t0,
                 brief=f"all {count:,} values in [{lo:g}, {hi:g}]")


def zero_derivative(g, x_range) -> list[list]:
    """Intervals where g' is exactly 0, as [lo, hi] (None for an infinite end): on a grid
    of the range with g's breakpoints, and beyond it on geometric grids out to 1e6 widths
    (an interval that reaches an end of the range and stays 0 there is open to infinity)."""
    lo, hi = x_range
    width = hi - lo
    out_l = lo - width * np.logspace(-9, 6, 200)[::-1]
    out_r = hi + width * np.logspace(-9, 6, 200)
    inside = curves.grid(lo, hi, 20001, float_points(g.expr, lo, hi))
    xs = np.concatenate([out_l, inside, out_r])
    zero = curves.values(g, xs, 1) == 0
    out = []
    i = 0
    while i < xs.size:
        if not zero[i]:
            i += 1
            continue
        j = i
        while j + 1 < xs.size and zero[j + 1]:
            j += 1
        if j > i:
            out.append([None if i == 0 else _snap(float(xs[i]), lo, hi),
                        None if j == xs.size - 1 else _snap(float(xs[j]), lo, hi)])
        i = j + 1
    return out


def _snap(x: float, lo: float, hi: float) -> float:
    """An outer grid point next to an end of the range is that end."""
    tol = (hi - lo) * 1e-8
    return lo if abs(x - lo) <= tol else hi if abs(x - hi) <= tol else x
