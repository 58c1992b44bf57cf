"""Elementwise kernels for every activation: forward, backward and derivatives.

>>> import numpy as np
>>> from actviz import kernels
>>> x = np.linspace(-3, 3, 7, dtype=np.float32)
>>> kernels.forward("hard_sigmoid:pytorch", x)
array([0.       , 0.3333333, 0.5      , 0.6666667, 0.8333334, 1.       , 1.       ],
      dtype=float32)

- ``forward(name, x, *, out=None, backend="auto", **params)``: f(x).
- ``backward(name, dy, *, x=None, y=None, out=None, backend="auto", **params)``:
  dy * f'(x), from the input ``x`` or, where the gradient is a function of the output
  (sigmoid, tanh, relu, hard_sigmoid, elu, ...), from the output ``y`` (as Caffe2's
  gradient operators); ActvizError where ``y`` does not determine it (mish, gelu, ...).
- ``derivative(name, x, order=1, *, out=None, backend="auto", **params)``: f'(x) or f''(x)
  (order 0 is f).
- ``scalar_function(name, order=0, *, backend="auto", **params)``: the same formula as a
  float -> float function (for scalar callers such as scipy's optimizers);
  ``scalar_pair(name, **params)``: ``x -> (f(x), f'(x))`` compiled by numba, for other
  compiled loops; ``vector_pair(name, **params)``: the same over a short array (vectorized),
  for the XOR trainer's seeds side by side.
- ``backends()``: the available backends, among ``numpy``, ``numba``, ``cupy``.

``name`` is anything :func:`actviz.symbolic.load` accepts (a catalog name, alias or
``NAME:VARIANT``, or an expression in x) or a :class:`actviz.symbolic.Function`. An
expression is compiled into the formula dialect of the catalog (:mod:`.generic`) and runs on
every backend like a catalog entry. Parameters are exact (see :mod:`.plan`). Output has the
dtype and shape of the input (float16 is computed in float32, integers become float64);
``out=`` may be any array of that dtype and shape, including the input itself. Values at
kinks follow the catalog's conventions. ``backend="auto"`` picks CuPy for CuPy arrays, numba
when installed, NumPy otherwise.

Backends, all from the formulas of :mod:`.formulas`, all with the signature
``run(plan, which, x, dy, out)`` (one routing table, :data:`RUNNERS`): ``numpy`` computes in
float64 and rounds once; ``numba`` compiles them into parallel loops, and for float32 data
runs f and f' of the transcendental activations through float32 arithmetic
(:mod:`.numba_.formulas32`, within 4 ulp, 3.72 at most (gelu') as measured by
``benchmarks/accuracy.py``); ``cupy`` runs one ElementwiseKernel per formula, traced to C
(:mod:`.cupy_.csource`), computing in double.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util

from actviz.errors import ActvizError
from actviz.kernels.arrays import check_out, float_array, is_cupy, xp
from actviz.kernels.plan import Plan, plan

BACKENDS = ("numpy", "numba", "cupy")
RUNNERS = {"numpy": "actviz.kernels.numpy_", "numba": "actviz.kernels.numba_",
           "cupy": "actviz.kernels.cupy_"}  # backend -> module with run(plan, which, ...)
_EXTRA = {"numba": "numba", "cupy": "gpu"}
_WHICH = {0: "f", 1: "d1", 2: "d2"}

__all__ = ["forward", "backward", "derivative", "scalar_function", "scalar_pair",
           "scalar_pair_type", "vector_pair", "vector_pair_type", "source_stamp", "backends",
           "choose", "plan", "Plan", "BACKENDS", "numba_target"]


def numba_target() -> str | None:
    """The CPU numba compiles for where ``NUMBA_CPU_NAME`` or ``NUMBA_CPU_FEATURES`` point it
    away from the host ("haswell, without AVX-512"), else None (also without numba)."""
    if not _installed("numba"):
        return None
    from numba.core import config

    if not (config.CPU_NAME or config.CPU_FEATURES):
        return None
    from actviz.kernels.numba_.policy import avx512

    return f"{config.CPU_NAME or 'host'}, {'with' if avx512() else 'without'} AVX-512"


@functools.cache
def _installed(module: str) -> bool:
    """Whether ``module`` can be imported (looked up once: 10 us a call otherwise)."""
    return importlib.util.find_spec(module) is not None


def backends() -> list[str]:
    """The backends that work here: ``numpy`` always; ``numba`` when installed; ``cupy``
    when installed and a CUDA device answers."""
    out = ["numpy"]
    if _installed("numba"):
        out.append("numba")
    if _cupy_usable():
        out.append("cupy")
    return out


@functools.lru_cache(maxsize=1)
def _cupy_usable() -> bool:
    if not _installed("cupy"):
        return False
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # noqa: BLE001 - no driver, no device: not usable
        return False


def _missing(backend: str) -> ActvizError:
    what = "a CUDA device and CuPy" if backend == "cupy" else "numba"
    return ActvizError(f"backend {backend!r} needs {what}: pip install 'actviz[{_EXTRA[backend]}]'")


def choose(backend: str, on_gpu: bool = False) -> str:
    """The backend that ``backend`` (``auto`` or a name) means here, checked."""
    if backend == "auto":
        if on_gpu:
            return "cupy"
        return "numba" if _installed("numba") else "numpy"
    if backend not in BACKENDS:
        raise ActvizError(f"unknown backend {backend!r} (choose from auto, {', '.join(BACKENDS)})")
    if backend == "numba" and not _installed("numba"):
        raise _missing("numba")
    if backend == "cupy" and not _cupy_usable():
        raise _missing("cupy")
    if on_gpu and backend != "cupy":
        raise ActvizError(f"CuPy arrays need backend 'cupy' or 'auto', not {backend!r}")
    return backend


def _run(pl: Plan, which: str, x, dy, out, backend: str):
    """The one path every public function goes through."""
    import numpy as np

    x = float_array(x, "x" if which != "gy" else "y")
    on_gpu = is_cupy(x)
    if dy is not None:
        dy = float_array(dy, "dy")
        if is_cupy(dy) != on_gpu:
            raise ActvizError("dy and x must both be NumPy or both be CuPy arrays")
        if dy.shape != x.shape:
            raise ActvizError(f"dy has shape {dy.shape} but x/y has shape {x.shape}")
        dtype = np.result_type(dy.dtype, x.dtype)
    else:
        dtype = x.dtype
    name = choose(backend, on_gpu)
    if out is None:
        out = xp(x).empty(x.shape, dtype=dtype)
    else:
        check_out(out, x.shape, dtype, on_gpu)
    importlib.import_module(RUNNERS[name]).run(pl, which, x, dy, out)
    return out


# ------------------------------------------------------------------------------ the API


def forward(name, x, *, out=None, backend: str = "auto", **params):
    """f(x) for the activation ``name`` with ``params``; same dtype and shape as ``x``."""
    return _run(plan(name, **params), "f", x, None, out, backend)


def derivative(name, x, order: int = 1, *, out=None, backend: str = "auto", **params):
    """The ``order``-th derivative (0, 1 or 2) at ``x``; at kinks the catalog's convention."""
    if order not in _WHICH or isinstance(order, bool):
        raise ActvizError(f"derivative order must be 0, 1 or 2 for the kernels, got {order!r} "
                          "(higher orders: actviz show)")
    return _run(plan(name, **params), _WHICH[order], x, None, out, backend)


def backward(name, dy, *, x=None, y=None, out=None, backend: str = "auto",
             check_y: bool = False, **params):
    """dy * f'(x), given the input ``x`` or the output ``y = f(x)`` (one of them).

    From ``y`` the gradient formula of the output is applied as it is: a ``y`` that no
    input gives (sigmoid's y = 1.5) gets that formula's value (y (1 - y) = -0.75), not an
    error. ``check_y=True`` first checks that every y lies within the activation's range
    (its hull [inf f, sup f], measured once per activation) and raises ActvizError if not.
    """
    if (x is None) == (y is None):
        raise ActvizError("backward needs exactly one of x= (the input) or y= (the output)")
    if dy is None:
        raise ActvizError("backward needs dy, the gradient with respect to the output")
    pl = plan(name, **params)
    if y is not None:
        why = pl.kernel.grad_from_output_error(pl.exact)
        if why is not None:
            raise ActvizError(why)
        if check_y:
            _check_outputs(pl, y)
        return _run(pl, "gy", y, dy, out, backend)
    return _run(pl, "d1", x, dy, out, backend)


_HULLS: dict[tuple, tuple[float, float]] = {}


def output_hull(pl: Plan) -> tuple[float, float]:
    """(inf f, sup f) of a plan's activation, from f on a wide grid (float64), once."""
    import numpy as np

    key = (pl.label, pl.kernel.name, pl.p)
    if key not in _HULLS:
        far = np.logspace(0, 300, 301)
        xs = np.concatenate([-far[::-1], np.linspace(-50, 50, 20001), far])
        ys = _run(pl, "f", xs, None, None, "numpy")
        _HULLS[key] = (float(np.nanmin(ys)), float(np.nanmax(ys)))
    return _HULLS[key]


def _check_outputs(pl: Plan, y) -> None:
    import numpy as np

    lo, hi = output_hull(pl)
    yv = xp(y).asarray(y)
    yv = np.asarray(yv.get() if is_cupy(yv) else yv, dtype=np.float64)
    bad = np.flatnonzero((yv < lo) | (yv > hi))
    if bad.size:
        i = int(bad[0])
        raise ActvizError(f"y = {float(yv.flat[i])!r} (at flat index {i}) is outside the "
                          f"range "
                          f"[{lo:g}, {hi:g}] of {pl.label}: y must be an output of the "
                          "activation")


def scalar_function(name, order: int = 0, *, backend: str = "auto", **params):
    """The ``order``-th derivative (0, 1, 2) as a Python float -> float function: numba's
    compiled scalar where numba is installed (``auto``), the NumPy formula otherwise."""
    if order not in _WHICH or isinstance(order, bool):
        raise ActvizError(f"derivative order must be 0, 1 or 2 for the kernels, got {order!r}")
    pl = plan(name, **params)
    fn = getattr(pl.kernel, _WHICH[order])
    if choose(backend) == "numba":
        from actviz.kernels.numba_ import scalar

        return scalar.scalar(fn, pl.p)
    import numpy as np

    def one(u: float) -> float:
        with np.errstate(all="ignore"):
            v = np.float64(u)
            return float(v) if v != v else float(fn(v, pl.p, None))

    return one


def source_stamp() -> int:
    """A hash of the formulas' source: compiled kernels are valid for this value."""
    from actviz.kernels.numba_.policy import STAMP

    return STAMP


def scalar_pair_type():
    """The numba type of :func:`scalar_pair`'s functions, for loops that take one as an
    argument (``numba.types.FunctionType``); numba must be installed."""
    from numba import types

    from actviz.kernels.numba_.scalar import PAIR_SIG

    return types.FunctionType(PAIR_SIG)


def vector_pair_type():
    """The numba type of :func:`vector_pair`'s functions (``numba.types.FunctionType``)."""
    from numba import types

    from actviz.kernels.numba_.scalar import VECTOR_PAIR_SIG

    return types.FunctionType(VECTOR_PAIR_SIG)


def vector_pair(name, **params):
    """``(z, fz, dz)``: ``fz[:] = f(z)``, ``dz[:] = f'(z)`` over 1-D float64 arrays, compiled
    by numba with vectorizable elementary functions (about 1 ulp of float64), for compiled
    loops that evaluate a few values side by side; numba must be installed."""
    choose("numba")
    from actviz.kernels.numba_ import scalar

    pl = plan(name, **params)
    return scalar.vector_pair(pl.kernel.f, pl.kernel.d1, pl.p)


def scalar_pair(name, **params):
    """``x -> (f(x), f'(x))`` compiled by numba (float64), for other compiled loops; numba
    must be installed."""
    choose("numba")
    from actviz.kernels.numba_ import scalar

    pl = plan(name, **params)
    return scalar.pair(pl.kernel.f, pl.kernel.d1, pl.p)
