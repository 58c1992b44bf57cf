"""The numba meaning of the formula dialect of :mod:`actviz.kernels.formulas`.

The formulas call a few primitives (``sel``, ``exp_``, ``expm1_``, ``log1p_``, ``tanh_``,
``erf_``, ``erfc_``) that are NumPy functions in Python; here each gets a numba overload
chosen by the type tag ``t``: a float32 tag (float32 data computed in float64) selects the
vectorizable versions of :mod:`.math64`, a float64 tag libm. ``sel(c, a, b)`` is ``a if c
else b`` after both sides were computed (the formulas are written so that neither side
traps). Every formula and helper of the table is registered as jitable (inlined into the
loops); :func:`jitable` does the same for formulas generated at run time (user
expressions, :mod:`actviz.kernels.generic`).
"""

from __future__ import annotations

import math

from numba import types
from numba.extending import overload, register_jitable

from actviz.kernels import formulas as F
from actviz.kernels.numba_.math64 import fast_exp, fast_expm1, fast_log1p, fast_tanh
from actviz.kernels.numba_.policy import FORMULA as JIT


def _is_fast(t):
    return isinstance(t, types.Float) and t.bitwidth == 32


@overload(F.sel, jit_options=JIT)
def _ov_sel(c, a, b):
    return lambda c, a, b: a if c else b


@overload(F.exp_, jit_options=JIT)
def _ov_exp(x, t):
    if _is_fast(t):
        return lambda x, t: fast_exp(x)
    return lambda x, t: math.exp(x)


@overload(F.expm1_, jit_options=JIT)
def _ov_expm1(x, t):
    if _is_fast(t):
        return lambda x, t: fast_expm1(x)
    return lambda x, t: math.expm1(x)


@overload(F.log1p_, jit_options=JIT)
def _ov_log1p(x, t):
    if _is_fast(t):
        return lambda x, t: fast_log1p(x)
    return lambda x, t: math.log1p(x)


@overload(F.tanh_, jit_options=JIT)
def _ov_tanh(x, t):
    if _is_fast(t):
        return lambda x, t: fast_tanh(x)
    return lambda x, t: math.tanh(x)


@overload(F.erf_, jit_options=JIT)
def _ov_erf(x, t):
    return lambda x, t: math.erf(x)


@overload(F.erfc_, jit_options=JIT)
def _ov_erfc(x, t):
    return lambda x, t: math.erfc(x)


_REGISTERED: dict[int, object] = {}  # id -> the function (kept alive, so ids stay unique)


def jitable(fn):
    """Register ``fn`` (a formula ``(x, p, t)``) as jitable, once; returns it."""
    if _REGISTERED.get(id(fn)) is not fn:
        register_jitable(**JIT)(fn)
        _REGISTERED[id(fn)] = fn
    return fn


for _fn in F.formulas():
    jitable(_fn)
