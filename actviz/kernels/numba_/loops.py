"""The element loops of the numba backend: one definition per loop kind.

``unary`` (``out[i] = f(x[i])``) and ``binary`` (``out[i] = dy[i] * f(x[i])``), each in a
float64 build (the formula computes in float64 whatever the data; the type tag ``t`` chooses
libm or the vectorizable elementary functions, see :mod:`.dialect`) and a float32 build (the
formulas of :mod:`.formulas32`). Loops are made per formula when first needed and kept; the
compile options come from :mod:`.policy`. NaN in gives NaN out: the loop tests for it,
except for a float32 formula marked :func:`.math32.passes_nan`, which returns NaN itself.

Each kind's element loop is written once, as a function over whole arrays (``_body_*``),
compiled on its own (``policy.separate``: never inlined into its caller). The serial loop
calls it once; the parallel loop calls it on slices of ``SLICE`` elements from a ``prange``
over the slices (each thread gets one contiguous run of them). It is not a ``prange`` over
the elements because numba's parfor kernel, with its extra live values, made LLVM re-load
every constant of the formula from its address in each iteration instead of keeping it in
a register or on the stack (for AVX2 code, 16 registers: sigmoid f ran 30-50% slower on
one thread than the serial loop; benchmarks/RESULTS.md, "Seventh round"). A separate
function gets the serial loop's register allocation.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange
from numba.extending import register_jitable

from actviz.kernels.numba_.policy import (
    STAMP,
    body_options,
    cacheable,
    loop_options,
    own_function,
    own_function_wide,
)

# Elements per slice of a parallel loop: numba hands each thread one contiguous run of
# slices (its static schedule), so the slices only bound the work per call (about 10 us).
# Not the thread count's share: numba's get_num_threads in compiled code is a dynamic
# global, which its cache refuses.
SLICE = 1 << 14


def _tag(kind: int, parallel: bool) -> int:
    # Returned by each loop, so that it is a closure value: numba's cache key is the
    # bytecode and the closure values, not the ``parallel`` flag; without a distinct tag
    # the serial and parallel builds of one loop would load each other from the cache.
    return STAMP * 8 + 2 * kind + parallel


def _named(f, fn, what: str):
    """f renamed after the formula it runs: numba's symbols are named after the function's
    qualified name and a counter of the process, so two bodies of one name, one compiled
    here and one loaded from the cache with the same count, would resolve to one symbol
    (seen: softplus's cached parallel loop running log_sigmoid's body)."""
    home = (fn.__module__ or "").rpartition(".")[2]
    f.__name__ = f"{home}_{fn.__name__}_{what}"
    f.__qualname__ = f"{home}_{fn.__qualname__}_{what}"
    return f


def _body_unary(fn):
    def body(x, out, p, t):
        own_function()
        for i in range(x.size):
            xv = np.float64(x[i])
            r = fn(xv, p, t)
            out[i] = r if xv == xv else xv

    return register_jitable(**body_options())(_named(body, fn, "unary"))


def _body_binary(fn):
    def body(dy, x, out, p, t):
        own_function()
        for i in range(x.size):
            xv = np.float64(x[i])
            r = fn(xv, p, t)
            out[i] = np.float64(dy[i]) * (r if xv == xv else xv)

    return register_jitable(**body_options())(_named(body, fn, "binary"))


def _body_unary32(fn):
    test = not getattr(fn, "passes_nan", False)  # a closure constant: folded by LLVM

    def body(x, out, p, t):
        own_function_wide()
        for i in range(x.size):
            xv = x[i]
            r = fn(xv, p)
            out[i] = xv if test and xv != xv else r

    return register_jitable(**body_options(float32=True))(_named(body, fn, "unary32"))


def _body_binary32(fn):
    test = not getattr(fn, "passes_nan", False)

    def body(dy, x, out, p, t):
        own_function_wide()
        for i in range(x.size):
            xv = x[i]
            r = fn(xv, p)
            out[i] = dy[i] * (xv if test and xv != xv else r)

    return register_jitable(**body_options(float32=True))(_named(body, fn, "binary32"))


def _unary(fn, body, kind: int, parallel: bool, cache: bool, float32: bool):
    tag = _tag(kind, parallel)
    if not parallel:
        def unary(x, out, p, t):
            body(x, out, p, t)
            return tag

        return njit(**loop_options(False, cache, float32))(_named(unary, fn, f"loop{kind}"))

    def unary_parallel(x, out, p, t):
        n = x.size
        for c in prange((n + SLICE - 1) // SLICE):
            lo = c * SLICE
            hi = min(lo + SLICE, n)
            body(x[lo:hi], out[lo:hi], p, t)
        return tag

    return njit(**loop_options(True, cache, float32))(_named(unary_parallel, fn, f"loop{kind}p"))


def _binary(fn, body, kind: int, parallel: bool, cache: bool, float32: bool):
    tag = _tag(kind, parallel)
    if not parallel:
        def binary(dy, x, out, p, t):
            body(dy, x, out, p, t)
            return tag

        return njit(**loop_options(False, cache, float32))(_named(binary, fn, f"loop{kind}"))

    def binary_parallel(dy, x, out, p, t):
        n = x.size
        for c in prange((n + SLICE - 1) // SLICE):
            lo = c * SLICE
            hi = min(lo + SLICE, n)
            body(dy[lo:hi], x[lo:hi], out[lo:hi], p, t)
        return tag

    return njit(**loop_options(True, cache, float32))(_named(binary_parallel, fn, f"loop{kind}p"))


_LOOPS: dict = {}
# (binary, f32) -> (kind, body maker, loop maker)
_MAKERS = {(False, False): (0, _body_unary, _unary), (True, False): (1, _body_binary, _binary),
           (False, True): (2, _body_unary32, _unary), (True, True): (3, _body_binary32, _binary)}


def loop(fn, binary: bool, parallel: bool, f32: bool = False):
    """The loop of kind (binary, f32) over the formula ``fn``, made once. Its arguments:
    ``(x, out, p, t)`` or ``(dy, x, out, p, t)``, ``t`` the float64 formulas' type tag
    (:mod:`.dialect`; the float32 loops ignore it: pass 0)."""
    key = (fn, binary, parallel, f32)
    made = _LOOPS.get(key)
    if made is None:
        kind, body, make = _MAKERS[binary, f32]
        made = _LOOPS[key] = make(fn, body(fn), kind, parallel, cacheable(fn), f32)
    return made


def loops_compiled() -> int:
    """How many compiled specializations exist (tests keep this small)."""
    return sum(len(made.signatures) for made in _LOOPS.values())
