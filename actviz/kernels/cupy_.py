"""The CuPy backend: one ``cupy.ElementwiseKernel`` per (formula, forward/backward, output
kind), its body generated from the same element formulas as the other backends
(:mod:`actviz.kernels.csource` traces them into straight-line C). One pass over memory: the
kernel reads ``x`` (and ``dy``) in their own dtype, computes in double, and writes ``out``
directly (any strides, in place included); NaN in gives NaN out; float16 output is rounded
through float.

Not run on a GPU by its author (no device was available to the sessions that wrote it): the
generated C is compiled with gcc and checked against the NumPy backend by the tests, and the
GPU tests (parity, in place) skip without CuPy and a CUDA device. Its speed is unmeasured.
"""

from __future__ import annotations

import functools

from actviz.errors import ActvizError
from actviz.kernels import csource

_PARAMS = "float64 p0, float64 p1, float64 p2, float64 p3"


@functools.cache
def kernel_source(fn, binary: bool, half: bool) -> tuple[str, str, str, str]:
    """(in_params, out_params, body, name) of the ElementwiseKernel for ``fn``."""
    ins = ("D dy, " if binary else "") + "X x, " + _PARAMS
    body = csource.body(fn, binary, "float" if half else "Y")
    name = f"actviz_{fn.__name__}{'_bwd' if binary else ''}{'_h' if half else ''}"
    return ins, "Y y", body, name


@functools.cache
def _kernel(fn, binary: bool, half: bool):
    import cupy

    ins, outs, body, name = kernel_source(fn, binary, half)
    return cupy.ElementwiseKernel(ins, outs, body, name,
                                  preamble=csource.preamble("__device__"))


def run(kernel, which: str, x, out, p, dy=None) -> None:
    try:
        import cupy  # noqa: F401
    except ImportError:  # pragma: no cover - guarded by the dispatcher
        raise ActvizError("backend 'cupy' needs CuPy: pip install 'actviz[gpu]'") from None
    if x.size == 0:
        return
    fn = getattr(kernel, which)
    k = _kernel(fn, dy is not None, out.dtype.itemsize == 2)
    if dy is None:
        k(x, *p, out)
    else:
        k(dy, x, *p, out)
