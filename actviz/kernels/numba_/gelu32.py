"""gelu's f and f' of the float32 fast path (:mod:`.formulas32`), in float32 arithmetic.

The arrangement and its error analysis are in the comments below; the exhaustive scans are
``benchmarks/accuracy.py gelu`` (3.71 ulp for f and 3.72 for f' at most over every float32
with 2**-30 <= |x| < 2**4).
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
    TWO_M64,
    ZERO,
    expm1_poly,
    expm1_poly_short,
    f32,
    fma32,
    formula,
    horner,
    inline,
    passes_nan,
    pow2_64,
    round_k,
)

# ------------------------------------------------------------------------------------ gelu
# All in float32 arithmetic, for a = |x| <= A_MAX = 14.75 (beyond, f = -0 or x, f' = -0 or
# 1: |x phi(x)| < 2**-150 from a = 14.55 on, so a clamped to A_MAX gives those). With
# phi(a) = exp(-a**2/2) / sqrt(2 pi), M(a) = Q(a) / phi(a) (Mills' ratio, Q(a) = Phi(-a))
# and a0 = -x0 = 0.7518, the zero of M(a) - a:
#
#   f(x)  = -a Q(a) for x < 0, x - a Q(a) for x >= 0,   Q(a) = exp(-a**2/2) c M(a),
#   f'(x) = g(a) for x < 0,    1 - g(a) for x >= 0,      g(a) = exp(-a**2/2) c (a0 - a) S(a)
#
# (c = 1/sqrt(2 pi); f' = Phi + x phi, g(a) = phi(a) (M(a) - a), f'(x) + f'(-x) = 1). Where
# x >= 0, Q <= 1/2 and g <= 1/2, so 1 - Q, 1 - g lose nothing.
#
# exp(-a**2/2) = 2**k (1 + q): k from a**2 rounded, r = -a**2/2 - k ln2 with a**2 exact
# inside one FMA ((-a/2) a - k ln2_hi, both parts exact, rounded once), then - k ln2_lo
# (seven operations; with a**2 = h + l split by an FMA and -l/2 added last, eight), q =
# expm1(r) as in math32 (f with expm1_poly_short: one FMA less, the same error; f' with
# expm1_poly). 2**k is applied last, as 2**(k + 64) 2**-64, so that a subnormal result is
# rounded once; the 2**-64 costs no operation of its own: f's goes into its last FMA
# (x - y 2**-64, below), f''s into W's coefficients (exactly scaled).
#
# f: c M(a) = R(a) / (s a R(a) + P(a)), s = 1/c = sqrt(2 pi) as a float32, i.e. s/M(a) - s
# a = P/R (which falls from 2 at 0 to about s/a), with P, R polynomials of degree 4 in a,
# every coefficient positive, fitted at import (fit_mills: relative least squares on
# Chebyshev nodes with Lawson's weights, float32 coefficients rounded from the top down,
# each refitted into the rest; R(0) = 3/2 and P(0) = 3, so that P(0)/R(0) = s sqrt(2/pi) =
# 2 exactly; of R(0) in 1.125..2, 3/2 measured best: R and P stay in one binade longest).
# Fit error 0.31 u (0.07 with R of degree 5: 3.45 ulp in all, one FMA more, 3-4% more time;
# benchmarks/RESULTS.md, eleventh round). Written so, the errors of the Horner chains
# reach z = n / D, n = a R, D = s n + P, only scaled by P/D (< 1, falling as 1/a**2: at
# small a only the last steps count), and so does n's rounding (it is in D too), and c is
# inside the fit: neither its float32 value (0.48 u off) nor a last multiplication by it
# costs a rounding, and 2**-64 is applied exactly. That margin is what let the exact
# corrections of the quotient go (x R's rounding, D's, the division's remainder): the form
# before, c M = c R / (a R + P) with the three corrections, measured 3.73 ulp; R / (s a R
# + P) without them, 3.70, in 15% less time (benchmarks/RESULTS.md, ninth round); with D
# from n = a R (one product fewer, n's rounding shared), 3.45 (tenth round). One division,
# no reciprocal 1/(1 + a/2). The result is y = a Q(a) 2**64 for both signs, and f = xs - y
# 2**-64 in one FMA, xs = x or -0 by one max (no clamped copy of x): rounded once.
#
# f' (g above): S(a) = (M(a) - a) / (a0 - a), smooth and in [1, 1.67]. So the zero of f' is
# the factor d = a0 - a, computed as (a0_hi - a) + a0_lo (the first difference exact next
# to a0, Sterbenz): no term cancels anywhere, and no window is needed. c S(a) = W(t) with
# t = 1/(1 + a/2) in [t(A_MAX), 1], W a polynomial of degree 9 fitted at import (fit_t:
# relative least squares on Chebyshev nodes, coefficients rounded to float32 from the top
# down, each rounding refitted into the lower ones; fit error 0.4 units of 2**-24).
#
# Error, in units u = 2**-24 (one rounding: at most 1 u relative; e u relative is at most
# e ulp). -f(x < 0) = 2**k (z + q z): the fit (0.31), the last Horner steps of R and P at
# small a (R ~ 3/2, P ~ 3: 0.67 each, scaled by P/D <= 1), D's rounding (0.67 at small a),
# n's (1, scaled by P/D), the division (1), q (0.6 with the two roundings of r), the fma
# (1): 5 u as a crude bound at small a; measured 3.71 ulp at most (the roundings do not
# all align). For x >= 0 the error of a Q reaches x - a Q scaled by Q/(1 - Q) <= 1, and x
# - a Q is rounded once with it (the last FMA).
# f'(x < 0) = 2**k (z + q z), z = d W(t) (W 2**-64 in the code): d (1, exact to first
# order next to a0), W's Horner (about 1) and its sensitivity to t's two roundings (t W'/W
# < 0.55: 1.1), the fit (0.4), z (1), q and the fma (1.3): measured 3.7 ulp at most. Both
# measured by benchmarks/accuracy.py, every float32 with 2**-30 <= |x| < 2**4; beyond, the
# result is the clamp's. (W in two chains, as horner2, measured 4.1 ulp: it stays one
# Horner chain.)

_RS2PI = 1.0 / math.sqrt(2.0 * math.pi)
_S = f32(math.sqrt(2.0 * math.pi))  # s = 1/c in c M = R / (s a R + P)
_NHL2E = f32(-0.5 * float(LOG2E))  # -log2(e)/2, exact: half the float32 LOG2E
_NLN2_HI, _NLN2_LO = f32(-LN2_HI), f32(-LN2_LO)
_NT64 = -TWO_M64
_GA_MAX = f32(14.75)
_NEG_ZERO = f32(-0.0)
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


def fit_mills(deg_p: int, deg_r: int, n: int = 400, iters: int = 12) -> tuple:
    """float32 coefficients (constant first) of P, R with s a + P(a)/R(a) close to s/M(a)
    (s = sqrt(2 pi) as a float32; c M = R / (s a R + P)) in relative terms on [0, A_MAX]:
    least squares of P - (s/M - s a) R, linearized by the R of the step before, with
    Lawson's weights (towards the minimax fit) on Chebyshev nodes; R(0) = 3/2, P(0) = 3
    (the ratio s/M(0) = 2, exact), the other coefficients rounded to float32 from the top
    down (R's, then P's of each degree), each refitted into the rest."""
    nodes = np.cos(np.pi * (np.arange(n) + 0.5) / n)
    a = (nodes + 1.0) / 2.0 * float(_GA_MAX)
    s_m = np.array([math.sqrt(2.0 * math.pi) / _mills(v) for v in a])  # s/M = 1/(c M)
    y = s_m - float(_S) * a
    pw = a[:, None] ** np.arange(max(deg_p, deg_r) + 1)
    coef = {("p", 0): 3.0, ("r", 0): 1.5}
    terms = [(w, k) for k in range(max(deg_p, deg_r), 0, -1) for w in "rp"
             if k <= (deg_p if w == "p" else deg_r)]

    def col(t):
        return pw[:, t[1]] * (1.0 if t[0] == "p" else -y)

    def value(c, w):
        return sum(v * pw[:, k] for (u, k), v in c.items() if u == w)

    rv, wl = np.full(n, 1.5), np.full(n, 1.0 / n)
    for t in terms:
        free = [u for u in terms if u not in coef]
        for _ in range(iters * (3 if t == terms[0] else 1)):
            base = sum(v * col(u) for u, v in coef.items())
            sc = np.sqrt(wl) / (s_m * rv)
            sol = np.linalg.lstsq(np.stack([col(u) for u in free], 1) * sc[:, None],
                                  -base * sc, rcond=None)[0]
            full = {**coef, **dict(zip(free, sol))}
            rv = value(full, "r")
            wl = wl * (np.abs(value(full, "p") / rv - y) / s_m + 1e-30)
            wl /= wl.sum()
        coef[t] = float(f32(full[t]))
    return (tuple(f32(coef["p", k]) for k in range(deg_p + 1)),
            tuple(f32(coef["r", k]) for k in range(deg_r + 1)))


_GP, _GR = fit_mills(4, 4)
_GW = fit_t(lambda t: _RS2PI * _gelu_s(2.0 * (1.0 / t - 1.0)), 9)
# f' takes W 2**-64 (each coefficient scaled exactly; every step of its Horner chain stays
# normal), so that g = 2**(k + 64) (dw + q dw) with dw = d W 2**-64 is rounded once
_gelu_p, _gelu_r, _gelu_w64 = horner(_GP), horner(_GR), horner(tuple(c * TWO_M64 for c in _GW))


@inline
def _gelu_reduce(a):
    """kb (:func:`.math32.round_k`), r with exp(-a**2/2) = 2**k exp(r) (a <= A_MAX): k from
    a**2 rounded, r = -a**2/2 - k ln2 with a**2 exact inside one FMA, (-a/2) a + (-k ln2_hi)
    (-a/2 and k ln2_hi are exact), rounded once, then - k ln2_lo."""
    kb, kf = round_k(a * a, _NHL2E)  # k = round(-a**2/2 log2(e))
    return kb, fma32(kf, _NLN2_LO, fma32(-HALF * a, a, kf * _NLN2_HI))


@passes_nan
@formula
def gelu_f(x, p):
    # beyond A_MAX, a Q(a) rounds to 0 (f = x, or -0 for x < 0): a clamped there
    a = min(np.abs(x), _GA_MAX)
    kb, r = _gelu_reduce(a)
    q = expm1_poly_short(r)
    n = a * _gelu_r(a)
    z = n / fma32(n, _S, _gelu_p(a))  # a c M(a) = a R / (s a R + P), n = a R
    # a Q(a) 2**64 = 2**(k + 64) (z + q z), normal: k >= -160, z > 0.9 where k < -100
    y = fma32(q, z, z) * pow2_64(kb)
    # f = x - a Q for x >= 0 (and NaN), -0 - a Q for x < 0 (f's sign kept where a Q rounds
    # to 0): xs - y 2**-64 rounded once (subnormal results too); xs = max(-0, x) as x86's
    # max has it (x where they compare equal or x is NaN: one instruction)
    xs = _NEG_ZERO if x < _NEG_ZERO else x
    return fma32(y, _NT64, xs)


@passes_nan
@formula
def gelu_d1(x, p):
    a = min(np.abs(x), _GA_MAX)  # g(A_MAX) < 2**-150 rounds to 0: f' = 0 or 1 beyond
    kb, r = _gelu_reduce(a)
    q = expm1_poly(r)
    d = (_GA0_HI - a) + _GA0_LO
    dw = d * _gelu_w64(ONE / (ONE + HALF * a))  # c (M(a) - a) 2**-64
    g = fma32(q, dw, dw) * pow2_64(kb)
    return g if x < ZERO else ONE - g
