"""Piecewise expressions of one real variable: their breakpoints, and a canonical form.

:func:`candidate_points` lists the real points where an expression may fail to be smooth
(the zeros of the arguments of its Piecewise conditions, of ``Abs``, ``sign``, ``Heaviside``,
``Max``, ``Min``). :func:`canonical` rebuilds a Piecewise with many pieces over the intervals
between its breakpoints: sympy's ``piecewise_fold`` of a sum of 8 ``where(...)`` terms has 192
pieces (one per combination of conditions), the function itself 9; the rest of actviz
(derivatives, kinks, properties) then works on 9.
"""

from __future__ import annotations

import math

import sympy

from actviz.expr import X

NONSMOOTH = (sympy.Abs, sympy.sign, sympy.Heaviside, sympy.Max, sympy.Min)
MAX_PIECES = 12  # Piecewise forms with more pieces than this are made canonical


def nonsmooth_solutions(expr: sympy.Expr, nonsmooth_of: sympy.Expr | None = None
                        ) -> list[sympy.Expr]:
    """The real solutions in x (in order of discovery, unique, possibly in terms of other
    symbols) of the boundaries of ``expr``'s Piecewise conditions and of the zeros of the
    arguments of Abs, sign, Heaviside, Max and Min (those of ``nonsmooth_of``, default
    ``expr``)."""
    args = []
    for pw in expr.atoms(sympy.Piecewise):
        for _, cond in pw.args:
            args += [rel.lhs - rel.rhs for rel in cond.atoms(sympy.core.relational.Relational)]
    for f in (expr if nonsmooth_of is None else nonsmooth_of).atoms(*NONSMOOTH):
        if isinstance(f, (sympy.Max, sympy.Min)):
            a = f.args
            args += [a[i] - a[j] for i in range(len(a)) for j in range(i + 1, len(a))]
        else:
            args.append(f.args[0])
    points = []
    for a in dict.fromkeys(args):
        if not a.has(X):
            continue
        try:
            sols = sympy.solve(sympy.Eq(a, 0), X)
        except (NotImplementedError, ValueError, TypeError):
            continue
        for s in sols:
            if s.is_real is not False and s.is_finite is not False and s not in points:
                points.append(s)
    return points


def candidate_points(expr: sympy.Expr) -> list[sympy.Expr]:
    """Real points where the expression may fail to be smooth (sorted, exact)."""
    points = {sympy.nsimplify(s) if s.is_Float and abs(s) < 1e6 else s
              for s in nonsmooth_solutions(expr) if not s.free_symbols}
    return sorted(points, key=lambda p: float(p))


def float_points(expr: sympy.Expr, lo: float = -math.inf, hi: float = math.inf
                 ) -> list[float]:
    """:func:`candidate_points` as sorted finite floats in (lo, hi); none where sympy cannot
    place them."""
    try:
        pts = [float(p) for p in candidate_points(expr)]
    except (TypeError, ValueError):
        return []
    return sorted({p for p in pts if lo < p < hi and math.isfinite(p)})


def _piece_at(pw: sympy.Piecewise, x0) -> sympy.Expr | None:
    for e, cond in pw.args:
        if bool(cond.subs(X, x0)):
            return e
    return None


def fold(expr: sympy.Expr) -> sympy.Expr:
    """One Piecewise for an expression with several Piecewise parts, built over the intervals
    between their breakpoints (sympy's ``piecewise_fold`` of a sum of 8 ``where`` terms takes
    seconds and gives 192 pieces, some under impossible conditions such as ``x > 1 & x < 0``);
    ``piecewise_fold`` where that cannot be done (breakpoints not numbers, free symbols)."""
    if not expr.has(sympy.Piecewise) or isinstance(expr, sympy.Piecewise) and \
            len(expr.atoms(sympy.Piecewise)) == 1:
        return canonical(expr)
    built = _rebuild(expr)
    return built if built is not None else canonical(sympy.piecewise_fold(expr))


def _value_at(expr: sympy.Expr, x0) -> sympy.Expr | None:
    """The expression of the piece active at ``x0`` (every Piecewise part replaced by its
    branch there, innermost first); None where some part is undefined."""
    for _ in range(MAX_PIECES):
        parts = [pw for pw in expr.atoms(sympy.Piecewise) if not pw.args[0][0].has(sympy.Piecewise)
                 and not any(c.has(sympy.Piecewise) for _, c in pw.args)]
        if not parts:
            return None if expr.has(sympy.Piecewise) else expr
        subs = {}
        for pw in parts:
            e = _piece_at(pw, x0)
            if e is None:
                return None
            subs[pw] = e
        expr = expr.xreplace(subs)
    return None


def canonical(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with a Piecewise of more than MAX_PIECES pieces rebuilt over the intervals
    between its breakpoints (the same function, conditions and values at the breakpoints
    included); anything else as it is."""
    if not isinstance(expr, sympy.Piecewise) or len(expr.args) <= MAX_PIECES:
        return expr
    built = _rebuild(expr)
    return expr if built is None else built


def _rebuild(expr: sympy.Expr) -> sympy.Expr | None:
    pts = candidate_points(expr)
    if not pts or expr.free_symbols - {X}:
        return None
    # the line as segments and points: seg0, pts[0], seg1, pts[1], ..., seg_n
    parts = []  # (expression, lo, hi, lo_closed, hi_closed)
    for i in range(len(pts) + 1):
        lo = pts[i - 1] if i > 0 else -sympy.oo
        hi = pts[i] if i < len(pts) else sympy.oo
        probe = (lo + hi) / 2 if i not in (0, len(pts)) else (hi - 1 if i == 0 else lo + 1)
        parts.append((_value_at(expr, probe), lo, hi, False, False))
        if i < len(pts):
            parts.append((_value_at(expr, pts[i]), pts[i], pts[i], True, True))
    if any(e is None for e, *_ in parts):
        return None  # somewhere undefined: keep sympy's form
    merged = [list(parts[0])]
    for e, lo, hi, lc, hc in parts[1:]:
        if e == merged[-1][0]:
            merged[-1][2], merged[-1][4] = hi, hc
        else:
            merged.append([e, lo, hi, lc, hc])
    pieces = []
    for e, lo, hi, lc, hc in merged[:-1]:
        cond = []
        if lo != -sympy.oo:
            cond.append(X >= lo if lc else X > lo)
        cond.append(X <= hi if hc else X < hi)
        pieces.append((e, sympy.And(*cond)))
    pieces.append((merged[-1][0], True))
    return sympy.Piecewise(*pieces)
