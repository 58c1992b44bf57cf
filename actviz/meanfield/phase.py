"""What the figures of ``actviz signal`` show, computed (the drawing is in actviz.figures):
chi1 over a (sigma_w, sigma_b) grid, the correlation map at the point, and the output
landscapes of random deep nets at an ordered and a chaotic point."""

from __future__ import annotations

import math

import numpy as np

from actviz.meanfield import maps
from actviz.meanfield.simulate import landscape

Q_TABLE = np.logspace(-12, 7, 400)
ITERATIONS = 400


def phase_grid(phi, sws, sbs):
    """(q*, chi1) on the grid sigma_b (rows) x sigma_w (columns), from tables of
    E[phi(sqrt(q) z)^2] and E[phi'(sqrt(q) z)^2] over q (log-interpolated) and the length
    map iterated from q1 = sigma_w^2 + sigma_b^2; accurate to the plot's resolution (the
    report's numbers come from :func:`actviz.meanfield.point`). q* beyond the table: inf."""
    s = np.sqrt(Q_TABLE)
    la = np.log(np.maximum(phi.second_moment(s), 1e-300))
    lb = np.log(np.maximum(phi.grad_moment(s), 1e-300))
    lq = np.log(Q_TABLE)
    W, B = np.meshgrid(np.asarray(sws, float), np.asarray(sbs, float))
    q = W ** 2 + B ** 2
    with np.errstate(all="ignore"):
        for _ in range(ITERATIONS):
            lqc = np.log(np.clip(q, Q_TABLE[0], Q_TABLE[-1]))
            q_new = W ** 2 * np.exp(np.interp(lqc, lq, la)) + B ** 2
            q_new = np.where(q < Q_TABLE[0], W ** 2 * q * np.exp(lb[0]) + B ** 2, q_new)
            q = np.where(q > Q_TABLE[-1], np.inf, q_new)
        chi = W ** 2 * np.exp(np.interp(np.log(np.clip(q, Q_TABLE[0], Q_TABLE[-1])), lq, lb))
    if phi.jumps:
        chi = np.full_like(chi, np.inf)
    return q, np.where(np.isfinite(q), chi, np.nan)


def correlation_curve(phi, pt, n: int = 25):
    """(c, M(c)) at the point (nothing where q* is 0 or unbounded)."""
    if not (math.isfinite(pt.q_star) and pt.q_star > 0):
        return None
    c = np.linspace(-1.0, 1.0, n)
    m = [maps.correlation_map(phi, pt.sigma_w, pt.sigma_b, pt.q_star, float(v)) for v in c]
    return c, np.array(m)


def landscape_points(r):
    """An ordered and a chaotic (sigma_w, sigma_b) around the edge of chaos: half and twice
    the EOC sigma_w at sigma_b = 0.3 (or at the curve's first point; sigma_w = 0.5 and 3
    without a curve)."""
    pts = [p for p in r.eoc.points if p["sigma_w"] is not None]
    near = min(pts, key=lambda p: abs(p["sigma_b"] - 0.3)) if pts else None
    if near is None:
        return (0.5, 0.3), (3.0, 0.3)
    sw, sb = near["sigma_w"], near["sigma_b"]
    return (0.5 * sw, sb), (2.0 * sw, sb)


def figure_data(r, seed: int = 0, backend: str = "auto") -> dict:
    """Everything the figure of one activation's result draws."""
    phi = r.phi
    curve = r.eoc.points
    top_w = max([4.0, 1.5 * r.point.sigma_w] + [1.3 * p["sigma_w"] for p in curve])
    top_b = max([1.0, 1.2 * r.point.sigma_b] + [p["sigma_b"] for p in curve])
    sws = np.linspace(0.02 * top_w, top_w, 120)
    sbs = np.linspace(0.0, top_b, 60)
    _, chi = phase_grid(phi, sws, sbs)
    lands = []
    for sw, sb in landscape_points(r):
        pt = maps.point(phi, sw, sb)
        lands.append((pt, landscape(phi, sw, sb, seed=seed, backend=backend)))
    return {"sigma_w": sws, "sigma_b": sbs, "chi1": chi, "cmap": correlation_curve(phi, r.point),
            "landscapes": lands}
