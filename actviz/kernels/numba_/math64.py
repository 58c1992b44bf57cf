"""Vectorizable exp, expm1 and log1p for numba, at full float64 accuracy (about 1 ulp).

numba calls libm for ``math.exp``, which LLVM cannot vectorize (no SVML here). These are
written with arithmetic and bit casts only, so that a loop over them compiles to AVX
code: Cody-Waite range reduction ``x = k ln2 + r`` with ``|r| <= ln2/2``, a degree-13
Taylor polynomial for ``expm1(r)`` (truncation error below 4e-18), and the scale ``2**k``
built from its exponent bits in two halves (so that overflow to inf and gradual underflow
to subnormals come out right). ``log1p`` is fdlibm's: exponent split, ``s = f/(2 + f)``,
a degree-14 polynomial in ``s``, plus the correction for the rounding of ``1 + u``.

They serve float32 data that has no float32 formula in :mod:`.formulas32` (f'',
gelu:tanh, silu and celu with alpha != 1, ...): computed in float64, rounded once to
float32, hence within 1 ulp of float32, several times faster than libm. float64 data keeps
libm (correctly rounded to within 1 ulp on glibc).

The numba meaning of the formula dialect (which of these a primitive uses) is in
:mod:`actviz.kernels.numba_.dialect`.
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic, register_jitable

from actviz.kernels.numba_.policy import FORMULA as JIT


@intrinsic
def i64_as_f64(typingctx, v):
    if v != types.int64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


@intrinsic
def f64_as_i64(typingctx, v):
    if v != types.float64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


_LOG2E = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_C = [1.0 / math.factorial(k) for k in range(2, 14)]  # 1/2!, ..., 1/13!
_C2, _C3, _C4, _C5, _C6, _C7, _C8, _C9, _C10, _C11, _C12, _C13 = _C


@register_jitable(**JIT)
def _reduce(x):
    """k (float), r with x = k*ln2 + r, and q = expm1(r); x clamped to [-1100, 1100]."""
    xc = x if x > -1100.0 else -1100.0
    xc = xc if xc < 1100.0 else 1100.0
    kf = np.floor(xc * _LOG2E + 0.5)
    r = (xc - kf * _LN2_HI) - kf * _LN2_LO
    q = r * (1.0 + r * (_C2 + r * (_C3 + r * (_C4 + r * (_C5 + r * (_C6 + r * (
        _C7 + r * (_C8 + r * (_C9 + r * (_C10 + r * (_C11 + r * (_C12 + r * _C13))))))))))))
    return kf, q


@register_jitable(**JIT)
def fast_exp(x):
    kf, q = _reduce(x)
    k = np.int64(kf)
    k1 = k >> 1
    k2 = k - k1
    res = ((1.0 + q) * i64_as_f64((k1 + 1023) << 52)) * i64_as_f64((k2 + 1023) << 52)
    return res if x == x else x


@register_jitable(**JIT)
def fast_expm1(x):
    kf, q = _reduce(x)
    k = np.int64(kf)
    kk = k if k > -1000 else -1000
    kk = kk if kk < 1000 else 1000
    sc = i64_as_f64((kk + 1023) << 52)
    k1 = k >> 1
    k2 = k - k1
    big = ((1.0 + q) * i64_as_f64((k1 + 1023) << 52)) * i64_as_f64((k2 + 1023) << 52) - 1.0
    mid = sc * q + (sc - 1.0)
    res = q if k == 0 else (big if k > 56 else mid)
    return res if x == x else x


_LG1 = 6.666666666666735130e-01
_LG2 = 3.999999999940941908e-01
_LG3 = 2.857142874366239149e-01
_LG4 = 2.222219843214978396e-01
_LG5 = 1.818357216161805012e-01
_LG6 = 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01
_SQRT2 = 1.4142135623730951
_MANT = 0x000FFFFFFFFFFFFF
_ONE_BITS = 0x3FF0000000000000


@register_jitable(**JIT)
def fast_log1p(u):
    """log(1 + u) for 0 <= u < 1e300 (the kernels need u = exp(-|x|) <= 1); inf for inf."""
    w = 1.0 + u
    wf = w if w < 1e300 else 1.0
    bits = f64_as_i64(wf)
    k = (bits >> 52) - 1023
    m = i64_as_f64((bits & _MANT) | _ONE_BITS)
    big = m > _SQRT2
    m = 0.5 * m if big else m
    k = k + 1 if big else k
    c = (u - (w - 1.0)) / w  # rounding error of 1 + u, relative to w
    f = m - 1.0
    hfsq = 0.5 * f * f
    s = f / (2.0 + f)
    z = s * s
    z2 = z * z
    t1 = z2 * (_LG2 + z2 * (_LG4 + z2 * _LG6))
    t2 = z * (_LG1 + z2 * (_LG3 + z2 * (_LG5 + z2 * _LG7)))
    rr = t1 + t2
    fk = np.float64(k)
    res = fk * _LN2_HI - ((hfsq - (s * (hfsq + rr) + (fk * _LN2_LO + c))) - f)
    res = res if w < 1e300 else np.inf  # huge u: not reached by the kernels (u <= 1)
    return res if u == u else u


@register_jitable(**JIT)
def fast_tanh(x):
    m = fast_expm1(-2.0 * np.abs(x))
    return np.sign(x) * (-m / (2.0 + m))
