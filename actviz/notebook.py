"""The notebook face: ``actviz.load(NAME_OR_EXPR, **params)`` gives a :class:`Activation`
(a :class:`actviz.symbolic.Function` that a notebook displays well).

- ``repr(f)``: one short line; ``_repr_latex_``: f, f', f''; ``_repr_html_``: a card with
  the formulas, the properties table, the kinks with their one-sided values and the
  convention (the analysis of ``actviz show``, cached on disk);
- ``f.plot(derivatives=2, ax=None)``: a ``matplotlib.figure.Figure`` made without pyplot,
  so the user's backend and their own figures are left alone;
- ``f.explore()``: the interactive page of ``actviz explore`` (displays inline);
- ``f.describe()``: the :class:`actviz.describe.Description` behind the card.
"""

from __future__ import annotations

from fractions import Fraction

from actviz import symbolic, text
from actviz.cards import html_card


class Activation(symbolic.Function):
    """A :class:`actviz.symbolic.Function` with notebook displays, a plot and the page."""

    def describe(self, derivatives: int = 2):
        from actviz.describe import describe

        return describe(self, derivatives)

    def _repr_html_(self) -> str:
        from actviz.describe import property_rows

        formulas = "".join(f"<div>$${name} = {self.render(k, 'latex')}$$</div>"
                           for k, name in enumerate(("f(x)", "f'(x)", "f''(x)")))
        if self.free:
            return html_card(self.label, {"free parameters": ", ".join(self.free)},
                             subtitle=self.summary, extra_html=formulas)
        desc = self.describe(2)
        props = dict(property_rows(desc.properties.to_dict()))
        kinks = [{"x": k.x_exact, "kind": k.kind,
                  **{text.order_name(j.order): f"{text.num(j.left)} / {text.num(j.right)} / "
                     f"{text.num(j.value)}" + ("  (jumps)" if j.jumps else "")
                     for j in k.orders}} for k in desc.kinks]
        data = {"parameters": dict(self.params) or None, "properties": props,
                "kinks (left / right / value used)": kinks or "none",
                "convention": self.convention or None}
        return html_card(self.label, data, subtitle=self.summary, extra_html=formulas)

    def plot(self, derivatives: int = 2, ax=None, *, x_range=None, points: int = 2001):
        """f and its derivatives up to ``derivatives``, with kinks, f' = 0 regions, extrema
        and inflection points marked (as ``actviz plot``). ``ax``: None for a new figure
        (one panel per order), one Axes (every order in it, labelled) or a sequence of
        ``derivatives + 1`` Axes. Returns the ``matplotlib.figure.Figure``."""
        from actviz.errors import ActvizError

        if not isinstance(derivatives, int) or not 0 <= derivatives <= 4:
            raise ActvizError(f"derivatives must be an integer from 0 to 4, got {derivatives!r}")
        if ax is None:
            from actviz.figures import functions

            return functions.plot([self], orders=derivatives, x_range=x_range, points=points)
        return _into_axes(self, derivatives, ax, x_range, points)

    def explore(self, *, catalog: bool = False):
        """The interactive page for this function (``actviz explore NAME``), shown inline
        in a notebook; ``catalog=True`` puts every catalog entry in its picker too."""
        from actviz.explore import build

        return build([self.name], dict(self.params), only=not catalog)


def _into_axes(func, derivatives, ax, x_range, points):
    import numpy as np

    from actviz import kinks as kinks_mod
    from actviz.errors import ActvizError
    from actviz.figures import style
    from actviz.figures.functions import COLORS, curve, default_range

    axes = list(ax) if isinstance(ax, (list, tuple, np.ndarray)) else [ax] * (derivatives + 1)
    if len(axes) != derivatives + 1:
        raise ActvizError(f"ax: give one Axes or {derivatives + 1} (one per order), "
                          f"got {len(axes)}")
    kinks = kinks_mod.find(func, max(derivatives, 2))
    lo, hi = x_range or default_range([kinks])
    xs = np.linspace(lo, hi, points)
    xs = xs[~np.isin(xs, [k.x for k in kinks])]
    with style():
        for order, a in enumerate(axes):
            x, y = curve(func, order, xs, kinks)
            color = COLORS[order % len(COLORS)] if len(set(map(id, axes))) == 1 else COLORS[0]
            a.plot(x, y, color=color, lw=1.6, label=text.order_name(order, pretty=True))
            for k in kinks:
                if lo < k.x < hi:
                    a.axvline(k.x, color="0.35", lw=0.6, ls=":")
        if len(set(map(id, axes))) == 1:
            axes[0].legend()
            axes[0].set_title(func.label)
    return axes[0].figure


def load(spec: str, /, **params) -> Activation:
    """A catalog name (alias, ``NAME:VARIANT``) or an expression in x, with parameters as
    keywords: ``load("elu", alpha=2)``, ``load("hard_sigmoid", alpha="1/6")``,
    ``load("x*sigmoid(b*x)", b=1.702)``. Values are exact: a string or Fraction as given,
    a float by its shortest decimal (0.1 is 1/10). A name without a value in an expression
    stays a symbol."""
    values = {k: _exact(v) for k, v in params.items()}
    f = symbolic.load(spec, values, free=True)
    return Activation(f.name, f.expr, dict(f.params), f.resolved, f.family)


def _exact(v) -> str:
    if isinstance(v, bool):
        raise TypeError("a parameter value is a number, not a bool")
    if isinstance(v, Fraction):
        return f"{v.numerator}/{v.denominator}"
    return str(v)


__all__ = ["Activation", "load"]
