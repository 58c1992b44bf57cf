"""Bar chart of ``actviz bench`` results: time relative to the floor, per activation."""

from __future__ import annotations

from actviz.bench import ordered_impls
from actviz.figures import pyplot, styled
from actviz.figures.ticks import log_scale


@styled
def draw(result):
    """Two panels (forward, backward): bars of ms / floor per activation and implementation,
    a line at 1 (the memory-bandwidth floor). Accepts a BenchResult or its ``to_dict()``."""
    plt = pyplot()
    d = result.to_dict() if hasattr(result, "to_dict") else result
    rows = d["rows"]
    impls = ordered_impls([r["impl"] for r in rows], d.get("backends", []))
    names = list(dict.fromkeys(r["name"] for r in rows))
    fig, axes = plt.subplots(2, 1, figsize=(max(6.0, 0.45 * len(names) + 2), 6), sharex=True)
    width = 0.8 / max(1, len(impls))
    for ax, op in zip(axes, ("forward", "backward")):
        by = {(r["name"], r["impl"]): r["ratio"] for r in rows if r["op"] == op}
        for k, impl in enumerate(impls):
            xs = [i + (k - (len(impls) - 1) / 2) * width for i in range(len(names))]
            ys = [by.get((n, impl), 0.0) for n in names]
            ax.bar(xs, ys, width=width, label=impl)
        ax.axhline(1.0, color="0.2", lw=0.8, ls="--")
        log_scale(ax)
        floor = "parallel copy" if op == "forward" else "parallel dy*x"
        ax.set_ylabel(f"time / {floor}")
        ax.set_title(f"{op}: N = {d['size']:,} {d['dtype']}, {d['threads']} threads",
                     fontsize=9)
    axes[0].legend(ncol=len(impls), loc="upper left")
    axes[1].set_xticks(range(len(names)))
    axes[1].set_xticklabels(names, rotation=60, ha="right")
    fig.tight_layout()
    return fig
