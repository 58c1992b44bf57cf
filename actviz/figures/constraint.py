"""Figure for ``optimize-constraint``: the given example, the active problem with the gate's
linear band and optimizer paths, and one basin map per formulation."""

from __future__ import annotations

from actviz.figures import ZERO_GRAD_ALPHA, ZERO_GRAD_COLOR, pyplot, styled

OUTCOME_COLORS = ("#2ca02c", "#d62728", "#ff7f0e")  # reached, failed, elsewhere
FORM_COLORS = {"exact": "#1f77b4", "hard": "#d62728", "smooth": "#9467bd", "penalty": "#8c564b"}
PATH_STYLES = ("-", "--", ":", "-.")


def _circle(ax, r2, **kw):
    import numpy as np

    t = np.linspace(0, np.pi / 2, 200)
    r = np.sqrt(r2)
    ax.plot(r * np.cos(t), r * np.sin(t), **kw)


def _box(ax):
    ax.set_xlim(-0.3, 10.3)
    ax.set_ylim(-0.3, 10.3)
    ax.set_aspect("equal")
    ax.set_xlabel("x", fontstyle="italic")
    ax.set_ylabel("y", fontstyle="italic")


def _given(ax, result):
    import numpy as np

    g = np.linspace(0, 10, 301)
    x, y = np.meshgrid(g, g)
    cs = ax.contour(x, y, x ** 2 + y ** 2, levels=[5, 12.5, 25, 50, 100, 150], colors="0.6",
                    linewidths=0.7)
    ax.clabel(cs, fontsize=6)
    ax.contourf(x, y, ((x + y <= 5) & (x ** 2 + y ** 2 <= 25)).astype(float), levels=[0.5, 1.5],
                colors=["#1f77b4"], alpha=0.15)
    ax.plot([0, 5], [5, 0], color="#1f77b4", lw=1, label="x + y = 5")
    _circle(ax, 25, color="k", lw=1.2, label="x² + y² = 25")
    z = 1.0 / (1.0 + np.exp(np.clip(-10 * (x ** 2 + y ** 2 - 25), -700, 700)))
    ax.contour(x, y, z, levels=[0.5], colors="#9467bd", linestyles="--", linewidths=1)
    ax.plot([], [], color="#9467bd", ls="--", lw=1, label="code's z = 0.5")
    for style, gr in zip(PATH_STYLES, result.given):
        p = np.asarray(gr.run.path)
        if p.size:
            ax.plot(p[:, 0], p[:, 1], "o" + style, ms=3, lw=1, color="0.2",
                    label=f"{gr.name} form: success {gr.run.success}")
    ax.plot(*result.start, "k*", ms=9)
    ax.set_title("1. as given: min x² + y²", fontsize=9)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=6)
    _box(ax)


def _active(ax, result):
    import numpy as np

    from actviz.constraint import OPTIMUM

    g = np.linspace(0, 10, 301)
    x, y = np.meshgrid(g, g)
    cs = ax.contour(x, y, x + 2 * y, levels=np.arange(2, 30, 3), colors="0.6", linewidths=0.7)
    ax.clabel(cs, fontsize=6)
    r2 = x ** 2 + y ** 2
    ax.contourf(x, y, (r2 <= 25).astype(float), levels=[0.5, 1.5], colors=["#1f77b4"], alpha=0.15)
    _circle(ax, 25, color="k", lw=1.2, label="x² + y² = 25")
    band = result.band_r2
    if band:
        flat = ((r2 <= band[0]) | (r2 >= band[1])).astype(float)
        ax.contourf(x, y, flat, levels=[0.5, 1.5], colors=[ZERO_GRAD_COLOR],
                    alpha=ZERO_GRAD_ALPHA)
        for edge in band:
            _circle(ax, edge, color=ZERO_GRAD_COLOR, lw=0.8, ls=":")
        ax.plot([], [], color=ZERO_GRAD_COLOR, ls=":", lw=0.8,
                label=f"hard gate's linear band (k = {result.k:g});\nshaded: flat (gradient 0)")
    for f in result.formulations:
        color = FORM_COLORS.get(f.name, "0.3")
        for i, path in enumerate(f.paths):
            p = np.asarray(path)
            if p.size:
                ax.plot(p[:, 0], p[:, 1], ".-", ms=3, lw=0.9, color=color, alpha=0.8,
                        label=f.name if i == 0 else None)
                ax.plot(p[-1, 0], p[-1, 1], "x", ms=5, color=color)
    starts = {tuple(path[0]) for f in result.formulations for path in f.paths if path}
    for s in starts:
        ax.plot(*s, "ko", ms=4, mfc="none")
    ax.plot(*OPTIMUM, "k*", ms=10, label="optimum (√5, 2√5)")
    ax.set_title(f"2. max x + 2y, x² + y² ≤ 25 ({result.method})", fontsize=9)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=6)
    _box(ax)


def _basin(ax, result, f):
    import numpy as np
    from matplotlib.colors import ListedColormap

    codes = np.asarray(f.basin)
    half = (result.axis[1] - result.axis[0]) / 2 if len(result.axis) > 1 else 0.5
    ext = (result.axis[0] - half, result.axis[-1] + half, result.axis[0] - half,
           result.axis[-1] + half)
    ax.imshow(codes, origin="lower", extent=ext, cmap=ListedColormap(OUTCOME_COLORS), vmin=0,
              vmax=2, interpolation="nearest")
    _circle(ax, 25, color="k", lw=1)
    if result.band_r2 and f.name in ("hard", "smooth"):
        for edge in result.band_r2:
            _circle(ax, edge, color="w", lw=0.8, ls=":")
    ax.set_title(f"3. {f.name}: {f.basin_success_rate:.1%} reach the optimum", fontsize=9)
    _box(ax)


@styled
def draw(result):
    """The figure for a :class:`actviz.constraint.ConstraintResult`."""
    from matplotlib.patches import Patch

    plt = pyplot()
    maps = [f for f in result.formulations if f.basin is not None]
    n = max(len(maps), 1)
    cols = 2 * n
    fig = plt.figure(figsize=(max(11.0, 3.6 * n), 8.2 if maps else 4.4), layout="constrained")
    gs = fig.add_gridspec(2 if maps else 1, cols)
    half = max(cols // 2, 1)
    if result.given:
        _given(fig.add_subplot(gs[0, :half]), result)
    _active(fig.add_subplot(gs[0, half:] if result.given else gs[0, :]), result)
    for i, f in enumerate(maps):
        _basin(fig.add_subplot(gs[1, 2 * i:2 * i + 2]), result, f)
    if maps:
        handles = [Patch(color=c, label=name) for c, name in
                   zip(OUTCOME_COLORS, ("reached the optimum", "failed (success False)",
                                        "stopped elsewhere"))]
        fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=8,
                   frameon=False)
    fig.suptitle("optimize-constraint: an activation as a constraint gate", fontsize=10)
    return fig
