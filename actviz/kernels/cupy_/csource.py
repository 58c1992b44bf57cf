"""C source of the element formulas, by tracing them: the CuPy backend's ElementwiseKernels.

The formulas of :mod:`actviz.kernels.formulas` are branch-free Python over NumPy-like
values. Called on :class:`Value` tracers instead of arrays, every operation they perform
(operators, ``np.where``, ``np.exp``, ``scipy.special.erfc``, ...) appends one statement to
straight-line C (``const double t7 = exp(-fabs(xv));``), so the CUDA kernels come from
the same source as the NumPy and numba backends and nothing is written twice. The C is
plain C99 with ``<math.h>`` (the same text compiles with gcc, which is how the tests check
it on machines without a GPU) and CUDA (``__device__`` helpers, see :func:`preamble`).

A formula that branches on a traced value (``if x > 0:``) cannot be traced: ``bool()`` of a
tracer raises, so such a formula fails loudly instead of silently taking one branch.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

_UNARY = {"exp": "exp", "expm1": "expm1", "log1p": "log1p", "tanh": "tanh", "erfc": "erfc",
          "erf": "erf", "absolute": "fabs", "fabs": "fabs", "sign": "av_sign", "sqrt": "sqrt",
          "cbrt": "cbrt", "log": "log", "sin": "sin", "cos": "cos", "tan": "tan",
          "arctan": "atan", "arcsinh": "asinh", "arctanh": "atanh", "sinh": "sinh",
          "cosh": "cosh", "isinf": "isinf", "isnan": "isnan", "logical_not": "!",
          "negative": "-"}
_BINARY = {"add": "+", "subtract": "-", "multiply": "*", "true_divide": "/", "divide": "/",
           "less": "<", "less_equal": "<=", "greater": ">", "greater_equal": ">=",
           "equal": "==", "not_equal": "!=", "logical_and": "&&", "bitwise_and": "&&",
           "logical_or": "||", "bitwise_or": "||"}
_BOOL_OPS = {"<", "<=", ">", ">=", "==", "!=", "&&", "||"}
_CALLS = {"power": "pow", "maximum": "av_max", "minimum": "av_min"}  # binary, as calls


def _lit(v) -> str:
    if isinstance(v, Value):
        return v.name
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    f = float(v)
    if not math.isfinite(f):
        raise ValueError(f"non-finite constant {f} in a formula")
    return repr(f)


class Tracer:
    """Collects the statements of one formula."""

    def __init__(self):
        self.lines: list[str] = []

    def emit(self, expr: str, boolean: bool = False) -> Value:
        name = f"t{len(self.lines)}"
        self.lines.append(f"const {'int' if boolean else 'double'} {name} = {expr};")
        return Value(self, name, boolean)


class Value:
    """A traced double (or boolean) in the C being generated."""

    __array_priority__ = 1000

    def __init__(self, tracer: Tracer, name: str, boolean: bool = False):
        self.tracer, self.name, self.boolean = tracer, name, boolean

    def _bin(self, op: str, a, b) -> Value:
        return self.tracer.emit(f"{_lit(a)} {op} {_lit(b)}", op in _BOOL_OPS)

    def __add__(self, o): return self._bin("+", self, o)
    def __radd__(self, o): return self._bin("+", o, self)
    def __sub__(self, o): return self._bin("-", self, o)
    def __rsub__(self, o): return self._bin("-", o, self)
    def __mul__(self, o): return self._bin("*", self, o)
    def __rmul__(self, o): return self._bin("*", o, self)
    def __truediv__(self, o): return self._bin("/", self, o)
    def __rtruediv__(self, o): return self._bin("/", o, self)
    def __lt__(self, o): return self._bin("<", self, o)
    def __le__(self, o): return self._bin("<=", self, o)
    def __gt__(self, o): return self._bin(">", self, o)
    def __ge__(self, o): return self._bin(">=", self, o)
    def __eq__(self, o): return self._bin("==", self, o)  # type: ignore[override]
    def __ne__(self, o): return self._bin("!=", self, o)  # type: ignore[override]
    def __and__(self, o): return self._bin("&&", self, o)
    def __rand__(self, o): return self._bin("&&", o, self)
    def __or__(self, o): return self._bin("||", self, o)
    def __ror__(self, o): return self._bin("||", o, self)
    def __neg__(self): return self.tracer.emit(f"-{self.name}")
    def __invert__(self): return self.tracer.emit(f"!{self.name}", True)
    def __pos__(self): return self

    __hash__ = None  # type: ignore[assignment]

    def __bool__(self):
        raise TypeError("a formula branches on a traced value; use sel(c, a, b)")

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method != "__call__" or kwargs:
            return NotImplemented
        name = ufunc.__name__
        if len(inputs) == 1 and name in _UNARY:
            fn = _UNARY[name]
            if fn == "-":
                return -inputs[0] if isinstance(inputs[0], Value) else -float(inputs[0])
            return self.tracer.emit(f"{fn}({_lit(inputs[0])})", fn in ("isinf", "isnan", "!"))
        if len(inputs) == 2 and name in _BINARY:
            return self._bin(_BINARY[name], *inputs)
        if len(inputs) == 2 and name in _CALLS:
            a, b = inputs
            return self.tracer.emit(f"{_CALLS[name]}({_lit(a)}, {_lit(b)})")
        raise TypeError(f"the C tracer does not know {name!r}")

    def __array_function__(self, func, types, args, kwargs):
        if func is np.where and len(args) == 3 and not kwargs:
            c, a, b = args
            return self.tracer.emit(f"{_lit(c)} ? {_lit(a)} : {_lit(b)}")
        raise TypeError(f"the C tracer does not know {func.__name__!r}")


def trace(fn: Callable) -> tuple[list[str], str]:
    """(statements, result) of ``fn(xv, (p0, p1, p2, p3), None)`` in C."""
    tr = Tracer()
    x = Value(tr, "xv")
    p = tuple(Value(tr, f"p{i}") for i in range(4))
    r = fn(x, p, None)
    return tr.lines, _lit(r)


def preamble(qualifier: str) -> str:
    """Helpers the statements call; ``qualifier`` is ``__device__`` for CUDA,
    ``static inline`` for C."""
    return (f"{qualifier} double av_sign(double a) "
            "{ return a > 0.0 ? 1.0 : (a < 0.0 ? -1.0 : a); }\n"
            f"{qualifier} double av_max(double a, double b) "
            "{ return (a != a || b != b) ? a + b : (a > b ? a : b); }\n"
            f"{qualifier} double av_min(double a, double b) "
            "{ return (a != a || b != b) ? a + b : (a < b ? a : b); }\n")


def body(fn: Callable, binary: bool, out_cast: str) -> str:
    """The body of an elementwise loop: inputs ``x`` (and ``dy``), parameters ``p0..p3``,
    output ``y`` of type ``out_cast``; NaN in gives NaN out; computed in double."""
    lines, res = trace(fn)
    head = ["const double xv = (double)x;"]
    r = f"(xv != xv ? xv : {res})"
    if binary:
        r = f"(double)dy * {r}"
    return "\n".join(head + lines + [f"y = ({out_cast})({r});"])
