"""An activation for the mean-field analysis: phi and its derivatives through actviz.kernels,
and the facts the integrals need (breakpoints, jumps, zero-gradient intervals, max |phi'|).
"""

from __future__ import annotations

import numpy as np

from actviz import kernels
from actviz.errors import ActvizError
from actviz.meanfield import quadrature

CHECK_GRID = np.linspace(-60.0, 60.0, 24001)
SYMBOLIC_BUDGET_S = 10.0


class Phi:
    """phi, phi', phi'' of an :class:`actviz.symbolic.Function` on float64 arrays (the kernels'
    numba backend where installed, NumPy otherwise), with its breakpoints in x."""

    def __init__(self, fn, backend: str = "auto"):
        from actviz import budget, kinks, pieces
        from actviz.properties import zero_gradient_intervals

        self.fn = fn
        self.label = fn.label
        self.plan = kernels.plan(fn)
        self.backend = kernels.choose(backend)
        with budget.time_limit(SYMBOLIC_BUDGET_S, f"finding the kinks of {fn.label}"):
            pts = pieces.float_points(kinks._piecewise(fn.expr))
            self.zero_grad = zero_gradient_intervals(fn.derivative(1))
            found = kinks.find(fn, 1) if pts else []
        self.breakpoints = pts
        self.jumps = [k.x for k in found if k.order == 0]
        y = self.f(CHECK_GRID)
        d = self.d1(CHECK_GRID)
        bad = ~np.isfinite(y) | ~np.isfinite(d)
        if bad.any():
            x0 = float(CHECK_GRID[np.argmax(bad)])
            raise ActvizError(f"{fn.label} is not finite at x = {x0:g}: the Gaussian "
                              "integrals of signal propagation need phi defined on the whole "
                              "real line")
        self.max_abs_d1 = float(np.max(np.abs(d)))
        self.at_zero = float(self.f(np.zeros(1))[0])

    def _eval(self, x, order: int):
        x = np.asarray(x, dtype=np.float64)
        flat = np.ascontiguousarray(x.reshape(-1))  # one compiled signature (1-D) serves all
        return kernels.derivative(self.plan, flat, order, backend=self.backend).reshape(x.shape)

    def f(self, x):
        return self._eval(x, 0)

    def d1(self, x):
        return self._eval(x, 1)

    # Gaussian expectations at scales s = sqrt(q), vectorized over s
    def second_moment(self, scales):
        """E[phi(s z)^2]."""
        return quadrature.expect(lambda x: self.f(x) ** 2, scales, self.breakpoints)

    def mean(self, scales):
        """E[phi(s z)]."""
        return quadrature.expect(self.f, scales, self.breakpoints)

    def grad_moment(self, scales):
        """E[phi'(s z)^2] (the delta of a jump left out: see :attr:`jumps`)."""
        return quadrature.expect(lambda x: self.d1(x) ** 2, scales, self.breakpoints)

    def slope_moment(self, scales):
        """E[z phi(s z) phi'(s z)] / s, the derivative in q of E[phi(sqrt(q) z)^2]."""
        s = np.atleast_1d(np.asarray(scales, dtype=float))
        return quadrature.expect(lambda x: x * self.f(x) * self.d1(x), s,
                                 self.breakpoints) / (s * s)

    def pair(self, q: float, c: float) -> float:
        """E[phi(u1) phi(u2)], u1, u2 ~ N(0, q) with correlation c."""
        return quadrature.expect_pair(self.f, self.f, q, c, self.breakpoints)

    def grad_pair(self, q: float, c: float) -> float:
        """E[phi'(u1) phi'(u2)]."""
        return quadrature.expect_pair(self.d1, self.d1, q, c, self.breakpoints)

    def dead_fraction(self, scales):
        """P(phi'(s z) = 0): the Gaussian mass of the zero-gradient intervals."""
        s = np.atleast_1d(np.asarray(scales, dtype=float))
        out = np.zeros_like(s)
        for lo, hi in self.zero_grad:
            with np.errstate(divide="ignore", invalid="ignore"):
                out += _normal_cdf(np.where(s > 0, hi / s, np.sign(hi) * np.inf)) - _normal_cdf(
                    np.where(s > 0, lo / s, np.sign(lo) * np.inf))
        return out


def _normal_cdf(t):
    from scipy.special import ndtr

    return ndtr(t)


def load(specs, params=None, backend: str = "auto") -> list[Phi]:
    """Activations from names, NAME:VARIANT or expressions with ``-p`` shared by the one rule
    of :func:`actviz.symbolic.load_all`."""
    from actviz import symbolic

    return [Phi(fn, backend) for fn in symbolic.load_all(specs, params)]
