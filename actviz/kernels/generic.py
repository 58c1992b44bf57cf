"""The compiled generic path: a user expression as a kernel of the formula dialect.

``ExprKernel(func)`` has the interface of :class:`actviz.kernels.formulas.Kernel` (``f``,
``d1``, ``d2``, ``prepare``): its formulas are generated from the symbolic f, f', f'' of
``func`` (sympy, rewritten into a numerically stable form) by
:func:`actviz.numeric.dialect_function`, with the dialect's primitives and the catalog's own
sigmoid and softplus formulas. So a user expression runs exactly like a catalog entry: on
NumPy arrays, in the numba loops (compiled once per process: generated code is not cached
on disk), traced to C for CuPy, and a few values at a time in the XOR trainer's compiled loops.
Each derivative is generated on first use.
"""

from __future__ import annotations

import functools

import numpy as np

from actviz.kernels import formulas as F

NAMESPACE = {
    "np": np, "sel": F.sel, "exp_": F.exp_, "expm1_": F.expm1_, "log1p_": F.log1p_,
    "tanh_": F.tanh_, "erf_": F.erf_, "erfc_": F.erfc_, "sech_": F.sech_,
    "sigmoid_f": F.sigmoid_f, "softplus_f": F.softplus_f,
}
_ORDERS = {"f": 0, "d1": 1, "d2": 2}


def _no_params(p) -> tuple:
    return (0.0, 0.0, 0.0, 0.0)


class ExprKernel:
    """The kernel of a :class:`actviz.symbolic.Function` that has no catalog formula."""

    gy = None
    prepare = staticmethod(_no_params)

    def __init__(self, func):
        self.func = func
        self.name = func.label

    def _formula(self, which: str):
        from actviz.numeric import dialect_function

        return dialect_function(self.func.derivative(_ORDERS[which]), NAMESPACE,
                                f"expr_{which}")

    @functools.cached_property
    def f(self):
        return self._formula("f")

    @functools.cached_property
    def d1(self):
        return self._formula("d1")

    @functools.cached_property
    def d2(self):
        return self._formula("d2")

    def grad_from_output_error(self, params) -> str:
        return (f"{self.name}: backward from the output y needs a catalog activation; "
                "pass x= instead")
