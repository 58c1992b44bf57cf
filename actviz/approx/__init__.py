"""Fast approximations of an activation, designed and certified (``actviz approx``).

The public face of the analysis (the rest of actviz uses only these names):

- :func:`approximate` (target, ``fit=``, ``pwl=``, ``poly=``, ``rational=``, ``compare=``,
  ...) -> :class:`ApproxResult` (``to_dict()`` is the JSON of ``actviz approx``);
  :class:`Approximation` (one result: its expression, certified errors, cost, code);
- :func:`format_text` (the text report), :func:`certify_pair` (the checks of one function
  against another), ``DEFAULT_RANGE``.

Inside: :mod:`.curves` (values through the kernels, largest errors), :mod:`.fit` (parameter
fits), :mod:`.pwl` (piecewise-linear), :mod:`.remez` (polynomials, rationals),
:mod:`.certify` and :mod:`.scan32` (the checks), :mod:`.emit` (expression, NumPy and C code),
:mod:`.cost` (timing, operation counts), :mod:`.run`, :mod:`.report`.
"""

from actviz.approx.report import format_text
from actviz.approx.run import (
    DEFAULT_RANGE,
    Approximation,
    ApproxResult,
    approximate,
    assess,
    default_dtypes,
)


def certify_pair(approx, target, x_range=DEFAULT_RANGE, dtypes=None):
    """The checks of ``approx`` against ``target`` (specs or symbolic Functions) as an
    :class:`Approximation` (errors, where, what was checked); ``dtypes`` default to
    :func:`default_dtypes`."""
    from actviz import symbolic

    g = approx if hasattr(approx, "expr") else symbolic.load(approx)
    f = target if hasattr(target, "expr") else symbolic.load(target)
    a = Approximation(g.label, "existing", str(g.expr), dict(g.params), g)
    return assess(a, f, x_range, list(default_dtypes() if dtypes is None else dtypes))


__all__ = ["default_dtypes", "approximate", "ApproxResult", "Approximation", "format_text",
           "certify_pair", "DEFAULT_RANGE"]
