"""Fit the free parameters of a family (catalog entry, variant or expression) to a target.

Minimax (``metric="max"``): the objective is the largest |g(x; p) - f(x)| on the range,
measured by :func:`actviz.approx.curves.largest` (grid plus golden-section refinement, so the
maximum at a moving kink is found to float64 resolution). It is piecewise smooth and not
differentiable at the optimum (two or more error peaks are equal there: the equioscillation
of Chebyshev's theorem), so a gradient method stalls; Nelder-Mead (scipy) needs no gradient
and, restarted from its own result until it stops improving, converges for the few
parameters an activation has. ``metric="l2"`` minimizes the root-mean-square error on the
grid instead (smooth, Nelder-Mead too, for a like-for-like result).

Parameters given with ``-p`` stay fixed; the others start from the catalog's defaults (the
variant's presets) or 1 for an expression's names. Fitted values are rounded to 10
significant digits, and everything reported is measured on the rounded values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from actviz import catalog
from actviz.approx import curves
from actviz.errors import ActvizError
from actviz.pieces import float_points

FIT_GRID = 1001
RESTARTS = 6
REFINE_TOP = 3
STAGES = ((0, 1e-7), (32, 1e-11))  # (golden steps, xatol): the grid first, then refined
DIGITS = 10


@dataclass
class Family:
    spec: str
    fixed: dict[str, str]
    free: tuple[str, ...]
    start: dict[str, float] = field(default_factory=dict)


def family(spec: str, fixed: dict[str, str]) -> Family:
    """The family ``spec`` with the ``fixed`` parameters; ActvizError if nothing is free."""
    from actviz import symbolic

    spec = spec.strip()
    names = symbolic.parameter_names(spec)
    if catalog.is_catalog_name(spec):
        res = catalog.resolve(spec, fixed)
        start = {k: float(catalog.parse_number(v)) for k, v in res.params.items()}
    else:
        symbolic.load(spec, fixed, free=True)  # reads it (clear errors for a bad expression)
        start = dict.fromkeys(names, 1.0)
    free = tuple(n for n in names if n not in fixed)
    if not free:
        given = ", ".join(f"{k}={v}" for k, v in fixed.items())
        why = f"all are fixed by -p ({given})" if names else "it takes none"
        raise ActvizError(f"--fit {spec}: no free parameters to fit ({why})")
    return Family(spec, dict(fixed), free, {k: start[k] for k in free})


def rounded(v: float) -> str:
    return f"{v:.{DIGITS}g}"


def objective(fam: Family, target_vals, xs, metric: str, steps: int = curves.GOLDEN_STEPS):
    """p -> the error of the family at free values p (a vector); ``steps`` of refinement
    (0: the grid's largest error)."""
    from actviz import kernels

    f_grid = target_vals(xs)

    def err(p):
        if not all(math.isfinite(float(v)) for v in p):
            return math.inf
        try:
            pl = kernels.plan(fam.spec, **fam.fixed,
                              **{k: float(v) for k, v in zip(fam.free, p)})
        except ActvizError:  # a parameter value the family refuses
            return math.inf

        def h(t, pl=pl):
            g = curves.values(pl, t)
            return g - (f_grid if t is xs else target_vals(t))

        try:
            if metric == "l2":
                e = h(xs)
                return float(np.sqrt(np.mean(e * e))) if np.isfinite(e).all() else math.inf
            return curves.largest(h, xs, top=REFINE_TOP, steps=steps)[0]
        except ActvizError:  # a parameter value the family refuses (e.g. a zero width)
            return math.inf
    return err


def fit(target, fam: Family, x_range, metric: str = "max") -> dict[str, str]:
    """The fitted free parameters (rounded decimal texts) of ``fam`` for ``target`` (a
    symbolic.Function) on ``x_range``."""
    from scipy.optimize import minimize

    lo, hi = x_range
    xs = curves.grid(lo, hi, FIT_GRID, float_points(target.expr, lo, hi))

    from actviz import kernels

    tpl = kernels.plan(target)

    def target_vals(t):
        return curves.values(tpl, t)

    p = np.array([fam.start[k] for k in fam.free], dtype=np.float64)
    for stage, (steps, xatol) in enumerate(STAGES):
        err = objective(fam, target_vals, xs, metric, steps if metric == "max" else 0)
        best = err(p)
        if not math.isfinite(best):
            raise ActvizError(f"--fit {fam.spec}: the family is not finite on the range at "
                              "its starting values; give starting values with -p or change "
                              "--range")
        for _ in range(RESTARTS):
            rel = 0.1 if stage == 0 else 1e-4
            scale = np.maximum(np.abs(p), 1e-3) * rel
            simplex = np.vstack([p] + [p + np.eye(p.size)[i] * scale[i]
                                       for i in range(p.size)])
            res = minimize(err, p, method="Nelder-Mead",
                           options={"initial_simplex": simplex, "xatol": xatol,
                                    "fatol": 1e-15, "maxiter": 400 * p.size,
                                    "adaptive": p.size > 2})
            if not res.fun < best * (1 - 1e-12):
                break
            p, best = np.asarray(res.x), float(res.fun)
        if metric != "max":
            break
    return {k: rounded(float(v)) for k, v in zip(fam.free, p)}
