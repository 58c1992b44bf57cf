"""float32 loops for the compare-and-select formulas: backward everywhere, forward on CPUs
without AVX-512.

The piecewise-linear activations (relu, leaky_relu, hardtanh, relu6, the shrinks,
thresholded_relu, and hard_sigmoid's f') do almost no arithmetic: their loops are bound by
memory. The general path computes float32 data in float64, which costs conversions and
halves the SIMD width; with AVX2 code that is measurable (10**7 elements, 2 threads: up to
16% less time, e.g. softshrink forward 4.7-5.3 -> 4.1-4.4 ms; relu forward unchanged;
``benchmarks/RESULTS.md``). With AVX-512 the forward's float32 select chains measured up
to 27% slower than the float64 path (the cause not found; 1-4% in the ninth round), while
the backward's (dy f'(x), three streams) ran 4-7% faster (Intel Xeon, AVX-512, ninth
round): with AVX-512 (in what numba targets, :func:`.policy.avx512`) :func:`lookup`
answers only for the backward.

The formulas are those of :mod:`actviz.kernels.formulas`, run with float32 ``x`` and ``p``
(written once; each wrapper below only rounds the result to float32, so that the float64
literals of a formula do not widen the loop). The results are bit-identical to the general
path's, so that they do not depend on the CPU: every parameter that enters a result (a
threshold it is compared with, a slope, an offset, a value of f') must be a float32 value
(the ``exact`` indices below), or the general path keeps the call (leaky_relu's forward
with its default alpha = 0.01, hard_sigmoid with alpha = 0.2; leaky_relu's backward is on
the fast path of :mod:`.formulas32` with this module's formula, which takes alpha rounded
to float32 there: dy alpha within 0.84 ulp). Only hardtanh's bounds, which are
the forward's result itself, are rounded to float32 as the general path rounds its result.
Each formula here does at most one operation of float32 values (a compare, a select, x - p,
dy f'), which the general path, computing it exactly or in float64 and rounding to float32,
rounds the same way; formulas of two (hard_sigmoid's a x + b) could round differently
after float64's rounding, so they are not here (hardswish has its own float32 formulas in
:mod:`.rational32`, correctly rounded but where its corrections land next to a midpoint).
"""

from __future__ import annotations

import functools

import numpy as np

from actviz.kernels import formulas as F
from actviz.kernels.numba_.math32 import f32, formula, short
from actviz.kernels.numba_.policy import avx512


@formula
def relu_f(x, p):
    return f32(F.relu_f(x, p, x))


@formula
def relu_d1(x, p):
    return f32(F.relu_d1(x, p, x))


@formula
def leaky_relu_f(x, p):
    return f32(F.leaky_relu_f(x, p, x))


@formula
def leaky_relu_d1(x, p):
    return f32(F.leaky_relu_d1(x, p, x))


@formula
def hardtanh_f(x, p):
    return f32(F.hardtanh_f(x, p, x))


@formula
def hardtanh_d1(x, p):
    return f32(F.hardtanh_d1(x, p, x))


@formula
def thresholded_relu_f(x, p):
    return f32(F.thresholded_relu_f(x, p, x))


@formula
def thresholded_relu_d1(x, p):
    return f32(F.thresholded_relu_d1(x, p, x))


@formula
def hardshrink_f(x, p):
    return f32(F.hardshrink_f(x, p, x))


@formula
def hardshrink_d1(x, p):
    return f32(F.hardshrink_d1(x, p, x))


@formula
def softshrink_f(x, p):
    return f32(F.softshrink_f(x, p, x))


@formula
def softshrink_d1(x, p):
    return f32(F.softshrink_d1(x, p, x))


@formula
def hard_sigmoid_d1(x, p):
    return f32(F.hard_sigmoid_d1(x, p, x))


@formula
def hard_sigmoid_clip_d1(x, p):
    return f32(F.hard_sigmoid_clip_d1(x, p, x))


# the general formula -> (its float32 loop formula, the indices of p that must be float32
# values: all those that enter a result except hardtanh's bounds)
SELECT = {
    F.relu_f: (relu_f, ()),
    F.relu_d1: (relu_d1, ()),
    F.leaky_relu_f: (leaky_relu_f, (0,)),
    F.leaky_relu_d1: (leaky_relu_d1, (0,)),
    F.hardtanh_f: (hardtanh_f, (2, 3)),
    F.hardtanh_d1: (hardtanh_d1, (2, 3)),
    F.thresholded_relu_f: (thresholded_relu_f, (0,)),
    F.thresholded_relu_d1: (thresholded_relu_d1, (0,)),
    F.hardshrink_f: (hardshrink_f, (0, 1)),
    F.hardshrink_d1: (hardshrink_d1, (0, 1)),
    F.softshrink_f: (softshrink_f, (0, 1, 2)),
    F.softshrink_d1: (softshrink_d1, (1, 2)),
    F.hard_sigmoid_d1: (hard_sigmoid_d1, (0, 2, 3)),
    F.hard_sigmoid_clip_d1: (hard_sigmoid_clip_d1, (0, 2, 3)),
}

for _fn32, _ in SELECT.values():  # a compare and a select: runs of RUN in the hinted loops
    short(_fn32)


def lookup(fn, p: tuple, backward: bool = False):
    """(formula, float32 parameters) of the float32 select loop for the general formula
    ``fn`` with parameters ``p`` (``backward``: in the loop dy * fn(x)), or None (a forward
    with AVX-512, another formula, or a parameter that must be a float32 value and is
    not)."""
    if fn not in SELECT or (avx512() and not backward):
        return None
    return _lookup(fn, p)


@functools.lru_cache(maxsize=256)
def _lookup(fn, p: tuple):
    fn32, exact = SELECT[fn]
    p32 = tuple(f32(v) for v in p)
    if any(float(p32[i]) != p[i] for i in exact) or not all(np.isfinite(p32)):
        return None
    return fn32, p32
