"""Every float32 value of a range: the largest |g - f|, |g' - f'| and |float32(g) - f| (the
error once the output is rounded to float32), with where they occur.

Values come from order-preserving keys (:func:`actviz.stability.dtypes.key`), widened to
float64, and both functions are evaluated in float64 through the kernels. With numba: blocks of
2^20 values, each function's compiled scalar ``x -> (f(x), f'(x))`` evaluated over the block
in a parallel loop, then a parallel reduction. Without numba: NumPy blocks of 2^18 values through
:func:`actviz.kernels.derivative`, about 10 times slower (the caller limits how many values
it scans that way).
"""

from __future__ import annotations

import functools

import numpy as np

BLOCK = 1 << 18  # values per NumPy block
PARALLEL_BLOCKS = 64  # parts of a block in the numba reduction
NUMBA_BLOCK = 1 << 20  # values per numba block


def _fill_np(k0, xs):
    k = k0 + np.arange(xs.size, dtype=np.int64)
    bits = np.where(k >= 0, k, (-k) | 0x80000000).astype(np.uint32)
    xs[:] = bits.view(np.float32)


def _reduce_np(xs, f, g, df, dg, state):
    ok = f == f
    for col, err in ((0, np.abs(g - f)), (2, np.abs(dg - df)),
                     (4, np.abs(g.astype(np.float32).astype(np.float64) - f))):
        err = np.where(np.isnan(err), np.inf, err)
        err = np.where(ok & ((df == df) if col == 2 else True), err, -1.0)
        i = int(np.argmax(err))
        if err[i] > state[col]:
            state[col], state[col + 1] = err[i], xs[i]


@functools.cache
def _compiled():
    """The numba scan's three loops, compiled once: keys to float32 values; one scalar pair
    ``x -> (f(x), f'(x))`` of the kernels (:func:`actviz.kernels.scalar_pair`, a first-class
    function) over a block; the largest errors per part of a block. Each pair is evaluated
    in a loop of its own: numba resolves two scalar pairs called from one compiled function
    to the same code (numba 0.68: both calls return the first pair's values)."""
    from numba import njit, prange, types

    from actviz import kernels

    fn = kernels.scalar_pair_type()

    @njit(parallel=True, error_model="numpy")
    def fill(k0, bits):
        for i in prange(bits.size):
            k = k0 + i
            bits[i] = np.uint32(k) if k >= 0 else np.uint32(-k) | np.uint32(0x80000000)

    @njit(types.void(types.float32[::1], fn, types.float64[::1], types.float64[::1]),
          parallel=True, error_model="numpy")
    def evaluate(xs, pair, f, df):
        for i in prange(xs.size):
            f[i], df[i] = pair(np.float64(xs[i]))

    @njit(parallel=True, error_model="numpy")
    def reduce(xs, f, g, df, dg, out):
        parts = out.shape[0]
        per = (xs.size + parts - 1) // parts
        for p in prange(parts):
            st = out[p]
            for i in range(p * per, min(xs.size, (p + 1) * per)):
                if f[i] != f[i]:
                    continue
                x = np.float64(xs[i])
                e0 = abs(g[i] - f[i])
                if e0 != e0:
                    e0 = np.inf
                if e0 > st[0]:
                    st[0], st[1] = e0, x
                er = abs(np.float64(np.float32(g[i])) - f[i])
                if er != er:
                    er = np.inf
                if er > st[4]:
                    st[4], st[5] = er, x
                if df[i] == df[i]:
                    e1 = abs(dg[i] - df[i])
                    if e1 != e1:
                        e1 = np.inf
                    if e1 > st[2]:
                        st[2], st[3] = e1, x

    return fill, evaluate, reduce


def scan(target, approx, k_lo: int, k_hi: int, backend: str):
    """((max |g - f|, x), (max |g' - f'|, x), (max |float32(g) - f|, x)) over the float32
    values with keys k_lo..k_hi (``target``, ``approx``: plans or Functions)."""
    from actviz import kernels

    if backend == "numba":
        fill, evaluate, reduce = _compiled()
        tp, ap = kernels.scalar_pair(target), kernels.scalar_pair(approx)
        out = np.tile([-1.0, 0.0, -1.0, 0.0, -1.0, 0.0], (PARALLEL_BLOCKS, 1))
        bits = np.empty(NUMBA_BLOCK, dtype=np.uint32)
        bufs = [np.empty(NUMBA_BLOCK) for _ in range(4)]
        for start in range(k_lo, k_hi + 1, NUMBA_BLOCK):
            n = min(NUMBA_BLOCK, k_hi + 1 - start)
            fill(start, bits[:n])
            xs = bits[:n].view(np.float32)
            f, df, g, dg = (b[:n] for b in bufs)
            evaluate(xs, tp, f, df)
            evaluate(xs, ap, g, dg)
            reduce(xs, f, g, df, dg, out)
        state = [0.0] * 6
        for col in (0, 2, 4):
            i = int(np.argmax(out[:, col]))
            state[col], state[col + 1] = out[i, col], out[i, col + 1]
        return ((float(state[0]), float(state[1])), (float(state[2]), float(state[3])),
                (float(state[4]), float(state[5])))
    tp, ap = kernels.plan(target), kernels.plan(approx)
    state = np.array([-1.0, 0.0, -1.0, 0.0, -1.0, 0.0])
    bufs = [np.empty(BLOCK) for _ in range(5)]
    with np.errstate(all="ignore"):
        for start in range(k_lo, k_hi + 1, BLOCK):
            n = min(BLOCK, k_hi + 1 - start)
            xs, f, g, df, dg = (b[:n] for b in bufs)
            _fill_np(start, xs)
            kernels.derivative(tp, xs, 0, out=f, backend="numpy")
            kernels.derivative(ap, xs, 0, out=g, backend="numpy")
            kernels.derivative(tp, xs, 1, out=df, backend="numpy")
            kernels.derivative(ap, xs, 1, out=dg, backend="numpy")
            _reduce_np(xs, f, g, df, dg, state)
    return ((float(state[0]), float(state[1])), (float(state[2]), float(state[3])),
            (float(state[4]), float(state[5])))
