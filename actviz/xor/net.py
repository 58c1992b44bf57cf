"""The tiny nets, vectorized over seeds, and the NumPy training loops.

The net is ``2 -> hidden -> 1`` with a constant 1 appended to each layer's input as bias, so
the weights are ``W1`` of shape ``(3, hidden)`` and ``W2`` of shape ``(hidden + 1,)``; the
same activation ``f`` is used in both layers:

    z1 = [x, 1] @ W1,   h = f(z1),   z2 = [h, 1] @ W2,   y = f(z2)

All seeds are handled at once: ``W1`` is ``(seeds, 3, hidden)``, ``W2`` is
``(seeds, hidden + 1)``. :class:`Act` evaluates the activation through ``actviz.kernels``
(the NumPy backend here; the compiled trainer of :mod:`.compiled` calls the same formulas
on a few seeds at a time), and knows its affine pieces. :func:`batch_eval` gives losses,
gradients of the mean loss and the pre-activations for all seeds at once (the records);
:func:`online_epochs_numpy` and :func:`batch_epochs_numpy` train in place. Sums over the
hidden units run in the same order as in the compiled loop, so both trainers round alike.
"""

from __future__ import annotations

import numpy as np

from actviz import kernels
from actviz.xor.problem import TARGETS, X_AUG, loss_and_grad

GRID = np.linspace(-50.0, 50.0, 20001)


class Act:
    """An activation for the nets: f and f' through ``actviz.kernels``, and the facts the
    report needs (max |f'|, monotonicity, zero-gradient intervals, affine pieces)."""

    def __init__(self, fn, use_cache: bool = True):
        self.fn = fn  # actviz.symbolic.Function or actviz.light.CatalogFunction
        self.label = fn.label
        self.plan = kernels.plan(fn)
        d = self(GRID, 1)
        self.max_abs_derivative = float(np.nanmax(np.abs(d))) if np.isfinite(d).any() else 1.0
        self.non_decreasing = bool(np.all(d >= 0.0))
        # the symbolic facts (sympy), from the disk cache where computed before
        def facts():
            return _facts(getattr(fn, "symbolic", fn))

        if use_cache:
            from actviz import cache

            self.zero_grad_intervals, self.affine_maps, self._pieces = cache.through(
                cache.key(fn, "xor-act"), facts)
        else:
            self.zero_grad_intervals, self.affine_maps, self._pieces = facts()

    def __call__(self, z, order: int = 0):
        z = np.asarray(z, dtype=np.float64)
        return kernels.derivative(self.plan, z, order, backend="numpy")

    def affine_piece(self, z):
        """Index into ``affine_maps`` of the affine piece of f holding each z, -1 elsewhere."""
        ids = np.full(np.shape(z), -1)
        for intervals, key in self._pieces:
            for lo, hi, lo_closed, hi_closed in intervals:
                inside = ((z >= lo) if lo_closed else (z > lo)) & (
                    (z <= hi) if hi_closed else (z < hi))
                ids[inside] = key
        return ids

    def in_linear_band(self, z):
        """True where z lies in an affine piece of f with nonzero slope."""
        ids = self.affine_piece(z)
        slopes = np.array([m[0] for m in self.affine_maps] + [0.0])
        return slopes[ids] != 0.0  # id -1 picks the trailing 0

    def vector_pair(self):
        """``(z, fz, dz)``: ``fz[:] = f(z)``, ``dz[:] = f'(z)`` compiled by numba
        (:func:`actviz.kernels.vector_pair`, the same kernel formulas), or None when it does
        not compile or does not match the NumPy kernels on a grid."""
        probe = np.concatenate([np.linspace(-40.0, 40.0, 801), [-1e3, -1e-9, 0.0, 1e-9, 1e3]])
        ours = np.empty((2, probe.size))
        try:
            vfdf = kernels.vector_pair(self.plan)
            vfdf(probe, ours[0], ours[1])
        except Exception:  # noqa: BLE001 - anything numba cannot compile: the NumPy path
            return None
        for k in (0, 1):
            if not np.allclose(ours[k], self(probe, k), rtol=1e-12, atol=1e-300,
                               equal_nan=True):
                return None
        return vfdf

def _facts(fn):
    """(f' = 0 intervals, affine maps (slope, b) of f, pieces ``[(intervals, index into the
    maps)]``) of a sympy Function: plain floats, for the disk cache."""
    import sympy

    from actviz.expr import X
    from actviz.properties import zero_gradient_intervals

    maps: list[tuple[float, float]] = []
    pieces = []
    for e, s in _pairs(fn.derivative(0)):
        slope = sympy.diff(e, X)
        if slope.free_symbols:
            continue
        key = (float(slope), float(e.subs(X, 0)))
        if key not in maps:
            maps.append(key)
        pieces.append((_intervals(s), maps.index(key)))
    return zero_gradient_intervals(fn.derivative(1)), maps, pieces


def _pairs(expr):
    """``[(expr, set)]`` of a piecewise expression over the reals (Max, Abs... rewritten)."""
    import sympy

    try:
        e = sympy.piecewise_fold(expr.rewrite(sympy.Piecewise))
        return e.as_expr_set_pairs() if isinstance(e, sympy.Piecewise) else [(e, sympy.Reals)]
    except Exception:  # noqa: BLE001 - sympy cannot split it: treat as one smooth piece
        return [(expr, sympy.Reals)]


def _intervals(s):
    """A sympy set of reals as ``[(lo, hi, lo_closed, hi_closed)]``."""
    import sympy

    if isinstance(s, sympy.Union):
        return [iv for a in s.args for iv in _intervals(a)]
    if isinstance(s, sympy.Interval):
        return [(float(s.start), float(s.end), not s.left_open, not s.right_open)]
    if s == sympy.Reals:
        return [(-np.inf, np.inf, False, False)]
    if isinstance(s, sympy.FiniteSet):
        return [(float(p), float(p), True, True) for p in s]
    return []


def _output_z(h, W2):
    """z2 = h @ W2 per seed, summed over the units in order (as the compiled loop does)."""
    z2 = h[..., 0] * W2[..., 0]
    for j in range(1, W2.shape[-1]):
        z2 = z2 + h[..., j] * W2[..., j]
    return z2


def batch_eval(act: Act, W1, W2, loss: str):
    """Forward and backward on all four samples for every seed.

    Returns a dict: ``loss`` (seeds,) mean over samples; ``gW1``, ``gW2`` the gradient of
    that mean; ``z1`` (seeds, 4, hidden), ``z2`` (seeds, 4), ``y`` (seeds, 4), ``d1``, ``d2``
    the derivatives f'(z1), f'(z2); ``clipped`` (seeds, 4) where BCE clipped the output.
    """
    from actviz.xor.problem import BCE_EPS

    z1 = np.matmul(X_AUG, W1)  # (S, 4, H)
    h = np.concatenate([act(z1), np.ones(z1.shape[:2] + (1,))], axis=2)
    z2 = _output_z(h, W2[:, None, :])
    y = act(z2)
    per_sample, dy = loss_and_grad(y, TARGETS, loss)
    d1, d2 = act(z1, 1), act(z2, 1)
    dz2 = dy * d2 / 4.0
    dz1 = dz2[:, :, None] * W2[:, None, :-1] * d1
    gW2 = np.einsum("skj,sk->sj", h, dz2)
    gW1 = np.einsum("ki,skj->sij", X_AUG, dz1)
    clipped = (y < BCE_EPS) | (y > 1.0 - BCE_EPS) if loss == "bce" else np.zeros(y.shape, bool)
    return {"loss": per_sample.mean(axis=1), "gW1": gW1, "gW2": gW2, "z1": z1, "z2": z2,
            "y": y, "d1": d1, "d2": d2, "clipped": clipped}


def online_epochs_numpy(act: Act, W1, W2, epochs: int, lr: float, loss: str) -> None:
    """``epochs`` epochs of online SGD for all seeds at once, in place (the NumPy path)."""
    H = W1.shape[2]
    h = np.ones((W1.shape[0], H + 1))
    zz = np.empty((W1.shape[0], H + 1))  # z1 and z2 side by side: one f' call per step
    active = [[(i, c) for i, c in enumerate(x) if c != 0.0] for x in X_AUG]
    for _ in range(epochs):
        for k in range(4):
            z1 = None
            for i, c in active[k]:  # zero inputs skipped: x0*w0 + x1*w1 + 1*b
                term = W1[:, i, :] if c == 1.0 else c * W1[:, i, :]
                z1 = term.copy() if z1 is None else z1 + term
            h[:, :H] = act(z1)
            z2 = _output_z(h, W2)
            y = act(z2)
            zz[:, :H] = z1
            zz[:, H] = z2
            d = act(zz, 1)
            _, dy = loss_and_grad(y, TARGETS[k], loss)
            dz2 = dy * d[:, H]
            dz1 = W2[:, :H] * dz2[:, None] * d[:, :H]
            W2 -= lr * (h * dz2[:, None])
            for i, c in active[k]:
                W1[:, i, :] -= lr * (c * dz1)


def batch_epochs_numpy(act: Act, W1, W2, epochs: int, lr: float, loss: str) -> None:
    """``epochs`` full-batch gradient steps (gradient of the mean loss), in place."""
    for _ in range(epochs):
        ev = batch_eval(act, W1, W2, loss)
        W1 -= lr * ev["gW1"]
        W2 -= lr * ev["gW2"]


def forward(act: Act, W1, W2, points):
    """Outputs of one net (``W1 (3, H)``, ``W2 (H + 1,)``) at ``points (..., 2)``."""
    pts = np.asarray(points, dtype=float)
    xa = np.concatenate([pts, np.ones(pts.shape[:-1] + (1,))], axis=-1)
    h = act(xa @ W1)
    h = np.concatenate([h, np.ones(h.shape[:-1] + (1,))], axis=-1)
    return act(h @ W2)
