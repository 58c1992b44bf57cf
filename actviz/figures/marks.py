"""What a plot marks on each function: its kinks (one-sided limits up to an order), the
intervals where f' = 0 exactly, and its extrema and inflection points on the drawn range.

They come from the symbolic analysis (sympy seconds), so each is kept in the disk cache
(:mod:`actviz.cache`) under the function's identity; a cached plot of catalog entries imports
no sympy at all (:mod:`actviz.light`). A step out of its time budget is drawn without its
markers, and such an answer is not kept.
"""

from __future__ import annotations

MARK_S = 15.0  # budget of each symbolic step of the marks, seconds


def _symbolic(func):
    """The sympy :class:`actviz.symbolic.Function` behind ``func`` (a light one has one)."""
    return getattr(func, "symbolic", func)


def _within(what, fn, failed: list):
    from actviz import budget

    try:
        with budget.time_limit(MARK_S, what):
            return fn()
    except budget.BudgetExceeded:
        failed.append(what)
        return []  # drawn without the markers


def _cached(func, what: tuple, compute, use_cache: bool):
    """``compute(failed)`` through the cache; an answer with a step out of budget is not
    stored."""
    if not use_cache:
        return compute([])
    from actviz import cache

    failed: list = []
    return cache.through(cache.key(func, *what), lambda: compute(failed),
                         keep=lambda _: not failed)


def kinks_and_flats(func, order: int, use_cache: bool = True):
    """(kinks checked up to ``order``, intervals where f' = 0) of ``func``."""
    def compute(failed):
        from actviz import kinks, properties

        sym = _symbolic(func)
        ks = _within("finding the kinks", lambda: kinks.find(sym, order), failed)
        flats = _within("the zero-gradient intervals",
                        lambda: properties.zero_gradient_intervals(sym.derivative(1)), failed)
        return ks, flats

    return _cached(func, ("plot-marks", order), compute, use_cache)


def critical_points(func, kinks, x_range, use_cache: bool = True) -> list[tuple[str, float]]:
    """("min" | "max" | "inflection", x) of ``func`` on ``x_range`` (verified roots of f'
    and f'', :mod:`actviz.critical`)."""
    lo, hi = (float(v) for v in x_range)

    def compute(failed):
        return _within("the extrema and inflection points",
                       lambda: _critical(_symbolic(func), kinks, (lo, hi)), failed)

    return _cached(func, ("critical", lo, hi), compute, use_cache)


def _critical(func, kinks, x_range):
    import numpy as np

    from actviz import critical

    kink_xs = [k.x for k in kinks]
    x = np.unique(np.concatenate([np.linspace(*x_range, 4001), kink_xs]))
    out = []
    for order in (1, 2):
        g = func.numpy(order)
        for xc, _, sign in critical.verified_roots(g, func.mpmath(order), x, g(x), kink_xs):
            kind = ("min" if sign < 0 else "max") if order == 1 else "inflection"
            out.append((kind, float(xc)))
    return out
