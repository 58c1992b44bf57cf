"""The records of a kink (:class:`Kink`, with a :class:`Jump` per derivative order), without
sympy: :mod:`actviz.kinks` finds them, and a cached plot reads them back without importing
sympy (:mod:`actviz.cache`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from actviz.text import json_number


@dataclass(frozen=True)
class Jump:
    order: int  # 0: f, 1: f', ...
    left: float
    right: float
    value: float  # the kernel convention at the point

    @property
    def jumps(self) -> bool:
        return not _close(self.left, self.right)


@dataclass(frozen=True)
class Kink:
    x: float
    x_exact: str  # sympy text of the point, e.g. "-5/2"
    kind: str  # "jump" (f discontinuous), "kink" (f' jumps), "jump in f''" ...
    order: int  # lowest order with a jump
    orders: tuple[Jump, ...]  # one-sided limits and convention for every order checked

    def to_dict(self) -> dict:
        return {
            "x": self.x,
            "x_exact": self.x_exact,
            "kind": self.kind,
            "order": self.order,
            "one_sided": [
                {"order": j.order, "left": json_number(j.left), "right": json_number(j.right),
                 "value": json_number(j.value)}
                for j in self.orders
            ],
        }


def kind_name(order: int) -> str:
    return {0: "jump", 1: "kink"}.get(order, "jump in f" + "'" * order)


def _close(a: float, b: float) -> bool:
    if a == b:
        return True
    if not (math.isfinite(a) and math.isfinite(b)):
        return False  # -inf and inf (sqrt|x|' at 0) differ; NaN is never close
    return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))
