"""f, f', f'' panels for one or several activations (``actviz plot``, the gallery).

One panel per derivative order; functions overlaid with a legend; at every kink a dotted
vertical line, open circles at the one-sided limits and a filled dot at the value the
kernels use (the convention); no line drawn across a jump; intervals where f' = 0 exactly
shaded in every panel.
"""

from __future__ import annotations

import math

from actviz.figures import KINK_COLOR, ZERO_GRAD_ALPHA, pyplot
from actviz.text import order_name

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
          "#17becf", "#7f7f7f", "#bcbd22"]


def order_label(k: int) -> str:
    return order_name(k, math=True)


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


def plot(funcs, orders: int = 2, x_range=None, points: int = 2001, title: str | None = None):
    """The figure of ``actviz plot``: :func:`draw` with each function's kinks (checked up
    to order max(orders, 2)) and zero-gradient intervals."""
    from actviz import budget, kinks, properties

    def within(what, fn):
        try:
            with budget.time_limit(15.0, what):
                return fn()
        except budget.BudgetExceeded:
            return []  # drawn without the markers

    kink_lists = [within("finding the kinks", lambda f=f: kinks.find(f, max(orders, 2)))
                  for f in funcs]
    zero_grads = [within("the zero-gradient intervals",
                         lambda f=f: properties.zero_gradient_intervals(f.derivative(1)))
                  for f in funcs]
    return draw(funcs, kink_lists, zero_grads, orders=orders, x_range=x_range, points=points,
                title=title)


def draw(funcs, kink_lists, zero_grads, orders: int = 2, x_range=None, points: int = 2001,
         title: str | None = None):
    """A figure with ``orders + 1`` panels; returns the matplotlib Figure."""
    import numpy as np

    plt = pyplot()
    lo, hi = x_range or default_range(kink_lists)
    xs = np.linspace(lo, hi, points)
    n = orders + 1
    fig, axes = plt.subplots(n, 1, figsize=(7, 2.2 + 1.9 * n), sharex=True, squeeze=False)
    axes = axes[:, 0]
    for i, (func, kinks, zg) in enumerate(zip(funcs, kink_lists, zero_grads)):
        color = COLORS[i % len(COLORS)]
        grid = xs[~np.isin(xs, [k.x for k in kinks])]
        for order, ax in enumerate(axes):
            x, y = curve(func, order, grid, kinks)
            ax.plot(x, y, color=color, lw=1.6, label=func.label if order == 0 else None)
            for a, b in zg:
                ax.axvspan(max(a, lo), min(b, hi), color=color, alpha=ZERO_GRAD_ALPHA, lw=0)
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
    for order, ax in enumerate(axes):
        ax.set_ylabel(order_label(order))
        ax.axhline(0, color="0.6", lw=0.6)
    axes[-1].set_xlabel("$x$")
    axes[0].set_xlim(lo, hi)
    handles = axes[0].get_legend_handles_labels()[0]
    if any(zero_grads):
        from matplotlib.patches import Patch

        handles.append(Patch(color="0.5", alpha=0.25, label="$f'(x) = 0$"))
    if any(kink_lists):
        from matplotlib.lines import Line2D

        handles.append(Line2D([], [], ls="none", marker="o", mfc="white", mec="0.3",
                              label="one-sided limits"))
        handles.append(Line2D([], [], ls="none", marker="o", color="0.3",
                              label="value used (convention)"))
    axes[0].legend(handles=handles, loc="best", frameon=False)
    axes[0].set_title(title or ", ".join(f.label for f in funcs))
    fig.align_ylabels(axes)
    return fig


def draw_comparison(reference, others, x_range=(-8.0, 8.0), points: int = 1601,
                    title: str | None = None):
    """Functions overlaid (top) and their error against ``reference`` (bottom), with the
    largest absolute error of each marked and labelled."""
    import numpy as np

    plt = pyplot()
    xs = np.linspace(*x_range, points)
    ref = reference.numpy(0)(xs)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 5.6), sharex=True,
                                      gridspec_kw={"height_ratios": [3, 2]})
    top.plot(xs, ref, color="k", lw=1.4, label=reference.label)
    for i, f in enumerate(others):
        color = COLORS[(i + 1) % len(COLORS)]
        y = f.numpy(0)(xs)
        err = y - ref
        j = int(np.argmax(np.abs(err)))
        top.plot(xs, y, color=color, lw=1.3, label=f.label)
        bottom.plot(xs, err, color=color, lw=1.2,
                    label=f"max |error| {abs(err[j]):.4g} at x = {xs[j]:.4g}")
        bottom.plot([xs[j]], [err[j]], "o", color=color, ms=4)
    top.set_ylabel("$f(x)$")
    bottom.set_ylabel(f"$f(x) - $ {reference.label}")
    bottom.axhline(0, color="0.6", lw=0.6)
    bottom.set_xlabel("$x$")
    top.legend(frameon=False)
    bottom.legend(frameon=False, fontsize=7)
    top.set_title(title or f"{', '.join(f.label for f in others)} vs {reference.label}")
    fig.align_ylabels([top, bottom])
    return fig
