"""The kernel formulas one value at a time, compiled: for other compiled loops and for Python.

``pair(f, d1, p)`` is ``x -> (f(x), f'(x))`` with the signature :data:`PAIR_SIG`, passed as a
first-class function into the XOR training loop (so that loop compiles once for every
activation); ``scalar(fn, p)`` is ``x -> fn(x)`` for scalar callers such as scipy's
optimizers. Both are the formulas of the element loops, with the float64 type tag (libm).
"""

from __future__ import annotations

import functools

import numpy as np
from numba import njit, types

from actviz.kernels.numba_ import dialect
from actviz.kernels.numba_.policy import FORMULA, STAMP, cacheable

SCALAR_SIG = types.float64(types.float64)
PAIR_SIG = types.UniTuple(types.float64, 2)(types.float64)
_T64 = np.float64(0.0)


@functools.cache
def pair(f, d1, p: tuple):
    dialect.jitable(f)
    dialect.jitable(d1)
    stamp = STAMP  # a closure value: the formulas' source is part of numba's cache key

    @njit(PAIR_SIG, cache=cacheable(f, d1), **FORMULA)
    def fdf(x):
        _ = stamp
        return f(x, p, _T64), d1(x, p, _T64)

    return fdf


@functools.cache
def scalar(fn, p: tuple):
    dialect.jitable(fn)
    stamp = STAMP

    @njit(SCALAR_SIG, cache=cacheable(fn), **FORMULA)
    def one(x):
        _ = stamp
        r = fn(x, p, _T64)
        return r if x == x else x

    return one
