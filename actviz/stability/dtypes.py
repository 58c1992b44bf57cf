"""Floating-point types of the stability scan: names, facts, and the grids of their values.

float16 and bfloat16 are scanned exhaustively (every representable value in the range);
float32 and float64 on a linear grid near 0 (step 2^-7 on [-64, 64]) plus geometric grids in
|x| (500 points per decade above 1e-3, 20 below, down to the smallest normal number).
``key``/``from_keys`` map floats to order-preserving integers (neighbours differ by 1), for
the bisection of failure boundaries over representable values.
"""

from __future__ import annotations

from dataclasses import dataclass

from actviz.errors import ActvizError
from actviz.validate import x_range

DTYPES = ("float16", "bfloat16", "float32", "float64")
LINEAR_HALF_WIDTH = 64.0
LINEAR_STEP = 2.0 ** -7
PER_DECADE = 500  # geometric points per decade for |x| >= 1e-3 (float32, float64)
PER_DECADE_SMALL = 20  # below 1e-3


def bfloat16():
    """ml_dtypes.bfloat16, or None when ml_dtypes is not installed."""
    try:
        import ml_dtypes
    except ImportError:
        return None
    return ml_dtypes.bfloat16


def numpy_dtype(name: str):
    import numpy as np

    if name == "bfloat16":
        bf = bfloat16()
        if bf is None:
            raise ActvizError("bfloat16 needs the ml_dtypes package (pip install ml_dtypes)")
        return np.dtype(bf)
    return np.dtype(name)


def parse_dtypes(text: str) -> list[str]:
    """``"float16,float32"`` -> ``["float16", "float32"]`` (checked, order kept, no repeats)."""
    out = []
    for part in text.split(","):
        name = part.strip().lower()
        name = {"fp16": "float16", "half": "float16", "bf16": "bfloat16", "fp32": "float32",
                "single": "float32", "fp64": "float64", "double": "float64"}.get(name, name)
        if name not in DTYPES:
            raise ActvizError(f"unknown dtype {part.strip()!r} (use {', '.join(DTYPES)})")
        if name not in out:
            out.append(name)
    if not out:
        raise ActvizError("--dtype needs at least one of " + ", ".join(DTYPES))
    return out


def check_range(lo: float, hi: float) -> tuple[float, float]:
    return x_range(lo, hi)


@dataclass(frozen=True)
class DtypeInfo:
    name: str
    eps: float
    tiny: float  # smallest normal
    max: float
    bits: int


def dtype_info(name: str) -> DtypeInfo:
    import numpy as np

    dt = numpy_dtype(name)
    if name == "bfloat16":
        import ml_dtypes

        fi = ml_dtypes.finfo(dt)
    else:
        fi = np.finfo(dt)
    return DtypeInfo(name, float(fi.eps), float(fi.tiny), float(fi.max), dt.itemsize * 8)


def _uint(bits: int):
    import numpy as np

    return {16: np.uint16, 32: np.uint32, 64: np.uint64}[bits]


def grid(dtype: str, lo: float, hi: float):
    """Sorted, distinct x values of ``dtype`` in [lo, hi]; exhaustive for 16-bit types."""
    import numpy as np

    dt = numpy_dtype(dtype)
    info = dtype_info(dtype)
    if info.bits == 16:
        every = np.arange(2 ** 16, dtype=np.uint32).astype(np.uint16).view(dt)
        with np.errstate(invalid="ignore"):
            xs = every.astype(np.float64)
        xs = xs[np.isfinite(xs) & (xs >= lo) & (xs <= hi)]
    else:
        far = max(abs(lo), abs(hi))
        parts = [np.array([lo, hi, 0.0]),
                 np.arange(-LINEAR_HALF_WIDTH, LINEAR_HALF_WIDTH + LINEAR_STEP, LINEAR_STEP)]
        mid = min(1e-3, far)
        small = np.logspace(np.log10(info.tiny), np.log10(mid),
                            max(2, int(PER_DECADE_SMALL * np.log10(mid / info.tiny))))
        parts += [small, -small]
        if far > 1e-3:
            big = np.logspace(-3, np.log10(far), max(2, int(PER_DECADE * np.log10(far / 1e-3))))
            parts += [big, -big]
        xs = np.concatenate(parts).astype(dt).astype(np.float64)
        xs = xs[(xs >= lo) & (xs <= hi)]
    xs = np.unique(xs + 0.0)  # -0.0 and 0.0 are one point
    return xs.astype(dt)


def key(v: float, info: DtypeInfo, dt) -> int:
    """Order-preserving integer for a float of the dtype (neighbours differ by 1)."""
    import numpy as np

    b = int(np.array(v, dtype=dt).view(_uint(info.bits)))
    sign = 1 << (info.bits - 1)
    return -(b & (sign - 1)) if b & sign else b


def from_keys(keys, info: DtypeInfo, dt):
    import numpy as np

    sign = 1 << (info.bits - 1)
    bits = [(-k) | sign if k < 0 else k for k in keys]
    return np.array(bits, dtype=_uint(info.bits)).view(dt)
