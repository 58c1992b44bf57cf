"""``actviz plot NAME ... --vs REF``: each order's curves above, their error below.

For each derivative order a panel with the reference (black) and the functions, and under
it an error panel: the absolute error ``f - ref`` (solid, left axis) and the relative error
``|f - ref| / |ref|`` where the reference is not negligible (dotted, right axis, log), the
largest absolute error of each function marked and labelled with its value and place.
"""

from __future__ import annotations

from actviz.figures import pyplot, styled
from actviz.figures.functions import COLORS, order_label


def plot_vs(funcs, reference, orders: int, x_range, points: int = 2001,
            title: str | None = None):
    """(figure, comparisons) of ``actviz plot NAME ... --vs REF``."""
    from actviz.compare import compare

    comparisons = [compare(f, reference, orders, x_range) for f in funcs]
    return draw(funcs, reference, comparisons, orders, x_range, points, title), comparisons


@styled
def draw(funcs, reference, comparisons, orders: int, x_range, points: int = 2001,
         title: str | None = None):
    """The figure; ``comparisons`` are :class:`actviz.compare.Comparison` per function."""
    import numpy as np

    plt = pyplot()
    lo, hi = x_range
    xs = np.linspace(lo, hi, points)
    n = orders + 1
    fig, axes = plt.subplots(2 * n, 1, figsize=(7, 1.1 + 3.4 * n), sharex=True, squeeze=False,
                             gridspec_kw={"height_ratios": [3, 2] * n})
    axes = axes[:, 0]
    for k in range(n):
        top, bottom = axes[2 * k], axes[2 * k + 1]
        with np.errstate(all="ignore"):
            ref = reference.numpy(k)(xs)
        top.plot(xs, ref, color="k", lw=1.4, label=reference.label)
        rel_ax = bottom.twinx()
        floor = 1e-3 * float(np.nanmax(np.abs(ref))) if np.isfinite(ref).any() else 0.0
        for i, (f, cmp) in enumerate(zip(funcs, comparisons)):
            color = COLORS[(i + 1) % len(COLORS)]
            with np.errstate(all="ignore"):
                y = f.numpy(k)(xs)
                err = y - ref
                rel = np.where(np.abs(ref) >= floor, np.abs(err) / np.abs(ref), np.nan)
            e = cmp.errors[k]
            top.plot(xs, y, color=color, lw=1.3, label=f.label)
            bottom.plot(xs, err, color=color, lw=1.2,
                        label=f"max |error| {e.max_abs:.4g} at x = {e.x_abs:.4g}")
            bottom.plot([e.x_abs], [float(f.numpy(k)(e.x_abs)) - float(reference.numpy(k)(
                e.x_abs))], "o", color=color, ms=4)
            rel_ax.plot(xs, rel, color=color, lw=0.9, ls=":")
        top.set_ylabel(order_label(k), fontstyle="italic")
        bottom.set_ylabel("error")
        rel_ax.set_ylabel("relative (dotted)", fontsize=7)
        rel_ax.set_yscale("log")
        rel_ax.grid(False)
        bottom.axhline(0, color="0.6", lw=0.6)
        top.legend(frameon=False, loc="center left", bbox_to_anchor=(1.02, 0.5))
        bottom.legend(frameon=False, fontsize=7, loc="center left", bbox_to_anchor=(1.12, 0.5))
    axes[-1].set_xlabel("x", fontstyle="italic")
    axes[0].set_xlim(lo, hi)
    axes[0].set_title(title or f"{', '.join(f.label for f in funcs)} vs {reference.label}")
    fig.align_ylabels(axes)
    return fig
