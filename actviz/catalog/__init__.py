"""The catalog: every activation declared once.

Each entry is a small frozen record: a canonical name, aliases (PyTorch/Keras spellings),
the defining expression as text in ``x`` and the parameter names, parameters with defaults
(ONNX attribute names), named variants (parameter presets or alternative definitions),
the gradient convention at kinks in words, a summary and references.

The expression language is the one of :mod:`actviz.expr`: arithmetic, ``where(cond, a, b)``
for piecewise definitions, the functions ``sigmoid`` and ``softplus`` (kept as primitives so
that derivatives stay short), and calls of other catalog entries with keyword parameters
(``x*hard_sigmoid(x, alpha=alpha, beta=beta)``).

Piecewise conditions carry the numeric convention at a kink: the value a derivative takes
*at* the boundary point is the value of the piece whose condition holds there. For
``where(x > 0, x, 0)`` (relu) the derivative at 0 is that of the ``0`` piece, i.e. 0.

The table is :mod:`.entries`, its records :mod:`.records`; this face looks names up and
resolves them. Importing the package imports neither sympy nor numpy.
"""

from __future__ import annotations

import difflib

from actviz.catalog.entries import ENTRIES
from actviz.catalog.records import Activation, Param, Resolved, Variant, parse_number
from actviz.errors import ActvizError

__all__ = ["ENTRIES", "Activation", "Param", "Variant", "Resolved", "parse_number", "names",
           "all_spellings", "lookup", "get", "suggest", "is_catalog_name", "resolve"]

_BY_NAME: dict[str, Activation] = {}
for _e in ENTRIES:
    for _n in (_e.name, *_e.aliases):
        _key = _n.lower().replace("-", "_")
        assert _BY_NAME.setdefault(_key, _e) is _e, f"{_key} names two entries"


def names() -> list[str]:
    """Canonical names, in catalog order."""
    return [e.name for e in ENTRIES]


def all_spellings() -> list[str]:
    """Every accepted spelling: names, aliases and ``name:variant``."""
    out = []
    for e in ENTRIES:
        out += [e.name, *e.aliases, *(f"{e.name}:{v.name}" for v in e.variants)]
    return out


def lookup(name: str) -> Activation | None:
    """The entry for a name or alias (case-insensitive), or None."""
    return _BY_NAME.get(name.strip().lower().replace("-", "_"))


def get(name: str) -> Activation:
    """The entry for a name or alias; ActvizError with suggestions if unknown."""
    entry = lookup(name)
    if entry is None:
        raise ActvizError(f"unknown activation {name!r}{suggest(name)}")
    return entry


def suggest(name: str) -> str:
    spellings = list(dict.fromkeys(s.lower() for s in all_spellings()))
    close = difflib.get_close_matches(name.lower(), spellings, n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def is_catalog_name(text: str) -> bool:
    """True for ``name``, ``alias`` and ``name:variant`` spellings (variant not checked)."""
    base = text.split(":", 1)[0]
    return lookup(base) is not None


def resolve(spec: str, params: dict[str, str] | None = None) -> Resolved:
    """Resolve ``NAME[:VARIANT]`` plus user parameters (exact text values) to a Resolved.

    Unknown names, variants and parameters, and non-numeric values raise ActvizError.
    """
    base, _, variant = spec.partition(":")
    entry = get(base)
    variant = variant.strip() or None
    values = entry.defaults()
    expr = entry.expr
    if variant is not None:
        v = entry.variant(variant)
        values.update(dict(v.params))
        expr = v.expr or expr
    for key, val in (params or {}).items():
        if key not in values:
            known = ", ".join(values) or "none"
            raise ActvizError(f"{entry.name} has no parameter {key!r} (parameters: {known})")
        parse_number(val)
        values[key] = str(val).strip()
    return Resolved(entry, variant, values, expr)
