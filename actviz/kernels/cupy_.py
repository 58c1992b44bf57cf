"""The CuPy backend (untested on a device in this repository's CI: no GPU there).

The element formulas of :mod:`actviz.kernels.formulas` are written with ``np.where``,
``np.exp``, ``np.abs``, ... which CuPy arrays take over through NumPy's dispatch protocols
(``__array_function__``, ``__array_ufunc__``); ``cupy.fuse`` compiles the whole formula
into one elementwise kernel per (formula, dtype), memoised, so an activation is one pass
over memory. If fusion of a formula fails (an operation CuPy's fuser does not know), the
unfused array expression runs instead; results are the same, only slower.

Like the CPU backends, the formulas run in float64 and are rounded once into ``out`` (for
float16/float32 data too; GPUs with weak float64 throughput would want a float32 path, see
benchmarks/RESULTS.md). Never run on a GPU by its author: treat its speed as unmeasured.
"""

from __future__ import annotations

import functools

from actviz.errors import ActvizError


@functools.cache
def _fused(fn, binary: bool):
    import cupy

    if binary:
        def body(dy, x, p0, p1, p2, p3):
            return dy * cupy.where(x != x, x, fn(x, (p0, p1, p2, p3), None))
    else:
        def body(x, p0, p1, p2, p3):
            return cupy.where(x != x, x, fn(x, (p0, p1, p2, p3), None))
    return cupy.fuse(body, kernel_name=f"actviz_{fn.__name__}{'_bwd' if binary else ''}")


def _plain(fn, x, p, dy):
    import cupy

    xf = x.astype(cupy.float64)
    r = fn(xf, p, None)
    r = cupy.where(cupy.isnan(xf), xf, r)
    return r if dy is None else dy.astype(cupy.float64) * r


def run(kernel, which: str, x, out, p, dy=None) -> None:
    try:
        import cupy
    except ImportError:  # pragma: no cover - guarded by the dispatcher
        raise ActvizError("backend 'cupy' needs CuPy: pip install 'actviz[gpu]'") from None
    fn = getattr(kernel, which)
    if x.size == 0:
        return
    try:
        if dy is None:
            r = _fused(fn, False)(x.astype(cupy.float64), *p)
        else:
            r = _fused(fn, True)(dy.astype(cupy.float64), x.astype(cupy.float64), *p)
    except Exception:  # noqa: BLE001 - the fuser rejects some constructs; same math unfused
        r = _plain(fn, x, p, dy)
    out[...] = r
