"""The error-versus-cost chart of ``actviz approx`` (a Pareto front).

Left: each approximation's certified max |error| against its measured forward time (ns per
float32 value through ``actviz.kernels``); right: against its operation count. The exact
target is a vertical line at its own cost (its error is 0, off a log scale); the Pareto
front (no other point both cheaper and more accurate) is a step line. New fits are circles,
existing approximations squares.
"""

from __future__ import annotations

from actviz.figures import pyplot, styled
from actviz.figures.ticks import log_scale


def front(points):
    """Indices of the Pareto-optimal (cost, error) points, by increasing cost."""
    order = sorted(range(len(points)), key=lambda i: (points[i][0], points[i][1]))
    out, best = [], float("inf")
    for i in order:
        if points[i][1] < best:
            out.append(i)
            best = points[i][1]
    return out


@styled
def draw(result):
    """The figure for an :class:`actviz.approx.ApproxResult` (or its ``to_dict()``)."""
    plt = pyplot()
    d = result.to_dict() if hasattr(result, "to_dict") else result
    rows = [(r, "new") for r in d["results"]] + [(r, "existing") for r in d["compare"]]
    rows = [(r, k) for r, k in rows if r.get("max_abs_error") not in (None, "inf")
            and r["max_abs_error"] > 0]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
    for ax, key, unit, exact in ((axes[0], "cost_ns", "forward time, ns per float32 value",
                                  d.get("target_cost_ns")),
                                 (axes[1], "operations", "operations (sympy count_ops)",
                                  d.get("target_operations"))):
        pts = [(r.get(key), r["max_abs_error"]) for r, _ in rows]
        ok = [i for i, p in enumerate(pts) if p[0] is not None and p[0] > 0]
        for i in ok:
            r, kind = rows[i]
            label = r.get("label") or r.get("name")
            ax.scatter([pts[i][0]], [pts[i][1]], marker="o" if kind == "new" else "s",
                       s=36, zorder=3, color="C0" if kind == "new" else "C1")
            ax.annotate(label, pts[i], textcoords="offset points", xytext=(5, 4), fontsize=7)
        best = [ok[j] for j in front([pts[i] for i in ok])]
        if len(best) > 1:
            xs = [pts[i][0] for i in best]
            ys = [pts[i][1] for i in best]
            ax.step(xs, ys, where="post", color="0.4", lw=0.9, ls="--", label="Pareto front")
        if exact:
            ax.axvline(exact, color="k", lw=0.9, label=f"{d['target']} (exact)")
        log_scale(ax, "x")
        log_scale(ax, "y")
        ax.set_xlabel(unit)
    axes[0].set_ylabel(f"certified max |error| vs {d['target']}")
    lo, hi = d["range"]
    axes[0].set_title(f"approximations of {d['target']} on [{lo:g}, {hi:g}]", fontsize=9)
    if d.get("machine"):
        axes[1].set_title(d["machine"], fontsize=7)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", ls="", color="C0", label="new fit"),
               Line2D([], [], marker="s", ls="", color="C1", label="existing")]
    h, labels = axes[0].get_legend_handles_labels()
    axes[0].legend(handles=handles + h, loc="best", fontsize=7)
    fig.tight_layout()
    return fig
