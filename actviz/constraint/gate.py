"""The gate of section 2: an activation applied to k (x² + y² − 25), evaluated through
``actviz.kernels`` (value and derivative, the catalog's convention at kinks: hard_sigmoid' = 0
there), and the band of x² + y² where its derivative is not zero."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from actviz import kernels
from actviz.constraint.problem import BOX, RADIUS2, THRESHOLD, Constraint
from actviz.errors import ActvizError


@dataclass
class Gate:
    """``gate(k (x² + y² − 25)) ≤ 1/2`` with the gate's value and derivative as scalars
    (the kernels' formulas, with their conventions at kinks)."""

    fn: object  # actviz.light.CatalogFunction (catalog entries) or actviz.symbolic.Function
    k: float
    g0: Callable[[float], float]
    g1: Callable[[float], float]

    @classmethod
    def load(cls, spec: str, params: dict[str, str] | None, k: float) -> Gate:
        from actviz import light

        if not (math.isfinite(k) and k > 0):
            raise ActvizError(f"the gate's steepness k must be a positive number, got {k}")
        (fn,) = light.load_any([spec], params)  # evaluated through the kernels only
        return cls(fn, float(k), kernels.scalar_function(fn, 0), kernels.scalar_function(fn, 1))

    def u(self, p) -> float:
        # an array's entries as Python floats: the same IEEE arithmetic, a third of the time
        # of NumPy scalars (the basin maps evaluate this some 300 000 times)
        x, y = p.tolist() if hasattr(p, "tolist") else p
        return self.k * (x * x + y * y - RADIUS2)

    def slope(self, p) -> float:
        """d gate / d(x² + y²) at p (0 on the flat pieces)."""
        return self.g1(self.u(p)) * self.k

    def constraint(self) -> Constraint:
        import numpy as np

        return Constraint(
            f"{self.fn.label}({self.k:g}(x^2 + y^2 - 25)) <= 1/2",
            lambda p: THRESHOLD - self.g0(self.u(p)),
            lambda p: -2.0 * self.slope(p) * np.asarray(p, dtype=float),
        )


def hard_band(gate: Gate) -> tuple[float, float] | None:
    """x² + y² interval on which the gate's derivative is non-zero (probed, edges bisected)."""
    import numpy as np

    def sloped(r2):
        return gate.g1(gate.k * (r2 - RADIUS2)) != 0.0

    r2 = np.linspace(0.0, 2 * BOX[1] ** 2, 20001)
    on = np.flatnonzero(kernels.derivative(gate.fn, gate.k * (r2 - RADIUS2), 1) != 0)
    if on.size == 0:
        return None

    def edge(inside, outside):
        for _ in range(80):
            mid = 0.5 * (inside + outside)
            inside, outside = (mid, outside) if sloped(mid) else (inside, mid)
        return inside

    lo = edge(r2[on[0]], r2[on[0] - 1]) if on[0] > 0 else float(r2[0])
    hi = edge(r2[on[-1]], r2[on[-1] + 1]) if on[-1] < r2.size - 1 else float(r2[-1])
    return (float(lo), float(hi))
