"""One activation against another: the error of f, f', ... and where it is largest.

``compare(func, ref, orders, x_range)`` evaluates both (the symbolic reference numerics) on
a dense grid that contains the kinks of both, refines the largest absolute error between
its grid neighbours (Brent's method on |error|, unless a kink lies there: the largest error
of hard_sigmoid against sigmoid is at its kinks ±2.5), and reports the relative error where
the reference is not negligible (|ref| >= 1e-3 max |ref| on the range: near a zero of the
reference every approximation's relative error is unbounded; where the reference is 0 on
the whole range, as hard_sigmoid's f'', there is none).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from actviz.text import json_number

GRID = 100_001
REL_FLOOR = 1e-3


@dataclass
class OrderError:
    order: int
    max_abs: float
    x_abs: float
    max_rel: float | None  # None where the reference is 0 on the whole range
    x_rel: float | None
    symmetric: bool = False  # the same largest error at -x_abs

    def to_dict(self) -> dict:
        return {"order": self.order, "max_abs_error": json_number(self.max_abs),
                "argmax": json_number(self.x_abs), "symmetric": self.symmetric,
                "max_rel_error": None if self.max_rel is None else json_number(self.max_rel),
                "argmax_rel": None if self.x_rel is None else json_number(self.x_rel)}


@dataclass
class Comparison:
    label: str
    reference: str
    x_range: tuple[float, float]
    errors: list[OrderError] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"name": self.label, "reference": self.reference, "range": list(self.x_range),
                "errors": [e.to_dict() for e in self.errors]}

    def lines(self) -> list[str]:
        from actviz.text import order_name

        def x_value(v):
            return f"{v:.4g}"

        out = [f"{self.label} vs {self.reference}:"]
        for e in self.errors:
            where = ("±" + x_value(abs(e.x_abs))) if e.symmetric else x_value(e.x_abs)
            rel = (f"max relative {e.max_rel:.4g} at x = {x_value(e.x_rel)}"
                   if e.max_rel is not None else
                   f"no relative error ({self.reference}'s {order_name(e.order)} = 0)")
            out.append(f"  {order_name(e.order) + ':':7s} max |error| {e.max_abs:.4g} at x = "
                       f"{where}, {rel}")
        return out


def relative(err, ref_abs):
    """|err| / |ref| where |ref| is at least REL_FLOOR of its largest finite value on the
    grid, NaN elsewhere (everywhere where the reference is 0 on the whole grid)."""
    import numpy as np

    finite = ref_abs[np.isfinite(ref_abs)]
    top = float(np.max(finite)) if finite.size else 0.0
    if top == 0.0:
        return np.full(np.shape(ref_abs), np.nan)
    with np.errstate(all="ignore"):
        return np.where(ref_abs >= REL_FLOOR * top, np.abs(err) / ref_abs, np.nan)


def compare(func, ref, orders: int, x_range: tuple[float, float],
            kinks: list[float] | None = None) -> Comparison:
    """Errors of ``func`` against ``ref`` (:class:`actviz.symbolic.Function` or
    :class:`actviz.light.CatalogFunction`: anything with ``numpy(order)`` and ``label``) for
    orders 0..``orders`` on ``x_range``. ``kinks``: the x of both functions' kinks (None:
    the candidate points of their sympy expressions, :func:`actviz.pieces.float_points`)."""
    import numpy as np

    lo, hi = x_range
    if kinks is None:
        from actviz import pieces

        kinks = pieces.float_points(func.expr, lo, hi) + pieces.float_points(ref.expr, lo, hi)
    kinks = [k for k in kinks if lo <= k <= hi]
    x = np.unique(np.concatenate([np.linspace(lo, hi, GRID), kinks]))
    res = Comparison(func.label, ref.label, (float(lo), float(hi)))
    for k in range(orders + 1):
        f, r = func.numpy(k), ref.numpy(k)
        with np.errstate(all="ignore"):
            err = np.abs(f(x) - r(x))
            rv = np.abs(r(x))
        err = np.where(np.isfinite(err), err, 0.0)
        i = int(np.argmax(err))
        best_x, best = float(x[i]), float(err[i])
        a, b = float(x[max(i - 1, 0)]), float(x[min(i + 1, len(x) - 1)])
        if b > a and not any(a <= kk <= b for kk in kinks):
            from scipy.optimize import minimize_scalar

            opt = minimize_scalar(lambda t, f=f, r=r: -abs(float(f(t)) - float(r(t))),
                                  bounds=(a, b),
                                  method="bounded", options={"xatol": 1e-12})
            # kept where it adds more than rounding: on a flat maximum (at x = 0 by
            # symmetry, say) the grid point is the better answer than Brent's 1e-9
            if -opt.fun > best * (1.0 + 1e-12):
                best_x, best = float(opt.x), float(-opt.fun)
        rel = relative(err, rv)
        defined = not np.isnan(rel).all()
        j = int(np.nanargmax(rel)) if defined else 0
        mirror = abs(float(f(-best_x)) - float(r(-best_x)))
        sym = best_x != 0 and math.isclose(mirror, best, rel_tol=1e-9, abs_tol=0.0)
        res.errors.append(OrderError(k, best, best_x, float(rel[j]) if defined else None,
                                     float(x[j]) if defined else None, sym))
    return res
