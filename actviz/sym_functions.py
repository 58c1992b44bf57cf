"""Sympy primitives with known derivatives, so that derivative formulas stay short.

``sigmoid`` (σ' = σ(1 − σ)) and ``softplus`` (softplus' = σ) are kept as functions instead
of being expanded into exponentials; each knows how to rewrite itself into elementary
functions (``expr.rewrite(sympy.exp)``), how to evaluate numerically, and how to print in
LaTeX. Their stable numeric forms for numpy and mpmath live in ``NUMPY_FUNCS`` and
``MPMATH_FUNCS`` (used by :mod:`actviz.symbolic` when lambdifying).
"""

from __future__ import annotations

import sympy
from sympy import S


class sigmoid(sympy.Function):  # noqa: N801 - a math function name
    """The logistic function 1 / (1 + exp(-x))."""

    is_real = True

    @classmethod
    def eval(cls, arg):
        if arg is S.Zero:
            return S.Half
        if arg is S.Infinity:
            return S.One
        if arg is S.NegativeInfinity:
            return S.Zero

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + sympy.exp(-arg))

    def _eval_evalf(self, prec):
        return self._eval_rewrite_as_exp(self.args[0])._eval_evalf(prec)

    def _eval_is_positive(self):
        return self.args[0].is_extended_real

    def _latex(self, printer, exp=None):
        s = r"\sigma\left(%s\right)" % printer._print(self.args[0])
        return s if exp is None else r"%s^{%s}" % (s, exp)


class softplus(sympy.Function):  # noqa: N801 - a math function name
    """log(1 + exp(x)), whose derivative is sigmoid(x)."""

    is_real = True

    @classmethod
    def eval(cls, arg):
        if arg is S.Zero:
            return sympy.log(2)
        if arg is S.Infinity:
            return S.Infinity
        if arg is S.NegativeInfinity:
            return S.Zero

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return sympy.log(1 + sympy.exp(arg))

    _eval_rewrite_as_log = _eval_rewrite_as_exp

    def _eval_evalf(self, prec):
        return self._eval_rewrite_as_exp(self.args[0])._eval_evalf(prec)

    def _eval_is_positive(self):
        return self.args[0].is_extended_real

    def _latex(self, printer, exp=None):
        s = r"\operatorname{softplus}\left(%s\right)" % printer._print(self.args[0])
        return s if exp is None else r"%s^{%s}" % (s, exp)


CUSTOM = {"sigmoid": sigmoid, "softplus": softplus}


def _np_sigmoid(x):
    import numpy as np
    from scipy.special import expit

    return expit(np.asarray(x, dtype=float))


def _np_softplus(x):
    import numpy as np

    return np.logaddexp(0.0, np.asarray(x, dtype=float))


def _mp_sigmoid(x):
    import mpmath

    return 1 / (1 + mpmath.exp(-x))


def _mp_softplus(x):
    import mpmath

    return mpmath.log1p(mpmath.exp(x)) if x < 0 else x + mpmath.log1p(mpmath.exp(-x))


def _np_erfc_neg(u):
    import numpy as np
    from scipy.special import erfc

    return erfc(-np.asarray(u, dtype=float))


def _mp_erfc_neg(u):
    import mpmath

    return mpmath.erfc(-u)


def _np_sech(u):
    import numpy as np

    v = np.exp(-np.abs(np.asarray(u, dtype=float)))
    return 2.0 * v / (1.0 + v * v)  # no overflow for large |u| (1/cosh would give inf/inf)


def _np_csch(u):
    import numpy as np

    u = np.asarray(u, dtype=float)
    v = np.exp(-np.abs(u))
    return np.sign(u) * 2.0 * v / -np.expm1(-2.0 * np.abs(u))


def _np_coth(u):
    import numpy as np

    return 1.0 / np.tanh(np.asarray(u, dtype=float))


# erfc_neg(u) = erfc(-u) = 1 + erf(u): see actviz.numeric.stable_form. sech, csch and coth are
# given so that sympy's printer does not rewrite them (and the tanh inside) into exp()s,
# which overflow to inf/inf for large arguments
NUMPY_FUNCS = {"sigmoid": _np_sigmoid, "softplus": _np_softplus, "erfc_neg": _np_erfc_neg,
               "sech": _np_sech, "csch": _np_csch, "coth": _np_coth}
MPMATH_FUNCS = {"sigmoid": _mp_sigmoid, "softplus": _mp_softplus, "erfc_neg": _mp_erfc_neg}
