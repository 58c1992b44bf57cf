"""The stability scan drawn (``actviz stability -o``, the gallery).

Per activation two panels sharing a symlog x axis: above, one row per dtype and
implementation (naive, actviz) with a coloured band where each failure kind holds; below,
the relative error |y - true| / max(|true|, tiny) of both implementations (the maximum per
bin of x, so no spike is lost to thinning), one colour per dtype, naive dashed, with each
dtype's tolerance dotted. Non-finite results are drawn at the top of the error axis.
"""

from __future__ import annotations

from actviz.figures import pyplot, styled
from actviz.figures.ticks import log_scale

KIND_COLORS = {
    "overflow": "#d62728",
    "nan": "#9467bd",
    "flush": "#1f77b4",
    "loss": "#ff7f0e",
    "inner_overflow": "#e377c2",
}
DTYPE_COLORS = {"float16": "#d62728", "bfloat16": "#9467bd", "float32": "#1f77b4",
                "float64": "#2ca02c"}
ERR_FLOOR, ERR_CEIL = 1e-18, 1e2
BINS = 1200
LINTHRESH = 1.0


def _symlog(x):
    import numpy as np

    return np.sign(x) * np.log10(1 + np.abs(x) / LINTHRESH)


def envelope(x, rel, lo, hi, bins: int = BINS):
    """(x, max rel err) per bin of symlog(x): at most ``bins`` points, spikes kept;
    non-finite errors become ERR_CEIL, zeros ERR_FLOOR."""
    import numpy as np

    ok = ~np.isnan(rel)
    x, rel = x[ok], np.clip(np.where(np.isfinite(rel), rel, ERR_CEIL), ERR_FLOOR, ERR_CEIL)
    if x.size == 0:
        return x, rel
    edges = np.linspace(_symlog(lo), _symlog(hi), bins + 1)
    idx = np.clip(np.searchsorted(edges, _symlog(x), side="right") - 1, 0, bins - 1)
    best = np.full(bins, -1.0)
    np.maximum.at(best, idx, rel)
    where = np.full(bins, np.nan)
    # the x of the worst point per bin
    order = np.lexsort((rel, idx))
    last = np.flatnonzero(np.diff(np.concatenate([idx[order], [bins]])) != 0)
    where[idx[order][last]] = x[order][last]
    keep = best >= 0
    return where[keep], best[keep]


def _bands(ax, result):
    rows = []
    for d in result.dtypes:
        rows += [(d, d.naive), (d, d.actviz)]
    n = len(rows)
    for i, (_d, s) in enumerate(rows):
        y = n - 1 - i
        if not s.available:
            ax.text(0.5, y, "n/a", transform=ax.get_yaxis_transform(), ha="center",
                    va="center", color="0.5", fontsize=7)
            continue
        for kind, color in KIND_COLORS.items():
            ivs = [iv for iv in s.intervals if iv.kind == kind]
            if not ivs:
                continue
            # one artist per kind and row: bands, plus a tick at every run end so that
            # single points stay visible
            wide = [iv for iv in ivs if iv.hi > iv.lo]
            if wide:
                ax.hlines([y] * len(wide), [iv.lo for iv in wide], [iv.hi for iv in wide],
                          color=color, lw=9, zorder=2)
            ends = [v for iv in ivs for v in (iv.lo, iv.hi)]
            ax.plot(ends, [y] * len(ends), "|", color=color, ms=9, mew=1.2, zorder=2,
                    ls="none")
    ax.set_yticks(range(n))
    ax.set_yticklabels([f"{d.dtype} {s.impl}" for d, s in reversed(rows)])
    ax.set_ylim(-0.7, n - 0.3)
    ax.grid(axis="y", visible=False)
    for k in range(1, len(result.dtypes)):
        ax.axhline(2 * k - 0.5, color="0.8", lw=0.6)
    from matplotlib.lines import Line2D

    used = {iv.kind for d in result.dtypes for s in (d.naive, d.actviz) for iv in s.intervals}
    handles = [Line2D([], [], color=c, lw=6, label=k.replace("_", " "))
               for k, c in KIND_COLORS.items() if k in used]
    if handles:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 1.0),
                  ncol=len(handles), frameon=False, fontsize=7, borderaxespad=-1.6)
    else:
        ax.text(0.5, 0.5, "no failures", transform=ax.transAxes, ha="center", color="0.4")


def _errors(ax, result):
    lo, hi = result.x_range
    for d in result.dtypes:
        color = DTYPE_COLORS.get(d.dtype, "0.3")
        for s, style, lw in ((d.naive, "--", 0.9), (d.actviz, "-", 1.2)):
            if not s.available or s.x is None:
                continue
            x, e = envelope(s.x, s.rel_err, lo, hi)
            ax.plot(x, e, style, color=color, lw=lw, label=f"{d.dtype} {s.impl}")
        ax.axhline(d.tolerance, color=color, ls=":", lw=0.8)
    log_scale(ax)
    ax.set_ylim(ERR_FLOOR, ERR_CEIL * 3)
    ax.set_ylabel("relative error")
    ax.set_xlabel("x (symlog)", fontstyle="italic")
    ax.legend(loc="upper left", ncol=4, fontsize=6.5, frameon=False)


@styled
def draw(results):
    """A figure for one :class:`actviz.stability.StabilityResult` (or a list, stacked)."""
    plt = pyplot()
    results = results if isinstance(results, (list, tuple)) else [results]
    heights = []
    for r in results:
        heights += [0.35 * max(2 * len(r.dtypes), 1) + 0.6, 2.6]
    fig, axes = plt.subplots(len(heights), 1, figsize=(8, sum(heights) + 0.4),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    axes = axes[:, 0]
    for i, r in enumerate(results):
        top, bottom = axes[2 * i], axes[2 * i + 1]
        lo, hi = r.x_range
        for ax in (top, bottom):
            log_scale(ax, "x", "symlog", linthresh=LINTHRESH)
            ax.set_xlim(lo, hi)
        what = "f(x)" if r.order == 0 else "f'(x)"
        top.set_title(f"{r.label}: where {what} fails, naive formula vs actviz", pad=16)
        _bands(top, r)
        _errors(bottom, r)
    fig.tight_layout()
    return fig
