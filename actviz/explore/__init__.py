"""``actviz explore``: one self-contained HTML page to look at activations live.

The public face:

- :func:`build` (names or expressions, ``-p`` parameters) -> :class:`Page`: its
  :attr:`Page.data` (what the page script reads: per activation the JavaScript of f, f', f''
  printed by sympy, LaTeX, kink points, slider bounds, the properties of its defaults) and
  :meth:`Page.html` (standalone, every script inlined, works from ``file://``);
  :meth:`Page.write` writes it atomically; in a notebook the page displays inline.
- :func:`require_bokeh`: ActvizError naming the extra to install where Bokeh is missing.
- :func:`js` / :func:`function_source`: a sympy expression as JavaScript.

Inside: :mod:`.jsmath` (the printer), :mod:`.spec` (one activation's data), :mod:`.page`
(the Bokeh document), ``mathlib.js`` (erf and the stable primitives in JavaScript),
``numerics.js`` (kinks with one-sided limits, curves with gaps at jumps, f' = 0 runs, extrema),
``page.js`` (widgets, drawing, the properties, the state in the URL hash).
"""

from __future__ import annotations

import html as _html
import importlib.util
from dataclasses import dataclass, field

from actviz.errors import ActvizError
from actviz.explore.jsmath import function_source, js

EXTRA = "pip install 'actviz[explore]'"


def has_bokeh() -> bool:
    return importlib.util.find_spec("bokeh") is not None


def require_bokeh() -> None:
    """ActvizError (one line: the extra to install) where Bokeh is missing."""
    if not has_bokeh():
        raise ActvizError(f"actviz explore needs Bokeh: {EXTRA}")


def catalog_keys() -> list[str]:
    """Every catalog entry and variant, in catalog order."""
    from actviz import catalog

    out = []
    for e in catalog.ENTRIES:
        out += [e.name, *(f"{e.name}:{v.name}" for v in e.variants)]
    return out


@dataclass
class Page:
    data: dict
    _html: str | None = field(default=None, repr=False)

    @property
    def keys(self) -> list[str]:
        return [e["key"] for e in self.data["entries"]]

    def html(self) -> str:
        if self._html is None:
            require_bokeh()
            from actviz.explore.page import html

            self._html = html(self.data)
        return self._html

    def write(self, path: str) -> str:
        """Write the page to ``path`` atomically; returns the path."""
        from actviz.files import atomic_write

        text = self.html()

        def write(tmp):
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(text)

        return atomic_write(path, write)

    def _repr_html_(self) -> str:
        """The page in an iframe (its own document: Bokeh's scripts do not meet the
        notebook's)."""
        return (f'<iframe srcdoc="{_html.escape(self.html(), quote=True)}" '
                'style="width:100%;height:900px;border:1px solid #ddd" '
                'sandbox="allow-scripts allow-same-origin"></iframe>')


def build(names=(), params: dict | None = None, *, only: bool = False,
          use_cache: bool = True, properties: bool = True) -> Page:
    """The page for ``names`` (catalog spellings or expressions; the first is shown, the
    others overlaid; a ``-p`` family gives one overlay per value) plus, unless ``only``,
    every catalog entry and variant in the picker. ``params`` follow the one ``-p`` rule
    (:func:`actviz.symbolic.load_all`); a name of an expression without a value gets a
    slider starting at 1. ``properties=False`` leaves out the properties that actviz
    computes for the start values (the page then shows only those recomputed live)."""
    from actviz import symbolic
    from actviz.explore.spec import entry, symbolic_spec

    funcs = symbolic.load_all(list(names), params or {}, free=True) if names else []
    if not funcs and only:
        raise ActvizError("--only needs at least one NAME")
    first_values: dict[str, dict[str, str]] = {}
    for f in funcs:
        first_values.setdefault(f.name, dict(f.params))
    keys = list(first_values) + ([] if only else [k for k in catalog_keys()
                                                  if k not in first_values])
    entries = [entry(symbolic_spec(k, first_values.get(k)), use_cache, properties)
               for k in keys]
    by_key = {e["key"]: e for e in entries}
    act = funcs[0].name if funcs else keys[0]
    start = {p["name"]: _float(first_values.get(act, {}).get(p["name"], p["default_exact"]))
             for p in by_key[act]["params"]}
    overlays = []
    for f in funcs[1:] if funcs else []:
        overlays.append(_overlay(by_key[f.name], f.params))
    for f in funcs[:1]:
        if f.family:  # the first of a family is shown, the rest overlaid
            overlays.insert(0, _overlay(by_key[f.name], f.params))
    initial = {"act": act, "params": start, "show": [0, 1, 2],
               "with": list(dict.fromkeys(overlays))[:7], "x": None}
    return Page({"entries": entries, "initial": initial})


def _float(text: str) -> float:
    from actviz.catalog import parse_number

    return float(parse_number(text))


def _overlay(e: dict, values: dict[str, str]) -> str:
    """The page's overlay spelling: ``elu`` at the defaults, else ``elu(alpha=2)``."""
    vals = {p["name"]: _float(values.get(p["name"], p["default_exact"])) for p in e["params"]}
    if all(vals[p["name"]] == p["default"] for p in e["params"]):
        return e["key"]
    return e["key"] + "(" + ",".join(f"{k}={v:.12g}" for k, v in vals.items()) + ")"


__all__ = ["build", "Page", "require_bokeh", "catalog_keys", "js", "function_source",
           "EXTRA"]
