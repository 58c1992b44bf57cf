"""What to compute: a name and parameters resolved once into a kernel with prepared parameters.

Parameters stay exact from the caller to the kernel: strings (``"1/6"``), fractions, integers
and sympy rationals are read exactly; a float is read as its shortest decimal (``0.2`` is
1/5, as the catalog writes it; pass ``"1/6"`` or ``Fraction(1, 6)`` for a sixth, not 1/6.0).
Thresholds are then placed from the exact values (:mod:`actviz.kernels.formulas`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction

from actviz import catalog
from actviz.errors import ActvizError


@dataclass(frozen=True)
class Plan:
    """A kernel (catalog formulas or a generated :class:`~.generic.ExprKernel`) with its
    parameters prepared for the backends (``p``) and exact (``exact``)."""

    label: str
    kernel: object
    p: tuple
    exact: dict
    generic: bool = False


def param_text(key: str, value) -> str:
    """The exact text of a parameter value (raises ActvizError for non-numbers)."""
    if isinstance(value, bool):
        raise ActvizError(f"parameter {key} must be a number, got {value!r}")
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, (Fraction, int)) or type(value).__module__.startswith("sympy"):
        text = str(value)
    elif isinstance(value, float) or hasattr(value, "__float__"):
        f = float(value)
        if f != f or f in (float("inf"), float("-inf")):
            raise ActvizError(f"parameter {key} must be finite, got {f}")
        text = repr(f)  # its shortest decimal, as written: 0.2 is 1/5
    else:
        raise ActvizError(f"parameter {key} must be a number, got {value!r}")
    catalog.parse_number(text)
    return text


def plan(name, **params) -> Plan:
    """Resolve a name (or a :class:`actviz.symbolic.Function`) and parameters once (cached);
    raises ActvizError for bad input. A Plan is returned as it is."""
    if isinstance(name, Plan) and not params:
        return name
    if hasattr(name, "derivative") and hasattr(name, "params"):  # a symbolic.Function
        params = {**name.params, **params}
        name = name.name
    if not isinstance(name, str):
        raise ActvizError(f"activation name must be a string, got {name!r}")
    texts = tuple(sorted((k, param_text(k, v)) for k, v in params.items()))
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
    from actviz.kernels.generic import ExprKernel

    fn = symbolic.load(name, params)
    kernel = ExprKernel(fn)
    return Plan(fn.label, kernel, kernel.prepare({}), fn.exact_params(), generic=True)
