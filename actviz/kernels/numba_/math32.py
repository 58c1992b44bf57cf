"""float32 elementary functions for the numba fast path (:mod:`.formulas32`).

Every formula of the fast path needs ``exp`` only of ``-|x|`` (or another value <= 0), and
``log1p`` only of values in [0, 1]; these are written with float32 arithmetic and bit casts,
so that a loop over them runs 16 lanes wide on AVX-512 (8 on AVX2):

- ``exp32(y)``, ``expm1_32(y)`` for ``y <= 0``: Cody-Waite reduction ``y = k ln2 + r`` (k
  rounded by adding 1.5 2**23 + 191, whose sum also holds k's bits for the scale) with
  a 9-bit ``ln2_hi`` (so ``k ln2_hi`` and ``y - k ln2_hi`` are exact), ``expm1(r)`` as
  ``r + r**2 P(r)`` with P fitted to degree 5 (:func:`expm1_tail_fit`: in float32, q =
  expm1(r) within 0.47 u of ``exp(r)`` and 1.26 u of ``expm1(r)``, its own rounding
  included, as with Taylor's polynomial to degree 8, which is one term longer) and the
  scale ``2**k`` as ``2**(k + 64)`` (from its exponent bits) times ``2**-64``, the
  ``2**-64`` applied first and exactly (``2**-64 (1 + q)`` is one FMA and stays normal),
  so that gradual underflow comes out right, rounded once. About 1 ulp. ``expm1_32``,
  whose k >= -59, takes ``2**k`` itself from the bits of a sum with 1.5 2**23 + 127.
  ``expm1_poly_short`` has P to degree 4 (0.59 u of ``exp(r)``, 1.57 u of ``expm1(r)``),
  for the formulas whose error budget has room for it (sigmoid, silu, tanh).
- ``log1p32(u)`` for ``0 <= u <= 1``: ``log(1 + u) = 2 atanh(s)``, ``s = u/(2 + u) <= 1/3``,
  by the atanh series to ``s**13`` (two chains in ``s**2``). The reduction ``1 + u = 2 (1 + f)``
  for ``u > 1/2``, which kept ``s <= 1/5`` with the same series, cost seven operations:
  without it softplus and log_sigmoid forward take 0.81-0.85x the time (AVX-512 code,
  0.74-0.75x with AVX2), their largest error unchanged, 2.80 ulp (benchmarks/RESULTS.md,
  eleventh round).
- ``fma32(a, b, c)``: ``llvm.fma``, for the exact error terms (the low half of ``x**2``, the
  remainder of a division) of sigmoid', silu', mish' and gelu.
- ``horner(c)``: a polynomial with constant coefficients as straight-line inlined code;
  ``horner2(c)`` the same as two chains (even and odd terms), half the latency for one
  product more (the square), which pays where the chain bounds the loop (exp's and log1p's
  tails; measured, not assumed: the zero brackets of silu' and mish', bound by their
  operation count, are faster as one chain; benchmarks/RESULTS.md, tenth round).

Helpers are inlined into the formulas at numba IR level (``inline``): LLVM leaves the larger
formulas as calls, which stops vectorization.
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic, overload

from actviz.kernels.numba_.policy import FORMULA32

inline = njit(inline="always", **FORMULA32)


def formula(fn):
    """A formula of ``FAST``: inlined into the loops like the helpers, but it stays a plain
    module-level function (with a numba overload), so that the loops closing over it are
    cached across processes (a dispatcher in a closure pickles with a per-process id,
    which makes every process miss the cache)."""
    overload(fn, jit_options=FORMULA32, inline="always", strict=False)(lambda *args: fn)
    return fn


def passes_nan(fn):
    """Marks a formula that returns NaN for x = NaN by itself (its clamps keep NaN, as
    numba's ``min(x, c)`` and :func:`reduce_r` do): its loop then skips the NaN test of
    :mod:`.loops` (a compare and a blend per element: 3-6% of gelu, silu, tanh in cache).
    tests/kernels/test_formulas32.py feeds NaNs to every formula of the fast path."""
    fn.passes_nan = True
    return fn


def short(fn):
    """Marks a float32 formula of a few operations (every select formula, softsign f): the
    prefetching loops of :mod:`.loops` run it in runs of RUN elements between their hints
    (a run of one cache line of it, LLVM unrolls into scalar code).
    tests/kernels/test_loops.py checks that the prefetching loop of every formula of the
    fast path is vector code."""
    fn.short = True
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
def f32_bits(typingctx, v):
    """The bit pattern of the float32 ``v`` as an int32."""
    if not (isinstance(v, types.Float) and v.bitwidth == 32):
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(32))

    return types.int32(v), codegen


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
_EXP_MIN = f32(-104.0)  # exp(-104) < 2**-150: rounds to 0 in float32
_EXPM1_MIN = f32(-41.0)  # expm1(-41) = -1 + 1.6e-18 rounds to -1
EXPW_MIN = f32(-125.0)  # 125 exp(-125) < 2**-150 as well (silu, mish: x e**x)
TWO_M64 = f32(2.0 ** -64)
# z + _SHIFT is z rounded to an integer k (an integer in [2**23, 2**24), whose ulp is 1),
# with bits _SHIFT_BITS + k; the low 9 bits of _SHIFT_BITS are 64 + 127, so that those of
# the sum are the exponent field of 2**(k + 64) (:func:`pow2_64`)
_SHIFT = f32(1.5 * 2.0 ** 23 + 64 + 127)
_SHIFT_BITS = int(np.array(_SHIFT).view(np.int32))  # 0x4B4000BF
assert _SHIFT_BITS & 0x1FF == 64 + 127
# the same with 127 in the low bits: shifted, 2**k itself (expm1, where k >= -59)
_SHIFT1 = f32(1.5 * 2.0 ** 23 + 127)
assert int(np.array(_SHIFT1).view(np.int32)) & 0x1FF == 127
_A = [f32(2.0 / (2 * k + 1)) for k in range(1, 7)]  # 2/3, 2/5, ..., 2/13
_R_MAX = 0.35  # |r| after the reduction: ln2/2 = 0.3466, plus k's rounding (gelu: of a**2)


def expm1_tail_fit(degree: int, n: int = 64) -> tuple:
    """float32 coefficients (constant first) of P(r) = (expm1(r) - r) / r**2 on
    |r| <= 0.35, degree ``degree``: least squares on n Chebyshev nodes (near minimax; even
    and odd coefficients are independent on the symmetric nodes), rounded to float32 from
    the top down, each rounding refitted into the lower ones. P itself comes from its Taylor
    series to r**13 (float64; the rest is below 1e-17 relative)."""
    cheb, poly = np.polynomial.chebyshev, np.polynomial.Polynomial
    nodes = np.cos(np.pi * (np.arange(n) + 0.5) / n)
    r = nodes * _R_MAX
    rest = sum(r ** (k - 2) / math.factorial(k) for k in range(2, 16))
    out = []
    for m in range(degree, -1, -1):
        in_node = poly(cheb.cheb2poly(cheb.chebfit(nodes, rest, m))).coef
        top = f32(np.pad(in_node, (0, m + 1))[m] / _R_MAX ** m)
        out.append(top)
        rest = rest - float(top) * r ** m
    return tuple(out[::-1])


@inline
def expm1_poly(r):
    """expm1(r) for |r| <= 0.35, float32: r + r**2 P(r), P of degree 5 in two chains
    (horner2)."""
    return fma32(r * r, _expm1_tail(r), r)


@inline
def expm1_poly_short(r):
    """expm1(r) for |r| <= 0.35 as :func:`expm1_poly` with P of degree 4: one operation
    less, 0.59 u of exp(r) instead of 0.47 (q's rounding included)."""
    return fma32(r * r, _expm1_tail_short(r), r)


@inline
def _round_at(a, b, shift):
    s = fma32(a, b, shift)
    return f32_bits(s), s - shift


@inline
def round_k(a, b):
    """kb, kf for |a b| < 2**22: kf = a b rounded to an integer k (to nearest: the FMA rounds
    the exact a b + SHIFT once, in a binade whose ulp is 1), kb the bits of that sum,
    SHIFT_BITS + k, whose low bits give 2**k without a float-to-integer conversion
    (:func:`pow2_64`)."""
    return _round_at(a, b, _SHIFT)


@inline
def _reduce_at(y, lo, shift):
    yc = lo if y < lo else y
    kb, kf = _round_at(yc, _LOG2E, shift)
    return kb, (yc - kf * _LN2_HI) - kf * _LN2_LO


@inline
def reduce_r(y, lo):
    """kb, r with y = k ln2 + r, |r| <= ln2/2 (about), for y <= 0 clamped to lo >= -126
    (kb as in :func:`round_k`: 2**k is :func:`pow2_64` of it); NaN stays NaN in r."""
    return _reduce_at(y, lo, _SHIFT)


@inline
def _reduce_r1(y, lo):
    """:func:`reduce_r` with kb the bits of 1.5 2**23 + 127 + k: ``kb << 23`` is 2**k
    itself (-126 <= k <= 128)."""
    return _reduce_at(y, lo, _SHIFT1)


@inline
def reduce(y, lo):
    """kb, q = expm1(r) for :func:`reduce_r`'s kb, r."""
    kb, r = reduce_r(y, lo)
    return kb, expm1_poly(r)


@inline
def pow2_64(kb):
    """2**(k + 64) from kb = SHIFT_BITS + k (:func:`round_k`), -190 < k < 64: the low 9 bits
    of SHIFT_BITS are 64 + 127, so shifting kb into the exponent field gives 2**(k + 64)
    (one shift: the higher bits of SHIFT_BITS fall off the top).
    z 2**k = (z pow2_64(kb)) 2**-64 with the first product exact (normal) for the z at
    hand, so that a subnormal result is rounded once."""
    return bits_as_f32(kb << 23)


_RCP = np.int32(0x7EF311C3)  # MAGIC - bits(y) is 1/y within 12% for normal y > 0


@inline
def rcp_rough(y):
    """1/y within 12% for a normal float32 y > 0, from its bits: enough to apply a
    correction that is itself below an ulp or two (the remainder of a division)."""
    return bits_as_f32(_RCP - f32_bits(y))


@inline
def exp32(y):
    """exp(y) for y <= 0 (and y = -inf), float32: 2**k (1 + q) as 2**-64 (1 + q) rounded
    (by one FMA; scaled exactly, it stays normal) times 2**(k + 64), which rounds a
    subnormal result once (:func:`pow2_64`) with no multiplication by 2**-64 of its own."""
    kb, q = reduce(y, _EXP_MIN)
    return fma32(q, TWO_M64, TWO_M64) * pow2_64(kb)


@inline
def exp32_short(y):
    """:func:`exp32` with :func:`expm1_poly_short` (0.12 u more)."""
    kb, r = reduce_r(y, _EXP_MIN)
    return fma32(expm1_poly_short(r), TWO_M64, TWO_M64) * pow2_64(kb)


@inline
def expm1_32(y):
    """expm1(y) for y <= 0, float32: 2**k (q + 1) - 1 = 2**k q + (2**k - 1), exact parts
    (k = 0 gives q itself; y is clamped to -41, where 2**k >= 2**-59 is normal and the
    result already rounds to -1)."""
    kb, r = _reduce_r1(y, _EXPM1_MIN)
    return _expm1_scale(kb, expm1_poly(r))


@inline
def expm1_32_short(y):
    """:func:`expm1_32` with :func:`expm1_poly_short` (0.31 u more of expm1(r))."""
    kb, r = _reduce_r1(y, _EXPM1_MIN)
    return _expm1_scale(kb, expm1_poly_short(r))


@inline
def _expm1_scale(kb, q):
    """2**k (q + 1) - 1 as fma(2**k, q, 2**k - 1) (:func:`expm1_32`; kb from
    :func:`_reduce_r1`)."""
    sc = bits_as_f32(kb << 23)  # 2**k, normal (k >= -59)
    return fma32(sc, q, sc - ONE)


@inline
def log1p32(u):
    """log(1 + u) for 0 <= u <= 1, float32: 2 atanh(s), s = u/(2 + u) <= 1/3, by the atanh
    series to s**13 (the next term, 2 s**15/15, is below 0.23 u of 2s, u = 2**-24)."""
    s = u / (TWO + u)
    z = s * s
    return fma32(TWO, s, s * z * _log1p_tail(z))


def horner(c) -> object:
    """c[0] + u (c[1] + u (...)) as nested inlined numba functions with the coefficients as
    closure constants: straight-line code after inlining (a loop over a coefficient tuple
    inside the element loop would stop LLVM from vectorizing it)."""
    head = c[0]
    if len(c) == 1:
        return inline(lambda u: head)
    rest = horner(c[1:])
    return inline(lambda u: head + u * rest(u))


def horner2(c) -> object:
    """c[0] + c[1] u + ... as two interleaved Horner chains in u**2 (even and odd terms):
    half the dependency chain of :func:`horner` for one multiplication more."""
    even, odd = horner(c[0::2]), horner(c[1::2])
    return inline(lambda u: fma32(u, odd(u * u), even(u * u)))


_expm1_tail = horner2(expm1_tail_fit(5))
_expm1_tail_short = horner2(expm1_tail_fit(4))
_log1p_tail = horner2(tuple(_A))  # 2/3 + 2 z/5 + ... + 2 z**5/13
