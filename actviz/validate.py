"""Checks of the numbers a user gives, shared by the library and every command."""

from __future__ import annotations

import math

from actviz.errors import ActvizError

MAX_ABS_X = 1e300  # an x range must stay this far inside float64 (its width must be finite)


def x_range(lo: float, hi: float, what: str = "--range") -> tuple[float, float]:
    """A range of x: finite LO < HI within ±1e300."""
    lo, hi = float(lo), float(hi)
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ActvizError(f"{what} needs finite LO < HI, got {lo:g} {hi:g}")
    if max(abs(lo), abs(hi)) > MAX_ABS_X:
        raise ActvizError(f"{what} must lie within ±{MAX_ABS_X:g}, got {lo:g} {hi:g}")
    return lo, hi


def int_between(value: int, lo: int, hi: int, what: str) -> int:
    """An integer option within [lo, hi] (inclusive)."""
    if not lo <= value <= hi:
        raise ActvizError(f"{what} must be from {lo} to {hi}, got {value}")
    return value
