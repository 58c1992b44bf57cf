"""The numba backend: the formulas of :mod:`actviz.kernels.formulas` compiled into loops.

Compile policy (one place): ``cache=True``, ``error_model="numpy"`` (no division checks, so
loops vectorize), lazy compilation on the first call, specialized only for 1-D contiguous
float32 or float64 arrays (the dispatcher hands every other layout over as contiguous
copies). Each (formula, dtype) pair is its own small function, compiled when first used:
a forward call compiles the forward only. Arrays of at least ``PARALLEL_MIN`` elements go
to a ``prange`` loop over blocks of ``BLOCK`` elements (the inner loop vectorizes); smaller
ones to a serial loop, which also keeps compilation cheap for small inputs.

float32 data goes to the float32 formulas of :mod:`actviz.kernels.fast32` where one
exists for the (activation, order, parameters); otherwise it is computed in float64 with
the vectorizable exp/expm1/log1p of :mod:`actviz.kernels.fastmath` and rounded once.
float64 data uses libm.
"""

from __future__ import annotations

import hashlib

import numpy as np
from numba import njit, prange

from actviz.kernels import fast32, fastmath
from actviz.kernels import formulas as F

PARALLEL_MIN = 1 << 16
BLOCK = 1 << 13


def _source_stamp() -> int:
    # The compiled loops inline the formulas; numba's cache only watches the file of the
    # cached function, so the formulas' source hash is part of each loop's cache key.
    h = hashlib.sha256()
    for mod in (F, fastmath, fast32):
        with open(mod.__file__, "rb") as fh:
            h.update(fh.read())
    return int(h.hexdigest()[:14], 16)


STAMP = _source_stamp()


def _tag(kind: int, parallel: bool) -> int:
    # Returned by each loop, so that it is a closure value: numba's cache key is the
    # bytecode and the closure values, not the ``parallel`` flag; without a distinct tag
    # the serial and parallel builds of one loop would load each other from the cache.
    return STAMP * 8 + 2 * kind + parallel


def _unary(fn, parallel: bool):
    tag = _tag(0, parallel)

    @njit(parallel=parallel, cache=True, error_model="numpy", nogil=True)
    def unary(x, out, p, t):
        for i in prange(x.size):
            xv = np.float64(x[i])
            r = fn(xv, p, t)
            out[i] = r if xv == xv else xv
        return tag

    return unary


def _binary(fn, parallel: bool):
    tag = _tag(1, parallel)

    @njit(parallel=parallel, cache=True, error_model="numpy", nogil=True)
    def binary(dy, x, out, p, t):
        for i in prange(x.size):
            xv = np.float64(x[i])
            r = fn(xv, p, t)
            out[i] = np.float64(dy[i]) * (r if xv == xv else xv)
        return tag

    return binary


def _unary32(fn, parallel: bool):
    tag = _tag(2, parallel)

    @njit(parallel=parallel, cache=True, nogil=True, **fast32.JIT)
    def unary32(x, out, p):
        for i in prange(x.size):
            xv = x[i]
            r = fn(xv, p)
            out[i] = r if xv == xv else xv
        return tag

    return unary32


def _binary32(fn, parallel: bool):
    tag = _tag(3, parallel)

    @njit(parallel=parallel, cache=True, nogil=True, **fast32.JIT)
    def binary32(dy, x, out, p):
        for i in prange(x.size):
            xv = x[i]
            r = fn(xv, p)
            out[i] = dy[i] * (r if xv == xv else xv)
        return tag

    return binary32


_LOOPS: dict = {}
_MAKERS = {(False, False): _unary, (True, False): _binary, (False, True): _unary32,
           (True, True): _binary32}


def _loop(fn, binary: bool, parallel: bool, f32: bool = False):
    key = (fn, binary, parallel, f32)
    loop = _LOOPS.get(key)
    if loop is None:
        loop = _LOOPS[key] = _MAKERS[binary, f32](fn, parallel)
    return loop


def run(fn, x, out, p, dy=None, fast=None) -> None:
    """out[i] = fn(x[i]) (or dy[i]*fn(x[i])) for 1-D contiguous arrays of one float dtype;
    ``fast`` is ``(formula, float32 params)`` from :func:`fast32.lookup` for float32 data."""
    n = x.size
    if n == 0:
        return
    parallel = n >= PARALLEL_MIN
    if fast is not None and out.dtype == np.float32:
        fn32, p32 = fast
        if dy is None:
            _loop(fn32, False, parallel, True)(x, out, p32)
        else:
            _loop(fn32, True, parallel, True)(dy, x, out, p32)
        return
    tag = out.dtype.type(0)
    if dy is None:
        _loop(fn, False, parallel)(x, out, p, tag)
    else:
        _loop(fn, True, parallel)(dy, x, out, p, tag)


def loops_compiled() -> int:
    """How many compiled specializations exist (tests keep this small)."""
    return sum(len(loop.signatures) for loop in _LOOPS.values())
