"""float32 fast path of the numba backend: f and f' of the common activations in float32.

The general numba loops compute float32 data in float64 (with :mod:`.math64`), which
halves the SIMD width. Here f and f' of the transcendental activations (and of three
rational ones, in :mod:`.rational32`) get their own float32 arrangements (on the
elementary functions of :mod:`.math32`), so that a loop runs 16 lanes wide on AVX-512 (8
on AVX2), and stay within 4 ulp of the true value (3.72 at most, gelu', over every float32
in 2**-4 <= |x| < 2**7 and, for gelu, silu and mish, 2**-30 <= |x| < 2**4;
``benchmarks/accuracy.py``).

The formulas are rearranged so that no two terms of opposite sign cancel, except where the
true value has an interior zero (mish' at x0 = -1.1924, silu' at -1.2785, gelu' at
-0.7518). Near such a zero any formula inherits the input error of ``exp`` amplified by
1/|x - x0|, so there f' (or the bracket that vanishes) is computed as ``d * h(d)``,
``d = x - x0`` (x0 split in hi + lo so that d is exact to first order), with the Taylor
coefficients of ``h`` derived at import; gelu' has the factor d built into its formula
(:mod:`.gelu32`).

Only the pairs in ``FAST`` (activation, order) whose parameters keep the arguments of
``exp`` exact go through here (silu and celu only with alpha = 1); everything else (f'',
gelu:tanh, float64 data, ...) keeps the general path.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np

from actviz.kernels.numba_.gelu32 import gelu_d1, gelu_f
from actviz.kernels.numba_.math32 import (
    EXPW_MIN,
    ONE,
    TWO,
    TWO_M64,
    ZERO,
    exp32,
    exp32_short,
    expm1_32,
    expm1_32_short,
    expm1_poly_short,
    f32,
    fma32,
    formula,
    horner,
    inline,
    log1p32,
    passes_nan,
    pow2_64,
    rcp_rough,
    reduce,
    reduce_r,
)
from actviz.kernels.numba_.rational32 import (
    hardswish_d1,
    hardswish_f,
    hardswish_params,
    softsign_f,
    ultra_fast_sigmoid_d1,
    ultra_fast_sigmoid_f,
)
from actviz.kernels.numba_.select32 import leaky_relu_d1

# ----------------------------------------------------------------- interior zeros of f'


def _newton(b, db, x0: float) -> float:
    for _ in range(60):
        step = b(x0) / db(x0)
        x0 -= step
        if abs(step) < 1e-17:
            break
    return x0


class _Zero:
    """x0 and the Taylor coefficients of h with B(x0 + d) = d h(d) (float64)."""

    def __init__(self, x0: float, coeffs):
        self.x0 = x0
        self.c = tuple(float(c) for c in coeffs)


def _mish_zero() -> _Zero:
    # mish'(x) = v B / D**2 for x < 0 (v = e**x, D = v**2 + 2v + 2) with
    # B = 4(1 + x) + v (6 + 4x) + 4 v**2 + v**3.
    def b(x):
        v = math.exp(x)
        return 4 * (1 + x) + v * (6 + 4 * x) + 4 * v * v + v ** 3

    def db(x):
        v = math.exp(x)
        return 4 + v * (6 + 4 * x) + 4 * v + 8 * v * v + 3 * v ** 3

    x0 = _newton(b, db, -1.19)
    v0 = math.exp(x0)
    a = v0 * (6 + 4 * x0)
    # B(x0 + d) = 4d + a (e**d - 1) + 4 v0 d e**d + 4 v0**2 (e**2d - 1) + v0**3 (e**3d - 1)
    # with a = v0 (6 + 4 x0), since B(x0) = 0; h(d) = B / d term by term:
    coeffs = [(4 if k == 0 else 0) + 4 * v0 / math.factorial(k)
              + (a + 4 * v0 ** 2 * 2 ** (k + 1) + v0 ** 3 * 3 ** (k + 1)) / math.factorial(k + 1)
              for k in range(9)]
    return _Zero(x0, coeffs)


def _silu_zero() -> _Zero:
    # silu'(x) = v (1 + v + x) / (1 + v)**2 for x < 0, B = 1 + x + v.
    x0 = _newton(lambda x: 1 + x + math.exp(x), lambda x: 1 + math.exp(x), -1.28)
    v0 = math.exp(x0)
    return _Zero(x0, [1 + v0] + [v0 / math.factorial(k + 1) for k in range(1, 9)])


def _bracket(z: _Zero, degree: int):
    """B(x) = d h(d) next to z.x0 in float32, rounded about once, h to ``degree``: with
    x0 = x0_hi + x0_lo and h(0) = h0_hi + h0_lo, d1 = x - x0_hi is exact (Sterbenz),
    d = d1 - x0_lo, and d h(d) = d1 h0_hi + (d1 (h0_lo + d hr(d)) - x0_lo h0),
    h(d) = h(0) + d hr(d). hr by plain Horner: one FMA chain, no d**2 (two interleaved
    chains cost one product more, and these loops are bound by their operation count, not
    by the chain: silu' 0.95-0.96x the time in cache; benchmarks/RESULTS.md, tenth round)."""
    x0_hi = f32(z.x0)
    x0_lo = f32(z.x0 - float(x0_hi))
    h0 = f32(z.c[0])
    h0_lo = f32(z.c[0] - float(h0))
    hr = horner(tuple(f32(c) for c in z.c[1:degree + 1]))

    def b(x):
        d1 = x - x0_hi
        d = d1 - x0_lo
        return fma32(d1, h0, fma32(d1, fma32(d, hr(d), h0_lo), -x0_lo * h0))

    return inline(b)


MISH0 = _mish_zero()
SILU0 = _silu_zero()
_BIG = 1e30  # |x| clip where a factor vanishes (no inf * 0)


# ------------------------------------------------------------------------------ formulas


@passes_nan
@formula
def sigmoid_f(x, p):
    v = exp32_short(-np.abs(x))  # its 0.12 u more: sigmoid's budget has room
    return (ONE if x >= ZERO else v) / (ONE + v)


@inline
def _sq1p(v):
    """(1 + v)**2 for 0 <= v <= 1 as fma(v, v + 2, 1): within 1.75 u (u = 2**-24), the
    fused rounding plus v + 2's, which reaches it scaled by v (v + 2)/(1 + v)**2 <= 3/4.
    Two operations; rounding it once (w**2 + 2 w e, e the error of w = fl(1 + v)) took
    five and a longer chain, for 1.25 u less (benchmarks/RESULTS.md, "Eighth round")."""
    return fma32(v, v + TWO, ONE)


@passes_nan
@formula
def sigmoid_d1(x, p):
    # v / (1 + v)**2, v = exp(-|x|), in float32 (u = 2**-24 per rounding): v's error (about
    # 1.2 u) reaches the result scaled by |1 - 2v/(1 + v)| <= 1, (1 + v)**2 within 1.75 u
    # (_sq1p), the division 0.5: below 3.5 u (2.38 ulp measured over every float32 in
    # 2**-4 <= |x| < 2**7). Where v is subnormal (|x| > 87.3) so is the result (= v, rounded
    # once by exp32).
    v = exp32(-np.abs(x))
    return v / _sq1p(v)


@passes_nan
@formula
def log_sigmoid_f(x, p):
    return (x if x < ZERO else ZERO) - log1p32(exp32(-np.abs(x)))


@passes_nan
@formula
def log_sigmoid_d1(x, p):
    return sigmoid_f(-x, p)


@passes_nan
@formula
def softplus_f(x, p):
    return (x if x > ZERO else ZERO) + log1p32(exp32(-np.abs(x)))


@passes_nan
@formula
def tanh_f(x, p):
    # expm1_32_short: one FMA less, the same 2.50 ulp at most (benchmarks/RESULTS.md, ninth
    # round), 2% less time
    m = expm1_32_short(-TWO * np.abs(x))
    return np.copysign(-m / (TWO + m), x)  # tanh(+-0) = +-0 (m = expm1(-0) is +0)


@passes_nan
@formula
def tanh_d1(x, p):
    return 4.0 * sigmoid_d1(TWO * x, p)  # tanh'(x) = 4 sigmoid'(2x); 2x is exact


@inline
def _expm1_left(x):
    """expm1(x) for the x <= 0 of elu and selu, x itself at -0 (expm1_32(-0) is +0; the
    float64 path's alpha expm1(-0) is -0)."""
    e = expm1_32(x if x < ZERO else ZERO)
    return e if x < ZERO else x


@formula
def elu_f(x, p):
    return x if x > ZERO else p[0] * _expm1_left(x)


@formula
def elu_d1(x, p):
    return ONE if x > ZERO else p[0] * exp32(x if x < ZERO else ZERO)


@formula
def selu_f(x, p):
    return p[1] * x if x > ZERO else p[2] * _expm1_left(x)


@formula
def selu_d1(x, p):
    return p[1] if x > ZERO else p[2] * exp32(x if x < ZERO else ZERO)


@inline
def _exp64(a):
    """q, sc, v with e**a = (1 + q) sc 2**-64 for -125 <= a <= 0 (a clamped below): sc =
    2**(k + 64) is a normal float32 there, so that x e**a = (x + x q) sc 2**-64 is rounded
    once in the normal range and once more at the end, where it is subnormal; v = e**a
    itself, fma(2**k, q, 2**k) (2**k subnormal or 0 where v only adds to a constant)."""
    kb, q = reduce(a, EXPW_MIN)
    return _scaled(kb, q)


@inline
def _exp64_short(a):
    """:func:`_exp64` with the degree-4 expm1 (:func:`.math32.expm1_poly_short`, one FMA
    less): silu' keeps its 3.60 ulp with it, in 0.98x the time (benchmarks/RESULTS.md,
    tenth round)."""
    kb, r = reduce_r(a, EXPW_MIN)
    return _scaled(kb, expm1_poly_short(r))


@inline
def _scaled(kb, q):
    sc = pow2_64(kb)
    s = sc * TWO_M64
    return q, sc, fma32(s, q, s)


@passes_nan
@formula
def silu_f(x, p):
    # x sigmoid(x) in float32 (expm1_poly_short: silu's budget has room). For x < 0:
    # x exp(x) 2**64 = t + t q, t = x 2**(k + 64) exact (normal down to x = -125), one fused
    # rounding and no rounding of 1 + q; the result is rounded once more, at the end, where
    # it is subnormal. Below x = -125 (|x| e**x < 2**-150) x is clamped there: -0.
    kb, r = reduce_r(-np.abs(x), EXPW_MIN)
    q = expm1_poly_short(r)
    sc = pow2_64(kb)
    s = sc * TWO_M64  # 2**k (subnormal or 0 where 1 + e**-|x| is 1 anyway)
    w = ONE + fma32(s, q, s)
    pos = x >= ZERO
    t = max(x, EXPW_MIN) * sc
    return ((x if pos else fma32(t, q, t)) / w) * (ONE if pos else TWO_M64)


_SW = f32(0.25)  # silu': |x - x0| below which the bracket is d h(d)
_S0_HI = f32(SILU0.x0)
# h to degree 6 (the next term, v0 d**7 / 8!, is below 2**-31 h)
_silu_b = _bracket(SILU0, 6)  # B = 1 + x + e**x next to x0


@passes_nan
@formula
def silu_d1(x, p):
    # silu' (1 + v)**2 / v**j in float32, v = exp(-|x|): x >= 0: 1 + v (1 + x), all terms
    # positive; x < 0: v B, B = (1 + x) + v, zero at x0, where (|x - x0| < 1/4) B = d h(d),
    # d = (x - x0_hi) - x0_lo (the difference exact there, Sterbenz). Outside that window
    # the terms of B cancel by at most 1.1 (so v's 1 ulp costs 1.1 in B), and B is rounded
    # once for x <= -1/2 (where 1 + x is exact), twice above (no cancellation there); that
    # half ulp is what pays for (1 + v)**2 from _sq1p (3.60 ulp at most, 3.96 before;
    # benchmarks/RESULTS.md, "Eighth round"). For x < 0 v is
    # carried as v 2**64 (normal down to x = -125) and the result rounded once more, at the
    # end, where it is subnormal (as in silu_f); below x = -125 (|silu'| < 2**-150) x is
    # clamped there: -0.
    q, sc, v = _exp64_short(-np.abs(x))
    den = _sq1p(v)
    xc = max(x, EXPW_MIN)
    b = _silu_b(x) if np.abs(x - _S0_HI) < _SW else (ONE + xc) + v  # 1 + x + v
    pos = x >= ZERO
    # the numerators: 1 + v (1 + x) (no 0 * inf at x = inf); v B 2**64, 1 + q not rounded
    neg = fma32(q, b, b) * sc
    num = fma32(v, ONE + min(x, f32(_BIG)), ONE) if pos else neg
    return (num / den) * (ONE if pos else TWO_M64)  # one division for both signs


@inline
def _mish_den(x, v):
    """D with tanh(softplus(x)) = n / D, polynomials in v = exp(-|x|) (in the arithmetic of
    v) whose coefficients depend on the sign of x: (1 + 2v) / (1 + 2v + 2v**2) for x >= 0,
    v (2 + v) / (2 + 2v + v**2) for x < 0."""
    pos = x >= ZERO
    return (ONE if pos else TWO) + v * (TWO + v * (TWO if pos else ONE))


@passes_nan
@formula
def mish_f(x, p):
    # x n / D in float32 (u = 2**-24; one rounding costs up to 1 u relative), with x n as
    # fma(m, a v, b m) rounded once: m = x, (a, b) = (2, 1) for x >= 0; for x < 0
    # m = x v = x e**x, carried as (x + x q) 2**(k + 64) as in silu_f (one fused rounding
    # and q's error, 0.2 u), (a, b) = (1, 2). D (two fmas, the inner one weighted by at most
    # 0.8), the division and, for x >= 0, v's error (its rounding and q's, scaled by at
    # most 0.53 in n / D) add the rest: below 4.5 u as a bound, measured below 3.5 ulp.
    q, sc, v = _exp64(-np.abs(x))
    pos = x >= ZERO
    t = max(x, EXPW_MIN) * sc  # below -125, x v rounds to -0: computed there
    m = x if pos else fma32(t, q, t)
    mc = min(m, f32(_BIG))  # no inf * 0 at x = inf (v = 0 from x = 104 on)
    num = fma32(mc, v * (TWO if pos else ONE), m * (ONE if pos else TWO))
    return (num / _mish_den(x, v)) * (ONE if pos else TWO_M64)


_F4, _F6, _F8 = f32(4), f32(6), f32(8)
_MW = f32(0.1875)  # mish': |x - x0| below which B is d h(d)
_M0_HI = f32(MISH0.x0)
# h to degree 7 (the next term is below 2**-29 h in the window)
_mish_b = _bracket(MISH0, 7)


@passes_nan
@formula
def mish_d1(x, p):
    # mish' = N / D**2 in float32, polynomials in v = exp(-|x|) with coefficients chosen by
    # the sign of x (D**2 expanded, all its terms positive): for x >= 0
    # N = 1 + 4v + (6 + 4x) v**2 + (4 + 4x) v**3, D**2 = 1 + 4v + 8v**2 + 8v**3 + 4v**4,
    # all terms positive; for x < 0 N = v B, B = 4 (1 + x) + (6 + 4x) v + 4 v**2 + v**3,
    # zero at x0, where (|x - x0| < 3/16) B = d h(d) (outside, the terms of B cancel by at
    # most 1.7), D**2 = 4 + 8v + 8v**2 + 4v**3 + v**4. v B is carried as
    # 2**(k + 64) (B + B q) (no rounding of 1 + q; subnormal results rounded once at the
    # end, as in silu_f).
    # Plain float32 evaluation measured 4.2 ulp (N, D**2 and the division about 1.5 u each),
    # so three roundings are carried as exact error terms: the last step of D**2
    # (d2l: e0 - d2 is exact, e0 in {1, 4} <= d2), the rounding of B + B q (nl: B - nh is
    # exact, Sterbenz, 1 + q in [0.7, 1.42]) and the division (its remainder by FMA); the
    # quotient is corrected by (rem + nl - r0 d2l) / D**2 with 1/D**2 from the exponent bits
    # (12%: the correction is below 2 ulp of r0, so this costs under 0.25 ulp). Measured
    # 3.3 ulp at most (benchmarks/accuracy.py); each term dropped costs 0.4-0.8 ulp.
    q, sc, v = _exp64(-np.abs(x))
    pos = x >= ZERO
    # no inf * 0 (v = 0 there); below -125, where v B rounds to -0, computed at -125
    c4x = _F4 * max(min(x, f32(_BIG)), EXPW_MIN)
    c0 = ONE if pos else _F4 + c4x
    c1 = _F4 if pos else _F6 + c4x
    c2 = _F6 + c4x if pos else _F4
    c3 = _F4 + c4x if pos else ONE
    n = fma32(v, fma32(v, fma32(v, c3, c2), c1), c0)  # N for x >= 0, B for x < 0
    b = _mish_b(x) if np.abs(x - _M0_HI) < _MW else n
    nh = fma32(q, b, b)
    nl = fma32(q, b, b - nh)
    e0 = ONE if pos else _F4
    s1 = fma32(v, fma32(v, fma32(v, _F4 if pos else ONE, _F8 if pos else _F4), _F8),
               _F4 if pos else _F8)
    d2 = fma32(v, s1, e0)
    d2l = fma32(v, s1, e0 - d2)
    numh = n if pos else nh * sc
    numl = ZERO if pos else nl * sc
    r0 = numh / d2
    c = fma32(-r0, d2, numh) + fma32(-r0, d2l, numl)  # two short chains, not one long
    return fma32(c, rcp_rough(d2), r0) * (ONE if pos else TWO_M64)


# -------------------------------------------------------------------------- the registry


def _unit_alpha(p) -> bool:
    return p.get("alpha", Fraction(1)) == 1


FAST = {
    ("sigmoid", "f"): sigmoid_f,
    ("sigmoid", "d1"): sigmoid_d1,
    ("softplus", "f"): softplus_f,
    ("softplus", "d1"): sigmoid_f,
    ("log_sigmoid", "f"): log_sigmoid_f,
    ("log_sigmoid", "d1"): log_sigmoid_d1,
    ("tanh", "f"): tanh_f,
    ("tanh", "d1"): tanh_d1,
    ("elu", "f"): elu_f,
    ("elu", "d1"): elu_d1,
    ("celu", "f"): elu_f,
    ("celu", "d1"): elu_d1,
    ("selu", "f"): selu_f,
    ("selu", "d1"): selu_d1,
    ("silu", "f"): silu_f,
    ("silu", "d1"): silu_d1,
    ("mish", "f"): mish_f,
    ("mish", "d1"): mish_d1,
    ("gelu", "f"): gelu_f,
    ("softsign", "f"): softsign_f,
    ("ultra_fast_sigmoid", "f"): ultra_fast_sigmoid_f,
    ("ultra_fast_sigmoid", "d1"): ultra_fast_sigmoid_d1,
    ("gelu", "d1"): gelu_d1,
    ("hardswish", "f"): hardswish_f,
    ("hardswish", "d1"): hardswish_d1,
    # f' = alpha rounded to float32, so the loop's dy f' is within 2 units of 2**-24 of dy
    # alpha (0.84 ulp measured over every float32 dy of a binade, alpha = 0.01; 27% not
    # rounded as the float64 product) in float32 lanes, not float64's conversions (0.90x
    # torch's time at 10**7 with AVX-512 code, 0.96x with AVX2; benchmarks/RESULTS.md,
    # eleventh round); where alpha is a float32 value, the select loop's result bit for bit
    ("leaky_relu", "d1"): leaky_relu_d1,
}

# arguments of exp must be exact float32 values: x / alpha and alpha * x are not
_WHEN = {"celu": _unit_alpha, "silu": _unit_alpha}
# float32 parameters of the formula's own, from the exact ones (None: not this way)
_PARAMS = {"hardswish": hardswish_params}


def lookup(kernel_name: str, which: str, exact: dict, p: tuple):
    """(formula, float32 parameters) for the float32 fast path, or None."""
    if (kernel_name, which) not in FAST:
        return None
    return _lookup(kernel_name, which, tuple(sorted(exact.items())), p)


@functools.lru_cache(maxsize=256)
def _lookup(kernel_name: str, which: str, exact: tuple, p: tuple):
    if not _WHEN.get(kernel_name, lambda q: True)(dict(exact)):
        return None
    own = _PARAMS.get(kernel_name)
    p32 = own(dict(exact)) if own else tuple(f32(v) for v in p)
    return None if p32 is None else (FAST[kernel_name, which], p32)
