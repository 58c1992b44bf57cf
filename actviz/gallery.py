"""The gallery: every picture actviz makes, regenerated deterministically by one command.

Each picture is an :class:`Item` (a path under the gallery folder, a section, a title, the
command that makes the same picture, and a function that draws it). ``build`` draws the
selected items as SVG; ``index`` writes ``README.md`` with each picture, the formulas of
f, f', f'' in LaTeX, the computed properties and the kink convention.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from actviz import catalog
from actviz.errors import ActvizError

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
        from actviz import kinks, properties, symbolic
        from actviz.figures import functions

        f = symbolic.load(name)
        ks = kinks.find(f, 2)
        zg = properties.zero_gradient_intervals(f.derivative(1))
        return functions.draw([f], [ks], [zg], orders=2, points=POINTS)

    return Item(f"functions/{name}", "Activations", name,
                f"actviz plot {name} --derivatives 2 -o {name}.svg", draw)


def _overlay_item(key, title, specs, note="") -> Item:
    def draw():
        from actviz import kinks, properties, symbolic
        from actviz.figures import functions

        fs = [symbolic.load(s) for s in specs]
        ks = [kinks.find(f, 2) for f in fs]
        zg = [properties.zero_gradient_intervals(f.derivative(1)) for f in fs]
        return functions.draw(fs, ks, zg, orders=1, points=POINTS, title=title)

    cmd = f"actviz plot {' '.join(specs)} --derivatives 1 -o {key.split('/')[-1]}.svg"
    return Item(key, "Variants and approximations", title, cmd, draw, note)


def _comparison_item(key, title, reference, specs, x_range, note="") -> Item:
    def draw():
        from actviz import symbolic
        from actviz.figures import functions

        return functions.draw_comparison(symbolic.load(reference),
                                         [symbolic.load(s) for s in specs],
                                         x_range=x_range, points=2 * POINTS - 1, title=title)

    cmd = f"actviz plot {reference} {' '.join(specs)} --derivatives 1"
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
        "sigmoid", ["ultra_fast_sigmoid", "hard_sigmoid", "hard_sigmoid:pytorch"], (-8.0, 8.0)))
    out.append(_comparison_item(
        "overlays/gelu_erf_vs_tanh", "gelu: exact (erf) vs the tanh approximation",
        "gelu", ["gelu:tanh"], (-6.0, 6.0)))
    out += _extra_items()
    return out


def _extra_items() -> list[Item]:
    """Pictures of the analyses (XOR nets, constrained optimization, stability, bench)."""
    from actviz import gallery_analyses

    return gallery_analyses.items(Item)


def select(all_items: list[Item], patterns: tuple[str, ...]) -> list[Item]:
    """Items whose key or title matches any pattern (glob; a bare name matches its file)."""
    if not patterns:
        return all_items
    chosen = []
    for it in all_items:
        name = it.key.split("/")[-1]
        if any(fnmatch.fnmatch(it.key, p) or fnmatch.fnmatch(name, p) for p in patterns):
            chosen.append(it)
    if not chosen:
        raise ActvizError(f"no gallery picture matches {', '.join(patterns)} "
                          f"(keys look like functions/mish, overlays/*, xor/*)")
    return chosen


def build(out: str, chosen: list[Item], progress=None) -> list[str]:
    """Draw ``chosen`` into ``out``; returns the paths written."""
    from actviz.figures import save

    written = []
    for it in chosen:
        path = os.path.join(out, it.path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        written.append(save(it.draw(), path))
        if progress is not None:
            progress(it)
    return written


def write_index(out: str) -> str:
    """Describe every catalog entry and write ``out/README.md``; returns its path."""
    from actviz import gallery_index, symbolic
    from actviz.describe import describe

    descriptions = [describe(symbolic.load(name), 2) for name in catalog.names()]
    text = gallery_index.render(items(), descriptions)
    path = os.path.join(out, "README.md")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
    return path
