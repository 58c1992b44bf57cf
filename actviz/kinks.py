"""Kinks and discontinuities: where f or one of its derivatives is not continuous.

Candidate points are the boundaries of Piecewise conditions and the zeros of the arguments
of ``Abs``, ``sign``, ``Heaviside``, ``Max`` and ``Min``. At each point the one-sided limits
of f, f', ... are computed exactly on the piecewise form of the expression; the value *at*
the point is the one the declared expression gives there, i.e. the convention the numeric
kernels follow. A point is reported when some order up to the one asked for has different
one-sided limits (or a value that differs from both).
"""

from __future__ import annotations

import sympy

from actviz.expr import X
from actviz.kink_records import Jump, Kink, kind_name
from actviz.pieces import NONSMOOTH as _NONSMOOTH
from actviz.pieces import candidate_points

__all__ = ["Jump", "Kink", "kind_name", "find", "one_sided", "value_at", "real_value"]

_EPS = sympy.Rational(1, 10**40)


def _piecewise(expr: sympy.Expr) -> sympy.Expr:
    """Rewrite Abs/sign/Heaviside/Max/Min into Piecewise and fold."""
    if expr.has(*_NONSMOOTH):
        expr = expr.rewrite(sympy.Piecewise)
    return sympy.piecewise_fold(expr) if expr.has(sympy.Piecewise) else expr


def one_sided(expr: sympy.Expr, point: sympy.Expr, side: str) -> float:
    """Limit of ``expr`` at ``point`` from the left ('-') or right ('+')."""
    pw = _piecewise(expr)
    probe = point - _EPS if side == "-" else point + _EPS
    piece = pw
    if isinstance(pw, sympy.Piecewise):
        for e, cond in pw.args:
            if bool(cond.subs(X, probe)):
                piece = e
                break
    val = piece.subs(X, point)
    if not val.is_finite:
        val = sympy.limit(piece, X, point, side)
    return real_value(val)


def value_at(expr: sympy.Expr, point: sympy.Expr) -> float:
    """The value the declared expression gives at the point (the kernels' convention)."""
    try:
        v = expr.subs(X, point)
    except (TypeError, ValueError):
        return float("nan")
    return real_value(v) if v.is_finite is not False else float("nan")


def real_value(v) -> float:
    """A sympy value as a float: ±inf for signed infinities, NaN if not real."""
    if v in (sympy.oo, -sympy.oo):
        return float(v)
    try:
        z = v.evalf(30)
        return float(z) if z.is_real is not False else float("nan")
    except (TypeError, ValueError):
        return float("nan")


def find(func, max_order: int = 2) -> list[Kink]:
    """Kinks of a :class:`actviz.symbolic.Function`, orders 0..max_order checked."""
    points = candidate_points(_piecewise(func.expr))
    kinks = []
    for p in points:
        jumps = []
        for k in range(max_order + 1):
            d = func.derivative(k)
            left, right = one_sided(d, p, "-"), one_sided(d, p, "+")
            jumps.append(Jump(k, left, right, value_at(d, p)))
        bad = [j.order for j in jumps if j.jumps]
        if bad:
            order = bad[0]
            kinks.append(Kink(float(p), sympy.sstr(p), kind_name(order), order, tuple(jumps)))
    return kinks
