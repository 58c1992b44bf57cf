"""The naive textbook formulas, evaluated in one floating-point type without upcasting.

What a person types from the paper: ``mish = x*tanh(log(1 + exp(x)))``,
``sigmoid = 1/(1 + exp(-x))``, ``tanh = (e^x - e^-x)/(e^x + e^-x)``, ``elu`` through
``exp(x) - 1``, ``gelu`` with ``erf``, and their derivatives as differentiated by hand
(``sigmoid' = e^-x/(1 + e^-x)^2``, ``mish' = tanh(sp) + x*sech(sp)^2*sigmoid(x)``).
Every elementary operation is rounded to the scanned dtype (float16, bfloat16, float32,
float64): constants and parameters are first rounded to it, and functions that NumPy or
SciPy evaluate in a wider type (``erf``) have their result rounded back. This is what a
framework computing natively in that dtype does, and what :mod:`actviz.stability.scan` compares
with actviz's kernels.

``naive_function(func, order)`` gives ``f(x)`` for an array ``x`` of the scanned dtype, or
None where the catalog entry has no textbook formula for that order (user expressions);
``formula(func, order)`` the formula as text.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

SQRT2 = math.sqrt(2.0)
SQRT_2_PI = math.sqrt(2.0 / math.pi)  # gelu:tanh
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
GELU_C = 0.044715
# Theano's ultra_fast_sigmoid constants
UFS_T17, UFS_SLOPE, UFS_T3 = 0.935409070603099, 0.0458812946797165, 0.99505475368673


class Ops:
    """Elementary operations whose every result is rounded to ``dtype``."""

    def __init__(self, dtype):
        import numpy as np

        self.np = np
        self.dtype = np.dtype(dtype)
        # where NumPy/SciPy have no loop for the dtype (erf), compute wider and round back
        self.wide = np.float64 if self.dtype.itemsize >= 8 else np.float32
        # where an elementary function got or gave inf/nan: an intermediate overflowed
        self.inner = None

    def c(self, value):
        """A constant rounded to the dtype (a 0-d array, so it never widens an operand)."""
        return self.np.asarray(value, dtype=self.dtype)

    def r(self, y):
        return self.np.asarray(y).astype(self.dtype, copy=False)

    def _track(self, y, x):
        np = self.np
        bad = ~np.isfinite(y) | ~np.isfinite(x)
        self.inner = bad if self.inner is None else self.inner | bad
        return y

    def exp(self, x):
        return self._track(self.r(self.np.exp(x)), x)

    def log(self, x):
        return self._track(self.r(self.np.log(x)), x)

    def tanh(self, x):
        return self._track(self.r(self.np.tanh(x)), x)

    def abs(self, x):
        return self.r(self.np.abs(x))

    def erf(self, x):
        from scipy.special import erf

        return self._track(self.r(erf(self.np.asarray(x).astype(self.wide))), x)

    def maximum(self, a, b):
        return self.r(self.np.maximum(a, b))

    def minimum(self, a, b):
        return self.r(self.np.minimum(a, b))

    def where(self, cond, a, b):
        return self.r(self.np.where(cond, a, b))


# --- forward formulas: f(x, ops, params) with params already rounded to the dtype -------

def _hard_sigmoid(x, o, p):
    return o.maximum(o.c(0), o.minimum(o.c(1), p["alpha"] * x + p["beta"]))


def _d_hard_sigmoid(x, o, p):
    u = p["alpha"] * x + p["beta"]
    return o.where((u > 0) & (u < 1), p["alpha"], o.c(0))


def _d_hard_sigmoid_clip(x, o, p):
    u = p["alpha"] * x + p["beta"]
    return o.where((u >= 0) & (u <= 1), p["alpha"], o.c(0))


def _mish(x, o, p):
    return x * o.tanh(o.log(o.c(1) + o.exp(x)))


def _d_mish(x, o, p):
    one = o.c(1)
    e = o.exp(x)
    t = o.tanh(o.log(one + e))
    return t + x * (one - t * t) * (e / (one + e))


def _d_softplus(x, o, p):
    e = o.exp(x)
    return e / (o.c(1) + e)


def _sigmoid(x, o, p):
    return o.c(1) / (o.c(1) + o.exp(-x))


def _d_sigmoid(x, o, p):
    e = o.exp(-x)
    d = o.c(1) + e
    return e / (d * d)


def _ufs(x, o, p):
    h = o.c(0.5) * x
    u = o.abs(h)
    t = o.where(u < o.c(1.7), o.c(1.5) * u / (o.c(1) + u),
                o.where(u < o.c(3), o.c(UFS_T17) + o.c(UFS_SLOPE) * (u - o.c(1.7)), o.c(UFS_T3)))
    sign = o.where(h < 0, o.c(-1), o.c(1))
    return o.c(0.5) * (sign * t + o.c(1))


def _d_ufs(x, o, p):
    u = o.abs(o.c(0.5) * x)
    d = o.c(1) + u
    dt = o.where(u < o.c(1.7), o.c(1.5) / (d * d), o.where(u < o.c(3), o.c(UFS_SLOPE), o.c(0)))
    return o.c(0.25) * dt


def _elu(x, o, p):
    return o.where(x > 0, x, p["alpha"] * (o.exp(x) - o.c(1)))


def _d_elu(x, o, p):
    return o.where(x > 0, o.c(1), p["alpha"] * o.exp(x))


def _celu(x, o, p):
    return o.where(x > 0, x, p["alpha"] * (o.exp(x / p["alpha"]) - o.c(1)))


def _d_celu(x, o, p):
    return o.where(x > 0, o.c(1), o.exp(x / p["alpha"]))


def _gelu(x, o, p):
    return o.c(0.5) * x * (o.c(1) + o.erf(x / o.c(SQRT2)))


def _d_gelu(x, o, p):
    cdf = o.c(0.5) * (o.c(1) + o.erf(x / o.c(SQRT2)))
    return cdf + x * o.exp(-(x * x) / o.c(2)) * o.c(INV_SQRT_2PI)


def _gelu_tanh(x, o, p):
    inner = o.c(SQRT_2_PI) * (x + o.c(GELU_C) * x * x * x)
    return o.c(0.5) * x * (o.c(1) + o.tanh(inner))


def _d_gelu_tanh(x, o, p):
    one = o.c(1)
    t = o.tanh(o.c(SQRT_2_PI) * (x + o.c(GELU_C) * x * x * x))
    dinner = o.c(SQRT_2_PI) * (one + o.c(3 * GELU_C) * x * x)
    return o.c(0.5) * (one + t) + o.c(0.5) * x * (one - t * t) * dinner


def _silu(x, o, p):
    return x / (o.c(1) + o.exp(-p["alpha"] * x))


def _d_silu(x, o, p):
    one = o.c(1)
    s = one / (one + o.exp(-p["alpha"] * x))
    return s + p["alpha"] * x * s * (one - s)


def _tanh(x, o, p):
    ep, em = o.exp(x), o.exp(-x)
    return (ep - em) / (ep + em)


def _d_tanh(x, o, p):
    t = _tanh(x, o, p)
    return o.c(1) - t * t


def _softplus(x, o, p):
    return o.log(o.c(1) + o.exp(x))


def _log_sigmoid(x, o, p):
    return o.log(o.c(1) / (o.c(1) + o.exp(-x)))


def _d_log_sigmoid(x, o, p):
    e = o.exp(-x)
    return e / (o.c(1) + e)


def _hardswish(x, o, p):
    return x * _hard_sigmoid(x, o, p)


def _d_hardswish(x, o, p):
    u = p["alpha"] * x + p["beta"]
    return o.where(u <= 0, o.c(0), o.where(u >= 1, o.c(1), o.c(2) * p["alpha"] * x + p["beta"]))


def _clip(lo, hi):
    def f(x, o, p):
        return o.minimum(o.maximum(x, p.get(lo, o.c(0))), p.get(hi, o.c(6)))

    def d(x, o, p):
        return o.where((x > p.get(lo, o.c(0))) & (x < p.get(hi, o.c(6))), o.c(1), o.c(0))

    return f, d


_HARDTANH, _D_HARDTANH = _clip("min_val", "max_val")


def _d_softsign(x, o, p):
    d = o.c(1) + o.abs(x)
    return o.c(1) / (d * d)


@dataclass(frozen=True)
class Naive:
    text: str  # the forward formula as written in the textbook
    forward: Callable
    dtext: str | None = None  # the hand-differentiated f'
    derivative: Callable | None = None


NAIVE: dict[str, Naive] = {
    "hard_sigmoid": Naive("max(0, min(1, alpha*x + beta))", _hard_sigmoid,
                          "alpha where 0 < alpha*x + beta < 1, else 0", _d_hard_sigmoid),
    "hard_sigmoid:keras2": Naive("clip(alpha*x + beta, 0, 1)", _hard_sigmoid,
                                 "alpha where 0 <= alpha*x + beta <= 1, else 0",
                                 _d_hard_sigmoid_clip),
    "hard_sigmoid:theano": Naive("clip(alpha*x + beta, 0, 1)", _hard_sigmoid,
                                 "alpha where 0 <= alpha*x + beta <= 1, else 0",
                                 _d_hard_sigmoid_clip),
    "thresholded_relu": Naive(
        "where(x > alpha, x, 0)", lambda x, o, p: o.where(x > p["alpha"], x, o.c(0)),
        "where(x > alpha, 1, 0)", lambda x, o, p: o.where(x > p["alpha"], o.c(1), o.c(0))),
    "softsign": Naive("x/(1 + |x|)", lambda x, o, p: x / (o.c(1) + o.abs(x)),
                      "1/(1 + |x|)^2", _d_softsign),
    "mish": Naive("x*tanh(log(1 + exp(x)))", _mish,
                  "tanh(sp) + x*(1 - tanh(sp)^2)*exp(x)/(1 + exp(x)), sp = log(1 + exp(x))",
                  _d_mish),
    "sigmoid": Naive("1/(1 + exp(-x))", _sigmoid, "exp(-x)/(1 + exp(-x))^2", _d_sigmoid),
    "ultra_fast_sigmoid": Naive("Theano: 0.5*(t(x/2) + 1), t piecewise in |x/2|", _ufs,
                                "0.25*t'(|x/2|)", _d_ufs),
    "relu": Naive("max(x, 0)", lambda x, o, p: o.maximum(x, o.c(0)),
                  "where(x > 0, 1, 0)", lambda x, o, p: o.where(x > 0, o.c(1), o.c(0))),
    "leaky_relu": Naive(
        "where(x > 0, x, alpha*x)", lambda x, o, p: o.where(x > 0, x, p["alpha"] * x),
        "where(x > 0, 1, alpha)", lambda x, o, p: o.where(x > 0, o.c(1), p["alpha"])),
    "prelu": Naive(
        "where(x > 0, x, slope*x)", lambda x, o, p: o.where(x > 0, x, p["slope"] * x),
        "where(x > 0, 1, slope)", lambda x, o, p: o.where(x > 0, o.c(1), p["slope"])),
    "elu": Naive("where(x > 0, x, alpha*(exp(x) - 1))", _elu,
                 "where(x > 0, 1, alpha*exp(x))", _d_elu),
    "selu": Naive("gamma*where(x > 0, x, alpha*(exp(x) - 1))",
                  lambda x, o, p: p["gamma"] * _elu(x, o, p),
                  "gamma*where(x > 0, 1, alpha*exp(x))",
                  lambda x, o, p: p["gamma"] * _d_elu(x, o, p)),
    "celu": Naive("where(x > 0, x, alpha*(exp(x/alpha) - 1))", _celu,
                  "where(x > 0, 1, exp(x/alpha))", _d_celu),
    "gelu": Naive("0.5*x*(1 + erf(x/sqrt(2)))", _gelu,
                  "0.5*(1 + erf(x/sqrt(2))) + x*exp(-x^2/2)/sqrt(2*pi)", _d_gelu),
    "gelu:tanh": Naive("0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))", _gelu_tanh,
                       "0.5*(1 + t) + 0.5*x*(1 - t^2)*sqrt(2/pi)*(1 + 3*0.044715*x^2)",
                       _d_gelu_tanh),
    "silu": Naive("x/(1 + exp(-alpha*x))", _silu,
                  "s + alpha*x*s*(1 - s), s = 1/(1 + exp(-alpha*x))", _d_silu),
    "tanh": Naive("(exp(x) - exp(-x))/(exp(x) + exp(-x))", _tanh, "1 - tanh(x)^2", _d_tanh),
    "softplus": Naive("log(1 + exp(x))", _softplus, "exp(x)/(1 + exp(x))", _d_softplus),
    "hardswish": Naive("x*max(0, min(1, alpha*x + beta))", _hardswish,
                       "0, 2*alpha*x + beta or 1 (by alpha*x + beta)", _d_hardswish),
    "hardtanh": Naive("min(max(x, min_val), max_val)", _HARDTANH,
                      "where(min_val < x < max_val, 1, 0)", _D_HARDTANH),
    "relu6": Naive("min(max(x, 0), 6)", _HARDTANH, "where(0 < x < 6, 1, 0)", _D_HARDTANH),
    "hardshrink": Naive(
        "where(|x| > lambd, x, 0)", lambda x, o, p: o.where(o.abs(x) > p["lambd"], x, o.c(0)),
        "where(|x| > lambd, 1, 0)",
        lambda x, o, p: o.where(o.abs(x) > p["lambd"], o.c(1), o.c(0))),
    "softshrink": Naive(
        "x - lambd, x + lambd or 0",
        lambda x, o, p: o.where(x > p["lambd"], x - p["lambd"],
                                o.where(x < -p["lambd"], x + p["lambd"], o.c(0))),
        "where(|x| > lambd, 1, 0)",
        lambda x, o, p: o.where(o.abs(x) > p["lambd"], o.c(1), o.c(0))),
    "log_sigmoid": Naive("log(1/(1 + exp(-x)))", _log_sigmoid,
                         "exp(-x)/(1 + exp(-x))", _d_log_sigmoid),
}


def lookup(func) -> Naive | None:
    """The textbook formulas of a :class:`actviz.symbolic.Function`, or None.

    A variant that redefines the function (``gelu:tanh``) has its own entry; a variant that
    only presets parameters (``hard_sigmoid:pytorch``) uses the entry's formula.
    """
    res = func.resolved
    if res is None:
        return None
    if res.variant is not None:
        variant = res.entry.variant(res.variant)
        if variant.expr is not None:
            return NAIVE.get(f"{res.entry.name}:{res.variant}")
    return NAIVE.get(res.entry.name)


def formula(func, order: int = 0) -> str | None:
    nv = lookup(func)
    if nv is None:
        return None
    return nv.text if order == 0 else nv.dtext if order == 1 else None


def naive_function(func, order: int = 0):
    """``g(x)`` evaluating the textbook f (order 0) or f' (order 1) in ``x.dtype``; or None.

    ``g.traced(x)`` gives ``(y, inner)``, ``inner`` a boolean array: True where an
    elementary function (exp, log, tanh, erf) got or returned inf or NaN, i.e. an
    intermediate overflowed even where the result came out finite (``tanh(inf) = 1``).
    """
    nv = lookup(func)
    if nv is None or order not in (0, 1):
        return None
    impl = nv.forward if order == 0 else nv.derivative
    if impl is None:
        return None
    params = func.float_params()

    def traced(x):
        import numpy as np

        ops = Ops(x.dtype)
        p = {k: ops.c(v) for k, v in params.items()}
        with np.errstate(all="ignore"):
            y = ops.r(impl(x, ops, p))
        inner = np.zeros(y.shape, dtype=bool)
        if ops.inner is not None:
            inner |= np.broadcast_to(ops.inner, y.shape) & np.isfinite(x)
        return y, inner

    def g(x):
        return traced(x)[0]

    g.traced = traced
    return g
