"""Gaussian expectations of an activation: E[g(z)] for z ~ N(0, 1), exact to ~1e-12.

Integrated piece by piece between the points where g or its derivatives jump (kinks, the
zeros of Piecewise conditions), so that adaptive quadrature never straddles a kink (a rule
such as Gauss-Hermite over the whole line is wrong there): ``quad`` on each piece, the two
outer pieces to infinity.
"""

from __future__ import annotations

import math

SQRT_2PI = math.sqrt(2.0 * math.pi)


def expectation(g, breakpoints=(), scale: float = 1.0) -> float:
    """E[g(scale * z)], z ~ N(0, 1), for a float -> float function ``g`` (vectorized or
    scalar), split at ``breakpoints`` (x values where g is not smooth)."""
    import numpy as np
    from scipy.integrate import quad

    if scale <= 0:
        raise ValueError("scale must be positive")
    cuts = sorted({float(b) / scale for b in breakpoints if math.isfinite(float(b))} | {0.0})
    edges = [-math.inf, *cuts, math.inf]

    def integrand(z):
        with np.errstate(all="ignore"):
            v = float(np.asarray(g(scale * z), dtype=float))
        return v * math.exp(-0.5 * z * z) / SQRT_2PI if v != 0.0 else 0.0  # NaN stays NaN

    import warnings

    from scipy.integrate import IntegrationWarning

    total = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IntegrationWarning)
        for a, b in zip(edges[:-1], edges[1:]):
            val, _ = quad(integrand, a, b, epsabs=1e-15, epsrel=1e-13, limit=200)
            total += val
    return total  # NaN where g is undefined on part of the line


def moments(g, breakpoints=(), scale: float = 1.0) -> tuple[float, float]:
    """(E[g], E[g**2]) for z ~ N(0, scale**2)."""
    import numpy as np

    def sq(u):
        v = np.asarray(g(u), dtype=float)
        return v * v

    return expectation(g, breakpoints, scale), expectation(sq, breakpoints, scale)
