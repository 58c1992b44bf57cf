"""The reference of the stability scan: true values of f^(order) at float64 points.

The numerically stable float64 form of the symbolic function (:mod:`actviz.numeric`),
*verified* against mpmath at 50 digits on a verification grid; wherever the two disagree by
more than 1e-8 (relative), mpmath is used for every scanned point between the neighbouring
verification points (e.g. gelu's ``1 + erf(x/√2)`` for x < −8, ``exp(x) − 1`` near 0). This
keeps a scan to a second or so.
"""

from __future__ import annotations

import math

from actviz.stability.dtypes import grid

DPS = 50
REF_RTOL = 1e-8  # the float64 reference is trusted where mpmath agrees this well
REF_ATOL = 1e-320  # float64 subnormals count
VERIFY_STRIDE = 12  # every 12th point of the float64 grid


class Reference:
    """True values of f^(order) at float64 points: the verified float64 form, mpmath elsewhere.

    ``exact(xs)`` evaluates the mpmath function at 50 digits and again at 100; where the two
    disagree (cancellation, as in gelu's ``1 + erf(x/√2)`` far left) or both are 0, the
    precision doubles up to 400 digits. The float64 form is trusted except on the
    ``untrusted`` intervals: around verification points where it disagreed with mpmath, and
    around suspect points (:meth:`check`) where it did.
    """

    def __init__(self, func, order: int, lo: float, hi: float):
        import numpy as np

        from actviz.numeric import mpmath_function, numpy_function

        # float64 and mpmath forms without cancellation (gelu far left, sigmoid', elu near 0)
        expr = func.derivative(order)
        self.fast, self.exact_f = numpy_function(expr), mpmath_function(expr, stable=True)
        self._cache: dict[float, float] = {}
        self.untrusted: list[tuple[float, float]] = []
        v = grid("float64", lo, hi).astype(np.float64)
        idx = np.unique(np.concatenate([np.arange(0, v.size, VERIFY_STRIDE), [v.size - 1]]))
        self.verified = int(idx.size)
        self.check(v[idx], np.arange(idx.size))  # neighbours: the verification points

    def _exact_one(self, x: float) -> float:
        import mpmath

        prev = None
        for dps in (DPS, 2 * DPS, 4 * DPS, 8 * DPS):
            with mpmath.workdps(dps):
                try:
                    v = mpmath.mpf(self.exact_f(mpmath.mpf(x)))
                except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                    return math.nan
                if prev is not None and (
                        (v != 0 and abs(v - prev) <= mpmath.mpf(10) ** -20 * abs(v))
                        or (v == 0 and prev == 0 and dps == 8 * DPS)):
                    return float(v)
            prev = v
        return float(v)

    def exact(self, xs):
        import numpy as np

        out = np.empty(len(xs))
        for i, x in enumerate(xs):
            x = float(x)
            r = self._cache.get(x)
            if r is None:
                r = self._cache[x] = self._exact_one(x)
            out[i] = r
        return out

    @property
    def mpmath_points(self) -> int:
        return len(self._cache)

    def check(self, x, idx) -> int:
        """Compare with mpmath at ``x[idx]`` (x sorted); around each disagreement, the
        interval to the neighbouring points of x becomes untrusted. Returns how many."""
        import numpy as np

        idx = np.asarray(idx, dtype=np.int64)
        if idx.size == 0:
            return 0
        xs = x[idx]
        fast = self(xs)
        exact = self.exact(xs)
        with np.errstate(all="ignore"):
            ok = (np.abs(fast - exact) <= REF_RTOL * np.abs(exact) + REF_ATOL) | (
                (fast == exact) & ~np.isnan(exact))
        bad = idx[~ok]
        if bad.size:
            lo = x[np.maximum(bad - 1, 0)]
            hi = x[np.minimum(bad + 1, x.size - 1)]
            merged = []
            for a, b in sorted(self.untrusted + list(zip(lo.tolist(), hi.tolist()))):
                if merged and a <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
                else:
                    merged.append((a, b))
            self.untrusted = merged
        return int(bad.size)

    def __call__(self, xs):
        import numpy as np

        xs = np.asarray(xs, dtype=np.float64)
        out = self.fast(xs)
        mask = np.isnan(out) & ~np.isnan(xs)
        for a, b in self.untrusted:
            mask |= (xs >= a) & (xs <= b)
        if mask.any():
            out[mask] = self.exact(xs[mask])
        return out

    def describe(self) -> str:
        return (f"float64 stable formula verified against mpmath ({DPS} digits, more where "
                f"it cancels) at {self.verified} points and at suspect points; mpmath on "
                f"{self.mpmath_points} points in all")
