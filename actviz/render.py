"""Formulas as text: 2-D Unicode (wrapped to a width), LaTeX, parsable sympy text, one line.

Parameters stay exact rationals in the mathematics; in print a rational that is a
terminating decimal with a denominator above 10 is written as that decimal (``1.702``, not
``851/500``; ``0.01``, not ``1/100``), while small fractions of the mathematics stay
fractions (``x/2``, ``1/5``). The sympy text (for machines: JSON, round trips) keeps exact
fractions.
"""

from __future__ import annotations

import sympy

from actviz.errors import ActvizError
from actviz.text import exact

FORMATS = ("unicode", "latex", "sympy", "line")


def _decimal(q: sympy.Rational) -> str | None:
    """The exact decimal of |q| when it terminates and its denominator exceeds 10."""
    from fractions import Fraction

    if int(q.q) <= 10:
        return None
    text = exact(abs(Fraction(int(q.p), int(q.q))))
    return None if "/" in text else text


def decimals(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with terminating-decimal rationals replaced by symbols named as the decimal
    (for printing only)."""
    subs = {}
    for q in expr.atoms(sympy.Rational):
        text = _decimal(q) if not q.is_Integer else None
        if text is not None:
            sym = sympy.Symbol(text, positive=True)
            subs[q] = sym if q > 0 else -sym
    return expr.xreplace(subs) if subs else expr


def render(expr: sympy.Expr, fmt: str = "unicode", width: int | None = None) -> str:
    """``unicode`` (2-D pretty print, wrapped at ``width`` columns if given), ``latex``,
    ``sympy`` (parsable text) or ``line`` (one line, Piecewise as "a if c; b otherwise")."""
    if fmt in ("sympy", "text"):  # for machines: exact fractions, read back exactly
        return sympy.sstr(expr)
    shown = decimals(expr)
    if fmt == "unicode":
        text = sympy.pretty(shown, use_unicode=True, wrap_line=False)
        if width is None or max(len(t) for t in text.splitlines()) <= width:
            return text
        # too wide in 2-D: one line, wrapped between terms and factors (sympy's own wrap
        # cuts names in half)
        return "\n".join(_wrap_formula(line(shown), width))
    if fmt == "latex":
        return sympy.latex(shown)
    if fmt == "line":
        return line(shown)
    raise ActvizError(f"unknown format {fmt!r} (unicode, latex, sympy, line)")


def line(expr: sympy.Expr) -> str:
    """One line: pieces as ``value for condition``, joined by ``;``."""
    if isinstance(expr, sympy.Piecewise):
        parts = []
        for value, cond in expr.args:
            v = sympy.sstr(value)
            parts.append(f"{v} otherwise" if cond is sympy.true else f"{v} for {_cond(cond)}")
        return "; ".join(parts)
    return sympy.sstr(expr)


def _wrap_formula(text: str, width: int) -> list[str]:
    import textwrap

    text = text.replace("*", "⋅").replace("⋅⋅", "**")
    return textwrap.wrap(text, width, subsequent_indent="    ", break_long_words=False,
                         break_on_hyphens=False) or [text]


def _cond(cond) -> str:
    text = sympy.sstr(cond)
    for a, b in ((">=", "≥"), ("<=", "≤"), (" | ", " or "), (" & ", " and ")):
        text = text.replace(a, b)
    return text.replace("(", "").replace(")", "") if "or" not in text else text
