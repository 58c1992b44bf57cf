"""The element loops of the numba backend: one definition per loop kind.

``unary`` (``out[i] = f(x[i])``) and ``binary`` (``out[i] = dy[i] * f(x[i])``), each in a
float64 build (the formula computes in float64 whatever the data; the type tag ``t`` chooses
libm or the vectorizable elementary functions, see :mod:`.dialect`) and a float32 build (the
formulas of :mod:`.formulas32`). Loops are made per formula when first needed and kept; the
compile options come from :mod:`.policy`. NaN in gives NaN out: the loop tests for it,
except for a float32 formula marked :func:`.math32.passes_nan`, which returns NaN itself.

Each kind's element loop is a function over whole arrays (``_bodies``: a plain loop, and for
arrays of HINT_MIN_BYTES and more one with software prefetch, below), compiled on its own
(``policy.separate``: never inlined into its caller). The serial loop calls it once; the
parallel loop calls it on slices of ``SLICE`` elements from a ``prange`` over the slices
(each thread gets one contiguous run of them). It is not a ``prange`` over the elements
because numba's parfor kernel, with its extra live values, made LLVM re-load every constant
of the formula from its address in each iteration instead of keeping it in a register or on
the stack (for AVX2 code, 16 registers: sigmoid f ran 30-50% slower on one thread than the
serial loop; benchmarks/RESULTS.md, "Seventh round"). A separate function gets the serial
loop's register allocation.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange
from numba.extending import register_jitable

from actviz.kernels.numba_.policy import (
    STAMP,
    ahead,
    ahead_w,
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


def _tag(kind: int, parallel: bool, hinted: bool = False) -> int:
    # Returned by each loop, so that it is a closure value: numba's cache key is the
    # bytecode and the closure values, not the ``parallel`` flag; without a distinct tag
    # the serial and parallel builds of one loop would load each other from the cache.
    return (STAMP * 4 + kind) * 4 + 2 * hinted + parallel


def _named(f, fn, what: str):
    """f renamed after the formula it runs: numba's symbols are named after the function's
    qualified name and a counter of the process, so two bodies of one name, one compiled
    here and one loaded from the cache with the same count, would resolve to one symbol
    (seen: softplus's cached parallel loop running log_sigmoid's body)."""
    home = (fn.__module__ or "").rpartition(".")[2]
    f.__name__ = f"{home}_{fn.__name__}_{what}"
    f.__qualname__ = f"{home}_{fn.__qualname__}_{what}"
    return f


# Software prefetch, for arrays of HINT_MIN_BYTES and more (the "hinted" parallel loops;
# :func:`actviz.kernels.numba_.run` chooses them): every stream is fetched AHEAD bytes
# ahead, one hint per 64-byte line, the inputs for reading and the output for writing.
# There the hardware prefetchers alone left the compute-bound loops 15-40% slower than
# their in-cache speed (most where x and out lie at one offset within their pages, as
# numpy's large arrays all do) against 0-10% for torch's; with the hints they take
# 0.65-0.95x the time from 2**23 elements on, 1 or 2 threads (0.5-0.95x with AVX2 code,
# numba pointed at a Haswell on the same machine). At 2**16-2**22 float32 the plain loop
# is as fast or faster (up to 26%: the hints cost more than they save while the data sits
# in L2 and L3); benchmarks/RESULTS.md, eleventh round. The elements come in runs of
# ``span`` after their lines' hints, each run a loop of constant length (``range(span)``:
# LLVM vectorizes it whole): one line for the float32 formulas of the fast path (a longer
# run left their constants to be reloaded in every vector iteration), RUN for the float64
# path and the float32 formulas marked :func:`.math32.short` (the select formulas, softsign
# f: a run of one line of them is unrolled into scalar code).
HINT_MIN_BYTES = 1 << 24
AHEAD = 4096
_LINE = 64
RUN = 256
assert SLICE % RUN == 0


def _span(fn, f32: bool) -> int:
    """Elements per run after its lines' prefetch hints."""
    return _LINE // 4 if f32 and not getattr(fn, "short", False) else RUN


def _bodies(fn, f32: bool, binary: bool):
    """(the plain body, the prefetching one), both ``(dy, x, out, p, t)``: out = f(x) where
    dy is None (numba prunes the other branches for a None argument), dy f'(x) otherwise."""
    test = not (f32 and getattr(fn, "passes_nan", False))  # a closure constant: folded
    span, line, ahead_n = _span(fn, f32), _LINE // (4 if f32 else 8), AHEAD // (4 if f32 else 8)

    def plain(dy, x, out, p, t):
        if f32:
            own_function_wide()
            for i in range(x.size):
                xv = x[i]
                r = fn(xv, p)
                v = xv if test and xv != xv else r
                out[i] = v if dy is None else dy[i] * v
        else:
            own_function()
            for i in range(x.size):
                xv = np.float64(x[i])
                r = fn(xv, p, t)
                v = r if xv == xv else xv
                out[i] = v if dy is None else np.float64(dy[i]) * v

    def hinted(dy, x, out, p, t):
        if f32:
            own_function_wide()
        else:
            own_function()
        m = x.size - x.size % span
        for b in range(0, m, span):
            for k in range(b + ahead_n, b + ahead_n + span, line):
                if dy is not None:
                    ahead(dy, k)
                ahead(x, k)
                ahead_w(out, k)
            if f32:
                for k in range(span):
                    xv = x[b + k]
                    r = fn(xv, p)
                    v = xv if test and xv != xv else r
                    out[b + k] = v if dy is None else dy[b + k] * v
            else:
                for k in range(span):
                    xv = np.float64(x[b + k])
                    r = fn(xv, p, t)
                    v = r if xv == xv else xv
                    out[b + k] = v if dy is None else np.float64(dy[b + k]) * v
        plain(None if dy is None else dy[m:], x[m:], out[m:], p, t)

    what = ("binary" if binary else "unary") + ("32" if f32 else "")
    opts = body_options(f32)
    plain = register_jitable(**opts)(_named(plain, fn, what))
    return plain, register_jitable(**opts)(_named(hinted, fn, what + "_ahead"))


def _unary(fn, bodies, kind: int, parallel: bool, hinted: bool, cache: bool, float32: bool):
    tag = _tag(kind, parallel, hinted)
    body = bodies[hinted]
    if not parallel:
        def unary(x, out, p, t):
            body(None, x, out, p, t)
            return tag

        return njit(**loop_options(False, cache, float32))(_named(unary, fn, f"loop{kind}"))

    def unary_parallel(x, out, p, t):
        n = x.size
        for c in prange((n + SLICE - 1) // SLICE):
            lo = c * SLICE
            hi = min(lo + SLICE, n)
            body(None, x[lo:hi], out[lo:hi], p, t)
        return tag

    return njit(**loop_options(True, cache, float32))(
        _named(unary_parallel, fn, f"loop{kind}{'h' if hinted else 'p'}"))


def _binary(fn, bodies, kind: int, parallel: bool, hinted: bool, cache: bool, float32: bool):
    tag = _tag(kind, parallel, hinted)
    body = bodies[hinted]
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

    return njit(**loop_options(True, cache, float32))(
        _named(binary_parallel, fn, f"loop{kind}{'h' if hinted else 'p'}"))


_LOOPS: dict = {}
# (binary, f32) -> (kind, loop maker)
_MAKERS = {(False, False): (0, _unary), (True, False): (1, _binary),
           (False, True): (2, _unary), (True, True): (3, _binary)}


def loop(fn, binary: bool, parallel: bool, f32: bool = False, hinted: bool = False):
    """The loop of kind (binary, f32) over the formula ``fn``, made once. Its arguments:
    ``(x, out, p, t)`` or ``(dy, x, out, p, t)``, ``t`` the float64 formulas' type tag
    (:mod:`.dialect`; the float32 loops ignore it: pass 0). ``hinted``: the body with
    software prefetch (for arrays of HINT_MIN_BYTES and more; any length works)."""
    hinted = bool(hinted and parallel)
    key = (fn, binary, parallel, f32, hinted)
    made = _LOOPS.get(key)
    if made is None:
        kind, make = _MAKERS[binary, f32]
        made = _LOOPS[key] = make(fn, _bodies(fn, f32, binary), kind, parallel, hinted,
                                  cacheable(fn), f32)
    return made


def loops_compiled() -> int:
    """How many compiled specializations exist (tests keep this small)."""
    return sum(len(made.signatures) for made in _LOOPS.values())
