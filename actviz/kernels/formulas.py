"""Element formulas for every catalog entry: f, f', f'' and the gradient from the output.

One source for all backends. Each formula is written in a small branch-free dialect that runs
on NumPy arrays as it is (the NumPy backend) and compiles with numba on float64 scalars (the
numba backend registers overloads for the primitives below):

- ``sel(c, a, b)``: ``c ? a : b`` (``np.where``); both sides are always evaluated, so every
  expression must be harmless (no traps) where it is not selected.
- ``exp_(x, t)``, ``expm1_``, ``log1p_``, ``tanh_``, ``erfc_``: the transcendental
  primitives. ``t`` is a type tag: numba uses its own vectorizable, full float64 accuracy
  versions when the data is float32 (``t`` a float32 zero) and libm otherwise.

The same functions are traced into C for the CuPy backend (:mod:`actviz.kernels.csource`),
so they must stay branch-free: ``sel`` instead of ``if``. The numba backend's float32 fast
path (:mod:`actviz.kernels.fast32`) has its own float32 arrangements of f and f' for the
common transcendental activations, checked against these and against mpmath.
- ``np.abs``, ``np.sign``, ``np.isinf`` and arithmetic.

Every formula takes ``(x, p, t)``: ``x`` in float64, ``p`` a tuple of 4 float64 parameters
prepared once per call by ``Kernel.prepare`` from the exact parameter values (thresholds are
rounded so that comparisons with float inputs decide exactly as the exact catalog condition:
``x <= a`` becomes ``x <= floor_to(a)``), and ``t`` the tag.

Numerically stable forms (see REFERENCE.md): everything that needs ``exp(x)`` for large ``x``
is written with ``v = exp(-|x|) <= 1``; ``1 - v`` near 0 with ``expm1``; products with ``x``
use a clipped ``x`` where the factor vanishes so that ``inf * 0`` never makes a NaN. NaN
inputs are passed through by the backends (NaN in, NaN out, for every order).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from actviz.errors import ActvizError

# ---------------------------------------------------------------------------- primitives


def sel(c, a, b):
    return np.where(c, a, b)


def exp_(x, t):
    return np.exp(x)


def expm1_(x, t):
    return np.expm1(x)


def log1p_(x, t):
    return np.log1p(x)


def tanh_(x, t):
    return np.tanh(x)


def erfc_(x, t):
    if type(x).__module__.startswith("cupy"):
        from cupyx.scipy.special import erfc
    else:
        from scipy.special import erfc
    return erfc(x)


PRIMITIVES = (sel, exp_, expm1_, log1p_, tanh_, erfc_)

BIG = 1e300  # |x| clip for factors multiplied by something that vanishes at infinity


def clip(x, lim):
    return sel(x < -lim, -lim, sel(x > lim, lim, x))


def sig_parts(u, t):
    """v = exp(-|u|), r = 1/(1 + v), s = sigmoid(u); sigmoid'(u) = v*r*r."""
    v = exp_(-np.abs(u), t)
    r = 1.0 / (1.0 + v)
    s = sel(u >= 0.0, r, v * r)
    return v, r, s


def one_minus_2sig(u, r, t):
    """1 - 2*sigmoid(u) = -tanh(u/2), without cancellation near 0."""
    q = -expm1_(-np.abs(u), t)  # 1 - exp(-|u|)
    return -np.sign(u) * q * r


HELPERS = (clip, sig_parts, one_minus_2sig)

# ------------------------------------------------------------------ exact parameter helpers


def floor_to(q: Fraction, dtype=np.float64):
    """Largest value of ``dtype`` <= q (so that ``x <= q`` is ``x <= floor_to(q)`` for x of
    that dtype)."""
    f = dtype(q)
    return np.nextafter(f, dtype(-np.inf)) if Fraction(float(f)) > q else f


def ceil_to(q: Fraction, dtype=np.float64):
    """Smallest value of ``dtype`` >= q (so that ``x >= q`` is ``x >= ceil_to(q)``, ``x < q``
    is ``x < ceil_to(q)``)."""
    f = dtype(q)
    return np.nextafter(f, dtype(np.inf)) if Fraction(float(f)) < q else f


def _pad(*values) -> tuple[float, float, float, float]:
    vals = [float(v) for v in values] + [0.0] * (4 - len(values))
    return tuple(vals[:4])  # type: ignore[return-value]


@dataclass(frozen=True)
class Kernel:
    """The formulas of one catalog entry (or variant with its own definition)."""

    name: str
    f: Callable
    d1: Callable
    d2: Callable
    prepare: Callable[[dict[str, Fraction]], tuple]
    gy: Callable | None = None  # gradient as a function of the output y
    gy_check: Callable[[dict[str, Fraction]], str | None] = lambda p: None

    def grad_from_output_error(self, params: dict[str, Fraction]) -> str | None:
        """Why ``backward(..., y=...)`` cannot work here, or None."""
        if self.gy is None:
            return (f"{self.name}: the output y does not determine the gradient "
                    "(not monotonic); pass x= instead of y=")
        return self.gy_check(params)


def _needs_positive(*names):
    def check(p):
        bad = [n for n in names if p[n] <= 0]
        if bad:
            return (f"the output y determines the gradient only for {' and '.join(names)} > 0 "
                    f"({bad[0]} = {float(p[bad[0]])}); pass x= instead of y=")
        return None

    return check


def _needs_nonnegative(name):
    def check(p):
        if p[name] < 0:
            return (f"the output y determines the gradient only for {name} >= 0 "
                    f"({name} = {float(p[name])}); pass x= instead of y=")
        return None

    return check


def _zero(x, p, t):
    return 0.0 * p[0]


# ---------------------------------------------------------------------------- hard_sigmoid


def _hs_prepare(p):
    a, b = p["alpha"], p["beta"]
    if a <= 0:
        raise ActvizError(f"the kernels need alpha > 0 (got alpha = {float(a)})")
    return _pad(a, b, floor_to(-b / a), ceil_to((1 - b) / a))


def hard_sigmoid_f(x, p, t):
    return sel(x <= p[2], 0.0, sel(x >= p[3], 1.0, p[0] * x + p[1]))


def hard_sigmoid_d1(x, p, t):
    return sel((x > p[2]) & (x < p[3]), p[0], 0.0)


def hard_sigmoid_gy(y, p, t):
    return sel((y > 0.0) & (y < 1.0), p[0], 0.0)


# ------------------------------------------------------------------------------- hardswish


def hardswish_f(x, p, t):
    return sel(x <= p[2], 0.0, sel(x >= p[3], x, x * (p[0] * x + p[1])))


def hardswish_d1(x, p, t):
    return sel(x <= p[2], 0.0, sel(x >= p[3], 1.0, 2.0 * p[0] * x + p[1]))


def hardswish_d2(x, p, t):
    return sel((x > p[2]) & (x < p[3]), 2.0 * p[0], 0.0)


# ------------------------------------------------------------------------ thresholded_relu


def thresholded_relu_f(x, p, t):
    return sel(x > p[0], x, 0.0)


def thresholded_relu_d1(x, p, t):
    return sel(x > p[0], 1.0, 0.0)


def nonzero_gy(y, p, t):
    return sel(y != 0.0, 1.0, 0.0)


# --------------------------------------------------------------------------------- softsign


def softsign_f(x, p, t):
    return sel(np.isinf(x), np.sign(x), x / (1.0 + np.abs(x)))


def softsign_d1(x, p, t):
    r = 1.0 / (1.0 + np.abs(x))
    return r * r


def softsign_d2(x, p, t):
    r = 1.0 / (1.0 + np.abs(x))
    return -2.0 * np.sign(x) * (r * r * r)


def softsign_gy(y, p, t):
    u = 1.0 - np.abs(y)
    return u * u


# ------------------------------------------------------------------------------------- mish


def mish_parts(x, t):
    """T = tanh(softplus(x)), g = sech(softplus(x))**2 * sigmoid(x), s = sigmoid(x), 1 - s,
    from v = exp(-|x|) only (no overflow anywhere)."""
    v = exp_(-np.abs(x), t)
    pos = x >= 0.0
    v2 = v * v
    d = sel(pos, 1.0 + 2.0 * v + 2.0 * v2, v2 + 2.0 * v + 2.0)
    tt = sel(pos, 1.0 + 2.0 * v, v * (v + 2.0)) / d
    g = sel(pos, 4.0 * v2 * (1.0 + v), 4.0 * v * (1.0 + v)) / (d * d)
    r = 1.0 / (1.0 + v)
    s = sel(pos, r, v * r)
    s1 = sel(pos, v * r, r)
    return tt, g, s, s1


def mish_f(x, p, t):
    tt, g, s, s1 = mish_parts(x, t)
    return sel(x < -BIG, -BIG, x) * tt


def mish_d1(x, p, t):
    tt, g, s, s1 = mish_parts(x, t)
    return tt + clip(x, BIG) * g


def mish_d2(x, p, t):
    tt, g, s, s1 = mish_parts(x, t)
    return g * (2.0 + clip(x, BIG) * (s1 - 2.0 * tt * s))


# ---------------------------------------------------------------------------------- sigmoid


def sigmoid_f(x, p, t):
    v, r, s = sig_parts(x, t)
    return s


def sigmoid_d1(x, p, t):
    v, r, s = sig_parts(x, t)
    return v * r * r


def sigmoid_d2(x, p, t):
    v, r, s = sig_parts(x, t)
    return v * r * r * one_minus_2sig(x, r, t)


def sigmoid_gy(y, p, t):
    return y * (1.0 - y)


# ----------------------------------------------------------------------- ultra_fast_sigmoid

_UA = Fraction("0.935409070603099")
_UB = Fraction("0.0458812946797165")
_UC = Fraction("0.99505475368673")
_U_LOW = float(Fraction(1, 2) - _UC / 2)
_U_HIGH = float(Fraction(1, 2) + _UC / 2)
_U_P = float(Fraction(1, 2) - _UA / 2 - _UB / 2 * (3 - Fraction(17, 10)))  # value at -6+
_U_Q = float(Fraction(1, 2) + _UA / 2 + _UB / 2 * (3 - Fraction(17, 10)))  # value at 6-
_U_SLOPE = float(_UB / 4)
_U_NEG = floor_to(Fraction(-17, 5))  # x <= -3.4
_U_POS = ceil_to(Fraction(17, 5))  # x < 3.4


def ultra_fast_sigmoid_f(x, p, t):
    mid = (1.0 + sel(x >= 0.0, 1.25, 0.25) * x) / (2.0 + np.abs(x))
    return sel(x <= -6.0, _U_LOW, sel(x <= _U_NEG, _U_P + _U_SLOPE * (x + 6.0),
               sel(x < _U_POS, mid, sel(x < 6.0, _U_Q + _U_SLOPE * (x - 6.0), _U_HIGH))))


def ultra_fast_sigmoid_d1(x, p, t):
    r = 1.0 / (2.0 + np.abs(x))
    mid = 1.5 * r * r
    return sel(x <= -6.0, 0.0, sel(x <= _U_NEG, _U_SLOPE,
               sel(x < _U_POS, mid, sel(x < 6.0, _U_SLOPE, 0.0))))


def ultra_fast_sigmoid_d2(x, p, t):
    r = 1.0 / (2.0 + np.abs(x))
    mid = -3.0 * np.sign(x) * (r * r * r)
    return sel((x > _U_NEG) & (x < _U_POS), mid, 0.0)


# ------------------------------------------------------------------- relu family, hardtanh


def relu_f(x, p, t):
    return sel(x > 0.0, x, 0.0)


def relu_d1(x, p, t):
    return sel(x > 0.0, 1.0, 0.0)


def relu_gy(y, p, t):
    return sel(y > 0.0, 1.0, 0.0)


def leaky_relu_f(x, p, t):
    return sel(x > 0.0, x, sel(p[0] == 0.0, 0.0, p[0] * x))


def leaky_relu_d1(x, p, t):
    return sel(x > 0.0, 1.0, p[0])


def leaky_relu_gy(y, p, t):
    return sel(y > 0.0, 1.0, p[0])


def _hardtanh_prepare(p):
    lo, hi = p["min_val"], p["max_val"]
    if lo >= hi:
        raise ActvizError(f"hardtanh needs min_val < max_val (got {float(lo)}, {float(hi)})")
    return _pad(lo, hi, floor_to(lo), ceil_to(hi))


def hardtanh_f(x, p, t):
    return sel(x <= p[2], p[0], sel(x >= p[3], p[1], x))


def hardtanh_d1(x, p, t):
    return sel((x > p[2]) & (x < p[3]), 1.0, 0.0)


def hardtanh_gy(y, p, t):
    return sel((y > p[0]) & (y < p[1]), 1.0, 0.0)


def hardshrink_f(x, p, t):
    return sel(x > p[0], x, sel(x < p[1], x, 0.0))


def hardshrink_d1(x, p, t):
    return sel((x > p[0]) | (x < p[1]), 1.0, 0.0)


def softshrink_f(x, p, t):
    return sel(x > p[1], x - p[0], sel(x < p[2], x + p[0], 0.0))


def softshrink_d1(x, p, t):
    return sel((x > p[1]) | (x < p[2]), 1.0, 0.0)


# ------------------------------------------------------------------------ elu, selu, celu


def elu_f(x, p, t):
    return sel(x > 0.0, x, p[0] * expm1_(x, t))


def elu_d1(x, p, t):
    return sel(x > 0.0, 1.0, p[0] * exp_(x, t))


def elu_d2(x, p, t):
    return sel(x > 0.0, 0.0, p[0] * exp_(x, t))


def elu_gy(y, p, t):
    return sel(y > 0.0, 1.0, y + p[0])


def selu_f(x, p, t):
    return sel(x > 0.0, p[1] * x, p[2] * expm1_(x, t))


def selu_d1(x, p, t):
    return sel(x > 0.0, p[1], p[2] * exp_(x, t))


def selu_d2(x, p, t):
    return sel(x > 0.0, 0.0, p[2] * exp_(x, t))


def selu_gy(y, p, t):
    return sel(y > 0.0, p[1], y + p[2])


def _celu_prepare(p):
    if p["alpha"] == 0:
        raise ActvizError("celu needs alpha != 0")
    return _pad(p["alpha"])


def celu_f(x, p, t):
    return sel(x > 0.0, x, p[0] * expm1_(x / p[0], t))


def celu_d1(x, p, t):
    return sel(x > 0.0, 1.0, exp_(x / p[0], t))


def celu_d2(x, p, t):
    return sel(x > 0.0, 0.0, exp_(x / p[0], t) / p[0])


def celu_gy(y, p, t):
    return sel(y > 0.0, 1.0, y / p[0] + 1.0)


# -------------------------------------------------------------------------------------- gelu

_RSQRT2 = float(1 / np.sqrt(2.0))
_RSQRT2PI = 0.3989422804014327  # 1/sqrt(2*pi)


def _phi(x, t):
    return exp_(-0.5 * (x * x), t) * _RSQRT2PI


def gelu_f(x, p, t):
    cdf = 0.5 * erfc_(-x * _RSQRT2, t)
    return sel(cdf == 0.0, 0.0, x * cdf)


def gelu_d1(x, p, t):
    xc = clip(x, 1e10)
    return 0.5 * erfc_(-x * _RSQRT2, t) + xc * _phi(xc, t)


def gelu_d2(x, p, t):
    xc = clip(x, 1e10)
    return _phi(xc, t) * (2.0 - xc * xc)


_GT_K2 = 2.0 * math.sqrt(2.0 / math.pi)  # tanh(z) = 2*sigmoid(2z) - 1
_GT_C = 0.044715


def gelu_tanh_f(x, p, t):
    xc = clip(x, 1e10)
    v, r, s = sig_parts(_GT_K2 * xc * (1.0 + _GT_C * xc * xc), t)
    return sel(s == 0.0, 0.0, x * s)


def gelu_tanh_d1(x, p, t):
    xc = clip(x, 1e10)
    v, r, s = sig_parts(_GT_K2 * xc * (1.0 + _GT_C * xc * xc), t)
    up = _GT_K2 * (1.0 + 3.0 * _GT_C * xc * xc)
    return s + xc * (v * r * r) * up


def gelu_tanh_d2(x, p, t):
    xc = clip(x, 1e10)
    u = _GT_K2 * xc * (1.0 + _GT_C * xc * xc)
    v, r, s = sig_parts(u, t)
    up = _GT_K2 * (1.0 + 3.0 * _GT_C * xc * xc)
    upp = 6.0 * _GT_K2 * _GT_C * xc
    return (v * r * r) * (2.0 * up + xc * (up * up * one_minus_2sig(u, r, t) + upp))


# -------------------------------------------------------------------------------------- silu


def silu_f(x, p, t):
    v, r, s = sig_parts(p[0] * x, t)
    return sel(s == 0.0, 0.0, x * s)


def silu_d1(x, p, t):
    u = clip(p[0] * x, BIG)
    v, r, s = sig_parts(u, t)
    return s + u * (v * r * r)


def silu_d2(x, p, t):
    u = clip(p[0] * x, BIG)
    v, r, s = sig_parts(u, t)
    return p[0] * (v * r * r) * (2.0 + u * one_minus_2sig(u, r, t))


# ------------------------------------------------------------------------------- tanh family


def tanh_f(x, p, t):
    return tanh_(x, t)


def _sech2(x, t):
    v = exp_(-2.0 * np.abs(x), t)
    r = 1.0 / (1.0 + v)
    return 4.0 * v * r * r


def tanh_d1(x, p, t):
    return _sech2(x, t)


def tanh_d2(x, p, t):
    return -2.0 * tanh_(x, t) * _sech2(x, t)


def tanh_gy(y, p, t):
    return (1.0 - y) * (1.0 + y)


def softplus_f(x, p, t):
    return sel(x > 0.0, x, 0.0) + log1p_(exp_(-np.abs(x), t), t)


def softplus_gy(y, p, t):
    return -expm1_(-y, t)


def log_sigmoid_f(x, p, t):
    return sel(x < 0.0, x, 0.0) - log1p_(exp_(-np.abs(x), t), t)


def log_sigmoid_d1(x, p, t):
    v, r, s = sig_parts(x, t)
    return sel(x >= 0.0, v * r, r)


def log_sigmoid_d2(x, p, t):
    v, r, s = sig_parts(x, t)
    return -(v * r * r)


def log_sigmoid_gy(y, p, t):
    return -expm1_(y, t)


# ----------------------------------------------------------------------------- the registry


def _fixed(*values):
    return lambda p: _pad(*values)


def _param(*names):
    return lambda p: _pad(*(p[n] for n in names))


def _floor_param(name):
    return lambda p: _pad(floor_to(p[name]))


def _shrink_prepare(p):
    lam = p["lambd"]
    return _pad(floor_to(lam), ceil_to(-lam))


def _softshrink_prepare(p):
    lam = p["lambd"]
    return _pad(lam, floor_to(lam), ceil_to(-lam))


def _selu_prepare(p):
    return _pad(p["alpha"], p["gamma"], p["alpha"] * p["gamma"])


def _gy_selu(p):
    return _needs_positive("alpha", "gamma")(p)


def _gy_hardtanh(p):
    return None


KERNELS: dict[str, Kernel] = {
    k.name: k for k in (
        Kernel("hard_sigmoid", hard_sigmoid_f, hard_sigmoid_d1, _zero, _hs_prepare,
               hard_sigmoid_gy),
        Kernel("thresholded_relu", thresholded_relu_f, thresholded_relu_d1, _zero,
               _floor_param("alpha"), nonzero_gy, _needs_nonnegative("alpha")),
        Kernel("softsign", softsign_f, softsign_d1, softsign_d2, _fixed(), softsign_gy),
        Kernel("mish", mish_f, mish_d1, mish_d2, _fixed()),
        Kernel("sigmoid", sigmoid_f, sigmoid_d1, sigmoid_d2, _fixed(), sigmoid_gy),
        Kernel("ultra_fast_sigmoid", ultra_fast_sigmoid_f, ultra_fast_sigmoid_d1,
               ultra_fast_sigmoid_d2, _fixed()),
        Kernel("relu", relu_f, relu_d1, _zero, _fixed(), relu_gy),
        Kernel("leaky_relu", leaky_relu_f, leaky_relu_d1, _zero, _param("alpha"),
               leaky_relu_gy, _needs_nonnegative("alpha")),
        Kernel("prelu", leaky_relu_f, leaky_relu_d1, _zero, _param("slope"),
               leaky_relu_gy, _needs_nonnegative("slope")),
        Kernel("elu", elu_f, elu_d1, elu_d2, _param("alpha"), elu_gy,
               _needs_positive("alpha")),
        Kernel("selu", selu_f, selu_d1, selu_d2, _selu_prepare, selu_gy, _gy_selu),
        Kernel("celu", celu_f, celu_d1, celu_d2, _celu_prepare, celu_gy,
               _needs_positive("alpha")),
        Kernel("gelu", gelu_f, gelu_d1, gelu_d2, _fixed()),
        Kernel("gelu:tanh", gelu_tanh_f, gelu_tanh_d1, gelu_tanh_d2, _fixed()),
        Kernel("silu", silu_f, silu_d1, silu_d2, _param("alpha")),
        Kernel("tanh", tanh_f, tanh_d1, tanh_d2, _fixed(), tanh_gy),
        Kernel("softplus", softplus_f, sigmoid_f, sigmoid_d1, _fixed(), softplus_gy),
        Kernel("hardswish", hardswish_f, hardswish_d1, hardswish_d2, _hs_prepare),
        Kernel("hardtanh", hardtanh_f, hardtanh_d1, _zero, _hardtanh_prepare, hardtanh_gy),
        Kernel("relu6", hardtanh_f, hardtanh_d1, _zero, _fixed(0, 6, 0, 6), hardtanh_gy),
        Kernel("hardshrink", hardshrink_f, hardshrink_d1, _zero, _shrink_prepare,
               nonzero_gy, _needs_nonnegative("lambd")),
        Kernel("softshrink", softshrink_f, softshrink_d1, _zero, _softshrink_prepare,
               nonzero_gy, _needs_nonnegative("lambd")),
        Kernel("log_sigmoid", log_sigmoid_f, log_sigmoid_d1, log_sigmoid_d2, _fixed(),
               log_sigmoid_gy),
    )
}


def formulas() -> list[Callable]:
    """Every element function and helper (for registration with numba)."""
    out = list(HELPERS) + [_phi, _sech2, mish_parts, _zero]
    for k in KERNELS.values():
        out += [k.f, k.d1, k.d2] + ([k.gy] if k.gy is not None else [])
    return list(dict.fromkeys(out))
