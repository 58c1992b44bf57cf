"""The edge of chaos and the initialization gains of an activation.

On the edge of chaos chi1 = 1 at the fixed point q*. Parametrized by q: chi1 = 1 gives
sigma_w^2 = 1 / E[phi'(sqrt(q) z)^2], and q is then a fixed point of the length map when
sigma_b^2 = q - sigma_w^2 E[phi(sqrt(q) z)^2] =: s(q) >= 0. For each requested sigma_b the
smallest q with s(q) = sigma_b^2 is found (a log grid of q, then Brent's method), so the
curve costs two vectorized integrals plus a few dozen scalar ones per point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from actviz.meanfield import maps

Q_GRID = np.logspace(-8, 4, 241)
DEFAULT_SIGMA_B = tuple(round(0.1 * i, 1) for i in range(11))
HOMOGENEOUS_TOL = 1e-10


@dataclass
class EdgeOfChaos:
    points: list[dict]  # sigma_b, sigma_w, q_star
    note: str = ""

    def to_dict(self) -> dict:
        from actviz.text import json_number

        return [{k: (None if v is None else json_number(v)) for k, v in p.items()}
                for p in self.points]


def _s_of_q(phi, q):
    r = np.sqrt(np.asarray(q, dtype=float))
    a, b = phi.second_moment(r), phi.grad_moment(r)
    with np.errstate(divide="ignore", invalid="ignore"):
        return q - a / b, 1.0 / b


def edge_of_chaos(phi, sigma_bs=DEFAULT_SIGMA_B) -> EdgeOfChaos:
    if phi.jumps:
        return EdgeOfChaos([], f"{phi.label} jumps at x = "
                           + ", ".join(f"{x:g}" for x in phi.jumps)
                           + ": the correlation map has an infinite slope at c = 1, so every "
                           "point is chaotic and there is no edge of chaos")
    s, w2 = _s_of_q(phi, Q_GRID)
    ok = np.isfinite(s) & np.isfinite(w2) & (w2 > 0)
    if not ok.any():
        return EdgeOfChaos([], f"φ' of {phi.label} vanishes: no χ₁ = 1 anywhere")
    if np.all(np.abs(s[ok]) <= HOMOGENEOUS_TOL * Q_GRID[ok]):
        sw = math.sqrt(float(np.median(w2[ok])))
        return EdgeOfChaos(
            [{"sigma_b": 0.0, "sigma_w": sw, "q_star": None}],
            f"{phi.label} is positively homogeneous (φ(a x) = a φ(x) for a > 0): χ₁ = 1 "
            f"only at σ_b = 0, σ_w = {sw:.10g}, where every q is a fixed point; no "
            "curve for σ_b > 0")
    found, brackets, missing = {}, [], []
    for sb in sigma_bs:
        sb = float(sb)
        if sb == 0.0 and phi.at_zero == 0.0 and ok[0] and s[0] >= 0.0:
            # s(q) -> 0+ as q -> 0: the curve ends at the limit q* = 0 with
            # sigma_w^2 = 1 / E[phi'(0 z)^2] (1/phi'(0)^2, or the mean of the one-sided
            # squares at a kink)
            g0 = float(phi.grad_moment(maps.TINY_SCALE)[0])
            if g0 > 0:
                found[sb] = {"sigma_b": 0.0, "sigma_w": 1.0 / math.sqrt(g0), "q_star": 0.0}
                continue
        gap = np.where(ok, s - sb * sb, np.nan)
        cross = np.flatnonzero((gap[:-1] <= 0) & (gap[1:] > 0) | (gap[:-1] >= 0) & (gap[1:] < 0))
        if cross.size == 0:
            missing.append(sb)
            continue
        i = int(cross[0])
        brackets.append((sb, Q_GRID[i], Q_GRID[i + 1], gap[i], gap[i + 1]))
    if brackets:
        sb2 = np.array([b[0] for b in brackets]) ** 2
        q = _solve(lambda lq: _s_of_q(phi, np.exp(lq))[0] - sb2,
                   np.log([b[1] for b in brackets]), np.log([b[2] for b in brackets]),
                   np.array([b[3] for b in brackets]), np.array([b[4] for b in brackets]))
        w2 = _s_of_q(phi, q)[1]
        for (sb, *_), qi, wi in zip(brackets, q, w2):
            found[sb] = {"sigma_b": sb, "sigma_w": math.sqrt(float(wi)), "q_star": float(qi)}
    points = [found[float(b)] for b in sigma_bs if float(b) in found]
    note = ""
    if missing:
        note = ("no edge-of-chaos point for σ_b = " + ", ".join(f"{b:g}" for b in missing)
                + f" with q* in [{Q_GRID[0]:g}, {Q_GRID[-1]:g}]")
    if not points and not note:
        note = "no edge of chaos"
    return EdgeOfChaos(points, note)


def _solve(f, a, b, fa, fb, iterations: int = 100):
    """Roots of the vectorized ``f`` in the brackets [a, b] (signs of fa, fb differ), all at
    once by the Illinois variant of regula falsi, to the last bits of log q; returns exp."""
    for _ in range(iterations):
        done = np.abs(b - a) <= 1e-15 * np.maximum(np.abs(a), 1.0)
        if done.all():
            break
        with np.errstate(all="ignore"):
            c = np.where(fb != fa, b - fb * (b - a) / (fb - fa), 0.5 * (a + b))
        c = np.where((c <= np.minimum(a, b)) | (c >= np.maximum(a, b)) | ~np.isfinite(c),
                     0.5 * (a + b), c)
        fc = f(c)
        left = np.sign(fc) == np.sign(fb)  # the root lies between a and c
        # Illinois: halve the kept end's value when the same end is kept twice
        fa = np.where(left, fa * 0.5, fb)
        a = np.where(left, a, b)
        b, fb = c, fc
        exact = fc == 0
        a, fa = np.where(exact, c, a), np.where(exact, 0.0, fa)
    return np.exp(np.where(np.abs(fa) < np.abs(fb), a, b))


# torch.nn.init.calculate_gain's table (PyTorch 2.x), by catalog name
def torch_gain(fn) -> float | None:
    if fn.resolved is None or fn.resolved.variant is not None:
        return None
    name = fn.entry.name
    if name == "sigmoid":
        return 1.0
    if name == "tanh":
        return 5.0 / 3.0
    if name == "relu":
        return math.sqrt(2.0)
    if name == "selu":
        return 0.75
    if name == "leaky_relu":
        a = float(fn.float_params().get("alpha", 0.01))
        return math.sqrt(2.0 / (1.0 + a * a))
    return None


def gains(phi) -> dict:
    """Three gains sigma_w (for unit-variance N(0, 1) pre-activations) and torch's, plus the
    SELU-style self-normalizing point."""
    m2 = float(phi.second_moment(1.0)[0])
    m1 = float(phi.mean(1.0)[0])
    g2 = float(phi.grad_moment(1.0)[0])
    var = m2 - m1 * m1

    def inv(v):
        return 1.0 / math.sqrt(v) if v > 0 and math.isfinite(v) else None

    return {"fixed_point": inv(m2), "std": inv(var), "chi1": None if phi.jumps else inv(g2),
            "torch": torch_gain(phi.fn), "selu_style": selu_style(phi)}


def selu_style(phi) -> dict | None:
    """The sigma_w for which unit-variance activations stay unit-variance with zero-mean
    weights (Klambauer et al. 2017: nu -> Var phi(sigma_w sqrt(nu) z)), the activations' mean
    there, and whether the variance fixed point is stable (slope of the map below 1)."""
    from scipy.optimize import brentq

    def var(sw, nu=1.0):
        s = sw * math.sqrt(nu)
        return float(phi.second_moment(s)[0] - phi.mean(s)[0] ** 2)

    grid = np.logspace(-2, 2, 81)
    vals = phi.second_moment(grid) - phi.mean(grid) ** 2 - 1.0
    cross = np.flatnonzero(np.sign(vals[:-1]) * np.sign(vals[1:]) <= 0)
    if cross.size == 0:
        return None
    i = int(cross[0])
    sw = brentq(lambda w: var(w) - 1.0, grid[i], grid[i + 1], xtol=1e-15, rtol=1e-15)
    h = 1e-4
    slope = (var(sw, 1 + h) - var(sw, 1 - h)) / (2 * h)
    return {"sigma_w": sw, "mean": float(phi.mean(sw)[0]), "variance": 1.0,
            "stable": bool(abs(slope) < 1.0), "slope": slope}
