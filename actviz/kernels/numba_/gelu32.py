"""gelu's f and f' of the float32 fast path (:mod:`.formulas32`), in float32 arithmetic.

The arrangement and its error analysis are in the comments below; the exhaustive scans are
``benchmarks/accuracy.py gelu`` (3.7 ulp for f and f' at most over every float32 with
2**-30 <= |x| < 2**4).
"""

from __future__ import annotations

import math

import numpy as np

from actviz.kernels import formulas as F
from actviz.kernels.numba_.math32 import (
    HALF,
    LN2_HI,
    LN2_LO,
    LOG2E,
    ONE,
    ZERO,
    expm1_poly,
    f32,
    fma32,
    formula,
    horner,
    horner2,
    inline,
    round_k,
    scale_k,
)

# ------------------------------------------------------------------------------------ gelu
# All in float32 arithmetic, for a = |x| <= A_MAX = 14.75 (beyond, f = -0 or x, f' = -0 or
# 1: |x phi(x)| < 2**-150 from a = 14.55 on, so x clamped to +-A_MAX gives those). With
# phi(a) = exp(-a**2/2) / sqrt(2 pi), M(a) = Q(a) / phi(a) (Mills' ratio, Q(a) = Phi(-a))
# and a0 = -x0 = 0.7518, the zero of M(a) - a:
#
#   f(x)  = x Q(a) for x < 0,  x - x Q(a) for x >= 0,    Q(a) = exp(-a**2/2) c M(a),
#   f'(x) = g(a) for x < 0,    1 - g(a) for x >= 0,      g(a) = exp(-a**2/2) c (a0 - a) S(a)
#
# (c = 1/sqrt(2 pi); f' = Phi + x phi, g(a) = phi(a) (M(a) - a), f'(x) + f'(-x) = 1), with
# S(a) = (M(a) - a) / (a0 - a), smooth and in [1, 1.67]. So the zero of f' is the factor
# d = a0 - a, computed as (a0_hi - a) + a0_lo (the first difference exact next to a0,
# Sterbenz): no term cancels anywhere, and no window is needed. Where x >= 0, Q <= 1/2 and
# g <= 1/2, so 1 - Q, 1 - g lose nothing either.
#
# c M(a) = t V(t - tau) and c S(a) = W(t) with t = 1/(1 + a/2) in [t(A_MAX), 1], tau = 9/16:
# V, W polynomials of degrees 10 and 9 fitted at import (relative least squares on Chebyshev
# nodes, coefficients rounded to float32 from the top down, each rounding refitted into the
# lower ones; fit errors 0.8 and 0.4 units of 2**-24). t is carried as t + tl: 1 + a/2 = w + e
# exactly (a/2 exact; w - 1 is representable for w >= 1, and so is e = a/2 - (w - 1)),
# t = fl(1/w), 1 - t w exact by FMA, so tl = t (1 - t w - e t) leaves an error of order
# 2**-48. exp(-a**2/2) = 2**k (1 + q): a**2 = h + l exactly (l by FMA), -h/2 reduced by
# Cody-Waite (exact), -l/2 added to the reduced argument r, q = expm1(r) as in math32; 2**k
# is applied last, as 2**(k + 64) 2**-64, so that a subnormal result is rounded once.
# The polynomials run as two Horner chains (even and odd terms, math32.horner2) for V, one
# for W: the loops are bound by the latency of these chains more than by their length.
#
# Error, in units u = 2**-24 (one rounding: at most 1 u relative; e u relative is at most
# e ulp). f(x < 0) = 2**k (z + q z), z = x t V: V = c0 + s R with s = t - tau exact for
# t >= 0.28 (Sterbenz; below, 2**-26 absolute, 0.4 u in V), rounded once in its last step
# (1: V within a factor 2 of c0), R's error weighted by |s R|/V <= 0.7, the fit (0.8);
# x t = xt + xtl exactly; z is rounded once (1); q (0.3 with the two roundings of r), the
# fma (1): about 4.5 u in all at worst, measured 3.7 ulp at most. (Carrying V's last
# rounding as a second term, as before, gave 3.0 ulp for 4 operations more per element.)
# For x >= 0 the error of x Q reaches x - x Q scaled by Q/(1 - Q) <= 1, plus its rounding.
# f'(x < 0) = 2**k (z + q z), z = d W(t): d (1, exact to first order next to a0), W's
# Horner (about 1) and its sensitivity to t's two roundings (t W'/W < 0.55: 1.1), the fit
# (0.4), z (1), q and the fma (1.3): measured 3.7 ulp at most (benchmarks/accuracy.py, every
# float32 with 2**-30 <= |x| < 2**4; beyond, the result is the clamp's). W in two chains
# (as V) measured 4.1 ulp: it stays one Horner chain.

_RS2PI = 1.0 / math.sqrt(2.0 * math.pi)
_NHL2E = f32(-0.5 * float(LOG2E))  # -log2(e)/2, exact: half the float32 LOG2E
_GA_MAX = f32(14.75)
_GT_LO = 1.0 / (1.0 + float(_GA_MAX) / 2.0)
_GA0 = -F._GELU_X0[0]  # a0 = -x0 (float64; x0 is a double-double in the float64 path)
_GA0_HI = f32(_GA0)
_GA0_LO = f32((_GA0 - float(_GA0_HI)) - F._GELU_X0[1])


def _mills(a: float) -> float:
    """M(a) = Q(a)/phi(a) = sqrt(pi/2) erfcx(a/sqrt 2), float64 (a <= 15)."""
    return math.sqrt(math.pi / 2.0) * math.erfc(a / math.sqrt(2.0)) * math.exp(a * a / 2.0)


def _gelu_s(a: float) -> float:
    """S(a) = (M(a) - a) / (a0 - a), float64; next to a0 from the float64 path's Taylor
    series of f' at x0: f'(x0 + d) = d (c1 + c2 d + ...) = phi d S with d = a0 - a."""
    d = (_GA0 - a) - F._GELU_X0[1]
    if abs(d) < 0.05:
        h = sum(c * d ** k for k, c in enumerate(F._GELU_TAYLOR))
        return h / (math.exp(-a * a / 2.0) * _RS2PI)
    return (_mills(a) - a) / d


def fit_t(fn, deg: int, shift: float = 0.0, n: int = 256) -> tuple:
    """float32 coefficients (constant first) of a polynomial in s = t - shift close to
    fn(t) in relative terms on [t(A_MAX), 1]: weighted least squares on Chebyshev nodes,
    the coefficients rounded to float32 from the top down, each rounding refitted into the
    lower ones."""
    cheb, poly = np.polynomial.chebyshev, np.polynomial.Polynomial
    nodes = np.cos(np.pi * (np.arange(n) + 0.5) / n)
    t = _GT_LO + (nodes + 1.0) / 2.0 * (1.0 - _GT_LO)
    y = np.array([fn(v) for v in t])
    node_of_s = poly([(2.0 * shift - 1.0 - _GT_LO) / (1.0 - _GT_LO), 2.0 / (1.0 - _GT_LO)])
    rest, out = y.copy(), []
    for m in range(deg, -1, -1):
        in_node = poly(cheb.cheb2poly(cheb.chebfit(nodes, rest, m, w=1.0 / np.abs(y))))
        top = f32(np.pad(in_node(node_of_s).coef, (0, m + 1))[m])
        out.append(top)
        rest = rest - float(top) * (t - shift) ** m
    return tuple(out[::-1])


_GTAU = f32(0.5625)  # V in s = t - tau: exact for t >= 0.28, and V(tau) = 0.35 within a
#                     factor 2 of every V (0.21 to 0.5)
_GV = fit_t(lambda t: _RS2PI * _mills(2.0 * (1.0 / t - 1.0)) / t, 10, float(_GTAU))
_GW = fit_t(lambda t: _RS2PI * _gelu_s(2.0 * (1.0 / t - 1.0)), 9)
_GV0, _gelu_vr, _gelu_w = _GV[0], horner2(_GV[1:]), horner(_GW)


@inline
def _gelu_exp(a):
    """kb (:func:`.math32.round_k`), q with exp(-a**2/2) = 2**k (1 + q), a**2 carried
    exactly (a <= A_MAX)."""
    h = a * a
    lo = fma32(a, a, -h)  # a**2 = h + lo
    kb, kf = round_k(h, _NHL2E)  # k = round(-h/2 log2(e)), -h/2 exact
    r = ((-HALF * h - kf * LN2_HI) - kf * LN2_LO) - HALF * lo
    return kb, expm1_poly(r)


@inline
def _gelu_t(a):
    """t, tl with t + tl = 1/(1 + a/2) to about 2**-48 relative."""
    b = HALF * a
    w = ONE + b
    e = b - (w - ONE)  # 1 + b = w + e exactly: w - 1 and e are representable (w >= 1)
    t = ONE / w
    return t, t * fma32(-e, t, fma32(-t, w, ONE))


@formula
def gelu_f(x, p):
    # beyond A_MAX, x Q(a) rounds to +-0 (f = x, or -0 for x < 0): x clamped there
    xc = max(min(x, _GA_MAX), -_GA_MAX)
    a = np.abs(xc)
    kb, q = _gelu_exp(a)
    t, tl = _gelu_t(a)
    sv = t - _GTAU
    v = fma32(sv, _gelu_vr(sv), _GV0)
    xt = xc * t
    xtl = fma32(xc, t, -xt) + xc * tl  # x t = xt + xtl exactly (FMA), t's error included
    z = fma32(xt, v, xtl * v)  # x c M(a), rounded once
    xq = scale_k(fma32(q, z, z), kb)  # x Q(a); k >= -160, |z| > 0.3 where k < -100
    return xq if x < ZERO else x - xq


@formula
def gelu_d1(x, p):
    a = min(np.abs(x), _GA_MAX)  # g(A_MAX) < 2**-150 rounds to 0: f' = 0 or 1 beyond
    kb, q = _gelu_exp(a)
    d = (_GA0_HI - a) + _GA0_LO
    dw = d * _gelu_w(ONE / (ONE + HALF * a))  # c (M(a) - a)
    g = scale_k(fma32(q, dw, dw), kb)
    return g if x < ZERO else ONE - g
