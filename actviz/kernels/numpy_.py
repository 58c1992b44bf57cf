"""The NumPy backend: the reference twin of every accelerated path.

It evaluates the element formulas of :mod:`actviz.kernels.formulas` on arrays in float64
(``np.where`` for the pieces, NumPy/SciPy's libm-quality functions) and rounds once into
``out``. It works through the data in blocks of ``BLOCK`` elements, so that the float64
temporaries of a formula (a dozen arrays for gelu) cost a constant, not a multiple of the
input: the memory used stays within about 3x the input (a flattened copy of a strided input
and a staging copy for a strided output at most) plus a few MiB. Always available; any
shape, strides and dtype the dispatcher accepts.
"""

from __future__ import annotations

import numpy as np

BLOCK = 1 << 15


def run(pl, which: str, x, dy, out) -> None:
    """out[...] = f(x) (or dy*f(x)), NaN where x is NaN, computed in float64."""
    fn = getattr(pl.kernel, which)
    out_nd = out.view(np.ndarray)
    x = np.asarray(x)
    if x.size <= BLOCK:
        out_nd[...] = _block(fn, x, None if dy is None else np.asarray(dy), pl.p)
        return
    xf = x.reshape(-1)  # a view where x is contiguous, else one copy
    df = None if dy is None else np.asarray(dy).reshape(-1)
    direct = out_nd.flags.c_contiguous
    of = out_nd.reshape(-1) if direct else np.empty(out_nd.size, dtype=out_nd.dtype)
    for i in range(0, xf.size, BLOCK):
        j = min(i + BLOCK, xf.size)
        of[i:j] = _block(fn, xf[i:j], None if df is None else df[i:j], pl.p)
    if not direct:
        out_nd[...] = of.reshape(out_nd.shape)


def _block(fn, x, dy, p):
    xf = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        r = fn(xf, p, None)
        r = np.where(np.isnan(xf), xf, r)
        if dy is not None:
            r = np.asarray(dy, dtype=np.float64) * r
        # rounding to float32/16 may overflow to inf where the value is beyond their range
        return np.asarray(r)
