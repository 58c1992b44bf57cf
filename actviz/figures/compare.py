"""``actviz plot NAME ... --vs REF``: each order's curves above, their error below.

For each derivative order a panel with the reference (black) and the functions, and under
it an error panel: the absolute error ``f - ref`` (solid, left axis) and the relative error
``|f - ref| / |ref|`` where the reference is not negligible (dotted, right axis, log), the
largest absolute error of each function marked and labelled with its value and place.
"""

from __future__ import annotations

from actviz.figures import pyplot, styled
from actviz.figures.functions import COLORS, order_label
from actviz.figures.ticks import log_scale


def plot_vs(funcs, reference, orders: int, x_range, points: int = 2001,
            title: str | None = None, use_cache: bool = True):
    """(figure, comparisons) of ``actviz plot NAME ... --vs REF``: the kinks from the
    plot's marks (:mod:`actviz.figures.marks`, kept in the disk cache unless
    ``use_cache=False``), so that catalog entries (:mod:`actviz.light`) are compared
    through the kernels without sympy once their marks are cached."""
    from actviz.compare import compare
    from actviz.figures import marks

    def kink_xs(f):
        return [k.x for k in marks.kinks_and_flats(f, max(orders, 2), use_cache)[0]]

    ref_kinks = kink_xs(reference)
    comparisons = [compare(f, reference, orders, x_range, kinks=kink_xs(f) + ref_kinks)
                   for f in funcs]
    return draw(funcs, reference, comparisons, orders, x_range, points, title), comparisons


@styled
def draw(funcs, reference, comparisons, orders: int, x_range, points: int = 2001,
         title: str | None = None):
    """The figure; ``comparisons`` are :class:`actviz.compare.Comparison` per function."""
    import numpy as np

    from actviz.compare import relative

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
        any_rel = positive = False
        for i, (f, cmp) in enumerate(zip(funcs, comparisons)):
            color = COLORS[(i + 1) % len(COLORS)]
            with np.errstate(all="ignore"):
                y = f.numpy(k)(xs)
                err = y - ref
                rel = relative(err, np.abs(ref))
            e = cmp.errors[k]
            any_rel = any_rel or e.max_rel is not None
            where = f"±{abs(e.x_abs):.4g}" if e.symmetric else f"{e.x_abs:.4g}"
            top.plot(xs, y, color=color, lw=1.3, label=f.label)
            bottom.plot(xs, err, color=color, lw=1.2,
                        label=f"max |error| {e.max_abs:.4g} at x = {where}")
            bottom.plot([e.x_abs], [float(f.numpy(k)(e.x_abs)) - float(reference.numpy(k)(
                e.x_abs))], "o", color=color, ms=4)
            rel_ax.plot(xs, rel, color=color, lw=0.9, ls=":")
            positive = positive or bool(np.any(rel > 0))
        top.set_ylabel(order_label(k), fontstyle="italic")
        bottom.set_ylabel("error")
        rel_ax.grid(False)
        if positive:
            rel_ax.set_ylabel("relative (dotted)", fontsize=7)
            log_scale(rel_ax)
        else:  # no relative error to draw on a log axis
            rel_ax.set_ylabel("relative: 0" if any_rel else
                              f"relative: none\n({reference.label} = 0)", fontsize=7)
            rel_ax.set_yticks([])
        bottom.axhline(0, color="0.6", lw=0.6)
        top.legend(frameon=False, loc="center left", bbox_to_anchor=(1.02, 0.5))
        bottom.legend(frameon=False, fontsize=7, loc="center left", bbox_to_anchor=(1.12, 0.5))
    axes[-1].set_xlabel("x", fontstyle="italic")
    axes[0].set_xlim(lo, hi)
    axes[0].set_title(title or f"{', '.join(f.label for f in funcs)} vs {reference.label}")
    fig.align_ylabels(axes)
    return fig
