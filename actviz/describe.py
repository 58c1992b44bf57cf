"""Everything ``actviz show`` (and the gallery) says about one function, as one object."""

from __future__ import annotations

from dataclasses import dataclass

from actviz import kinks as kinks_mod
from actviz import properties as props_mod
from actviz.symbolic import Function, render


@dataclass
class Description:
    func: Function
    order: int
    kinks: list
    properties: props_mod.Properties

    def formulas(self, fmt: str = "unicode") -> list[str]:
        """f, f', ..., rendered (index = order)."""
        return [render(self.func.derivative(k), fmt) for k in range(self.order + 1)]

    @property
    def convention(self) -> str:
        entry = self.func.entry
        return entry.convention if entry is not None else ""

    def to_dict(self) -> dict:
        f = self.func
        return {
            "name": f.name,
            "label": f.label,
            "params": {k: float(v) for k, v in f.float_params().items()},
            "expr": render(f.expr, "sympy"),
            "derivatives": [render(f.derivative(k), "sympy") for k in range(1, self.order + 1)],
            "latex": [render(f.derivative(k), "latex") for k in range(self.order + 1)],
            "kinks": [k.to_dict() for k in self.kinks],
            "convention": self.convention,
            "properties": self.properties.to_dict(),
        }


def describe(func: Function, order: int = 2) -> Description:
    kinks = kinks_mod.find(func, max(order, 2))
    return Description(func, order, kinks, props_mod.compute(func, kinks))
