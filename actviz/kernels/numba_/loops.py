"""The element loops of the numba backend: one definition per loop kind.

``unary`` (``out[i] = f(x[i])``) and ``binary`` (``out[i] = dy[i] * f(x[i])``), each in a
float64 build (the formula computes in float64 whatever the data; the type tag ``t`` chooses
libm or the vectorizable elementary functions, see :mod:`.dialect`) and a float32 build (the
formulas of :mod:`.formulas32`). Loops are made per formula when first needed and kept; the
compile options come from :mod:`.policy`. NaN in gives NaN out.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from actviz.kernels.numba_.policy import STAMP, cacheable, loop_options, wide_vectors


def _tag(kind: int, parallel: bool) -> int:
    # Returned by each loop, so that it is a closure value: numba's cache key is the
    # bytecode and the closure values, not the ``parallel`` flag; without a distinct tag
    # the serial and parallel builds of one loop would load each other from the cache.
    return STAMP * 8 + 2 * kind + parallel


def _unary(fn, parallel: bool, cache: bool):
    tag = _tag(0, parallel)

    @njit(**loop_options(parallel, cache))
    def unary(x, out, p, t):
        for i in prange(x.size):
            xv = np.float64(x[i])
            r = fn(xv, p, t)
            out[i] = r if xv == xv else xv
        return tag

    return unary


def _binary(fn, parallel: bool, cache: bool):
    tag = _tag(1, parallel)

    @njit(**loop_options(parallel, cache))
    def binary(dy, x, out, p, t):
        for i in prange(x.size):
            xv = np.float64(x[i])
            r = fn(xv, p, t)
            out[i] = np.float64(dy[i]) * (r if xv == xv else xv)
        return tag

    return binary


def _unary32(fn, parallel: bool, cache: bool):
    tag = _tag(2, parallel)

    @njit(**loop_options(parallel, cache, float32=True))
    def unary32(x, out, p):
        for i in prange(x.size):
            wide_vectors()
            xv = x[i]
            r = fn(xv, p)
            out[i] = r if xv == xv else xv
        return tag

    return unary32


def _binary32(fn, parallel: bool, cache: bool):
    tag = _tag(3, parallel)

    @njit(**loop_options(parallel, cache, float32=True))
    def binary32(dy, x, out, p):
        for i in prange(x.size):
            wide_vectors()
            xv = x[i]
            r = fn(xv, p)
            out[i] = dy[i] * (r if xv == xv else xv)
        return tag

    return binary32


_LOOPS: dict = {}
_MAKERS = {(False, False): _unary, (True, False): _binary, (False, True): _unary32,
           (True, True): _binary32}


def loop(fn, binary: bool, parallel: bool, f32: bool = False):
    """The loop of kind (binary, f32) over the formula ``fn``, made once."""
    key = (fn, binary, parallel, f32)
    made = _LOOPS.get(key)
    if made is None:
        made = _LOOPS[key] = _MAKERS[binary, f32](fn, parallel, cacheable(fn))
    return made


def loops_compiled() -> int:
    """How many compiled specializations exist (tests keep this small)."""
    return sum(len(made.signatures) for made in _LOOPS.values())
