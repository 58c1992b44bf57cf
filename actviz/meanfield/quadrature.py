"""Gaussian expectations of piecewise-smooth functions, exact to ~1e-13, vectorized.

``E[g(s z)]`` for z ~ N(0, 1) and many scales ``s`` at once, and the two-dimensional
``E[g(u1) h(u2)]`` for a pair of correlated Gaussians, both by Gauss-Legendre rules on
panels whose edges include the function's breakpoints (its kinks and jumps, mapped into z),
so that no panel straddles a kink: a rule over the whole line (Gauss-Hermite) converges
slowly there. Panels are at most ``Z_STEP`` wide in z and ``X_STEP`` in x = s z (sharp but
smooth transitions such as tanh at large s are resolved too), and the line is cut at
|z| = ``Z_MAX`` (the mass beyond is 1e-32). ``g`` takes and returns arrays of any shape.
"""

from __future__ import annotations

import functools
import math

import numpy as np

Z_MAX = 12.0
Z_STEP = 0.5
X_STEP = 0.5
X_SPAN = 24.0  # x-space panels cover |x| <= X_SPAN
TAIL_TOL = 1e-14  # the outermost panels may carry at most this share of the integral
TAIL_FLOOR = 1e-28
NODES = 16  # Gauss-Legendre nodes per panel (1-D)
NODES_2D = 10  # per panel in each direction of the 2-D rule, on panels twice as wide
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


@functools.lru_cache(maxsize=4)
def _grid(step: float, span: float) -> np.ndarray:
    return np.arange(-span, span + step / 2, step)


@functools.lru_cache(maxsize=4)
def _legendre(n: int):
    t, w = np.polynomial.legendre.leggauss(n)
    return t, w


def _panels(edges: np.ndarray, n: int):
    """Nodes and weights (rows of ``edges``: sorted panel edges in z) for E[. (z)] under the
    standard normal density: arrays of shape (rows, panels * n)."""
    t, w = _legendre(n)
    lo, hi = edges[:, :-1, None], edges[:, 1:, None]
    half = 0.5 * (hi - lo)
    z = (lo + hi) * 0.5 + half * t
    wt = half * w * np.exp(-0.5 * z * z) * _INV_SQRT_2PI
    rows = edges.shape[0]
    return z.reshape(rows, -1), wt.reshape(rows, -1)


def _edges(shift: np.ndarray, scale: np.ndarray, breakpoints, wide: int = 1) -> np.ndarray:
    """Panel edges in z for x = shift + scale * z, one row per (shift, scale); panels
    ``wide`` times the default width."""
    shift = np.asarray(shift, dtype=float).reshape(-1, 1)
    scale = np.asarray(scale, dtype=float).reshape(-1, 1)
    zg = _grid(Z_STEP * wide, Z_MAX)
    bx = np.concatenate([_grid(X_STEP * wide, X_SPAN), np.asarray(breakpoints, dtype=float)])
    with np.errstate(divide="ignore", invalid="ignore"):
        mapped = (bx[None, :] - shift) / scale
    mapped = np.where(np.isfinite(mapped), mapped, -Z_MAX)
    cuts = np.clip(mapped, -Z_MAX, Z_MAX)
    rows = np.broadcast_shapes(shift.shape, scale.shape)[0]
    edges = np.concatenate([np.broadcast_to(zg, (rows, zg.size)), cuts], axis=1)
    return np.sort(edges, axis=1)


def expect(g, scales, breakpoints=()) -> np.ndarray:
    """E[g(s z)] for each s in ``scales`` (positive), z ~ N(0, 1); ``breakpoints`` are the
    x values where g (or a derivative) jumps."""
    s = np.atleast_1d(np.asarray(scales, dtype=float))
    z, w = _panels(_edges(np.zeros_like(s), s, breakpoints), NODES)
    with np.errstate(all="ignore"):
        v = np.where(w > 0, g(s[:, None] * z), 0.0)
        total = np.einsum("ij,ij->i", w, v)
        # the integrand must have died out at |z| = Z_MAX: otherwise the integral (of a
        # function growing like exp(x^2 / 2q) or faster, or peaking beyond the cut) is NaN
        mass = np.einsum("ij,ij->i", w, np.abs(v))
        tail = np.einsum("ij,ij->i", w * (np.abs(z) > Z_MAX - Z_STEP), np.abs(v))
    # (a tail below TAIL_FLOOR (1 + s^2) is negligible however large its share: a function
    # that is 0 until far out in the tail, such as thresholded_relu at a tiny scale)
    bad = (tail > TAIL_TOL * mass) & (tail > TAIL_FLOOR * (1.0 + s * s))
    return np.where(bad, np.nan, total)


def expect_pair(g, h, q: float, c: float, breakpoints=()) -> float:
    """E[g(u1) h(u2)] for (u1, u2) Gaussian with variances q and correlation c: u1 = s z1,
    u2 = s (c z1 + sqrt(1 - c^2) z2), s = sqrt(q)."""
    s = math.sqrt(q)
    c = min(max(float(c), -1.0), 1.0)
    if 1.0 - abs(c) < 1e-12:  # u2 = ±u1
        return float(expect(lambda x: g(x) * h(math.copysign(1.0, c) * x), [s],
                            breakpoints)[0])
    r = math.sqrt(1.0 - c * c)
    # the inner expectation, a function of z1, turns sharply where its kinks cross
    # (u1 = k / c, over a width s r / c when the inputs are nearly alike): outer panels there
    outer = list(breakpoints)
    if r < 0.5 and c != 0.0:
        step = 0.25 * s * r / abs(c)
        outer += [k / c + j * step for k in breakpoints for j in range(-24, 25)]
    z1, w1 = _panels(_edges(np.zeros(1), np.array([s]), outer, 2), NODES_2D)
    z1, w1 = z1[0], w1[0]
    keep = w1 > 1e-300
    z1, w1 = z1[keep], w1[keep]
    shift = s * c * z1
    z2, w2 = _panels(_edges(shift, np.full_like(shift, s * r), breakpoints, 2), NODES_2D)
    with np.errstate(all="ignore"):
        v = h(shift[:, None] + s * r * z2)
        inner = np.einsum("ij,ij->i", w2, np.where(w2 > 0, v, 0.0))
        outer = g(s * z1)
    return float(np.dot(w1, outer * inner))
