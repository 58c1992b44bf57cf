"""The numba backend: the formulas of :mod:`actviz.kernels.formulas` compiled into loops.

Compile policy (one place): ``cache=True``, ``error_model="numpy"`` (no division checks, so
loops vectorize), lazy compilation on the first call, specialized only for 1-D contiguous
float32 or float64 arrays (the dispatcher hands every other layout over as contiguous
copies). Each (formula, dtype) pair is its own small function, compiled when first used:
a forward call compiles the forward only. Arrays of at least ``PARALLEL_MIN`` elements go
to a ``prange`` loop over blocks of ``BLOCK`` elements (the inner loop vectorizes); smaller
ones to a serial loop, which also keeps compilation cheap for small inputs.

float32 data is computed in float64 with the vectorizable exp/expm1/log1p of
:mod:`actviz.kernels.fastmath` and rounded once; float64 data uses libm.
"""

from __future__ import annotations

import hashlib

import numpy as np
from numba import njit, prange

from actviz.kernels import fastmath
from actviz.kernels import formulas as F

PARALLEL_MIN = 1 << 16
BLOCK = 1 << 13


def _source_stamp() -> int:
    # The compiled loops inline the formulas; numba's cache only watches the file of the
    # cached function, so the formulas' source hash is part of each loop's cache key.
    h = hashlib.sha256()
    for mod in (F, fastmath):
        with open(mod.__file__, "rb") as fh:
            h.update(fh.read())
    return int(h.hexdigest()[:14], 16)


STAMP = _source_stamp()


def _unary(fn, parallel: bool):
    stamp = STAMP
    if parallel:

        @njit(parallel=True, cache=True, error_model="numpy", nogil=True)
        def unary_par(x, out, p, t):
            for i in prange(x.size):
                xv = np.float64(x[i])
                r = fn(xv, p, t)
                out[i] = r if xv == xv else xv
            return stamp

        return unary_par

    @njit(cache=True, error_model="numpy", nogil=True)
    def unary_ser(x, out, p, t):
        for i in range(x.size):
            xv = np.float64(x[i])
            r = fn(xv, p, t)
            out[i] = r if xv == xv else xv
        return stamp + 1

    return unary_ser


def _binary(fn, parallel: bool):
    stamp = STAMP
    if parallel:

        @njit(parallel=True, cache=True, error_model="numpy", nogil=True)
        def binary_par(dy, x, out, p, t):
            for i in prange(x.size):
                xv = np.float64(x[i])
                r = fn(xv, p, t)
                out[i] = np.float64(dy[i]) * (r if xv == xv else xv)
            return stamp

        return binary_par

    @njit(cache=True, error_model="numpy", nogil=True)
    def binary_ser(dy, x, out, p, t):
        for i in range(x.size):
            xv = np.float64(x[i])
            r = fn(xv, p, t)
            out[i] = np.float64(dy[i]) * (r if xv == xv else xv)
        return stamp + 1

    return binary_ser


_LOOPS: dict = {}


def _loop(fn, binary: bool, parallel: bool):
    key = (fn, binary, parallel)
    loop = _LOOPS.get(key)
    if loop is None:
        loop = _LOOPS[key] = (_binary if binary else _unary)(fn, parallel)
    return loop


def run(fn, x, out, p, dy=None) -> None:
    """out[i] = fn(x[i]) (or dy[i]*fn(x[i])) for 1-D contiguous arrays of one float dtype."""
    n = x.size
    if n == 0:
        return
    tag = out.dtype.type(0)
    parallel = n >= PARALLEL_MIN
    if dy is None:
        _loop(fn, False, parallel)(x, out, p, tag)
    else:
        _loop(fn, True, parallel)(dy, x, out, p, tag)


def loops_compiled() -> int:
    """How many compiled specializations exist (tests keep this small)."""
    return sum(len(loop.signatures) for loop in _LOOPS.values())
