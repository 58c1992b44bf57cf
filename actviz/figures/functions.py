"""f, f', f'' panels for one or several activations (``actviz plot``, the gallery).

One panel per derivative order; functions overlaid with a legend; at every kink a dotted
vertical line, open circles at the one-sided limits and a filled dot at the value the
kernels use (the convention); no line drawn across a jump; intervals where f' = 0 exactly
shaded in every panel.
"""

from __future__ import annotations

import math

from actviz.figures import KINK_COLOR, pyplot, styled
from actviz.text import order_name

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
          "#17becf", "#7f7f7f", "#bcbd22"]


def order_label(k: int) -> str:
    return order_name(k, pretty=True)


def default_range(kink_lists) -> tuple[float, float]:
    """[-R, R] showing every kink with some room: R = max(5, 1.25 max|kink|) rounded up."""
    far = max([abs(k.x) for ks in kink_lists for k in ks] or [0.0])
    r = max(5.0, 1.25 * far)
    r = math.ceil(r) if r < 20 else 10 * math.ceil(r / 10)
    return -float(r), float(r)


def curve(func, order, xs, kinks):
    """x and y arrays for one panel, with exact one-sided values and a gap at each jump."""
    import numpy as np

    ys = func.numpy(order)(xs)
    xs_out, ys_out = [xs], [ys]
    for k in kinks:
        j = k.orders[order] if order < len(k.orders) else None
        if j is None or not (xs[0] < k.x < xs[-1]):
            continue
        if j.jumps:
            xs_out.append(np.array([k.x, k.x, k.x]))
            ys_out.append(np.array([j.left, np.nan, j.right]))
        else:
            xs_out.append(np.array([k.x]))
            ys_out.append(np.array([j.left]))
    x = np.concatenate(xs_out)
    y = np.concatenate(ys_out)
    # stable sort keeps (left, nan, right) in order at the jump
    idx = np.argsort(x, kind="stable")
    x, y = x[idx], y[idx]
    # drop exact duplicates of the kink coordinate coming from the regular grid
    return x, y


def plot(funcs, orders: int = 2, x_range=None, points: int = 2001, title: str | None = None,
         use_cache: bool = True):
    """The figure of ``actviz plot``: :func:`draw` with each function's kinks (checked up
    to order max(orders, 2)), zero-gradient intervals, extrema and inflection points
    (:mod:`actviz.figures.marks`, from the disk cache unless ``use_cache=False``)."""
    from actviz.figures import marks

    found = [marks.kinks_and_flats(f, max(orders, 2), use_cache) for f in funcs]
    kink_lists = [ks for ks, _ in found]
    zero_grads = [flats for _, flats in found]
    lo, hi = x_range or default_range(kink_lists)
    points_of = [marks.critical_points(f, ks, (lo, hi), use_cache)
                 for f, ks in zip(funcs, kink_lists)]
    return draw(funcs, kink_lists, zero_grads, orders=orders, x_range=(lo, hi), points=points,
                title=title, critical=points_of)


HATCHES = ("//", "\\\\", "..", "xx", "++", "--", "||", "oo")
MARKERS = {"min": "v", "max": "^", "inflection": "D"}


@styled
def draw(funcs, kink_lists, zero_grads, orders: int = 2, x_range=None, points: int = 2001,
         title: str | None = None, critical=None):
    """A figure with ``orders + 1`` panels; returns the matplotlib Figure. Each curve's
    f' = 0 intervals get its own hatch (overlaps stay readable); extrema and inflection
    points (``critical``) are marked on the f panel; the legend sits outside the panels and
    names the curves only when there are several."""
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    plt = pyplot()
    lo, hi = x_range or default_range(kink_lists)
    xs = np.linspace(lo, hi, points)
    n = orders + 1
    fig, axes = plt.subplots(n, 1, figsize=(7, 2.2 + 1.9 * n), sharex=True, squeeze=False)
    axes = axes[:, 0]
    critical = critical or [[] for _ in funcs]
    handles = []
    for i, (func, kinks, zg) in enumerate(zip(funcs, kink_lists, zero_grads)):
        color = COLORS[i % len(COLORS)]
        hatch = HATCHES[i % len(HATCHES)]
        grid = xs[~np.isin(xs, [k.x for k in kinks])]
        for order, ax in enumerate(axes):
            x, y = curve(func, order, grid, kinks)
            ax.plot(x, y, color=color, lw=1.6)
            if order == 0 and len(funcs) > 1:
                handles.append(Line2D([], [], color=color, lw=1.6, label=func.label))
            for a, b in zg:
                ax.axvspan(max(a, lo), min(b, hi), facecolor="none", edgecolor=color,
                           alpha=0.35, hatch=hatch, lw=0)
            for k in kinks:
                if not lo < k.x < hi or order >= len(k.orders):
                    continue
                j = k.orders[order]
                ax.axvline(k.x, color=KINK_COLOR, lw=0.6, ls=":")
                if j.jumps:
                    ax.plot([k.x, k.x], [j.left, j.right], ls="none", marker="o", ms=4.5,
                            mfc="white", mec=color, zorder=3)
                    ax.plot([k.x], [j.value], ls="none", marker="o", ms=3.5, color=color,
                            zorder=4)
        for kind, xc in critical[i]:
            if lo <= xc <= hi:
                axes[0].plot([xc], [float(func.numpy(0)(xc))], ls="none",
                             marker=MARKERS[kind], ms=5, mfc="white", mec=color, zorder=5)
    for order, ax in enumerate(axes):
        ax.set_ylabel(order_label(order), fontstyle="italic")
        ax.axhline(0, color="0.6", lw=0.6)
    axes[-1].set_xlabel("x", fontstyle="italic")
    axes[0].set_xlim(lo, hi)
    if any(zero_grads):
        handles.append(Patch(facecolor="none", edgecolor="0.4", hatch="//",
                             label=f"{order_label(1)} = 0"))
    if any(kink_lists):
        handles.append(Line2D([], [], ls="none", marker="o", mfc="white", mec="0.3",
                              label="one-sided limits"))
        handles.append(Line2D([], [], ls="none", marker="o", color="0.3",
                              label="value used (convention)"))
    kinds = {kind for pts in critical for kind, _ in pts}
    names = {"min": "minimum", "max": "maximum", "inflection": "inflection point"}
    for kind in ("min", "max", "inflection"):
        if kind in kinds:
            handles.append(Line2D([], [], ls="none", marker=MARKERS[kind], mfc="white",
                                  mec="0.3", label=names[kind]))
    if handles:
        axes[0].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                       frameon=False)
    axes[0].set_title(title or ", ".join(f.label for f in funcs))
    fig.align_ylabels(axes)
    return fig
