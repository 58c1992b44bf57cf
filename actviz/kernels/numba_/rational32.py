"""float32 f and f' of the rational activations of the fast path (:mod:`.formulas32`):
softsign, ultra_fast_sigmoid and hardswish, with the parameters hardswish takes there."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from actviz.kernels import formulas as F
from actviz.kernels.numba_.math32 import ONE, TWO, ZERO, f32, fma32, formula, short


@short
@formula
def softsign_f(x, p):
    r = x / (ONE + np.abs(x))
    return r if np.abs(x) < f32(np.inf) else (ONE if x > ZERO else -ONE)


_UFS_NEG = F.floor_to(Fraction(-17, 5), f32)  # x <= -3.4
_UFS_POS = F.ceil_to(Fraction(17, 5), f32)  # x < 3.4
_UFS = {k: f32(getattr(F, f"_U_{k}")) for k in ("LOW", "HIGH", "P", "Q", "SLOPE")}
_U_LOW, _U_HIGH, _U_P, _U_Q, _U_SLOPE = (_UFS[k] for k in ("LOW", "HIGH", "P", "Q", "SLOPE"))


@formula
def ultra_fast_sigmoid_f(x, p):
    mid = (ONE + (f32(1.25) if x >= ZERO else f32(0.25)) * x) / (TWO + np.abs(x))
    lin_lo = _U_P + _U_SLOPE * (x + f32(6.0))  # x + 6 is exact for -12 <= x <= -3
    lin_hi = _U_Q + _U_SLOPE * (x - f32(6.0))
    return _U_LOW if x <= f32(-6.0) else (lin_lo if x <= _UFS_NEG else (
        mid if x < _UFS_POS else (lin_hi if x < f32(6.0) else _U_HIGH)))


@formula
def ultra_fast_sigmoid_d1(x, p):
    w = 2.0 + np.abs(np.float64(x))  # exact in float64, and so is w*w up to |x| ~ 2**26
    mid = f32(1.5) / np.float32(w * w)
    inner = mid if (x > _UFS_NEG) & (x < _UFS_POS) else _U_SLOPE
    return inner if (x > f32(-6.0)) & (x < f32(6.0)) else ZERO


# ------------------------------------------------------------------------------ hardswish
# x (alpha x + beta) between the kinks k0 = -beta/alpha and k1 = (1 - beta)/alpha, written
# as x (x - k0) alpha and f' = (2x - k0) alpha, with p = (1/alpha, k0, k1, alpha), the
# first three float32 values (only such parameters come here: 6, -3, 3 by
# default). x - k0 is exact next to k0 (Sterbenz) and so is 2x - k0 next to k0/2, where f
# and f' vanish: nothing cancels. In f, x - k0 = t + tl (Fast2Sum, exact for |x| <= |k0|,
# the whole middle piece by default) and x t = ph + pl (FMA) are carried exactly, and the
# quotient r0 = ph alpha (no division: alpha is 1/p[0] only to float32 precision) is
# corrected by (its remainder ph - r0/alpha, exact by FMA, + pl + x tl) alpha, and f' the same
# way: one rounding is left, 0.5 ulp measured over every float32 in 2**-30 <= |x| < 2**4
# and 2**-4 <= |x| < 2**7. The general path computes these in float64 on float32 data, 4
# lanes wide with AVX2 code.


@formula
def hardswish_f(x, p):
    t = x - p[1]
    tl = x - (t + p[1])  # x - k0 = t + tl exactly where |x| <= |k0| (Fast2Sum)
    ph = x * t
    r0 = ph * p[3]
    mid = fma32(fma32(x, tl, fma32(-r0, p[0], ph) + fma32(x, t, -ph)), p[3], r0)
    # x = +-0 gives x itself (mid's sums would make -0 a +0)
    return ZERO if x <= p[1] else (x if (x >= p[2]) | (x == ZERO) else mid)


@formula
def hardswish_d1(x, p):
    t = TWO * x - p[1]
    tl = TWO * x - (t + p[1])  # 2x - k0 = t + tl (Fast2Sum; exact here also for 2x > -k0)
    r0 = t * p[3]
    mid = fma32(fma32(-r0, p[0], t) + tl, p[3], r0)
    return ZERO if x <= p[1] else (ONE if x >= p[2] else mid)


def hardswish_params(p) -> tuple | None:
    """(1/alpha, k0, k1, alpha) of hardswish when the first three are float32 values,
    else None."""
    alpha, beta = p.get("alpha", Fraction(1, 6)), p.get("beta", Fraction(1, 2))
    if alpha <= 0:
        return None
    q = (1 / alpha, -beta / alpha, (1 - beta) / alpha)
    if any(Fraction(float(f32(v))) != v for v in q):
        return None
    return tuple(f32(v) for v in q) + (f32(alpha),)
