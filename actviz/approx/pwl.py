"""The best N-piece piecewise-linear approximation, with optimal breakpoints.

Pieces: (-inf, b1], [b1, b2], ..., [b(N-1), inf) with breakpoints inside the range. An outer
piece *saturates* where the target approaches a line (a finite limit, or an asymptote such
as silu's y = x): it is that line, so the approximation is exact in the limit and its
output is the limit (0 and 1 for sigmoid, as hard_sigmoid's); elsewhere it continues the
last interior piece. Continuous (default): values at the breakpoints are shared by the
neighbouring pieces; ``continuous=False``: each piece is its own line (jumps allowed).

Two nested problems. For fixed breakpoints the values are linear parameters: the minimax
fit on a grid is a linear program (minimize t with -t <= g(x_i) - f(x_i) <= t), solved with
scipy's HiGHS; the l2 fit is a least-squares solve. The breakpoints are then optimized by
Nelder-Mead on that optimum (restarted until it stops improving), parametrized as
cumulative softmax weights of the range so that they stay ordered and inside it, starting
from the equidistribution of sqrt|f''| (the density of breakpoints for which the
interpolation error h^2 |f''| / 8 is equal on every piece). With both ends saturated,
N = 3 is the family of clipped lines: for sigmoid, the best hard sigmoid.
"""

from __future__ import annotations

import math

import numpy as np

from actviz.approx import curves
from actviz.errors import ActvizError
from actviz.pieces import float_points

LP_GRID = 401
MAX_PIECES = 12
RESTARTS = 2
POLISH_ITER = 40  # Nelder-Mead steps per breakpoint on the refined error


class Layout:
    """The linear parametrization of a PWL with given breakpoints: g(x) = A(x) u + c(x)."""

    def __init__(self, b, left, right, continuous: bool):
        self.b = np.asarray(b, dtype=np.float64)
        self.left, self.right, self.continuous = left, right, continuous

    def pieces(self):
        """[(x0, x1)] for every piece, outer ones open (None)."""
        edges = [None, *self.b.tolist(), None]
        return list(zip(edges[:-1], edges[1:]))

    def basis(self, x):
        """(A, c) with g(x) = A @ u + c for the unknowns u; also returns the number of u."""
        b, n = self.b, self.b.size + 1
        piece = np.searchsorted(b, x, side="left")  # x == b_k belongs to the piece on its left
        c = np.zeros(x.size)
        nu = 0
        spec = []  # per piece: how its line is expressed
        for k in range(n):
            sat = self.left if k == 0 else self.right if k == n - 1 else None
            if sat is not None:
                spec.append(("line", sat))
            elif self.continuous:
                spec.append(("nodes", k))
            else:
                spec.append(("own", nu))
                nu += 2
        if self.continuous:  # node values v_1..v_{n-1} (0-based j for b_j), shared
            node0 = nu
            nu += b.size
            if spec[0][0] != "line":
                nu += 1  # slope of the left piece
            if spec[-1][0] != "line":
                nu += 1
        A = np.zeros((x.size, nu))
        for k, (how, what) in enumerate(spec):
            m = piece == k
            xm = x[m]
            if how == "line":
                c[m] = what[0] * xm + what[1]
            elif how == "own":  # values at the piece's ends (outer: value and slope)
                x0 = b[k - 1] if k > 0 else b[0] - 1.0
                x1 = b[k] if k < n - 1 else b[-1] + 1.0
                w = (xm - x0) / (x1 - x0)
                A[m, what], A[m, what + 1] = 1 - w, w
            else:  # continuous, between nodes
                if 0 < k < n - 1:
                    w = (xm - b[k - 1]) / (b[k] - b[k - 1])
                    A[m, node0 + k - 1], A[m, node0 + k] = 1 - w, w
                elif k == 0:
                    A[m, node0], A[m, nu - 1 - (spec[-1][0] != "line")] = 1.0, xm - b[0]
                else:
                    A[m, node0 + b.size - 1], A[m, nu - 1] = 1.0, xm - b[-1]
        return A, c, spec

    def constraints(self, spec, nu):
        """Equalities E u = d: a saturated outer piece fixes the value at its breakpoint."""
        rows, rhs = [], []
        if not self.continuous:
            return np.zeros((0, nu)), np.zeros(0)
        node0 = sum(2 for s in spec if s[0] == "own")
        for k, j in ((0, 0), (len(spec) - 1, self.b.size - 1)):
            if spec[k][0] == "line":
                r = np.zeros(nu)
                r[node0 + j] = 1.0
                slope, icpt = spec[k][1]
                rows.append(r)
                rhs.append(slope * self.b[j] + icpt)
        return (np.array(rows).reshape(len(rows), nu), np.array(rhs))


def solve(lay: Layout, xs, fx, metric: str):
    """The best unknowns for ``lay`` on the grid; returns (u, error on the grid)."""
    A, c, spec = lay.basis(xs)
    nu = A.shape[1]
    E, d = lay.constraints(spec, nu)
    r = fx - c
    if nu == 0:
        e = -r
        return np.zeros(0), spec, float(np.max(np.abs(e)) if metric == "max"
                                        else np.sqrt(np.mean(e * e)))
    if metric == "l2":
        if E.shape[0]:  # eliminate fixed node values
            u = np.zeros(nu)
            fixed = np.flatnonzero(np.abs(E).sum(axis=0))
            u[fixed] = np.linalg.lstsq(E[:, fixed], d, rcond=None)[0]
            free = np.setdiff1d(np.arange(nu), fixed)
            if free.size:
                u[free] = np.linalg.lstsq(A[:, free], r - A[:, fixed] @ u[fixed], rcond=None)[0]
        else:
            u = np.linalg.lstsq(A, r, rcond=None)[0]
        e = A @ u - r
        return u, spec, float(np.sqrt(np.mean(e * e)))
    from scipy.optimize import linprog

    m = xs.size
    ones = np.ones((m, 1))
    A_ub = np.block([[A, -ones], [-A, -ones]])
    b_ub = np.concatenate([r, -r])
    cost = np.zeros(nu + 1)
    cost[-1] = 1.0
    eq = (np.hstack([E, np.zeros((E.shape[0], 1))]), d) if E.shape[0] else (None, None)
    res = linprog(cost, A_ub=A_ub, b_ub=b_ub, A_eq=eq[0], b_eq=eq[1],
                  bounds=[(None, None)] * (nu + 1), method="highs")
    if res.status != 0:
        return None, spec, math.inf
    return res.x[:nu], spec, float(res.x[-1])


def lines(lay: Layout, u, spec):
    """(slope, intercept) of every piece, from two points strictly inside it."""
    b, out = lay.b, []
    for k in range(b.size + 1):
        if k == 0:
            probe = np.array([b[0] - 2.0, b[0] - 1.0])
        elif k == b.size:
            probe = np.array([b[-1] + 1.0, b[-1] + 2.0])
        else:
            probe = b[k - 1] + (b[k] - b[k - 1]) * np.array([1 / 3, 2 / 3])
        A, c, _ = lay.basis(probe)
        y = A @ u + c if u.size else c
        s = (y[1] - y[0]) / (probe[1] - probe[0])
        out.append((float(s), float(y[0] - s * probe[0])))
    return out


def _breaks(z, lo, hi):
    w = np.exp(np.concatenate([[0.0], z]) - np.max(np.concatenate([[0.0], z])))
    w = w / w.sum()
    return lo + (hi - lo) * np.cumsum(w)[:-1]


def _start(target, n, lo, hi):
    """Softmax logits placing n-1 breakpoints at equal shares of sqrt|f''| on the range."""
    x = np.linspace(lo, hi, 4001)
    with np.errstate(all="ignore"):
        d2 = np.abs(np.gradient(np.gradient(curves.values(target, x), x), x))
    dens = np.sqrt(np.where(np.isfinite(d2), d2, 0.0)) + 1e-3 * (1 + np.sqrt(np.nanmax(d2)))
    cum = np.concatenate([[0.0], np.cumsum((dens[1:] + dens[:-1]) / 2 * np.diff(x))])
    q = np.interp(np.arange(1, n) / n, cum / cum[-1], x)
    gaps = np.diff(np.concatenate([[lo], q, [hi]]))
    gaps = np.maximum(gaps, (hi - lo) * 1e-6)
    return np.log(gaps[1:] / gaps[0])


def fit(target, n: int, x_range, *, continuous: bool = True, metric: str = "max"):
    """The best ``n``-piece PWL for ``target`` on ``x_range``: (breakpoints, lines)."""
    from scipy.optimize import minimize

    if not 1 <= n <= MAX_PIECES:
        raise ActvizError(f"--pwl must be from 1 to {MAX_PIECES} pieces, got {n}")
    lo, hi = x_range
    left, right = curves.asymptote(target, -1), curves.asymptote(target, 1)
    base = curves.grid(lo, hi, LP_GRID, float_points(target.expr, lo, hi))
    fb = curves.values(target, base)
    if n == 1:
        lay = Layout(np.array([0.5 * (lo + hi)]), None, None, True)
        u, spec, _ = solve(lay, base, fb, metric)
        s, c = lines(lay, u, spec)[0]
        return [], [(s, c)]
    if n == 2 and left is not None and right is not None:
        if math.isclose(left[0], right[0]):
            raise ActvizError("--pwl 2: the target approaches parallel lines at both ends; a "
                              "continuous 2-piece line cannot join them (use --pwl 3 or more)")
        b0 = (right[1] - left[1]) / (left[0] - right[0])
        if not lo < b0 < hi:
            raise ActvizError(f"--pwl 2: the asymptotes meet at x = {b0:g}, outside --range")
        return [float(b0)], [left, right]

    def err(z, refine=False):
        b = _breaks(z, lo, hi)
        if np.any(np.diff(b) <= (hi - lo) * 1e-9):
            return math.inf
        xs = np.unique(np.concatenate([base, b]))
        fx = curves.values(tpl, xs)
        lay = Layout(b, left, right, continuous)
        u, spec, e = solve(lay, xs, fx, metric)
        if not refine or u is None or metric != "max":
            return e

        def h(t):  # the continuous error of this PWL, refined between grid points
            A, c, _ = lay.basis(t)
            return (A @ u + c if u.size else c) - curves.values(tpl, t)

        return curves.largest(h, xs, top=6, steps=40)[0]

    from actviz import kernels

    tpl = kernels.plan(target)
    z = _start(target, n, lo, hi)
    for refine in (False, True):  # the grid's error first, then a short refined polish
        best = err(z, refine)
        for _ in range(1 if refine else RESTARTS):
            opts = {"xatol": 1e-7, "fatol": 1e-11, "adaptive": z.size > 2,
                    "maxiter": (POLISH_ITER if refine else 150) * z.size}
            if refine:
                opts["initial_simplex"] = np.vstack([z, z + 1e-3 * np.eye(z.size)])
            res = minimize(err, z, args=(refine,), method="Nelder-Mead", options=opts)
            if not res.fun < best * (1 - 1e-10):
                break
            z, best = np.asarray(res.x), float(res.fun)
    b = _breaks(z, lo, hi)
    lay = Layout(b, left, right, continuous)
    xs = curves.grid(lo, hi, 8 * LP_GRID, [*float_points(target.expr, lo, hi), *b])
    u, spec, _ = solve(lay, xs, curves.values(target, xs), metric)
    if u is None:
        raise ActvizError(f"--pwl {n}: the linear program found no solution")
    return [float(v) for v in b], lines(lay, u, spec)
