"""Inputs and outputs of the kernels: which arrays are accepted, and the output checks."""

from __future__ import annotations

from actviz.errors import ActvizError


def is_cupy(a) -> bool:
    return type(a).__module__.startswith("cupy")


def xp(a):
    """The array module of ``a``: cupy or numpy."""
    if is_cupy(a):
        import cupy

        return cupy
    import numpy

    return numpy


def float_array(a, what: str):
    """``a`` as a float16/32/64 array (integers and booleans become float64)."""
    import numpy as np

    if a is None:
        raise ActvizError(f"{what} is missing")
    if is_cupy(a):
        if a.dtype.kind != "f" or a.dtype.itemsize not in (2, 4, 8):
            raise ActvizError(f"{what} must be a float16/32/64 array, got {a.dtype}")
        return a
    a = np.asarray(a)
    if a.dtype.kind in "biu":
        return a.astype(np.float64)
    if a.dtype.kind != "f" or a.dtype.itemsize not in (2, 4, 8):
        raise ActvizError(f"{what} must be a float16/32/64 array, got dtype {a.dtype}")
    return a


def check_out(out, shape, dtype, on_gpu: bool) -> None:
    """``out`` must be an array of the input's kind (NumPy or CuPy), shape and dtype, and
    writable."""
    import numpy as np

    if on_gpu != is_cupy(out) or not (on_gpu or isinstance(out, np.ndarray)):
        kind = "a CuPy array" if on_gpu else "a NumPy array"
        raise ActvizError(f"out must be {kind} like the input")
    if out.shape != shape:
        raise ActvizError(f"out has shape {out.shape}, expected {shape}")
    if out.dtype != dtype:
        raise ActvizError(f"out has dtype {out.dtype}, expected {dtype}")
    if not on_gpu and not out.flags.writeable:
        raise ActvizError("out is read-only")
