"""Minimax polynomials (Remez exchange) and rationals (differential correction) on a range.

Polynomials: ``numpy.polynomial.chebyshev`` gives the starting point (the Chebyshev
interpolant, near-minimax for smooth targets, and a well-conditioned basis on [lo, hi]);
then the Remez exchange: solve for the degree-``d`` polynomial that alternates with equal
error E on d + 2 reference points, locate the extrema of the new error on a dense grid
(refined by golden section, :mod:`.curves`), and exchange, until the largest error equals
|E| to 1e-9 (Chebyshev's equioscillation: the best approximation).

Rationals p/q of type (m, n): the differential correction algorithm (Cheney and Loeb) on a
dense grid; each step is one linear program (scipy's HiGHS, a maintained solver), it
converges for every type, including degenerate ones where the rational Remez iteration
breaks down (an odd target with a type that the best approximation does not fill), and it
keeps q positive on the grid (no pole on the range). Then the grid is enriched with the
continuous error's extrema and the iteration repeated. baryrat (barycentric rational
approximation, AAA and BRASIL) was considered: it is not a dependency of actviz, and its
barycentric form would have to be converted to the p/q coefficients that NumPy and C kernels
evaluate, a step that loses the accuracy it gains.

l2 (``metric="l2"``): a least-squares Chebyshev fit on the grid (polynomials only).
"""

from __future__ import annotations

import numpy as np
from numpy.polynomial import chebyshev as C

from actviz.approx import curves
from actviz.errors import ActvizError

MAX_DEGREE = 24
MAX_ITER = 40
GRID = 4001
DC_GRID = 1201
DC_ITER = 40
DC_GAIN = 1e-5  # stop when a step improves the error by less than this, relatively


def _grid(lo, hi, n):
    """Chebyshev-distributed points on [lo, hi] (dense near the ends, where errors peak)."""
    t = np.cos(np.linspace(np.pi, 0, n))
    return 0.5 * (lo + hi) + 0.5 * (hi - lo) * t


def _alternants(x, e, k):
    """k points of alternating sign of e, largest |e| per sign run (None if fewer runs)."""
    sign = np.sign(e)
    sign[sign == 0] = 1
    cuts = np.flatnonzero(np.diff(sign)) + 1
    runs = np.split(np.arange(x.size), cuts)
    pts = [r[np.argmax(np.abs(e[r]))] for r in runs]
    while len(pts) > k:  # drop the smallest end, or merge the weakest neighbouring pair
        mags = np.abs(e[pts])
        if mags[0] <= mags[-1] and mags[0] <= mags[1:-1].min(initial=np.inf):
            pts = pts[1:]
        elif mags[-1] <= mags[1:-1].min(initial=np.inf):
            pts = pts[:-1]
        else:
            i = 1 + int(np.argmin(mags[1:-1]))
            j = i + 1 if i + 1 < len(pts) - 1 and mags[i + 1] < mags[i - 1] else i - 1
            pts = [p for q, p in enumerate(pts) if q not in (i, j)]
            if len(pts) < k:
                return None
    return np.array(pts) if len(pts) == k else None


def poly(f, deg: int, x_range, metric: str = "max"):
    """Chebyshev coefficients (domain ``x_range``) of the best degree-``deg`` polynomial."""
    if not 0 <= deg <= MAX_DEGREE:
        raise ActvizError(f"--poly must be from 0 to {MAX_DEGREE}, got {deg}")
    lo, hi = x_range
    x = np.unique(np.concatenate([_grid(lo, hi, GRID), np.linspace(lo, hi, GRID)]))
    fx = f(x)
    if not np.isfinite(fx).all():
        raise ActvizError("--poly: the target is not finite everywhere on --range")
    if metric == "l2":
        return C.Chebyshev.fit(x, fx, deg, domain=[lo, hi]).coef
    p = C.Chebyshev.interpolate(f, deg, domain=[lo, hi])
    e = p(x) - fx
    ref = _alternants(x, e, deg + 2)
    if ref is None:
        ext = 0.5 * (lo + hi) - 0.5 * (hi - lo) * np.cos(np.pi * np.arange(deg + 2) / (deg + 1))
        ref = np.searchsorted(x, ext).clip(0, x.size - 1)  # Chebyshev extrema: the classic start
    xr = x[ref]
    coef = p.coef
    for _ in range(MAX_ITER):
        t = (2 * xr - (lo + hi)) / (hi - lo)
        V = C.chebvander(t, deg)
        A = np.hstack([V, ((-1.0) ** np.arange(deg + 2))[:, None]])
        try:
            sol = np.linalg.solve(A, f(xr))
        except np.linalg.LinAlgError:
            break
        coef, level = sol[:-1], abs(sol[-1])
        pc = C.Chebyshev(coef, domain=[lo, hi])
        e = pc(x) - fx
        # refine each grid extremum to the continuous one
        idx = curves.local_maxima(np.abs(e), 4 * deg + 8)
        a, b = x[np.maximum(idx - 1, 0)], x[np.minimum(idx + 1, x.size - 1)]
        xm, _ = curves.golden_max(lambda s, pc=pc: np.abs(pc(s) - f(s)), a, b, 60)
        xx = np.unique(np.concatenate([x, xm]))
        ee = pc(xx) - f(xx)
        big = float(np.max(np.abs(ee)))
        new = _alternants(xx, ee, deg + 2)
        if new is None:
            break
        xr = xx[new]
        if big <= level * (1 + 1e-9):
            return coef
    # the exchange did not level the error (a target whose symmetry leaves the best
    # approximation more alternation points than the degree needs, where the exchange can
    # cycle): the discrete minimax on the dense grid, a linear program, is the answer then
    return _lp_poly(f, x, fx, deg, lo, hi, coef)


def _lp_poly(f, x, fx, deg, lo, hi, coef):
    """The minimax polynomial on the points x (HiGHS), refined once with the continuous
    error's extrema; ``coef`` is kept where it is better."""
    from scipy.optimize import linprog

    def err(c):
        pc = C.Chebyshev(c, domain=[lo, hi])
        idx = curves.local_maxima(np.abs(pc(x) - fx), 4 * deg + 8)
        a, b = x[np.maximum(idx - 1, 0)], x[np.minimum(idx + 1, x.size - 1)]
        xm, hm = curves.golden_max(lambda s: np.abs(pc(s) - f(s)), a, b, 60)
        return float(hm.max()), xm

    best, xm = err(coef)
    pts = x
    for _ in range(3):
        pts = np.unique(np.concatenate([pts, xm]))
        V = C.chebvander((2 * pts - (lo + hi)) / (hi - lo), deg)
        fp = f(pts)
        ones = np.ones((pts.size, 1))
        res = linprog(np.r_[np.zeros(deg + 1), 1.0],
                      A_ub=np.block([[V, -ones], [-V, -ones]]), b_ub=np.r_[fp, -fp],
                      bounds=[(None, None)] * (deg + 2), method="highs")
        if res.status != 0:
            break
        e, xm = err(res.x[:-1])
        if e < best:
            best, coef = e, res.x[:-1]
    return coef


def rational(f, m: int, n: int, x_range):
    """(numerator, denominator) Chebyshev coefficients on ``x_range`` of the best type
    (m, n) rational on a dense grid; the denominator is positive on the range."""
    from scipy.optimize import linprog

    if not (0 <= m <= MAX_DEGREE and 0 <= n <= MAX_DEGREE):
        raise ActvizError(f"--rational M,N: degrees must be from 0 to {MAX_DEGREE}, got {m},{n}")
    lo, hi = x_range
    x = _grid(lo, hi, DC_GRID)
    pn, qn = C.Chebyshev(poly(f, m, x_range), domain=[lo, hi]).coef, np.r_[1.0, np.zeros(n)]
    for _round in range(2):
        fx = f(x)
        t = (2 * x - (lo + hi)) / (hi - lo)
        P, Q = C.chebvander(t, m), C.chebvander(t, n)
        prev = np.inf
        for _ in range(DC_ITER):
            qk = Q @ qn
            delta = float(np.max(np.abs(fx - (P @ pn) / qk)))
            if delta > prev * (1 - DC_GAIN):  # converged (its last steps gain little)
                break
            prev = delta
            # variables [p (m+1), q (n+1), z]; minimize z subject to
            # +-(f q - p) - delta q <= z qk ; q(x_i) >= 1e-9 ; |q_j| <= 1
            fq = fx[:, None] * Q
            ones = qk[:, None]
            rows = np.vstack([np.hstack([-P, fq - delta * Q, -ones]),
                              np.hstack([P, -fq - delta * Q, -ones]),
                              np.hstack([np.zeros_like(P), -Q, np.zeros_like(ones)])])
            rhs = np.concatenate([np.zeros(2 * x.size), -1e-9 * np.ones(x.size)])
            cost = np.zeros(m + n + 3)
            cost[-1] = 1.0
            bounds = [(None, None)] * (m + 1) + [(-1, 1)] * (n + 1) + [(None, None)]
            res = linprog(cost, A_ub=rows, b_ub=rhs, bounds=bounds, method="highs")
            if res.status != 0 or res.x[-1] >= -1e-9 * max(delta, 1e-300):
                break
            pn, qn = res.x[:m + 1], res.x[m + 1:m + n + 2]
        s = qn[0] if qn[0] != 0 else 1.0  # normalize: q's constant Chebyshev term 1
        pn, qn = pn / s, qn / s
        num, den = C.Chebyshev(pn, domain=[lo, hi]), C.Chebyshev(qn, domain=[lo, hi])
        dense = np.linspace(lo, hi, GRID)
        e = np.abs(num(dense) / den(dense) - f(dense))
        idx = curves.local_maxima(e, 2 * (m + n) + 8)
        a, b = dense[np.maximum(idx - 1, 0)], dense[np.minimum(idx + 1, dense.size - 1)]
        xm, _ = curves.golden_max(lambda s_, num=num, den=den: np.abs(num(s_) / den(s_) - f(s_)),
                                  a, b, 60)
        x = np.unique(np.concatenate([x, xm]))
    if not np.all(C.Chebyshev(qn, domain=[lo, hi])(np.linspace(lo, hi, GRID)) > 0):
        raise ActvizError(f"--rational {m},{n}: no pole-free fit found on --range")
    return pn, qn


def monomial(cheb_coef, x_range) -> list[float]:
    """Coefficients in powers of x (lowest first) of a Chebyshev series on ``x_range``."""
    lo, hi = x_range
    p = C.Chebyshev(cheb_coef, domain=[lo, hi]).convert(kind=np.polynomial.Polynomial,
                                                        domain=[-1, 1], window=[-1, 1])
    out = [float(c) for c in p.coef]
    return out + [0.0] * (len(cheb_coef) - len(out))
