"""Figure of ``actviz train-xor``: losses, gradient norms, decision surfaces, pre-activations.

``draw(result)`` takes an :class:`actviz.xor.XorResult` and returns a matplotlib figure:
top left the loss per activation (median over seeds, band from the 10th to the 90th
percentile), top right the median gradient norm per layer; then one column per activation
with the decision surface over [-0.5, 1.5]^2 of its representative seed (the seed of median
final loss) and a histogram of the final pre-activations of all seeds with the activation's
zero-gradient regions shaded.
"""

from __future__ import annotations

import numpy as np

from actviz.figures import ZERO_GRAD_ALPHA, ZERO_GRAD_COLOR, pyplot, styled
from actviz.figures.ticks import log_scale

GRID = np.linspace(-0.5, 1.5, 161)


@styled
def draw(result):
    """Top row: loss and gradient norms of every activation; then one row per activation:
    its representative net's output surface and the histogram of its pre-activations."""
    plt = pyplot()
    runs = result.runs
    n = len(runs)
    fig = plt.figure(figsize=(11.0, 3.6 * (n + 1)), layout="constrained")
    gs = fig.add_gridspec(n + 1, 2, width_ratios=[1, 1.4])
    ax_loss = fig.add_subplot(gs[0, 0])
    ax_grad = fig.add_subplot(gs[0, 1])
    colors = [f"C{i % 10}" for i in range(n)]
    for run, color in zip(runs, colors):
        _loss_curve(ax_loss, run, color)
        for layer, style in (("hidden", "-"), ("output", "--")):
            g = _median(run.grad_norm[layer])
            ax_grad.plot(run.epochs, np.where(g > 0, g, np.nan), style, color=color, lw=1.2,
                         label=f"{run.label}, {layer}")
    c = result.config
    ax_loss.set(xlabel="epoch", ylabel=f"{c.loss} loss (mean of 4 samples)",
                title=f"Loss: median and 10-90% of {c.seeds} seeds")
    log_scale(ax_loss)
    if c.loss == "bce":
        ax_loss.axhline(np.log(2), color="0.4", lw=0.8, ls=":")
        ax_loss.annotate("ln 2", (0, np.log(2)), fontsize=7, ha="left", va="bottom")
    ax_loss.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=min(n, 3),
                   frameon=False, fontsize=7)
    log_scale(ax_grad)
    ax_grad.set(xlabel="epoch", ylabel="gradient norm (median)",
                title="Gradient norm per layer (solid: hidden, dashed: output; 0 not shown)")
    if ax_grad.lines:
        ax_grad.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=7)
    for i, (run, color) in enumerate(zip(runs, colors)):
        _surface(fig.add_subplot(gs[i + 1, 0]), run)
        _histogram(fig.add_subplot(gs[i + 1, 1]), run, color)
    fig.suptitle(f"XOR 2-{c.hidden}-1, {c.update} SGD lr {c.lr:g}, {c.epochs} epochs, "
                 f"init {c.init}", fontsize=10)
    return fig


def _median(a):
    a = np.where(np.isfinite(a), a, np.nan)
    out = np.full(a.shape[0], np.nan)
    ok = ~np.isnan(a).all(axis=1)
    out[ok] = np.nanmedian(a[ok], axis=1)
    return out


def _loss_curve(ax, run, color):
    loss = np.where(np.isfinite(run.loss), run.loss, np.nan)
    ok = ~np.isnan(loss).all(axis=1)
    lo, med, hi = np.full((3, loss.shape[0]), np.nan)
    lo[ok], med[ok], hi[ok] = np.nanpercentile(loss[ok], [10, 50, 90], axis=1)
    ax.fill_between(run.epochs, lo, hi, color=color, alpha=0.18, lw=0)
    d = run.summary
    ax.plot(run.epochs, med, color=color, lw=1.4,
            label=f"{run.label}: {d.get('solved', '?')}/{d.get('seeds', '?')} solved")


def _surface(ax, run):
    from actviz.xor import INPUTS, TARGETS, forward

    rep = run.representative
    xx, yy = np.meshgrid(GRID, GRID)
    with np.errstate(all="ignore"):
        out = forward(run.act, run.W1[rep], run.W2[rep], np.stack([xx, yy], axis=-1))
    out = np.where(np.isfinite(out), out, np.nan)
    mesh = ax.pcolormesh(xx, yy, out, cmap="RdBu_r", vmin=0.0, vmax=1.0, shading="auto",
                         rasterized=True)
    if np.nanmin(out) < 0.5 < np.nanmax(out):
        ax.contour(xx, yy, out, levels=[0.5], colors="k", linewidths=1.0)
    for (x, y), t, o in zip(INPUTS, TARGETS, run.outputs[rep]):
        ax.scatter([x], [y], marker="o" if t > 0.5 else "s", s=40,
                   c="white" if t > 0.5 else "black", edgecolors="k", zorder=3)
        ax.annotate(f"{o:.2f}", (x, y), xytext=(4, 4), textcoords="offset points", fontsize=7)
    ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), aspect="equal", xlabel="x₁", ylabel="x₂",
           title=f"{run.label}\noutput of seed #{rep}")
    ax.grid(False)
    ax.figure.colorbar(mesh, ax=ax, shrink=0.8, label="y (0.5 contour)")


def _histogram(ax, run, color):
    hidden = run.z_end["hidden"].ravel()
    output = run.z_end["output"].ravel()
    both = np.concatenate([hidden, output])
    both = both[np.isfinite(both)]
    if both.size == 0:
        ax.set_title(f"{run.label}: no finite pre-activations")
        return
    lo, hi = np.percentile(both, [0.5, 99.5])
    for a, b in run.act.zero_grad_intervals:  # keep nearby kinks in view
        for edge in (a, b):
            if np.isfinite(edge) and lo - 3 <= edge <= hi + 3:
                lo, hi = min(lo, edge - 0.5), max(hi, edge + 0.5)
    if hi - lo < 1e-9:
        lo, hi = lo - 1.0, hi + 1.0
    bins = np.linspace(lo, hi, 61)
    ax.hist(np.clip(hidden, lo, hi), bins=bins, color=color, alpha=0.55, label="hidden")
    ax.hist(np.clip(output, lo, hi), bins=bins, histtype="step", color="k", lw=1.0,
            label="output")
    label = "f' = 0"
    for a, b in run.act.zero_grad_intervals:
        if max(a, lo) < min(b, hi):
            ax.axvspan(max(a, lo), min(b, hi), color=ZERO_GRAD_COLOR,
                       alpha=ZERO_GRAD_ALPHA * 2, lw=0, label=label)
            label = None
    ax.set_xlim(lo, hi)
    zero = run.summary.get("zero_grad_fraction", {})
    frac = ", ".join(f"{k} {100 * v['end']:.0f}%" for k, v in zero.items()
                     if v and v.get("end") is not None)
    ax.set(xlabel="final pre-activation z (all seeds)", ylabel="count (units x samples)",
           title=f"{run.label}\nf'(z) = 0: {frac}" if frac else run.label)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=7)
