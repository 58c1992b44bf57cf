"""Formulas as JavaScript: sympy's JavaScript code printer, with actviz's primitives.

The page recomputes f, f' and f'' in the browser from these expressions (one source of
truth: the symbolic derivatives of :mod:`actviz.symbolic`, printed by
``sympy.printing.jscode``'s printer); nothing is precomputed. Each expression is first put in
its stable form (:func:`actviz.numeric.stable_form`: expm1, log1p, erfc(-u), the logistic
primitives), then printed with:

- ``sigmoid``, ``softplus``, ``erf``, ``erfc``, ``erfc(-u)``, ``sech``, ``csch``, ``coth``,
  ``Heaviside`` as calls of the helpers of ``mathlib.js`` (``A.sigmoid(u)``, ...): stable
  forms (no overflow to inf/inf), and an erf that JavaScript lacks (series below |x| = 2.5,
  a continued fraction for erfc above; within 1e-15 relative of mpmath, see the tests);
- ``expm1``, ``log1p``, ``tanh``, ``asinh``, ... as ``Math`` functions;
- a Piecewise as nested ``cond ? a : b`` (NaN where no piece holds);
- numbers as float64 literals (an exact rational with a long denominator is printed as the
  float nearest to it, not as a division).
"""

from __future__ import annotations

import json

import sympy
from sympy.printing.jscode import JavascriptCodePrinter

from actviz.errors import ActvizError
from actviz.numeric import stable_form

# sympy function name -> helper of mathlib.js (the object ``A``) or a Math function
HELPERS = {
    "sigmoid": "A.sigmoid", "softplus": "A.softplus", "erf": "A.erf", "erfc": "A.erfc",
    "erfc_neg": "A.erfc_neg", "sech": "A.sech", "csch": "A.csch", "coth": "A.coth",
    "expm1": "Math.expm1", "log1p": "Math.log1p", "sinh": "Math.sinh", "cosh": "Math.cosh",
    "tanh": "Math.tanh", "asinh": "Math.asinh", "acosh": "Math.acosh", "atanh": "Math.atanh",
    "exp": "Math.exp", "log": "Math.log", "sin": "Math.sin", "cos": "Math.cos",
    "tan": "Math.tan", "atan": "Math.atan", "asin": "Math.asin", "acos": "Math.acos",
    "sign": "Math.sign", "Abs": "Math.abs",
}


class Printer(JavascriptCodePrinter):
    """sympy's JavaScript printer with actviz's primitives and exact float literals."""

    def __init__(self):
        super().__init__({"user_functions": dict(HELPERS), "strict": True})

    def _print_Rational(self, expr):
        if expr.q == 1:
            return self._float(float(expr.p)) if abs(expr.p) > 2**53 else str(expr.p)
        return self._float(float(expr))

    def _print_Float(self, expr):
        return self._float(float(expr))

    def _print_Integer(self, expr):
        return self._print_Rational(expr)

    @staticmethod
    def _float(v: float) -> str:
        text = repr(v)
        return f"({text})" if v < 0 else text

    def _print_Heaviside(self, expr):
        h0 = self._print(expr.args[1]) if len(expr.args) > 1 else "0.5"
        return f"A.heaviside({self._print(expr.args[0])}, {h0})"

    def _print_Piecewise(self, expr):
        out = "NaN"
        for value, cond in reversed(expr.args):
            if cond is sympy.true:
                out = self._print(value)
            else:
                out = f"(({self._print(cond)}) ? ({self._print(value)}) : ({out}))"
        return out

    def _print_ComplexInfinity(self, expr):
        return "NaN"  # 1/0: no real value

    def _print_NaN(self, expr):
        return "NaN"

    def _print_BooleanTrue(self, expr):
        return "true"

    def _print_BooleanFalse(self, expr):
        return "false"

    def _print_Not(self, expr):
        return f"!({self._print(expr.args[0])})"

    def _print_Pow(self, expr):
        base, exp = expr.base, expr.exp
        if exp.is_Integer and 2 <= abs(int(exp)) <= 4:
            b = self.parenthesize(base, 100)
            prod = "*".join([f"({b})"] * abs(int(exp)))
            return f"({prod})" if exp > 0 else f"(1/({prod}))"
        return super()._print_Pow(expr)


def js(expr: sympy.Expr, stable: bool = True) -> str:
    """The JavaScript expression of ``expr`` (in ``x`` and its parameters' names)."""
    e = stable_form(expr) if stable else expr
    try:
        return Printer().doprint(e)
    except Exception as exc:  # noqa: BLE001 - sympy raises several kinds here
        raise ActvizError(f"cannot print {sympy.sstr(expr)[:80]} as JavaScript "
                          f"({type(exc).__name__}: {exc})") from None


def function_source(expr: sympy.Expr, params: tuple[str, ...]) -> str:
    """``function (x, p) {...}`` source: the parameters read from the object ``p``, common
    subexpressions computed once."""
    e = stable_form(expr)
    rename = {s: sympy.Symbol(_js_name(s.name)) for s in e.free_symbols if s.name in params}
    e = e.xreplace(rename)
    subs, (reduced,) = sympy.cse([e], symbols=sympy.numbered_symbols("_c"))
    lines = [f"const {_js_name(p)} = p[{json.dumps(p)}];" for p in params]
    lines += [f"const {sym} = {js(val, stable=False)};" for sym, val in subs]
    lines.append(f"return {js(reduced, stable=False)};")
    return "function (x, p) {\n  " + "\n  ".join(lines) + "\n}"


def _js_name(name: str) -> str:
    """A parameter's JavaScript name: prefixed, so that no parameter name (``p``, ``A``,
    ``NaN``, ``in``) can clash with the helpers or with JavaScript's own words."""
    return "P_" + name


__all__ = ["js", "function_source", "Printer", "HELPERS"]
