"""The kernel formulas one value at a time, compiled: for other compiled loops and for Python.

``pair(f, d1, p)`` is ``x -> (f(x), f'(x))`` with the signature :data:`PAIR_SIG`, passed as a
first-class function into other compiled loops (so they compile once for every activation);
``scalar(fn, p)`` is ``x -> fn(x)`` for scalar callers such as scipy's optimizers. Both are
the formulas of the element loops, with the float64 type tag (libm). ``vector_pair(f, d1, p)``
is ``(z, fz, dz) -> fz[:] = f(z), dz[:] = f'(z)`` over short float64 arrays (the XOR trainer's
seeds side by side), with the float32 tag: the vectorizable float64 elementary functions of
:mod:`.math64` (about 1 ulp), so that LLVM vectorizes the loop.
"""

from __future__ import annotations

import functools
import hashlib

import numpy as np
from numba import njit, types

from actviz.kernels.numba_ import dialect
from actviz.kernels.numba_.policy import FORMULA, STAMP, cacheable

SCALAR_SIG = types.float64(types.float64)
PAIR_SIG = types.UniTuple(types.float64, 2)(types.float64)
VECTOR_PAIR_SIG = types.void(types.float64[::1], types.float64[::1], types.float64[::1])
_T64 = np.float64(0.0)
_FAST = np.float32(0.0)  # the tag of math64's vectorizable functions (arithmetic in float64)


def _own_name(fn, name: str, *parts) -> None:
    """Give the closure ``fn`` a name of its own (``name`` and a digest of ``parts``).

    numba names a compiled function by its qualified name and a per-process counter, and a
    first-class function is called through the address of that symbol, looked up by name in
    the one JIT engine. Closures of one ``def`` loaded from the disk cache (compiled in
    different processes) can carry the same symbol name, so a loop handed one of them would
    call another (the XOR trainer trained with the activation of an earlier call). A name
    per formula and parameters keeps the symbols (and the cache files) apart."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
    fn.__name__ = fn.__qualname__ = f"{name}_{digest}"


def _identity(fn) -> tuple:
    # a module-level formula by its name; a generated one (never cached) by its object
    cached = cacheable(fn)
    return (fn.__module__, fn.__qualname__) + (() if cached else (id(fn),))


@functools.cache
def pair(f, d1, p: tuple):
    dialect.jitable(f)
    dialect.jitable(d1)
    stamp = STAMP  # a closure value: the formulas' source is part of numba's cache key

    def fdf(x):
        _ = stamp
        return f(x, p, _T64), d1(x, p, _T64)

    _own_name(fdf, "fdf", _identity(f), _identity(d1), p)
    return njit(PAIR_SIG, cache=cacheable(f, d1), **FORMULA)(fdf)


@functools.cache
def vector_pair(f, d1, p: tuple):
    dialect.jitable(f)
    dialect.jitable(d1)
    stamp = STAMP

    def vfdf(z, fz, dz):
        _ = stamp
        for i in range(z.shape[0]):
            fz[i] = f(z[i], p, _FAST)
            dz[i] = d1(z[i], p, _FAST)

    _own_name(vfdf, "vfdf", _identity(f), _identity(d1), p)
    return njit(VECTOR_PAIR_SIG, cache=cacheable(f, d1), **FORMULA)(vfdf)


@functools.cache
def scalar(fn, p: tuple):
    dialect.jitable(fn)
    stamp = STAMP

    def one(x):
        _ = stamp
        r = fn(x, p, _T64)
        return r if x == x else x

    _own_name(one, "one", _identity(fn), p)
    return njit(SCALAR_SIG, cache=cacheable(fn), **FORMULA)(one)
