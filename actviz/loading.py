"""The one rule for ``-p`` among several names, and the labels of loaded functions, without
sympy: :func:`actviz.symbolic.load_all` makes sympy functions under it, and a plot of
catalog entries whose symbolic marks are cached makes :mod:`actviz.light` ones.
"""

from __future__ import annotations

import itertools

from actviz import catalog
from actviz.errors import ActvizError


def parameter_names(spec: str) -> tuple[str, ...]:
    """The parameters ``spec`` takes: a catalog entry's declared ones, or the names (other
    than x, constants and functions) an expression uses."""
    spec = spec.strip()
    if catalog.is_catalog_name(spec):
        return catalog.get(spec.split(":", 1)[0]).param_names
    from actviz.expr import free_names

    return free_names(spec)


def load_all(specs, params, make) -> list:
    """``make(spec, values)`` for each spec, under the one rule for ``-p``: each parameter
    goes to every name that takes it (a catalog entry that declares it, an expression that
    uses it); a parameter that no name takes is an error. A parameter given a list of values
    (a family: ``{"alpha": ["0.5", "1", "2"]}``) makes one function per value for each name
    that takes it (one per combination for several families), in order; each function's
    ``family`` names the parameters that vary."""
    params = dict(params or {})
    specs = list(specs)
    funcs, used = [], set()
    for spec in specs:
        if not isinstance(spec, str):
            raise ActvizError(f"an activation is a name or an expression, got {spec!r}")
        takes = set(parameter_names(spec))
        mine = {k: v for k, v in params.items() if k in takes}
        used |= set(mine)
        keys = list(mine)
        choices = [v if isinstance(v, (list, tuple)) else [v] for v in mine.values()]
        family = tuple(k for k, c in zip(keys, choices) if len(c) > 1)
        for combo in itertools.product(*choices):
            func = make(spec, dict(zip(keys, combo)))
            func.family = family
            funcs.append(func)
    unused = [k for k in params if k not in used]
    if unused:
        names = ", ".join(s.strip() for s in specs) or "no activation"
        takes = sorted({p for s in specs for p in parameter_names(s)})
        whose = "its" if len(specs) == 1 else "their"
        raise ActvizError(f"parameter {unused[0]!r} is not used by {names} "
                          f"({whose} parameters: {', '.join(takes) or 'none'})")
    return funcs


def label(resolved, name: str, params: dict, family: tuple) -> str:
    """The name with the parameters that differ from the defaults, and those of a family
    (``silu (alpha=1)`` among ``-p alpha=0.5,1,2``)."""
    base = resolved.label if resolved is not None else name
    extra = [f"{k}={params[k]}" for k in family if k in params and f"{k}=" not in base]
    if not extra:
        return base
    if base.endswith(")") and " (" in base:
        return base[:-1] + ", " + ", ".join(extra) + ")"
    return f"{base} ({', '.join(extra)})"
