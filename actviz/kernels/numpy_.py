"""The NumPy backend: the reference twin of every accelerated path.

It evaluates the element formulas of :mod:`actviz.kernels.formulas` on whole arrays in
float64 (``np.where`` for the pieces, NumPy/SciPy's libm-quality functions) and rounds once
into ``out``. Always available; any shape, strides and dtype the dispatcher accepts.
"""

from __future__ import annotations

import numpy as np


def run(pl, which: str, x, dy, out) -> None:
    """out[...] = f(x) (or dy*f(x)), NaN where x is NaN, computed in float64."""
    fn = getattr(pl.kernel, which)
    xf = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        r = fn(xf, pl.p, None)
        r = np.where(np.isnan(xf), xf, r)
        if dy is not None:
            r = np.asarray(dy, dtype=np.float64) * r
        out[...] = r  # rounding to float32/16 may overflow to inf where the value is beyond
