"""The pictures of the gallery: each an :class:`Item` (a path under the gallery folder, a
section, a title, the command that makes the same picture, and a function that draws it),
in index order. The activations' pictures are made here; the analyses' in :mod:`.analyses`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from actviz import catalog

POINTS = 801  # per curve: enough for smooth SVG, small files


@dataclass
class Item:
    key: str  # e.g. "functions/mish"; the file is KEY.svg
    section: str
    title: str
    command: str  # the actviz command that draws the same picture
    draw: Callable[[], object] = field(repr=False)
    note: str = ""

    @property
    def path(self) -> str:
        return self.key + ".svg"


def _function_item(name: str) -> Item:
    def draw():
        from actviz import symbolic
        from actviz.figures import functions

        return functions.plot([symbolic.load(name)], orders=2, points=POINTS)

    return Item(f"functions/{name}", "Activations", name,
                f"actviz plot {name} --derivatives 2 --points {POINTS} -o {name}.svg", draw)


def _overlay_item(key, title, specs, note="") -> Item:
    def draw():
        from actviz import symbolic
        from actviz.figures import functions

        return functions.plot([symbolic.load(s) for s in specs], orders=1, points=POINTS,
                              title=title)

    cmd = (f"actviz plot {' '.join(specs)} --derivatives 1 --points {POINTS} "
           f"-o {key.split('/')[-1]}.svg")
    return Item(key, "Variants and approximations", title, cmd, draw, note)


def _comparison_item(key, title, reference, specs, x_range, orders, note="") -> Item:
    def draw():
        from actviz import symbolic
        from actviz.figures import compare

        fig, _ = compare.plot_vs([symbolic.load(s) for s in specs], symbolic.load(reference),
                                 orders, x_range, points=2 * POINTS - 1, title=title)
        return fig

    lo, hi = x_range
    cmd = (f"actviz plot {' '.join(specs)} --vs {reference} --derivatives {orders} "
           f"--range {lo:g} {hi:g} --points {2 * POINTS - 1} -o {key.split('/')[-1]}.svg")
    return Item(key, "Variants and approximations", title, cmd, draw, note)


def _distinct_hard_sigmoid_variants() -> list[str]:
    entry = catalog.get("hard_sigmoid")
    seen, out = set(), ["hard_sigmoid"]
    seen.add(tuple(sorted(entry.defaults().items())))
    for v in entry.variants:
        key = tuple(sorted(catalog.resolve(f"hard_sigmoid:{v.name}").params.items()))
        if key not in seen:
            seen.add(key)
            out.append(f"hard_sigmoid:{v.name}")
    return out


def items() -> list[Item]:
    """Every picture of the gallery, in index order."""
    out = [_function_item(name) for name in catalog.names()]
    out.append(_overlay_item(
        "overlays/hard_sigmoid_conventions", "hard_sigmoid conventions",
        _distinct_hard_sigmoid_variants(),
        "ONNX/Caffe2/Keras 2/Theano use 0.2x + 0.5 (kinks at ±2.5), PyTorch/JAX/Keras 3 "
        "x/6 + 1/2 (kinks at ±3), binarized nets (x + 1)/2 (kinks at ±1)."))
    out.append(_comparison_item(
        "overlays/sigmoid_approximations", "sigmoid and its piecewise approximations",
        "sigmoid", ["ultra_fast_sigmoid", "hard_sigmoid", "hard_sigmoid:pytorch"], (-8.0, 8.0),
        0))
    out.append(_comparison_item(
        "overlays/gelu_erf_vs_tanh", "gelu: exact (erf) vs the tanh approximation",
        "gelu", ["gelu:tanh"], (-6.0, 6.0), 1))
    out += _extra_items()
    return out


def _extra_items() -> list[Item]:
    """Pictures of the analyses (XOR nets, constrained optimization, stability, bench)."""
    from actviz.gallery import analyses

    return [Item(*spec) for spec in analyses.specs()]
