"""Figure of ``actviz signal``: per activation, the phase diagram (chi1 over sigma_w x sigma_b
with the edge of chaos and the chosen point), the correlation map at the point, the output
landscapes of random deep nets at an ordered and a chaotic point, and per layer the measured
variance, correlation, gradient RMS and dead fraction next to the mean-field prediction.

``draw(result, data)`` takes an :class:`actviz.meanfield.SignalResult` and, per activation,
the dict of :func:`actviz.meanfield.phase.figure_data`.
"""

from __future__ import annotations

import numpy as np

from actviz.figures import pyplot, styled
from actviz.figures.ticks import log_scale, plain_ticks


@styled
def draw(result, data):
    plt = pyplot()
    n = len(result.results)
    fig = plt.figure(figsize=(15.0, 6.4 * n), layout="constrained")
    rows = fig.subfigures(n, 1, squeeze=False)[:, 0]
    for sub, r, d in zip(rows, result.results, data):
        axes = sub.subplots(2, 4)
        sub.suptitle(f"{r.phi.label}: signal propagation at initialization", fontsize=11)
        _phase(axes[0, 0], r, d)
        _cmap(axes[0, 1], r, d)
        for ax, (pt, land) in zip(axes[0, 2:], d["landscapes"]):
            _landscape(ax, pt, land)
        _layers(axes[1], r, result.config)
    return fig


def _phase(ax, r, d):
    from matplotlib.colors import LogNorm

    chi = d["chi1"]
    finite = np.isfinite(chi) & (chi > 0)
    if finite.any():
        lo, hi = np.nanmin(chi[finite]), np.nanmax(chi[finite])
        span = max(abs(np.log10(lo)), abs(np.log10(hi)), 0.3)
        mesh = ax.pcolormesh(d["sigma_w"], d["sigma_b"], np.where(finite, chi, np.nan),
                             cmap="RdBu_r", norm=LogNorm(10 ** -span, 10 ** span),
                             shading="auto", rasterized=True)
        plain_ticks(ax.figure.colorbar(mesh, ax=ax, label="χ₁", shrink=0.85).ax.yaxis)
        ax.contour(d["sigma_w"], d["sigma_b"], np.where(finite, np.log(chi), np.nan), [0.0],
                   colors="k", linewidths=0.6, linestyles=":")
    if not np.isfinite(chi).all():
        ax.text(0.98, 0.98, "white: q* unbounded" if not r.phi.jumps else "φ jumps: χ₁ = ∞",
                transform=ax.transAxes, ha="right", va="top", fontsize=7)
    pts = r.eoc.points
    if pts:
        ax.plot([p["sigma_w"] for p in pts], [p["sigma_b"] for p in pts], "k.-", lw=1.2,
                ms=3, label="edge of chaos")
    p = r.point
    ax.plot([p.sigma_w], [p.sigma_b], "o", color="gold", mec="k", ms=7,
            label=f"the point ({p.phase})")
    ax.set(xlabel="σ_w", ylabel="σ_b", title="χ₁ (ordered < 1 < chaotic)",
           xlim=(d["sigma_w"][0], d["sigma_w"][-1]), ylim=(d["sigma_b"][0], d["sigma_b"][-1]))
    ax.legend(loc="lower right", fontsize=7)
    ax.grid(False)


def _cmap(ax, r, d):
    p = r.point
    ax.plot([-1, 1], [-1, 1], color="0.6", lw=0.8, ls="--", label="c")
    if d["cmap"] is not None:
        c, m = d["cmap"]
        ax.plot(c, m, color="C0", lw=1.5, label="M(c)")
        if p.c_star is not None:
            ax.plot([p.c_star], [p.c_star], "o", color="C3", ms=5, label=f"c* = {p.c_star:.4g}")
        ax.legend(loc="upper left", fontsize=7)
    else:
        ax.text(0.5, 0.5, "no correlation map:\nq* = " + ("0" if p.q_star == 0 else "∞"),
                transform=ax.transAxes, ha="center", va="center")
    ax.set(xlabel="c (layer l)", ylabel="c (layer l + 1)", xlim=(-1, 1), ylim=(-1.02, 1.02),
           title=f"correlation map at σ_w = {p.sigma_w:.4g}, σ_b = {p.sigma_b:.4g}")


def _landscape(ax, pt, land):
    """The output minus its mean over the plane, on a symmetric scale (its spread printed)."""
    ok = np.isfinite(land)
    centred = land - (np.mean(land[ok]) if ok.any() else 0.0)
    span = float(np.max(np.abs(centred[ok]))) if ok.any() else 0.0
    ax.imshow(np.where(ok, centred, np.nan), origin="lower", extent=(-1, 1, -1, 1),
              cmap="RdBu_r", vmin=-(span or 1.0), vmax=span or 1.0, interpolation="nearest",
              rasterized=True)
    chi = "∞" if pt.chi1 == float("inf") else f"{pt.chi1:.3g}"
    ax.set(title=f"{pt.phase}: σ_w = {pt.sigma_w:.3g}, σ_b = {pt.sigma_b:.3g}, χ₁ = {chi}",
           xlabel="input a", ylabel="input b")
    ax.text(0.02, 0.02, f"output − mean, within ±{span:.2g}", transform=ax.transAxes,
            fontsize=7, bbox={"fc": "white", "alpha": 0.7, "lw": 0})
    ax.grid(False)


def _layers(axes, r, cfg):
    e, p = r.empirical, r.predicted
    layers = np.arange(1, len(p["variance"]) + 1)
    spec = [("variance", "pre-activation variance q", "log"),
            ("correlation", "correlation of an input pair", "linear"),
            ("grad_norm", "gradient RMS ∂L/∂h", "log"),
            ("dead_fraction", "units with f' = 0", "linear")]
    for ax, (key, title, scale) in zip(axes, spec):
        pred = np.asarray(p[key], dtype=float)
        ax.plot(layers, np.where(np.isfinite(pred), pred, np.nan), "-", color="C0", lw=1.4,
                label="mean field")
        if e is not None:
            meas = np.asarray(e[key], dtype=float)
            ax.plot(layers, meas, "o", color="C1", ms=2.5, label="measured")
            if key == "dead_fraction":
                ax.plot(layers, e["saturated_fraction"], "x", color="C2", ms=3,
                        label="measured |f'| < 1e-3 max")
        if scale == "log":
            vals = pred[np.isfinite(pred) & (pred > 0)]
            if vals.size:
                log_scale(ax)
        ax.set(xlabel="layer", title=title)
        ax.legend(fontsize=7)
    if e is not None:
        s = cfg.sim
        axes[0].annotate(f"width {s.width}, {s.samples} inputs, {s.dtype}", (0.02, 0.02),
                         xycoords="axes fraction", fontsize=7)
