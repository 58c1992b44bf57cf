"""The CuPy backend: one ``cupy.ElementwiseKernel`` per (formula, forward/backward, output
kind), its body generated from the same element formulas as the other backends
(:mod:`.csource` traces them into straight-line C). One pass over memory: the
kernel reads ``x`` (and ``dy``) in their own dtype, computes in double, and writes ``out``
directly (any strides, in place included); NaN in gives NaN out; float16 output is rounded
through float.

A formula the tracer cannot turn into C (a user expression with a function the tracer
does not know) is evaluated on the host by the NumPy backend and copied back.

Not run on a GPU by its author (no device was available to the sessions that wrote it): the
generated C is compiled with gcc and checked against the NumPy backend by the tests, and the
GPU tests (parity, in place) skip without CuPy and a CUDA device. Its speed is unmeasured.
"""

from __future__ import annotations

import functools

import numpy as np

from actviz.errors import ActvizError
from actviz.kernels.cupy_ import csource

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


def run(pl, which: str, x, dy, out) -> None:
    """out[...] = f(x) (or dy * f(x)) on the device, for the formula ``which`` of ``pl``."""
    try:
        import cupy  # noqa: F401
    except ImportError:  # pragma: no cover - guarded by the dispatcher
        raise ActvizError("backend 'cupy' needs CuPy: pip install 'actviz[gpu]'") from None
    if x.size == 0:
        return
    fn = getattr(pl.kernel, which)
    try:
        k = _kernel(fn, dy is not None, out.dtype.itemsize == 2)
    except TypeError:  # a generated formula uses a function the C tracer does not know
        _run_on_host(pl, which, x, dy, out)
        return
    if dy is None:
        k(x, *pl.p, out)
    else:
        k(dy, x, *pl.p, out)


def _run_on_host(pl, which, x, dy, out) -> None:
    import cupy

    from actviz.kernels import numpy_

    xh = cupy.asnumpy(x)
    oh = np.empty(xh.shape, dtype=out.dtype)
    numpy_.run(pl, which, xh, None if dy is None else cupy.asnumpy(dy), oh)
    out[...] = cupy.asarray(oh)
