"""The one place where sympy expressions become numeric callables.

- :func:`stable_form`: the same function rewritten for float evaluation without cancellation
  (used by every numeric form below).
- :func:`numpy_function`: vectorized float64 (the reference numerics of ``symbolic``:
  properties, plots, the audit and the stability reference).
- :func:`mpmath_function`: an mpmath scalar function (the high-precision audits).
- :func:`dialect_function`: a formula ``(x, p, t)`` in the branch-free dialect of
  :mod:`actviz.kernels.formulas`, so that a user expression runs through the kernels' own
  backends exactly like a catalog formula (NumPy on arrays, numba loops, CuPy's C tracer).
  The implementations of the dialect's primitives are given by the caller (the kernels), so
  this module stays above them in the layering.
"""

from __future__ import annotations

import math
from fractions import Fraction

import sympy

from actviz.errors import ActvizError
from actviz.expr import X
from actviz.sym_functions import MPMATH_FUNCS, NUMPY_FUNCS, sigmoid, softplus

ERFC_NEG = sympy.Function("erfc_neg", real=True)  # erfc(-u) = 1 + erf(u), kept unevaluated


def no_delta(expr: sympy.Expr) -> sympy.Expr:
    """DiracDelta terms dropped: they live only at kinks, whose values are conventions."""
    return expr.replace(sympy.DiracDelta, lambda *a: sympy.S.Zero) if expr.has(
        sympy.DiracDelta) else expr


def stable_form(expr: sympy.Expr) -> sympy.Expr:
    """The same function, rewritten for float evaluation without cancellation.

    The logistic function and softplus written with exp become the primitives
    (:func:`logistic_forms`). In sums: ``c + c*erf(u) = c*erfc(-u)``, ``c - c*erf(u) = c*erfc(u)``,
    ``c ± c*tanh(u) = 2c*sigmoid(±2u)``, ``c - c*sigmoid(u) = c*sigmoid(-u)``; then
    ``exp(u) - 1 -> expm1(u)`` and ``log(1 + u) -> log1p(u)``. (sympy's own ``erfc(-u)``
    evaluates back to ``2 - erfc(u)``, hence the unevaluated ``erfc_neg``.)
    """
    from sympy.codegen.rewriting import expm1_opt, log1p_opt, optimize

    expr = no_delta(expr)
    if expr.has(sympy.exp):
        expr = logistic_forms(expr)
    if expr.has(sympy.erf, sympy.tanh, sympy.Function):
        expr = expr.replace(lambda e: e.is_Add, _cancel_free_sum)
    if expr.has(sympy.exp, sympy.log):
        expr = optimize(expr, [expm1_opt, log1p_opt])
    return expr


_U = sympy.Wild("u")


def logistic_forms(expr: sympy.Expr) -> sympy.Expr:
    """The logistic function and softplus written out with exp, as users type them (and as
    their derivatives come out), in the primitives' stable forms: ``exp(u)/(1 + exp(u))``
    and ``1/(1 + exp(-u))`` are ``sigmoid(u)``, ``exp(u)/(1 + exp(u))**2`` is
    ``sigmoid(u)*sigmoid(-u)``, ``log(1 + exp(u))`` is ``softplus(u)``. Written out they
    overflow to inf/inf = NaN, or to inf, where the value is finite (x = 1000)."""
    expr = expr.replace(lambda e: e.is_Mul, _logistic_product)  # exp(u) with its denominator
    expr = expr.replace(lambda e: e.is_Pow, _logistic_product)  # then lone denominators
    return expr.replace(sympy.log(1 + sympy.exp(_U)), softplus(_U))


def _one_plus_exp(base):
    """w where ``base`` is 1 + exp(w), else None."""
    if not base.is_Add:
        return None
    c, rest = base.as_coeff_Add()
    return rest.args[0] if c == 1 and isinstance(rest, sympy.exp) else None


def _logistic_product(e):
    factors = list(sympy.Mul.make_args(e))
    changed = False
    for i, f in enumerate(factors):
        if not (f.is_Pow and f.exp.is_Integer and f.exp < 0):
            continue
        w = _one_plus_exp(f.base)
        if w is None:
            continue
        k = -int(f.exp)
        out = [sigmoid(-w) ** k]  # (1 + exp(w))**-k = sigmoid(-w)**k
        for j, g in enumerate(factors):  # exp(m w) sigmoid(-w)**k = sigmoid(w)**m ...
            if j != i and isinstance(g, sympy.exp):
                m = sympy.simplify(g.args[0] / w)
                if m.is_Integer and 0 < m <= k:
                    out = [sigmoid(w) ** int(m) * sigmoid(-w) ** (k - int(m))]
                    factors[j] = sympy.S.One
                    break
        factors[i] = out[0]
        changed = True
    return sympy.Mul(*factors) if changed else e


def _cancel_free_sum(add):
    const, rest = add.as_coeff_Add()
    if const == 0:
        return add
    terms = list(sympy.Add.make_args(rest))
    for i, term in enumerate(terms):
        coeff, f = term.as_coeff_Mul()
        new = None
        if isinstance(f, sympy.erf) and coeff == const:
            new = const * ERFC_NEG(f.args[0])
        elif isinstance(f, sympy.erf) and coeff == -const:
            new = const * ERFC_NEG(-f.args[0])
        elif isinstance(f, sympy.tanh) and abs(coeff) == abs(const):
            new = 2 * const * sigmoid(2 * f.args[0] * sympy.sign(coeff * const))
        elif isinstance(f, sigmoid) and coeff == -const:
            new = const * sigmoid(-f.args[0])
        if new is not None:
            return sympy.Add(*terms[:i], *terms[i + 1:], new)
    return add


def numpy_function(expr: sympy.Expr):
    """Vectorized float64 function of x (arrays or scalars) of the stable form, warnings
    silenced."""
    import numpy as np

    raw = sympy.lambdify(X, stable_form(expr), modules=[NUMPY_FUNCS, "scipy", "numpy"],
                         cse=True)

    def f(x):
        x = np.asarray(x, dtype=np.float64)
        with np.errstate(all="ignore"):
            y = raw(x)
        return np.broadcast_to(np.asarray(y, dtype=np.float64), x.shape).copy()

    return f


def mpmath_function(expr: sympy.Expr, stable: bool = False):
    """mpmath scalar function of x (use under ``mpmath.workdps``); ``stable`` evaluates the
    stable form (expm1, log1p, erfc: fewer digits lost where the plain form cancels)."""
    e = stable_form(expr) if stable else no_delta(expr)
    return sympy.lambdify(X, e, modules=[MPMATH_FUNCS, "mpmath"])


# ------------------------------------------------------------ the kernels' formula dialect

_FUNCS = {  # sympy function name -> dialect call template
    "exp": "exp_({0}, t)", "expm1": "expm1_({0}, t)", "log1p": "log1p_({0}, t)",
    "tanh": "tanh_({0}, t)", "erf": "erf_({0}, t)", "erfc": "erfc_({0}, t)",
    "erfc_neg": "erfc_(-({0}), t)", "sech": "sech_({0}, t)", "coth": "(1.0/tanh_({0}, t))",
    "csch": "(1.0/np.sinh({0}))", "sigmoid": "sigmoid_f({0}, p, t)",
    "softplus": "softplus_f({0}, p, t)", "log": "np.log({0})", "Abs": "np.abs({0})",
    "sign": "np.sign({0})", "sin": "np.sin({0})", "cos": "np.cos({0})", "tan": "np.tan({0})",
    "atan": "np.arctan({0})", "asinh": "np.arcsinh({0})", "atanh": "np.arctanh({0})",
    "sinh": "np.sinh({0})", "cosh": "np.cosh({0})",
}
_REL = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "==", "!=": "!="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def dialect_function(expr: sympy.Expr, namespace: dict, name: str = "formula"):
    """``expr`` (in x, every parameter substituted) as a formula ``f(x, p, t)`` of the kernels'
    dialect, its primitives taken from ``namespace`` (``np``, ``sel``, ``exp_``, ...).

    The stable form is compiled, with common subexpressions computed once. Comparisons of
    x with a constant are placed exactly, as the catalog formulas place theirs: ``x <= c``
    becomes ``x <= floor(c)`` with floor(c) the largest float64 not above c, so the float
    comparison decides as the exact one for every float64 x.
    """
    expr = stable_form(expr)
    if expr.free_symbols - {X}:
        names = ", ".join(sorted(str(s) for s in expr.free_symbols - {X}))
        raise ActvizError(f"the kernels need a value for {names}")
    subs, (reduced,) = sympy.cse([expr], symbols=sympy.numbered_symbols("_c"))
    lines = [f"def {name}(x, p, t):"]
    lines += [f"    {sym} = {_emit(e)}" for sym, e in subs]
    lines.append(f"    return {_emit(reduced)}")
    source = "\n".join(lines)
    scope = dict(namespace)
    exec(compile(source, f"<actviz formula {name}>", "exec"), scope)  # noqa: S102 - our text
    fn = scope[name]
    fn.source = source
    return fn


def _emit(e) -> str:
    if e == X:
        return "x"
    if isinstance(e, sympy.Symbol):
        return e.name
    if e is sympy.true or e is sympy.false:
        return "True" if e is sympy.true else "False"
    if e.is_Number or e.is_NumberSymbol:
        return _number(e)
    if isinstance(e, sympy.Piecewise):
        return _piecewise(e.args)
    if e.is_Relational:
        return _relational(e)
    if isinstance(e, sympy.And):
        return "(" + " & ".join(_emit(a) for a in e.args) + ")"
    if isinstance(e, sympy.Or):
        return "(" + " | ".join(_emit(a) for a in e.args) + ")"
    if isinstance(e, sympy.Not):
        return f"np.logical_not({_emit(e.args[0])})"
    if e.is_Add:
        return "(" + " + ".join(_emit(a) for a in e.args) + ")"
    if e.is_Mul:
        return "(" + " * ".join(_emit(a) for a in e.args) + ")"
    if e.is_Pow:
        return _pow(e.base, e.exp)
    if isinstance(e, (sympy.Max, sympy.Min)):
        fn = "np.maximum" if isinstance(e, sympy.Max) else "np.minimum"
        out = _emit(e.args[0])
        for a in e.args[1:]:
            out = f"{fn}({out}, {_emit(a)})"
        return out
    if isinstance(e, sympy.Heaviside):
        a = _emit(e.args[0])
        h0 = _emit(e.args[1]) if len(e.args) > 1 else "0.5"
        return f"sel({a} > 0.0, 1.0, sel({a} < 0.0, 0.0, {h0}))"
    if isinstance(e, sympy.Function) and e.func.__name__ in _FUNCS and len(e.args) == 1:
        return _FUNCS[e.func.__name__].format(_emit(e.args[0]))
    raise ActvizError(f"the kernels cannot compile {type(e).__name__} (in {sympy.sstr(e)})")


def _number(e) -> str:
    if e is sympy.nan or e.is_infinite or not e.is_real:
        if e is sympy.oo or e is sympy.S.NegativeInfinity:
            return "np.inf" if e.is_positive else "(-np.inf)"
        raise ActvizError(f"not a finite real number: {e}")
    v = float(e)
    return repr(v) if v >= 0 else f"({v!r})"


def _pow(base, exp) -> str:
    b = _emit(base)
    if exp.is_Integer and 1 <= abs(int(exp)) <= 4:
        prod = "(" + " * ".join([b] * abs(int(exp))) + ")"
        return prod if exp > 0 else f"(1.0/{prod})"
    if exp == sympy.S.Half:
        return f"np.sqrt({b})"
    if exp == -sympy.S.Half:
        return f"(1.0/np.sqrt({b}))"
    return f"np.power({b}, {_emit(exp)})"


def _piecewise(pairs) -> str:
    (value, cond), rest = pairs[0], pairs[1:]
    if cond is sympy.true:
        return _emit(value)
    other = _piecewise(rest) if rest else "np.nan"
    return f"sel({_emit(cond)}, {_emit(value)}, {other})"


def _relational(rel) -> str:
    op, lhs, rhs = rel.rel_op, rel.lhs, rel.rhs
    if rhs == X and lhs.is_number:
        op, lhs, rhs = _FLIP[op], rhs, lhs
    if lhs == X and rhs.is_number and rhs.is_finite and op in ("<", "<=", ">", ">="):
        down = op in ("<=", ">")  # x <= c, x > c: the largest float not above c
        return f"(x {op} {_placed(rhs, down)!r})"
    return f"({_emit(lhs)} {_REL[op]} {_emit(rhs)})"


def _placed(c, down: bool) -> float:
    """The float64 nearest to the exact number c on the side that keeps comparisons exact:
    largest <= c (``down``) or smallest >= c."""
    f = float(c.evalf(30))
    diff = (sympy.Rational(Fraction(f)) - c).evalf(40)
    if diff > 0 and down:
        return math.nextafter(f, -math.inf)
    if diff < 0 and not down:
        return math.nextafter(f, math.inf)
    return f


__all__ = ["stable_form", "numpy_function", "mpmath_function", "dialect_function", "no_delta",
           "logistic_forms", "ERFC_NEG"]
