"""An approximation as text: an expression actviz reads, NumPy code, C code.

The expression is built for each kind (a catalog call with keyword parameters for a fitted
catalog entry, nested ``where`` for a piecewise-linear table, Horner's scheme with the
input clamped to the range for polynomials and rationals) and is what is certified: the
analysis loads it back with :func:`actviz.symbolic.load` and measures that. NumPy and C
code are printed from its sympy form with sympy's printers, extended with numerically
stable helpers for the two primitives they do not know (``sigmoid``, ``softplus``).
"""

from __future__ import annotations

import math

from actviz.errors import ActvizError


def num(v: float) -> str:
    """The shortest text that reads back as the float ``v`` (no negative zero)."""
    v = float(v)
    if not math.isfinite(v) or abs(v) > 1e300:
        raise ActvizError(f"a coefficient is not finite ({v})")
    return "0.0" if abs(v) < 1e-300 else repr(v + 0.0)  # actviz reads numbers within 1e±300


def _affine(s: float, c: float) -> str:
    if s == 0:
        return num(c)
    lead = "x" if s == 1 else f"{num(s)}*x"
    if c == 0:
        return lead
    return f"{lead} {'-' if c < 0 else '+'} {num(abs(c))}"


def pwl_expr(breaks, lines) -> str:
    """``where(x <= b1, line0, where(x <= b2, line1, ... lineN))``."""
    text = _affine(*lines[-1])
    for b, line in zip(reversed(breaks), reversed(lines[:-1])):
        text = f"where(x <= {num(b)}, {_affine(*line)}, {text})"
    return text


def horner(coef) -> str:
    """Horner's scheme of sum coef[k] x^k (lowest first): ``(a2*x + a1)*x + a0``."""
    coef = [float(c) for c in coef]
    while len(coef) > 1 and coef[-1] == 0:
        coef.pop()
    text = num(coef[-1])
    for i, c in enumerate(reversed(coef[:-1])):
        inner = text if i == 0 else f"({text})"
        text = f"{inner}*x" + (f" - {num(-c)}" if c < 0 else f" + {num(c)}" if c > 0 else "")
    return text


def clamped(core: str, lo: float, hi: float, at_lo: float, at_hi: float) -> str:
    """``core`` on [lo, hi], its end values outside (the input clamped to the range)."""
    return (f"where(x < {num(lo)}, {num(at_lo)}, where(x > {num(hi)}, {num(at_hi)}, "
            f"{core}))")


def catalog_call(name: str, params: dict[str, str]) -> str:
    args = "".join(f", {k}={v}" for k, v in params.items())
    return f"{name}(x{args})"


def sympy_text(expr) -> str:
    """Text of a sympy expression that :func:`actviz.expr.parse` reads back."""
    import sympy

    return sympy.sstr(expr, full_prec=True)


# ------------------------------------------------------------------------------ code

_C_PRELUDE = """#include <math.h>

static inline double actviz_sigmoid(double u) {
    return u >= 0 ? 1.0 / (1.0 + exp(-u)) : exp(u) / (1.0 + exp(u));
}

static inline double actviz_softplus(double u) {
    return u > 0 ? u + log1p(exp(-u)) : log1p(exp(u));
}
"""

_NUMPY_PRELUDE = '''import numpy


def _sigmoid(u):
    return numpy.exp(-numpy.logaddexp(0.0, -u))


def _softplus(u):
    return numpy.logaddexp(0.0, u)
'''


def _printers():
    from sympy.printing.c import C99CodePrinter
    from sympy.printing.numpy import NumPyPrinter

    class CPrinter(C99CodePrinter):
        def _print_sigmoid(self, e):
            return f"actviz_sigmoid({self._print(e.args[0])})"

        def _print_softplus(self, e):
            return f"actviz_softplus({self._print(e.args[0])})"

    class NpPrinter(NumPyPrinter):
        def _print_sigmoid(self, e):
            return f"_sigmoid({self._print(e.args[0])})"

        def _print_softplus(self, e):
            return f"_softplus({self._print(e.args[0])})"

    return CPrinter, NpPrinter


def c_code(expr, name: str = "approx") -> str:
    """A C99 function ``double name(double x)`` and a loop ``name_forward`` over arrays."""
    CPrinter, _ = _printers()
    try:
        body = CPrinter({"strict": True}).doprint(expr)
    except Exception as exc:  # noqa: BLE001 - sympy raises several types for no C form
        raise ActvizError(f"no C form for {expr}: {exc}") from None
    body = " ".join(body.split())
    return (f"{_C_PRELUDE}\ndouble {name}(double x) {{\n    return {body};\n}}\n\n"
            f"void {name}_forward(const double *x, double *y, long n) {{\n"
            f"    for (long i = 0; i < n; ++i) y[i] = {name}(x[i]);\n}}\n")


def numpy_code(expr, name: str = "approx") -> str:
    """A NumPy function ``name(x)`` (float64, elementwise)."""
    _, NpPrinter = _printers()
    body = NpPrinter({"fully_qualified_modules": True}).doprint(expr)
    return (f"{_NUMPY_PRELUDE}\n\ndef {name}(x):\n"
            f"    x = numpy.asarray(x, dtype=numpy.float64)\n"
            f"    with numpy.errstate(all=\"ignore\"):\n"
            f"        return {body} + 0.0 * x\n")
