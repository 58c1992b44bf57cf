"""float32 elementary functions for the numba fast path (:mod:`.formulas32`).

Every formula of the fast path needs ``exp`` only of ``-|x|`` (or another value <= 0), and
``log1p`` only of values in [0, 1]; these are written with float32 arithmetic and bit casts,
so that a loop over them runs 16 lanes wide on AVX-512 (8 on AVX2):

- ``exp32(y)``, ``expm1_32(y)`` for ``y <= 0``: Cody-Waite reduction ``y = k ln2 + r`` with
  a 9-bit ``ln2_hi`` (so ``k ln2_hi`` and ``y - k ln2_hi`` are exact), the Taylor polynomial
  of ``expm1(r)`` to degree 8 (truncation below 3e-9 relative) and the scale ``2**k`` as
  ``2**(k + 64)`` (from its exponent bits; the product stays normal) times ``2**-64``
  (gradual underflow comes out right, rounded once). About 1 ulp.
  ``exp_w`` is the same with the last step in float64 (no rounding of ``1 + q``, no
  underflow), for formulas whose final arithmetic runs in float64 because float32 roundings
  would pile up past 4 ulp there (mish').
- ``log1p32(u)`` for ``0 <= u <= 1``: ``1 + u = 2**k (1 + f)`` with ``f`` exact (k = 1 only
  for ``u > 1/2``, where ``f = (u - 1)/2`` is exact by Sterbenz), then
  ``log(1 + f) = 2 atanh(s)``, ``s = f/(2 + f)``, by the atanh series to ``s**13``.
- ``fma32(a, b, c)``: ``llvm.fma``, for the exact error terms (the low half of ``x**2``, the
  remainder of a division) of sigmoid', silu' and gelu.
- ``horner(c)``: a polynomial with constant coefficients as straight-line inlined code.

Helpers are inlined into the formulas at numba IR level (``inline``): LLVM leaves the larger
formulas as calls, which stops vectorization.
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic, overload

from actviz.kernels.numba_.math64 import i64_as_f64
from actviz.kernels.numba_.policy import FORMULA32

inline = njit(inline="always", **FORMULA32)


def formula(fn):
    """A formula of ``FAST``: inlined into the loops like the helpers, but it stays a plain
    module-level function (with a numba overload), so that the loops closing over it are
    cached across processes (a dispatcher in a closure pickles with a per-process id,
    which makes every process miss the cache)."""
    overload(fn, jit_options=FORMULA32, inline="always", strict=False)(lambda *args: fn)
    return fn

f32 = np.float32


@intrinsic
def bits_as_f32(typingctx, v):
    """The float32 whose bit pattern is the low 32 bits of the integer ``v``."""
    if not isinstance(v, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        a = args[0]
        if v.bitwidth != 32:
            a = builder.trunc(a, ir.IntType(32))
        return builder.bitcast(a, ir.FloatType())

    return types.float32(v), codegen


@intrinsic
def fma32(typingctx, a, b, c):
    """a*b + c rounded once (``llvm.fma``: one instruction with FMA, which every AVX2 and
    AVX-512 CPU has, and vectorized like any arithmetic). For the exact error terms (the
    low half of a product, the remainder of a division) that contraction cannot promise."""
    if not all(isinstance(v, types.Float) and v.bitwidth == 32 for v in (a, b, c)):
        return None

    def codegen(context, builder, signature, args):
        fn = builder.module.declare_intrinsic("llvm.fma", [ir.FloatType()] * 3)
        return builder.call(fn, args)

    return types.float32(a, b, c), codegen


ZERO, ONE, TWO, HALF = f32(0), f32(1), f32(2), f32(0.5)
LOG2E = _LOG2E = f32(1.4426950408889634)
LN2_HI = _LN2_HI = f32(0.693359375)  # 355/512: k * _LN2_HI is exact for |k| < 2**15
LN2_LO = _LN2_LO = f32(math.log(2) - 0.693359375)
_LN2 = f32(math.log(2))
_LN2_LO_LOG = f32(math.log(2) - float(f32(math.log(2))))
_EXP_MIN = f32(-104.0)  # exp(-104) < 2**-150: rounds to 0 in float32
EXPW_MIN = f32(-125.0)  # 125 exp(-125) < 2**-150 as well
TWO_M64 = f32(2.0 ** -64)
_E = [f32(1.0 / math.factorial(k)) for k in range(2, 9)]  # 1/2!, ..., 1/8!
_E2, _E3, _E4, _E5, _E6, _E7, _E8 = _E
_A = [f32(2.0 / (2 * k + 1)) for k in range(1, 7)]  # 2/3, 2/5, ..., 2/13
_A3, _A5, _A7, _A9, _A11, _A13 = _A


@inline
def expm1_poly(r):
    """expm1(r) for |r| <= ln2/2, float32: Taylor to degree 8."""
    return r + (r * r) * (_E2 + r * (_E3 + r * (_E4 + r * (_E5 + r * (_E6 + r * (_E7 + r * _E8))))))


@inline
def reduce(y, lo):
    """k (float32), q = expm1(r) with y = k ln2 + r, |r| <= ln2/2, for y <= 0 clamped to
    lo >= -126."""
    yc = y if y > lo else lo
    kf = np.floor(yc * _LOG2E + HALF)
    r = (yc - kf * _LN2_HI) - kf * _LN2_LO
    return kf, expm1_poly(r)


@inline
def pow2_64(kf):
    """2**(k + 64) for an integral float32 k, -190 < k < 64: z 2**k = (z pow2_64(k)) 2**-64
    with the first product exact (normal) for the z at hand, so that a subnormal result is
    rounded once."""
    return bits_as_f32((np.int32(kf) + (64 + 127)) << 23)


@inline
def exp32(y):
    """exp(y) for y <= 0 (and y = -inf), float32."""
    kf, q = reduce(y, _EXP_MIN)
    return ((ONE + q) * pow2_64(kf)) * TWO_M64


@inline
def exp_w(y):
    """exp(y) for y <= 0 as a float64 (no rounding of 1 + q, no float32 underflow): for the
    formulas whose final arithmetic runs in float64."""
    kf, q = reduce(y, EXPW_MIN)
    v = (1.0 + np.float64(q)) * i64_as_f64((np.int64(kf) + 1023) << 52)
    return v if y >= EXPW_MIN else 0.0  # |x| e**x rounds to 0 in float32 below


@inline
def expm1_32(y):
    """expm1(y) for y <= 0, float32: 2**k (q + 1) - 1 = 2**k q + (2**k - 1), exact parts."""
    kf, q = reduce(y, _EXP_MIN)
    k = np.int32(kf)
    kk = k if k > -60 else np.int32(-60)
    sc = bits_as_f32((kk + 127) << 23)
    return q if k == 0 else sc * q + (sc - ONE)


@inline
def log1p32(u):
    """log(1 + u) for 0 <= u <= 1, float32."""
    big = u > HALF
    f = (u - ONE) * HALF if big else u  # 1 + u = 2**k (1 + f), f exact
    s = f / (TWO + f)
    z = s * s
    tail = s * z * (_A3 + z * (_A5 + z * (_A7 + z * (_A9 + z * (_A11 + z * _A13)))))
    kl = _LN2 if big else ZERO
    kc = _LN2_LO_LOG if big else ZERO
    return kl + ((TWO * s + tail) + kc)


def horner(c) -> object:
    """c[0] + u (c[1] + u (...)) as nested inlined numba functions with the coefficients as
    closure constants: straight-line code after inlining (a loop over a coefficient tuple
    inside the element loop would stop LLVM from vectorizing it)."""
    head = c[0]
    if len(c) == 1:
        return inline(lambda u: head)
    rest = horner(c[1:])
    return inline(lambda u: head + u * rest(u))
