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
- ``backends()``: the available backends, among ``numpy``, ``numba``, ``cupy``.

``name`` is anything :func:`actviz.symbolic.load` accepts: a catalog name, alias or
``NAME:VARIANT``, or an expression in x (evaluated through the generic, lambdified float64
path). Parameters are keyword floats or exact strings (``alpha="1/6"``); thresholds are
placed from the exact values. Output has the dtype and shape of the input (float16 is
computed in float32, integers become float64); ``out=`` may be any array of that dtype and
shape, including the input itself. Values at kinks follow the catalog's conventions.
``backend="auto"`` picks CuPy for CuPy arrays, numba when installed, NumPy otherwise.

Backends, all from the formulas of :mod:`actviz.kernels.formulas`: ``numpy`` computes in
float64 and rounds once; ``numba`` compiles them into parallel loops, and for float32 data
runs f and f' of the transcendental activations through float32 arithmetic
(:mod:`actviz.kernels.fast32`, within 4 ulp, 2.8 at most as measured by
``benchmarks/accuracy.py``); ``cupy`` runs one ElementwiseKernel per formula, traced to C
(:mod:`actviz.kernels.csource`), computing in double.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from fractions import Fraction

from actviz import catalog
from actviz.errors import ActvizError

BACKENDS = ("numpy", "numba", "cupy")
_EXTRA = {"numba": "numba", "cupy": "gpu"}
_WHICH = {0: "f", 1: "d1", 2: "d2"}

__all__ = ["forward", "backward", "derivative", "backends", "BACKENDS"]


def backends() -> list[str]:
    """The backends that work here: ``numpy`` always; ``numba`` when installed; ``cupy``
    when installed and a CUDA device answers."""
    out = ["numpy"]
    if importlib.util.find_spec("numba") is not None:
        out.append("numba")
    if _cupy_usable():
        out.append("cupy")
    return out


@functools.lru_cache(maxsize=1)
def _cupy_usable() -> bool:
    if importlib.util.find_spec("cupy") is None:
        return False
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # noqa: BLE001 - no driver, no device: not usable
        return False


def _missing(backend: str) -> ActvizError:
    what = "a CUDA device and CuPy" if backend == "cupy" else "numba"
    return ActvizError(f"backend {backend!r} needs {what}: pip install 'actviz[{_EXTRA[backend]}]'")


# ------------------------------------------------------------------------------ the plan


@dataclass(frozen=True)
class Plan:
    """What to compute: a kernel with prepared parameters, or a generic symbolic function."""

    label: str
    kernel: object | None  # formulas.Kernel
    p: tuple
    exact: dict
    generic: object | None = None  # symbolic.Function


def _param_text(key, value) -> str:
    if isinstance(value, str):
        text = value
    elif isinstance(value, (Fraction, int)) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, float) or hasattr(value, "__float__"):
        f = float(value)
        if f != f or f in (float("inf"), float("-inf")):
            raise ActvizError(f"parameter {key} must be finite, got {f}")
        text = repr(f)
    else:
        raise ActvizError(f"parameter {key} must be a number, got {value!r}")
    catalog.parse_number(text)
    return text


def plan(name: str, **params) -> Plan:
    """Resolve a name and parameters once (cached); raises ActvizError for bad input."""
    if not isinstance(name, str):
        raise ActvizError(f"activation name must be a string, got {name!r}")
    texts = tuple(sorted((k, _param_text(k, v)) for k, v in params.items()))
    return _plan(name.strip(), texts)


@functools.lru_cache(maxsize=512)
def _plan(name: str, texts: tuple) -> Plan:
    from actviz.kernels import formulas

    params = dict(texts)
    if catalog.is_catalog_name(name):
        res = catalog.resolve(name, params)
        own_expr = res.variant is not None and res.entry.variant(res.variant).expr is not None
        kernel = formulas.KERNELS.get(res.name if own_expr else res.entry.name)
        if kernel is not None:
            exact = {k: catalog.parse_number(v) for k, v in res.params.items()}
            return Plan(res.label, kernel, kernel.prepare(exact), exact)
    from actviz import symbolic

    fn = symbolic.load(name, params)
    return Plan(fn.label, None, (), {}, fn)


# ------------------------------------------------------------------------------ arrays


def _is_cupy(a) -> bool:
    return type(a).__module__.startswith("cupy")


def _float_array(a, what: str):
    import numpy as np

    if _is_cupy(a):
        if a.dtype.kind != "f" or a.dtype.itemsize not in (2, 4, 8):
            raise ActvizError(f"{what} must be a float16/32/64 array, got {a.dtype}")
        return a
    a = np.asarray(a)
    if a.dtype.kind in "biu":
        return a.astype(np.float64)
    if a.dtype.kind != "f" or a.dtype.itemsize not in (2, 4, 8):
        raise ActvizError(f"{what} must be a float16/32/64 array, got dtype {a.dtype}")
    return a


def _choose(backend: str, on_gpu: bool) -> str:
    if backend == "auto":
        if on_gpu:
            return "cupy"
        return "numba" if importlib.util.find_spec("numba") is not None else "numpy"
    if backend not in BACKENDS:
        raise ActvizError(f"unknown backend {backend!r} (choose from auto, {', '.join(BACKENDS)})")
    if backend == "numba" and importlib.util.find_spec("numba") is None:
        raise _missing("numba")
    if backend == "cupy" and not _cupy_usable():
        raise _missing("cupy")
    if on_gpu and backend != "cupy":
        raise ActvizError(f"CuPy arrays need backend 'cupy' or 'auto', not {backend!r}")
    return backend


def _check_out(out, shape, dtype, on_gpu: bool):
    import numpy as np

    if on_gpu != _is_cupy(out) or not (on_gpu or isinstance(out, np.ndarray)):
        kind = "a CuPy array" if on_gpu else "a NumPy array"
        raise ActvizError(f"out must be {kind} like the input")
    if out.shape != shape:
        raise ActvizError(f"out has shape {out.shape}, expected {shape}")
    if out.dtype != dtype:
        raise ActvizError(f"out has dtype {out.dtype}, expected {dtype}")
    if not on_gpu and not out.flags.writeable:
        raise ActvizError("out is read-only")


def _run(pl: Plan, which: str, x, dy, out, backend: str):
    """The one path every public function goes through."""
    import numpy as np

    x = _float_array(x, "x" if which != "gy" else "y")
    on_gpu = _is_cupy(x)
    if dy is not None:
        dy = _float_array(dy, "dy")
        if _is_cupy(dy) != on_gpu:
            raise ActvizError("dy and x must both be NumPy or both be CuPy arrays")
        if dy.shape != x.shape:
            raise ActvizError(f"dy has shape {dy.shape} but x/y has shape {x.shape}")
        dtype = np.result_type(dy.dtype, x.dtype)
    else:
        dtype = x.dtype
    name = _choose(backend, on_gpu)
    if out is None:
        xp = _xp(x)
        out = xp.empty(x.shape, dtype=dtype)
    else:
        _check_out(out, x.shape, dtype, on_gpu)
    if pl.kernel is None:
        _run_generic(pl, which, x, dy, out)
        return out
    fn = getattr(pl.kernel, which)
    if name == "numpy":
        from actviz.kernels import numpy_

        numpy_.run(fn, x, out, pl.p, dy)
    elif name == "numba":
        _run_numba(fn, x, dy, out, pl.p, (pl.kernel.name, which, pl.exact))
    else:
        from actviz.kernels import cupy_

        cupy_.run(pl.kernel, which, x, out, pl.p, dy)
    return out


def _xp(a):
    if _is_cupy(a):
        import cupy

        return cupy
    import numpy

    return numpy


def _run_numba(fn, x, dy, out, p, what) -> None:
    import numpy as np

    from actviz.kernels import fast32, numba_

    cdt = np.dtype(np.float64 if out.dtype == np.float64 else np.float32)
    arrays = [x, out] + ([dy] if dy is not None else [])
    order = next((o for o in "CF" if all(a.flags[f"{o}_CONTIGUOUS"] for a in arrays)), None)
    same = out.dtype == cdt and order is not None and not any(
        np.may_share_memory(out, a) and not _same_view(out, a) for a in arrays[:1] + arrays[2:])
    o1 = out.reshape(-1, order=order) if same else np.empty(out.size, dtype=cdt)
    order = order or "C"
    x1 = np.asarray(x, dtype=cdt).reshape(-1, order=order)
    d1 = None if dy is None else np.asarray(dy, dtype=cdt).reshape(-1, order=order)
    if not x1.flags.c_contiguous:
        x1 = np.ascontiguousarray(x1)
    if d1 is not None and not d1.flags.c_contiguous:
        d1 = np.ascontiguousarray(d1)
    fast = fast32.lookup(*what, p) if cdt == np.float32 else None
    numba_.run(fn, x1, o1, p, d1, fast)
    if not same:
        with np.errstate(over="ignore"):  # float16 out: values beyond its range become inf
            out[...] = o1.reshape(out.shape, order=order)


def _same_view(a, b) -> bool:
    return (a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
            and a.strides == b.strides and a.dtype.itemsize == b.dtype.itemsize)


def _run_generic(pl: Plan, which: str, x, dy, out) -> None:
    import numpy as np

    if which == "gy":
        raise ActvizError(f"{pl.label}: backward from the output y needs a catalog activation; "
                          "pass x= instead")
    order = {"f": 0, "d1": 1, "d2": 2}[which]
    f = pl.generic.numpy(order)
    on_gpu = _is_cupy(x)
    xh = x.get() if on_gpu else x
    r = f(np.asarray(xh, dtype=np.float64))
    if dy is not None:
        r = np.asarray(dy.get() if on_gpu else dy, dtype=np.float64) * r
    if on_gpu:
        import cupy

        out[...] = cupy.asarray(r.astype(out.dtype))
    else:
        out[...] = r


# ------------------------------------------------------------------------------ the API


def forward(name: str, x, *, out=None, backend: str = "auto", **params):
    """f(x) for the activation ``name`` with ``params``; same dtype and shape as ``x``."""
    return _run(plan(name, **params), "f", x, None, out, backend)


def derivative(name: str, x, order: int = 1, *, out=None, backend: str = "auto", **params):
    """The ``order``-th derivative (0, 1 or 2) at ``x``; at kinks the catalog's convention."""
    if order not in _WHICH or isinstance(order, bool):
        raise ActvizError(f"derivative order must be 0, 1 or 2 for the kernels, got {order!r} "
                          "(higher orders: actviz show)")
    return _run(plan(name, **params), _WHICH[order], x, None, out, backend)


def backward(name: str, dy, *, x=None, y=None, out=None, backend: str = "auto", **params):
    """dy * f'(x), given the input ``x`` or the output ``y = f(x)`` (one of them)."""
    if (x is None) == (y is None):
        raise ActvizError("backward needs exactly one of x= (the input) or y= (the output)")
    pl = plan(name, **params)
    if y is not None:
        if pl.kernel is None:
            raise ActvizError(f"{pl.label}: backward from the output y needs a catalog "
                              "activation; pass x= instead")
        why = pl.kernel.grad_from_output_error(pl.exact)
        if why is not None:
            raise ActvizError(why)
        return _run(pl, "gy", y, dy, out, backend)
    return _run(pl, "d1", x, dy, out, backend)
