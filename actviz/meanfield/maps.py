"""The mean-field maps of a deep random net at one point (sigma_w, sigma_b).

Pre-activations of a wide layer are Gaussian with second moment q; one layer maps

    q   -> V(q) = sigma_w^2 E[phi(sqrt(q) z)^2] + sigma_b^2                (the length map)
    c   -> M(c) = (sigma_w^2 E[phi(u1) phi(u2)] + sigma_b^2) / q*           (the correlation map)

with (u1, u2) ~ N(0, q* [[1, c], [c, 1]]). chi1 = sigma_w^2 E[phi'(sqrt(q*) z)^2] is the slope of
M at c = 1 (Price's theorem) and the factor by which a back-propagated gradient's second moment
grows per layer. chi1 < 1: ordered (inputs converge, c* = 1); chi1 > 1: chaotic (c* < 1);
chi1 = 1: critical (the edge of chaos). Depth scales: xi_q = -1/ln V'(q*),
xi_c = -1/ln M'(c*) (= -1/ln chi1 when c* = 1). Where phi jumps, M has an infinite slope at
c = 1 (chi1 = inf: chaotic for every sigma_w > 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Q_MAX = 1e12  # a fixed point beyond this is reported as unbounded (q* = inf)
Q_MIN = 1e-30  # the length map shrinks q below this: q* = 0
CRITICAL_TOL = 1e-9  # |chi1 - 1| below this: critical
NOISE = 1e-13  # relative size of the length map's rounding errors
TINY_SCALE = 1e-100  # the limit q -> 0 of a Gaussian integral, taken at this sqrt(q)
_XTOL = 1e-15


@dataclass
class Point:
    sigma_w: float
    sigma_b: float
    q_star: float
    chi1: float
    c_star: float | None
    xi_q: float | None
    xi_c: float | None
    phase: str  # ordered, chaotic, critical, unbounded

    def to_dict(self) -> dict:
        from actviz.text import json_number

        return {k: (None if v is None else json_number(v) if isinstance(v, float) else v)
                for k, v in self.__dict__.items()}


def length_map(phi, sw: float, sb: float, q):
    q = np.atleast_1d(np.asarray(q, dtype=float))
    return sw * sw * phi.second_moment(np.sqrt(q)) + sb * sb


def fixed_q(phi, sw: float, sb: float) -> float:
    """The fixed point of the length map that iterating from q1 = sigma_w^2 + sigma_b^2 (unit
    inputs) reaches: the first sign change of V(q) - q in the direction V(q1) - q1 points."""
    from scipy.optimize import brentq

    q1 = sw * sw + sb * sb
    if q1 == 0.0:
        return 0.0
    g1 = float(length_map(phi, sw, sb, q1)[0]) - q1
    if abs(g1) <= 1e-13 * q1:
        return q1
    up = g1 > 0
    steps = np.arange(1, 140) if up else np.arange(1, 220)
    qs = q1 * (2.0 ** steps if up else 0.5 ** steps)
    qs = qs[(qs <= Q_MAX * 2) if up else (qs >= Q_MIN / 2)]
    with np.errstate(all="ignore"):
        g = length_map(phi, sw, sb, qs) - qs
    # V(q) - q is known to about 1e-15 q: a sign is trusted beyond NOISE * q
    flip = np.flatnonzero(~np.isfinite(g) | ((g < NOISE * qs) if up else (g > NOISE * qs)))
    if flip.size == 0:
        return math.inf if up else 0.0
    i = int(flip[0])
    if not np.isfinite(g[i]):
        return math.inf
    a, b = (q1 if i == 0 else qs[i - 1]), qs[i]

    def gap(q):
        return float(length_map(phi, sw, sb, q)[0]) - q

    try:
        return float(brentq(gap, min(a, b), max(a, b), xtol=_XTOL * max(a, b), rtol=1e-15))
    except ValueError:  # no strict sign change within the noise: the fixed point is there
        return float(math.sqrt(a * b))


def chi1(phi, sw: float, q: float) -> float:
    """sigma_w^2 E[phi'(sqrt(q) z)^2]; at q = 0 the limit q -> 0 (phi'(0)^2, or the mean of
    the one-sided squares where phi has a kink at 0)."""
    if phi.jumps and q > 0:
        return math.inf
    return sw * sw * float(phi.grad_moment(math.sqrt(q) if q > 0 else TINY_SCALE)[0])


def correlation_map(phi, sw: float, sb: float, q: float, c: float) -> float:
    if q == 0.0:  # the limit q* -> 0 of phi smooth at 0 with phi(0) = 0 (sigma_b = 0)
        return c
    return (sw * sw * phi.pair(q, c) + sb * sb) / q


def fixed_c(phi, sw: float, sb: float, q: float, chi: float) -> float:
    """The stable fixed point of the correlation map: 1 unless chi1 > 1."""
    from scipy.optimize import brentq

    if q == 0.0 or not math.isfinite(q) or chi <= 1.0 + CRITICAL_TOL:
        return 1.0

    def gap(c):
        return correlation_map(phi, sw, sb, q, c) - c

    g0 = gap(0.0)
    if g0 <= 0.0:
        return 0.0
    for k in range(1, 12):  # M(c) < c just below 1 (slope chi1 > 1 there)
        hi = 1.0 - 10.0 ** -k
        if gap(hi) < -1e-14:
            return float(brentq(gap, 0.0, hi, xtol=1e-15, rtol=1e-15))
    return 1.0


def _depth(slope: float) -> float | None:
    if not math.isfinite(slope) or slope < 0.0:
        return None
    if slope == 0.0:
        return 0.0
    if slope >= 1.0 - CRITICAL_TOL:
        return math.inf
    return -1.0 / math.log(slope)


def point(phi, sw: float, sb: float) -> Point:
    if sw < 0 or sb < 0 or not (math.isfinite(sw) and math.isfinite(sb)):
        raise ValueError("sigma_w and sigma_b must be finite and >= 0")
    q = fixed_q(phi, sw, sb)
    if not math.isfinite(q):
        return Point(sw, sb, math.inf, math.nan, None, None, None, "unbounded")
    chi = chi1(phi, sw, q)
    if q == 0.0:  # the map near 0 (phi(0) = 0, sigma_b = 0): V(q) ~ chi1 q
        slope_q = chi
    else:
        slope_q = (sw * sw * float(phi.slope_moment(math.sqrt(q))[0]) if not phi.jumps else
                   _fd_slope(lambda t: float(length_map(phi, sw, sb, t)[0]), q))
    c = fixed_c(phi, sw, sb, q, chi)
    if abs(chi - 1.0) <= CRITICAL_TOL:
        phase = "critical"
    else:
        phase = "ordered" if chi < 1.0 else "chaotic"
    if c < 1.0:
        slope_c = (sw * sw * phi.grad_pair(q, c) if not phi.jumps else
                   _fd_slope(lambda t: correlation_map(phi, sw, sb, q, t), c))
    else:
        slope_c = chi
    xi_c = math.inf if phase == "critical" else _depth(slope_c)
    return Point(sw, sb, q, chi, c, _depth(slope_q), xi_c, phase)


def _fd_slope(fn, x: float) -> float:
    """Central difference with one Richardson step."""
    h = 1e-3 * max(abs(x), 1e-3)
    if 0.0 < x < 1.0:  # a correlation: stay below 1
        h = min(h, (1.0 - x) / 3)
    d1 = (fn(x + h) - fn(x - h)) / (2 * h)
    d2 = (fn(x + h / 2) - fn(x - h / 2)) / h
    return (4 * d2 - d1) / 3


def predicted_layers(phi, sw: float, sb: float, depth: int, c0: float):
    """Iterated maps from unit inputs with correlation c0: per layer 1..depth the second
    moment q^l, the correlation c^l, the gradient RMS ratio to the last layer and the dead
    fraction P(phi'(h^l) = 0)."""
    qs, cs = [], []
    q, c = sw * sw + sb * sb, (sw * sw * c0 + sb * sb) / max(sw * sw + sb * sb, 1e-300)
    for _ in range(depth):
        qs.append(q)
        cs.append(c)
        if not math.isfinite(q) or q > 1e300:
            q, c = math.inf, math.nan
            continue
        q_next = float(length_map(phi, sw, sb, q)[0])
        if q > 0 and math.isfinite(q_next) and q_next > 0:
            cov = sw * sw * phi.pair(q, c) + sb * sb
            c = cov / q_next
        elif q_next == 0.0 and sb == 0.0:
            c = math.nan  # the signal has died: no correlation to speak of
        q = q_next
    q_arr = np.array(qs)
    with np.errstate(all="ignore"):
        s = np.sqrt(np.where(np.isfinite(q_arr), q_arr, np.nan))
        grad = np.where(np.isfinite(s), phi.grad_moment(np.nan_to_num(s)), np.nan)
    # E[delta_l^2] = sigma_w^2 E[phi'(h^l)^2] E[delta_{l+1}^2]; delta_L = g * phi'(h^L)
    second = np.empty(depth)
    second[-1] = grad[-1]
    for i in range(depth - 2, -1, -1):
        second[i] = sw * sw * grad[i] * second[i + 1]
    return {"variance": q_arr, "correlation": np.array(cs),
            "grad_norm": np.sqrt(second), "dead_fraction": phi.dead_fraction(np.nan_to_num(s))}
