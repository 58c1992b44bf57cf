"""The records of the catalog: parameters, variants, entries, and an entry resolved with a
variant and parameter values; exact parameter values (:func:`parse_number`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from actviz.errors import ActvizError


def parse_number(text: str) -> Fraction:
    """Exact value of a parameter given as ``0.2``, ``1/6``, ``-1e-3`` (not ``inf``/``nan``)."""
    s = str(text).strip()
    try:
        if "/" in s:
            num, den = s.split("/", 1)
            value = Fraction(num.strip()) / Fraction(den.strip())
        else:
            value = Fraction(s)
    except (ValueError, ZeroDivisionError):
        raise ActvizError(f"not a finite number: {text!r}") from None
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
        changed = [f"{k}={v}" for k, v in self.params.items() if base.get(k) != v]
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
