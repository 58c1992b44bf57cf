"""What the page knows about one activation: its formulas with the parameters kept as
symbols (so that the browser can recompute f, f', f'' for any slider value), printed as
JavaScript and LaTeX; the points where it may have a kink, as functions of the parameters;
slider bounds; and the properties of its default parameters (:mod:`actviz.describe`).

:func:`entry` gives the dictionary the page script reads (keys in :data:`KEYS`).
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass

import sympy

from actviz import budget, catalog, symbolic
from actviz.errors import ActvizError
from actviz.explore.jsmath import function_source
from actviz.expr import X, parse
from actviz.render import render

ORDERS = 2  # f, f', f''
FREE_DEFAULT = "1"  # the start value of a name of an expression given no value
KINKS_S = 15.0  # budget (seconds) of solving for the kink points
KEYS = ("key", "label", "summary", "convention", "params", "js", "latex", "kinks",
        "defaults", "default_params", "view")


@dataclass
class Spec:
    """An activation with its parameters as symbols (``func``) and their start values."""

    key: str  # what the picker and the URL call it: "elu", "hard_sigmoid:pytorch", "x*..."
    func: symbolic.Function  # parameters kept as symbols
    values: dict[str, str]  # exact text start values, one per parameter
    defaults: dict[str, str]  # the catalog's (variant's) defaults; the given values for an expr

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(self.values)


def symbolic_spec(key: str, values: dict[str, str] | None = None) -> Spec:
    """``key`` (a catalog spelling or an expression) with its parameters as symbols; start
    values from ``values``, else the catalog's defaults (1 for a name of an expression)."""
    values = {k: str(v) for k, v in (values or {}).items()}
    if catalog.is_catalog_name(key):
        res = catalog.resolve(key, values)
        expr = parse(res.expr, {}, free=True)
        func = symbolic.Function(res.name, expr, {}, res)
        return Spec(res.name, func, dict(res.params), res.variant_defaults())
    func = symbolic.load(key, {}, free=True)
    names = func.free
    unknown = [k for k in values if k not in names]
    if unknown:
        raise ActvizError(f"parameter {unknown[0]!r} is not used by {key}")
    start = {n: values.get(n, FREE_DEFAULT) for n in names}
    return Spec(key, func, start, dict(start))


def kink_points(func: symbolic.Function) -> list[sympy.Expr]:
    """Where f may fail to be smooth, as expressions in the parameters: the boundaries of
    its Piecewise conditions and the zeros of the arguments of Abs, sign, Heaviside, Max
    and Min, solved for x (the page evaluates them and keeps those where some order jumps)."""
    from actviz.kinks import _piecewise
    from actviz.pieces import nonsmooth_solutions

    return nonsmooth_solutions(_piecewise(func.expr), func.expr)


def slider(name: str, default: str) -> dict:
    """Bounds and step of a parameter's slider: from 0 to 4x a positive default (at least
    1), from 4x a negative one to 0, [-1, 1] around 0; a step of about 1/200 of the span."""
    d = float(catalog.parse_number(default))
    if d > 0:
        lo, hi = 0.0, max(4 * d, 1.0)
    elif d < 0:
        lo, hi = min(4 * d, -1.0), 0.0
    else:
        lo, hi = -1.0, 1.0
    step = _nice((hi - lo) / 200)
    return {"name": name, "default": d, "default_exact": default, "start": lo, "end": hi,
            "step": step}


def _nice(v: float) -> float:
    e = math.floor(math.log10(v))
    for m in (1, 2, 5, 10):
        if m * 10**e >= v:
            return float(f"{m * 10**e:.12g}")
    return v  # pragma: no cover


def _singular_at(spec: Spec, name: str, value: float) -> bool:
    """True where the formula is undefined for this parameter value (celu's x/alpha at 0)."""
    e = spec.func.expr.subs({s: sympy.nsimplify(value) for s in spec.func.expr.free_symbols
                             if s.name == name})
    return bool(e.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo))


def default_rows(key: str, values: dict[str, str], use_cache: bool = True) -> dict:
    """The properties of ``key`` at ``values`` (the catalog defaults, or the values given):
    ``{"params": ..., "rows": [[name, value], ...], "kinks": [...]}`` as ``actviz show``
    computes them."""
    from actviz.describe import describe, property_rows

    func = symbolic.load(key, values)
    desc = describe(func, ORDERS, use_cache=use_cache)
    rows = property_rows(desc.properties.to_dict()) if desc.properties else []
    return {"params": dict(func.params), "params_float": func.float_params(),
            "rows": [list(r) for r in rows], "kinks": [k.to_dict() for k in desc.kinks]}


def view(points: list[float]) -> list[float]:
    """The default x range: [-R, R] showing every kink (as ``actviz plot``), R >= 5."""
    far = max([abs(p) for p in points if math.isfinite(p)] or [0.0])
    r = max(5.0, 1.25 * far)
    r = math.ceil(r) if r < 20 else 10 * math.ceil(r / 10)
    return [-float(r), float(r)]


def entry(spec: Spec, use_cache: bool = True, properties: bool = True) -> dict:
    """The page's data for one activation; ``properties=False`` leaves out the properties
    of the start values (the sympy analysis of ``actviz show``: seconds per function when
    not cached)."""
    func, params = spec.func, spec.params
    ds = [func.derivative(k) for k in range(ORDERS + 1)]
    sliders = []
    for name in params:
        s = slider(name, spec.defaults[name])
        if s["start"] == 0.0 and _singular_at(spec, name, 0.0):
            s["start"] = s["step"]
        value = float(catalog.parse_number(spec.values[name]))
        s["start"], s["end"] = min(s["start"], value), max(s["end"], value)
        sliders.append(s)
    kinks, at_start = [], []
    values = {s: sympy.Rational(catalog.parse_number(spec.values[s.name]))
              for s in func.expr.free_symbols if s.name in spec.values}
    try:
        with budget.time_limit(KINKS_S, f"the kink points of {spec.key}"):
            points = kink_points(func)
    except budget.BudgetExceeded:
        points = []  # drawn without kink markers
    for c in points:
        try:  # a point JavaScript cannot compute (a root of a quintic) is not marked
            kinks.append({"x": function_source(c, params),
                          "value": [function_source(_at(d, c), params) for d in ds],
                          "x_latex": sympy.latex(c)})
        except ActvizError:
            continue
        with contextlib.suppress(TypeError, ValueError):
            at_start.append(float(c.xreplace(values)))
    res = func.resolved
    defaults = (default_rows(spec.key, spec.values, use_cache) if properties else
                {"params": dict(spec.values), "rows": [], "kinks": [],
                 "params_float": {k: float(catalog.parse_number(v))
                                  for k, v in spec.values.items()}})
    defaults["given"] = any(catalog.parse_number(v) != catalog.parse_number(spec.defaults[k])
                            for k, v in spec.values.items())
    return {
        "key": spec.key,
        "label": res.name if res is not None else spec.key,
        "summary": func.summary,
        "convention": func.convention,
        "params": sliders,
        "js": [function_source(d, params) for d in ds],
        "latex": [render(d, "latex") for d in ds],
        "kinks": kinks,
        "defaults": defaults,
        "default_params": dict(spec.defaults),
        "view": view(at_start),
    }


def _at(d: sympy.Expr, c: sympy.Expr) -> sympy.Expr:
    """f^(k) at the point c (in the parameters): the value the declared expression gives
    there, the kernels' convention (a condition like alpha*(-beta/alpha) + beta <= 0 is
    decided exactly, not by rounding)."""
    try:
        return d.subs(X, c)
    except (TypeError, ValueError):
        return sympy.nan


__all__ = ["Spec", "symbolic_spec", "entry", "kink_points", "slider", "default_rows", "KEYS"]
