"""Element formulas for every catalog entry: f, f', f'' and the gradient from the output.

THE formula table: one source for all backends. Each formula is written in a small
branch-free dialect that runs on NumPy arrays as it is (the NumPy backend), compiles with
numba on float64 scalars (:mod:`actviz.kernels.numba_.dialect` gives the primitives their
numba meaning) and is traced into C for CuPy (:mod:`actviz.kernels.cupy_.csource`):

- ``sel(c, a, b)``: ``c ? a : b`` (``np.where``); both sides are always evaluated, so every
  expression must be harmless (no traps) where it is not selected; never ``if``.
- ``exp_(x, t)``, ``expm1_``, ``log1p_``, ``tanh_``, ``erf_``, ``erfc_``: the transcendental
  primitives. ``t`` is a type tag: numba uses its own vectorizable, full float64 accuracy
  versions when the data is float32 (``t`` a float32 zero) and libm otherwise.
- ``np.abs``, ``np.sign``, ``np.isinf`` and arithmetic.

The numba backend's float32 fast path (:mod:`actviz.kernels.numba_.formulas32`) has its own
float32 arrangements of f and f' for the common transcendental activations, checked against
these and against mpmath. User expressions are compiled into this same dialect
(:mod:`actviz.kernels.generic`).

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

        return erfc(x)
    from scipy.special import erfc, erfcx

    if not isinstance(x, (np.ndarray, np.floating, float)):
        return erfc(x)  # the C tracer's values: CUDA's erfc is accurate as it is

    # SciPy's erfc loses relative accuracy for x > 0.5 (9 ulp at 1, 30 at 4, hundreds beyond
    # 6); there erfc(x) = erfcx(x) exp(-x**2) with x**2 carried exactly is within 5 ulp.
    xa = np.asarray(x, dtype=np.float64)
    big = xa > 0.5
    xb = np.where(big, np.minimum(xa, 30.0), 1.0)
    s = xb * xb
    ca = 134217729.0 * xb
    h = ca - (ca - xb)
    lo = xb - h
    e = ((h * h - s) + 2.0 * h * lo) + lo * lo  # x**2 = s + e exactly
    tail = erfcx(xb) * (np.exp(-s) * (1.0 - e))
    return np.where(big, np.where(xa > 30.0, 0.0, tail), erfc(xa))


def erf_(x, t):
    if type(x).__module__.startswith("cupy"):
        from cupyx.scipy.special import erf
    else:
        from scipy.special import erf
    return erf(x)


PRIMITIVES = (sel, exp_, expm1_, log1p_, tanh_, erf_, erfc_)

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


def sech_(u, t):
    """sech(u) = 2v / (1 + v**2), v = exp(-|u|): no overflow for large |u|."""
    v = exp_(-np.abs(u), t)
    return 2.0 * v / (1.0 + v * v)


HELPERS = (clip, sig_parts, one_minus_2sig, sech_)

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


def _hs_kinks(p, clip: bool = False):
    """(alpha, beta, lower kink, upper kink), the kinks placed for ``x <= k0``/``x >= k1``
    (the outer pieces hold there) or, for ``clip``, for ``x < k0``/``x > k1``."""
    a, b = p["alpha"], p["beta"]
    if a <= 0:
        raise ActvizError(f"the kernels need alpha > 0 (got alpha = {float(a)})")
    lo, hi = -b / a, (1 - b) / a
    return _pad(a, b, *((ceil_to(lo), floor_to(hi)) if clip else (floor_to(lo), ceil_to(hi))))


def _hs_prepare(p):
    return _hs_kinks(p)


def hard_sigmoid_f(x, p, t):
    return sel(x <= p[2], 0.0, sel(x >= p[3], 1.0, p[0] * x + p[1]))


def hard_sigmoid_d1(x, p, t):
    return sel((x > p[2]) & (x < p[3]), p[0], 0.0)


def hard_sigmoid_gy(y, p, t):
    return sel((y > 0.0) & (y < 1.0), p[0], 0.0)


def _hs_clip_prepare(p):
    return _hs_kinks(p, clip=True)


def hard_sigmoid_clip_f(x, p, t):
    """clip(alpha*x + beta, 0, 1), the pieces holding as in Theano's and TensorFlow's clip."""
    return sel(x < p[2], 0.0, sel(x > p[3], 1.0, p[0] * x + p[1]))


def hard_sigmoid_clip_d1(x, p, t):
    return sel((x >= p[2]) & (x <= p[3]), p[0], 0.0)


def _clip_gy_error(p):
    return ("the output y does not determine the gradient at the kinks (y is 0 or 1 both at "
            "a kink, where f' = alpha, and beyond it, where f' = 0); pass x= instead of y=")


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
# float64 accuracy in the tails needs the arguments of erfc, exp and sigmoid to full
# precision: erfc(z) has a relative condition number of about 2 z**2 (700 ulp at z = 26 for
# the rounding of -x/sqrt(2) alone), exp(-x**2/2) one of x**2/2. The rounding errors of those
# products are computed exactly (Dekker's two-product, no FMA needed) and folded in to first
# order: erfc(z + dz) = erfc(z) - dz 2/sqrt(pi) exp(-z**2), exp(-(s + e)/2) = exp(-s/2)
# (1 - e/2), sigmoid(u + du) = sigmoid(u) + du sigmoid'(u).


def _hi_lo(value: str):
    """A constant given by a 40-digit decimal expression, as float64 hi + lo."""
    import decimal

    with decimal.localcontext() as ctx:
        ctx.prec = 50
        exact = eval(value, {"D": decimal.Decimal, "pi": decimal.Decimal(_PI50)})  # noqa: S307
        hi = float(exact)
        return hi, float(exact - decimal.Decimal(hi))


_PI50 = "3.14159265358979323846264338327950288419716939937510"
_SPLIT = 134217729.0  # 2**27 + 1: Veltkamp's split of a float64 into two 26-bit halves


def two_prod(a, b):
    """(p, e): p = fl(a*b) and a*b = p + e exactly (|a|, |b| < 2**996; no FMA needed)."""
    p = a * b
    ca, cb = _SPLIT * a, _SPLIT * b
    ah, bh = ca - (ca - a), cb - (cb - b)
    al, bl = a - ah, b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


_RSQRT2, _RSQRT2_LO = _hi_lo("1 / D(2).sqrt()")
_RSQRT2PI = 0.3989422804014327  # 1/sqrt(2*pi)
_TWO_RSQRTPI = 1.1283791670955126  # 2/sqrt(pi): the derivative of erfc, for the correction


# The zero x0 of f' (as a double-double) and the Taylor coefficients of f' there, for
# |x - x0| <= 0.6 where Phi + x phi (and s + x s' u') cancel: derived from the definitions
# in 60-digit arithmetic (tests/kernels/test_accuracy64.py regenerates and checks them).
_GELU_X0 = (-0.7517915246935645, 1.4956759177009883e-17)
_GELU_TAYLOR = (  # f'(x0 + d) = d*(c1 + d*(c2 + ...)), |d| <= 0.6
    0.4314939923140469, 0.388284982990552, -0.018199676398671087, -0.1140082332972217,
    -0.014771522148244337, 0.019421679838189067, 0.004539228379125415, -0.002239538068073497,
    -0.0007448268386746817, 0.00018633974623233514, 8.615947861116571e-05,
    -1.121438018842664e-05, -7.74846130700372e-06, 4.3284506257392273e-07,
    5.702764979242107e-07, -1.6044265494246427e-09, -3.5459866461783865e-08,
    -1.396942086426202e-09, 1.90319840501314e-09, 1.4506418938779426e-10,
    -8.950037692726255e-11, -9.950340824808053e-12, 3.725967039270119e-12,
    5.482292964742324e-13, -1.3820118240601056e-13, -2.5871508475507507e-14,)
_GELU_TANH_X0 = (-0.7524614220710163, 3.4358218314355225e-17)
_GELU_TANH_TAYLOR = (  # f'(x0 + d) = d*(c1 + d*(c2 + ...)), |d| <= 0.6
    0.4304000910248585, 0.38751844613578895, -0.015782853521848023, -0.11394448308095899,
    -0.016619328343052565, 0.019682309459833118, 0.005261059254921913, -0.002422731845875097,
    -0.0009274420230205452, 0.0002639276405268104, 0.00012425227802639787,
    -3.495617169443609e-05, -1.595089687164511e-05, 5.918611710893999e-06,
    2.433551634429955e-06, -9.898647747433656e-07, -4.3102482988029016e-07,
    1.4157556987729457e-07, 7.520740909289922e-08, -1.6978217459781e-08,
    -1.196180847972441e-08, 1.7637802707907529e-09, 1.744987137846621e-09,
    -1.7088112169517324e-10, -2.4338735578334483e-10, 1.687283177355549e-11,
    3.3933844904090026e-11, -1.6704708256434636e-12, -4.827778412316249e-12,
    1.2486727012407283e-13, 6.93976143760145e-13,)
_NEAR0 = 0.6


def _near_zero(x, x0, coeffs):
    """(d, d*(c1 + d*(c2 + ...))) with d = x - x0 (x0 a double-double: d is exact to first
    order), the Taylor series of f' at its zero x0."""
    d = (x - x0[0]) - x0[1]
    acc = 0.0 * d
    for c in coeffs[::-1]:
        acc = acc * d + c
    return d, d * acc


def _cdf(x, t):
    """Phi(x) = erfc(-x/sqrt 2)/2 for |x| <= 1e10, the rounding of -x/sqrt 2 folded in."""
    p, e = two_prod(x, _RSQRT2)
    z = -p
    dz = -(e + x * _RSQRT2_LO)  # -x/sqrt 2 = z + dz
    return 0.5 * (erfc_(z, t) - dz * _TWO_RSQRTPI * exp_(-(z * z), t))


def _phi(x, t):
    """phi(x) = exp(-x**2/2)/sqrt(2 pi) for |x| <= 1e10, x**2 carried exactly."""
    s, e = two_prod(x, x)
    return exp_(-0.5 * s, t) * (1.0 - 0.5 * e) * _RSQRT2PI


def gelu_f(x, p, t):
    cdf = _cdf(clip(x, 1e10), t)
    return sel(cdf == 0.0, 0.0, x * cdf)


def gelu_d1(x, p, t):
    xc = clip(x, 1e10)
    d, near = _near_zero(xc, _GELU_X0, _GELU_TAYLOR)
    return sel(np.abs(d) < _NEAR0, near, _cdf(xc, t) + xc * _phi(xc, t))


def gelu_d2(x, p, t):
    xc = clip(x, 1e10)
    s, e = two_prod(xc, xc)
    return _phi(xc, t) * ((2.0 - s) - e)  # 2 - s is exact near the zeros x = ±sqrt 2


_GT_C = 0.044715  # the catalog's 0.044715 is this float64 (sympy reads it to 53 bits)
_GT_K2, _GT_K2_LO = _hi_lo("2 * (D(2) / pi).sqrt()")  # tanh(z) = 2*sigmoid(2z) - 1
_GT_KC, _GT_KC_LO = _hi_lo(f"2 * (D(2) / pi).sqrt() * D({_GT_C!r}) ")
_GT_KC3, _GT_KC3_LO = _hi_lo(f"6 * (D(2) / pi).sqrt() * D({_GT_C!r}) ")  # 3 K2 C


def _gt_arg(x):
    """u = 2 sqrt(2/pi) (x + c x**3) as u + du (double-double) for |x| <= 1e10."""
    a, ae = two_prod(x, _GT_K2)
    s, se = two_prod(x, x)
    x3, x3e = two_prod(s, x)
    x3e = x3e + se * x  # x**3 = x3 + x3e
    b, be = two_prod(x3, _GT_KC)
    u = a + b
    bv = u - a
    ue = (a - (u - bv)) + (b - bv)  # two-sum: a + b = u + ue exactly
    return u, ue + (ae + x * _GT_K2_LO) + (be + x3 * _GT_KC_LO + x3e * _GT_KC)


def gelu_tanh_f(x, p, t):
    xc = clip(x, 1e10)
    u, du = _gt_arg(xc)
    v, r, s = sig_parts(u, t)
    s = s + du * (v * r * r)
    return sel(s == 0.0, 0.0, x * s)


def _two_sum(a, b):
    """(s, e): s = fl(a + b) and a + b = s + e exactly."""
    s = a + b
    bv = s - a
    return s, (a - (s - bv)) + (b - bv)


def gelu_tanh_d1(x, p, t):
    # f' = s (1 + x u' (1 - s)). For x >= 0 every term is positive: s + x s' u'. For x < 0,
    # with v = exp(u) and w = 1 + v: f' = v N / w**2, N = w + x u', x u' carried as a
    # double-double so that N, which vanishes at x0, keeps its digits up to the Taylor
    # window around x0.
    xc = clip(x, 1e10)
    u, du = _gt_arg(xc)
    v, r, s = sig_parts(u, t)
    ds = v * r * r
    m = one_minus_2sig(u, r, t)
    up = _GT_K2 * (1.0 + 3.0 * _GT_C * xc * xc)
    pos = (s + du * ds) + xc * (ds * (1.0 + du * m)) * up
    a, ae = two_prod(xc, _GT_K2)
    sq, sqe = two_prod(xc, xc)
    x3, x3e = two_prod(sq, xc)
    b, be = two_prod(x3, _GT_KC3)
    xu, xue = _two_sum(a, b)  # x u' = K2 x + 3 K2 C x**3
    xue = xue + (ae + xc * _GT_K2_LO) + (be + x3 * _GT_KC3_LO + (x3e + sqe * xc) * _GT_KC3)
    w, we = _two_sum(1.0, v)  # w = 1 + v exactly, as w + we
    n, ne = _two_sum(w, xu)
    n = n + (ne + xue + we)
    w2, w2e = two_prod(w, w)
    w2e = w2e + 2.0 * w * we  # (1 + v)**2 = w2 + w2e
    neg = ((v * n) / w2) * (1.0 - w2e / w2) * (1.0 + du * m)
    d, near = _near_zero(xc, _GELU_TANH_X0, _GELU_TANH_TAYLOR)
    return sel(np.abs(d) < _NEAR0, near, sel(xc >= 0.0, pos, neg))


def gelu_tanh_d2(x, p, t):
    xc = clip(x, 1e10)
    u, du = _gt_arg(xc)
    v, r, s = sig_parts(u, t)
    m = one_minus_2sig(u, r, t)
    ds = (v * r * r) * (1.0 + du * m)
    up = _GT_K2 * (1.0 + 3.0 * _GT_C * xc * xc)
    upp = 6.0 * _GT_K2 * _GT_C * xc
    return ds * (2.0 * up + xc * (up * up * m + upp))


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
        Kernel("hard_sigmoid:keras2", hard_sigmoid_clip_f, hard_sigmoid_clip_d1, _zero,
               _hs_clip_prepare, hard_sigmoid_gy, _clip_gy_error),
        Kernel("hard_sigmoid:theano", hard_sigmoid_clip_f, hard_sigmoid_clip_d1, _zero,
               _hs_clip_prepare, hard_sigmoid_gy, _clip_gy_error),
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
    out = list(HELPERS) + [two_prod, _two_sum, _near_zero, _cdf, _phi, _gt_arg, _sech2, mish_parts,
                           _zero]
    for k in KERNELS.values():
        out += [k.f, k.d1, k.d2] + ([k.gy] if k.gy is not None else [])
    return list(dict.fromkeys(out))
