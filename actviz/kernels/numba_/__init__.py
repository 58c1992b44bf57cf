"""The numba backend: the formulas of :mod:`actviz.kernels.formulas` compiled into loops.

Layout: the loops (:mod:`.loops`) take 1-D contiguous arrays of one float dtype in native
byte order, float32 or float64; :func:`run` hands them over as such (a view where the arrays
already are, contiguous native copies otherwise, and a copy back into ``out`` when it is not
writable as one run of memory). float32 data goes to the float32 formulas of
:mod:`.formulas32` where one exists for the (activation, order, parameters), or to the
float32 select loops of :mod:`.select32` (a forward only on CPUs without AVX-512);
otherwise it is computed in float64 with the vectorizable elementary functions of
:mod:`.math64` and rounded once.
float64 data (of either byte order) is computed in float64 with libm.

:mod:`.scalar` makes the same formulas callable one value (or one short array) at a time
from other compiled loops (the XOR trainer) and from Python (the constraint example).
"""

from __future__ import annotations

import numpy as np

from actviz import numba_env

numba_env.skip_blas_probe()  # before numba's first compile or cache load (0.3-1 s less)

from actviz.kernels.numba_ import dialect, formulas32, loops, select32  # noqa: E402
from actviz.kernels.numba_.policy import PARALLEL_MIN  # noqa: E402

__all__ = ["run", "loops_compiled"]

loops_compiled = loops.loops_compiled


def run(pl, which: str, x, dy, out) -> None:
    """out[...] = f(x) (or dy * f(x)) for the formula ``which`` of the plan ``pl``."""
    fn = dialect.jitable(getattr(pl.kernel, which))
    out_nd = out.view(np.ndarray)  # an ndarray subclass (np.matrix) is written as plain memory
    x = np.asarray(x)
    cdt = np.dtype(np.float64 if out.dtype.itemsize == 8 else np.float32)
    arrays = [x, out_nd] + ([np.asarray(dy)] if dy is not None else [])
    order = next((o for o in "CF" if all(a.flags[f"{o}_CONTIGUOUS"] for a in arrays)), None)
    same = out_nd.dtype == cdt and order is not None and not any(
        np.may_share_memory(out_nd, a) and not _same_view(out_nd, a)
        for a in arrays[:1] + arrays[2:])
    o1 = out_nd.reshape(-1, order=order) if same else np.empty(out_nd.size, dtype=cdt)
    order = order or "C"
    x1 = np.ascontiguousarray(np.asarray(x, dtype=cdt).reshape(-1, order=order))
    d1 = None if dy is None else np.ascontiguousarray(
        np.asarray(dy, dtype=cdt).reshape(-1, order=order))
    fast = None
    if cdt == np.float32:
        fast = formulas32.lookup(pl.kernel.name, which, pl.exact, pl.p) or \
            select32.lookup(fn, pl.p, backward=dy is not None)
    _loop_run(fn, x1, o1, pl.p, d1, fast)
    if not same:
        with np.errstate(over="ignore"):  # float16 out: values beyond its range become inf
            out_nd[...] = o1.reshape(out_nd.shape, order=order)


def _loop_run(fn, x, out, p, dy=None, fast=None) -> None:
    n = x.size
    if n == 0:
        return
    parallel = n >= PARALLEL_MIN
    hinted = x.nbytes >= loops.HINT_MIN_BYTES
    if fast is not None:
        fn32, p32 = fast
        if dy is None:
            loops.loop(fn32, False, parallel, True, hinted)(x, out, p32, 0)
        else:
            loops.loop(fn32, True, parallel, True, hinted)(dy, x, out, p32, 0)
        return
    tag = out.dtype.type(0)
    if dy is None:
        loops.loop(fn, False, parallel, False, hinted)(x, out, p, tag)
    else:
        loops.loop(fn, True, parallel, False, hinted)(dy, x, out, p, tag)


def _same_view(a, b) -> bool:
    return (a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
            and a.strides == b.strides and a.dtype.itemsize == b.dtype.itemsize)
