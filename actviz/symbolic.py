"""The symbolic truth: an activation as a sympy expression, its derivatives of any order,
their renderings, and numeric functions made from them.

``load("mish")``, ``load("hard_sigmoid:pytorch")``, ``load("hard_sigmoid", {"alpha": "0.25"})``
or ``load("x*tanh(softplus(x))")`` give a :class:`Function`; ``f.derivative(2)`` the sympy
second derivative (short: ``softplus`` and ``sigmoid`` stay primitives, ``1 - tanh(u)**2`` is
written ``sech(u)**2``); ``f.numpy(order)`` a vectorized float64 function (numerically stable
forms, no overflow warnings); ``f.mpmath(order)`` an mpmath scalar function (both made by
:mod:`actviz.numeric`, the one place sympy expressions become callables).
:func:`load_all` is the one rule that shares ``-p`` parameters among several names.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from fractions import Fraction

import sympy

from actviz import budget, catalog, loading, pieces
from actviz.errors import ActvizError
from actviz.expr import X, free_names, number, parse
from actviz.numeric import logistic_forms, mpmath_function, no_delta, numpy_function
from actviz.render import render

MAX_ORDER = 12
DERIVATIVE_S = 20.0  # budget of one derivative (sympy.diff and tidy), seconds
PARSE_S = 10.0  # budget of reading an expression
_W = sympy.Wild("w")


def tidy(expr: sympy.Expr) -> sympy.Expr:
    """Cheap rewrites that keep derivative formulas short and familiar.

    The classical derivative is meant: DiracDelta terms (which live only at kinks, whose
    one-sided values are reported separately) are dropped, ``a*sign(a)`` is ``|a|`` and
    ``sign(a)**2`` is 1. ``1 - tanh(u)**2`` is written ``sech(u)**2``. Then the shortest of a
    few cheap normal forms wins (no full ``simplify``: it costs seconds).
    """
    if isinstance(expr, sympy.Piecewise):
        pieces = [(tidy(e), _tidy_condition(c)) for e, c in expr.args]
        return sympy.Piecewise(*pieces)
    expr = no_delta(expr)
    expr = expr.replace(lambda e: e.is_Mul and _sign_pair(e) is not None, _merge_sign)
    expr = expr.replace(sympy.sign(_W) ** 2, sympy.S.One)
    expr = expr.replace(1 - sympy.tanh(_W) ** 2, sympy.sech(_W) ** 2)
    expr = expr.replace(sympy.tanh(_W) ** 2 - 1, -sympy.sech(_W) ** 2)
    candidates = [expr, sympy.factor_terms(expr), sympy.together(expr),
                  sympy.factor_terms(sympy.expand(expr))]
    return min(candidates, key=lambda e: (sympy.count_ops(e), len(str(e))))


def _sign_pair(mul):
    for f in mul.args:
        if isinstance(f, sympy.sign) and f.args[0] in mul.args:
            return f
    return None


def _merge_sign(mul):
    """a*sign(a)*rest -> |a|*rest (and repeatedly)."""
    while mul.is_Mul and (f := _sign_pair(mul)) is not None:
        a = f.args[0]
        rest = [g for g in mul.args]
        rest.remove(f)
        rest.remove(a)
        mul = sympy.Mul(*rest) * sympy.Abs(a)
    return mul


def _tidy_condition(cond):
    if cond is sympy.true or len(cond.free_symbols) != 1:
        return cond
    try:
        alt = cond.as_set().as_relational(X)
    except (NotImplementedError, TypeError, ValueError):
        return cond
    return alt if sympy.count_ops(alt) < sympy.count_ops(cond) else cond


@dataclass
class Function:
    """An activation (or user expression) with fixed parameter values."""

    name: str  # catalog name (with :variant) or the expression text
    expr: sympy.Expr
    params: dict[str, str] = field(default_factory=dict)  # exact text values
    resolved: catalog.Resolved | None = None
    family: tuple[str, ...] = ()  # parameters that vary in a -p family: always in the label

    @property
    def free(self) -> tuple[str, ...]:
        """Names kept as symbols (no value given): nothing numeric can be computed."""
        return tuple(sorted(str(s) for s in self.expr.free_symbols - {X}))

    def __hash__(self):
        return id(self)

    @property
    def label(self) -> str:
        """The name with the parameters that differ from the defaults, and those of a family
        (``silu (alpha=1)`` among ``-p alpha=0.5,1,2``)."""
        return loading.label(self.resolved, self.name, self.params, self.family)

    @property
    def entry(self) -> catalog.Activation | None:
        return self.resolved.entry if self.resolved is not None else None

    @property
    def summary(self) -> str:
        """The catalog's one-line description (the variant's own for a variant); "" else."""
        return self.resolved.summary if self.resolved is not None else ""

    @property
    def convention(self) -> str:
        """The gradient convention at kinks, in words (the variant's own where it has one)."""
        return self.resolved.convention if self.resolved is not None else ""

    def exact_params(self) -> dict[str, Fraction]:
        """Parameter values as exact fractions (what the kernels take)."""
        return {k: catalog.parse_number(v) for k, v in self.params.items()}

    def float_params(self) -> dict[str, float]:
        return {k: float(q) for k, q in self.exact_params().items()}

    @functools.cache  # noqa: B019 - Function objects are few and long-lived
    def derivative(self, order: int = 1) -> sympy.Expr:
        """The order-th derivative (order 0 is f itself), tidied; within a time and size
        budget (ActvizError for an expression too large to differentiate)."""
        check_order(order)
        if order == 0:
            return self.expr
        prev = self.derivative(order - 1)
        what = f"the derivative of order {order} of {self.label}"
        with budget.time_limit(DERIVATIVE_S, what):
            d = tidy(sympy.diff(prev, X))
        budget.check_size(d, what)
        return d

    def derivatives(self, upto: int) -> list[sympy.Expr]:
        return [self.derivative(k) for k in range(1, upto + 1)]

    @functools.cache  # noqa: B019
    def numpy(self, order: int = 0):
        """Vectorized float64 function of x for the order-th derivative."""
        return numpy_function(self.derivative(order))

    @functools.cache  # noqa: B019
    def mpmath(self, order: int = 0):
        """mpmath scalar function for the order-th derivative (use under mpmath.workdps)."""
        return mpmath_function(self.derivative(order))

    def render(self, order: int = 0, fmt: str = "unicode", width: int | None = None) -> str:
        return render(self.derivative(order), fmt, width)

    def __repr__(self) -> str:
        """One short line: ``<Function elu (alpha=2): x if x > 0; alpha*(exp(x) - 1)...>``."""
        params = ", ".join(f"{k}={v if len(v) <= 12 else v[:10] + '...'}"
                           for k, v in self.params.items())
        head = self.name + (f" ({params})" if params else "")
        body = render(self.expr, "line")
        room = max(30, 100 - len(head))  # the whole line within about 120 characters
        if len(body) > room:
            body = body[:room - 3] + "..."
        return f"<{type(self).__name__} {head}: f(x) = {body}>"

    def _repr_latex_(self) -> str:
        """f, f' and f'' in LaTeX (aligned), as a notebook shows them."""
        lines = [f"{name} &= {self.render(k, 'latex')}"
                 for k, name in enumerate(("f(x)", "f'(x)", "f''(x)"))]
        return "$\\begin{aligned}" + " \\\\ ".join(lines) + "\\end{aligned}$"


def check_order(order: int) -> None:
    if not isinstance(order, int) or order < 0 or order > MAX_ORDER:
        raise ActvizError(f"derivative order must be an integer from 0 to {MAX_ORDER}, got {order}")


def parameter_names(spec: str) -> tuple[str, ...]:
    """The parameters ``spec`` takes (:func:`actviz.loading.parameter_names`)."""
    return loading.parameter_names(spec)


def load_all(specs, params: dict[str, str] | None = None, *, free: bool = False
             ) -> list[Function]:
    """:class:`Function` for each spec, under the one rule for ``-p`` among several names
    (:func:`actviz.loading.load_all`)."""
    return loading.load_all(specs, params, lambda spec, p: load(spec, p, free=free))


def load(spec: str, params: dict[str, str] | None = None, *, free: bool = False) -> Function:
    """A catalog name (``NAME``, alias, ``NAME:VARIANT``) or an expression in x.

    ``params`` are exact text values (``{"alpha": "1/6"}``). For an expression they name
    symbols used in it (``load("x*sigmoid(b*x)", {"b": "1.5"})``); a parameter the
    expression does not use is an error. The logistic function and softplus written out with
    exp (``x/(1 + exp(-x))``) are read as the primitives (``x*sigmoid(x)``), so that f and its
    derivatives stay finite where their values are. ``free`` keeps names without a value as
    symbols (:attr:`Function.free`: derivatives in them, but nothing numeric).
    """
    if not isinstance(spec, str):
        raise ActvizError(f"an activation is a name or an expression, got {spec!r}")
    params = {str(k): str(v).strip() for k, v in (params or {}).items()}
    spec = spec.strip()
    if catalog.is_catalog_name(spec):
        res = catalog.resolve(spec, params)
        values = {k: number(v) for k, v in res.params.items()}
        return Function(res.name, parse(res.expr, values), dict(res.params), res)
    for key, val in params.items():
        if not key.isidentifier() or key == "x":
            raise ActvizError(f"not a parameter name: {key!r}")
        catalog.parse_number(val)
    unused = [k for k in params if k not in free_names(spec)]
    if unused:
        raise ActvizError(f"parameter {unused[0]!r} is not used by {spec}")
    try:
        with budget.time_limit(PARSE_S, f"reading {spec!r}"):
            expr = parse(spec, {k: number(v) for k, v in params.items()}, fold=False,
                         free=free and not _looks_like_name(spec))
    except budget.BudgetExceeded:
        raise
    except ActvizError as exc:
        if _looks_like_name(spec) and "unknown" in str(exc):  # a mistyped name, not an expr
            raise ActvizError(f"unknown activation {spec!r}{catalog.suggest(spec)}") from None
        raise
    budget.check_size(expr, repr(spec))
    with budget.time_limit(PARSE_S, f"simplifying the pieces of {spec!r}"):
        expr = logistic_forms(pieces.fold(expr))
    return Function(spec, expr, params)


def _looks_like_name(text: str) -> bool:
    return text.replace("_", "").replace(":", "").replace("-", "").isalnum()
