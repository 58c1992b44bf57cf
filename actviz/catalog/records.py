"""The records of the catalog: parameters, variants, entries, and an entry resolved with a
variant and parameter values; exact parameter values (:func:`parse_number`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from actviz.errors import ActvizError

_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE]([+-]?\d+))?")
MAX_DECIMAL_EXPONENT = 400  # 1e100000000 would be expanded exactly (minutes) before failing
TINY, HUGE = Fraction(1, 10**300), Fraction(10**300)  # nonzero values must lie in between


def parse_number(text: str) -> Fraction:
    """Exact value of a number given as ``0.2``, ``1/6``, ``-1e-3`` or ``1/3/4`` (divisions
    read left to right, as in the expression language: 1/12). Not ``inf``/``nan``; nonzero
    values must lie within 1e-300 and 1e300 in magnitude (float64 holds them with room)."""
    s = str(text).strip()
    value = None
    for part in s.split("/"):
        p = part.strip().replace("_", "")
        m = _DECIMAL.fullmatch(p)
        if m is None:
            raise ActvizError(f"not a finite number: {text!r}")
        if m.group(3) is not None and abs(int(m.group(3))) > MAX_DECIMAL_EXPONENT:
            raise ActvizError(f"exponent too large in {text!r} (at most "
                              f"{MAX_DECIMAL_EXPONENT} in magnitude)")
        q = Fraction(p)
        if value is None:
            value = q
        elif q == 0:
            raise ActvizError(f"division by zero in {text!r}")
        else:
            value /= q
    if value != 0 and not TINY <= abs(value) <= HUGE:
        raise ActvizError(f"{s} is out of range: a nonzero number must lie within 1e-300 and "
                          "1e300 in magnitude")
    return value


@dataclass(frozen=True)
class Param:
    name: str
    default: str  # exact text, e.g. "0.2" or "1/6"
    doc: str = ""

    @property
    def value(self) -> float:
        return float(parse_number(self.default))


@dataclass(frozen=True)
class Variant:
    name: str
    summary: str
    params: tuple[tuple[str, str], ...] = ()  # preset values (exact text)
    expr: str | None = None  # an alternative definition (or convention at kinks), if any
    convention: str = ""  # the variant's own gradient convention, where it differs


@dataclass(frozen=True)
class Activation:
    name: str
    expr: str
    summary: str
    params: tuple[Param, ...] = ()
    aliases: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()
    convention: str = ""  # gradient convention at kinks, in words
    onnx: str | None = None  # ONNX operator of the same semantics
    torch: str | None = None  # PyTorch functional of the same semantics (default params)
    reference: str = ""

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def defaults(self) -> dict[str, str]:
        return {p.name: p.default for p in self.params}

    def variant(self, name: str) -> Variant:
        for v in self.variants:
            if v.name == name:
                return v
        known = ", ".join(v.name for v in self.variants) or "none"
        raise ActvizError(f"{self.name} has no variant {name!r} (variants: {known})")


@dataclass(frozen=True)
class Resolved:
    """A catalog entry with a variant and parameter values chosen."""

    entry: Activation
    variant: str | None
    params: dict[str, str] = field(default_factory=dict)  # exact text values
    expr: str = ""

    @property
    def name(self) -> str:
        return self.entry.name if self.variant is None else f"{self.entry.name}:{self.variant}"

    @property
    def label(self) -> str:
        """Name with the parameters that differ from the defaults (legends, titles)."""
        base = self.variant_defaults()
        changed = [f"{k}={v}" for k, v in self.params.items()
                   if k not in base or parse_number(base[k]) != parse_number(v)]
        return self.name + (f" ({', '.join(changed)})" if changed else "")

    @property
    def summary(self) -> str:
        """The variant's description for a variant, else the entry's."""
        return self.entry.summary if self.variant is None else self.entry.variant(
            self.variant).summary

    @property
    def convention(self) -> str:
        """The gradient convention at kinks: the variant's own where it states one."""
        own = self.entry.variant(self.variant).convention if self.variant is not None else ""
        return own or self.entry.convention

    def variant_defaults(self) -> dict[str, str]:
        d = self.entry.defaults()
        if self.variant is not None:
            d.update(dict(self.entry.variant(self.variant).params))
        return d

    def float_params(self) -> dict[str, float]:
        return {k: float(parse_number(v)) for k, v in self.params.items()}
