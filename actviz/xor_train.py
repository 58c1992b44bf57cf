"""The XOR trainer: tiny fully connected nets, vectorized over seeds.

The net is ``2 -> hidden -> 1`` with a constant 1 appended to each layer's input as bias, so
the weights are ``W1`` of shape ``(3, hidden)`` and ``W2`` of shape ``(hidden + 1,)``; the
same activation ``f`` is used in both layers:

    z1 = [x, 1] @ W1,   h = f(z1),   z2 = [h, 1] @ W2,   y = f(z2)

Here all seeds are trained at once: ``W1`` is ``(seeds, 3, hidden)``, ``W2`` is
``(seeds, hidden + 1)``. :func:`train_chunk` runs a number of epochs in place with the numba
kernels of :mod:`actviz.xor_numba` when numba is installed (one compiled loop, parallel over
seeds) and otherwise with the NumPy twin :func:`online_epochs_numpy` (one array operation per
step for all seeds). :func:`batch_eval` gives losses, gradients of the mean loss over the
four samples and the pre-activations for all seeds at once (used for the records).

Losses: ``bce`` is binary cross-entropy of the output clipped to ``[eps, 1 - eps]`` (as Keras
does), so an output of exactly 0 or 1 gives a finite loss; the clipped loss has zero gradient
where the clip is active. ``mse`` is ``(y - t)**2`` per sample. Online updates follow the
original experiment: one SGD step per sample, samples in their fixed order.
"""

from __future__ import annotations

import numpy as np
import sympy

from actviz.errors import ActvizError
from actviz.expr import X
from actviz.properties import zero_gradient_intervals

# the experiment of our origin: inputs in this order, targets 1, 1, 0, 0
INPUTS = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
TARGETS = np.array([1.0, 1.0, 0.0, 0.0])
X_AUG = np.hstack([INPUTS, np.ones((4, 1))])  # bias by an appended constant 1
LOSSES = ("bce", "mse")
INITS = ("uniform01", "xavier", "he", "normal")
UPDATES = ("online", "batch")
BCE_EPS = 1e-7


class Act:
    """An activation's value and first derivative as vectorized float64 functions.

    The one place where activations are evaluated. Today it uses the symbolic module's
    numerically stable lambdified functions (catalog names and user expressions alike);
    ``scalar`` gives numba-compiled scalar versions of the same sympy expressions.
    """

    def __init__(self, fn):
        self.fn = fn  # actviz.symbolic.Function
        self.label = fn.label
        self._f = fn.numpy(0)
        self._df = fn.numpy(1)
        grid = np.linspace(-50.0, 50.0, 20001)
        d = self._df(grid)
        self.max_abs_derivative = float(np.nanmax(np.abs(d))) if np.isfinite(d).any() else 1.0
        self.non_decreasing = bool(np.all(d >= 0.0))
        self.zero_grad_intervals = zero_gradient_intervals(fn.derivative(1))
        # affine pieces of f: (intervals, key) where key indexes self.affine_maps (slope, b)
        self.affine_maps: list[tuple[float, float]] = []
        self._pieces = []
        for e, s in _pairs(fn.derivative(0)):
            slope = sympy.diff(e, X)
            if slope.free_symbols:
                continue
            key = (float(slope), float(e.subs(X, 0)))
            if key not in self.affine_maps:
                self.affine_maps.append(key)
            self._pieces.append((_intervals(s), self.affine_maps.index(key)))

    def __call__(self, z, order: int = 0):
        return self._f(z) if order == 0 else self._df(z)

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

    def scalar(self):
        """``x -> (f(x), f'(x))`` compiled by numba, or None if it cannot be compiled."""
        from actviz import xor_numba

        return xor_numba.scalar_pair(self.fn)


def _pairs(expr):
    """``[(expr, set)]`` of a piecewise expression over the reals (Max, Abs... rewritten)."""
    try:
        e = sympy.piecewise_fold(expr.rewrite(sympy.Piecewise))
        return e.as_expr_set_pairs() if isinstance(e, sympy.Piecewise) else [(e, sympy.Reals)]
    except Exception:  # noqa: BLE001 - sympy cannot split it: treat as one smooth piece
        return [(expr, sympy.Reals)]


def _intervals(s):
    """A sympy set of reals as ``[(lo, hi, lo_closed, hi_closed)]``."""
    if isinstance(s, sympy.Union):
        return [iv for a in s.args for iv in _intervals(a)]
    if isinstance(s, sympy.Interval):
        return [(float(s.start), float(s.end), not s.left_open, not s.right_open)]
    if s == sympy.Reals:
        return [(-np.inf, np.inf, False, False)]
    if isinstance(s, sympy.FiniteSet):
        return [(float(p), float(p), True, True) for p in s]
    return []


def init_weights(seeds: int, seed: int, hidden: int, init: str, scale: float):
    """Initial ``W1 (seeds, 3, hidden)`` and ``W2 (seeds, hidden + 1)``.

    Seed ``i`` draws from its own stream (``SeedSequence(seed, spawn_key=(i,))``), so a seed's
    weights do not depend on how many seeds run. Each seed draws ``W1`` then ``W2`` as the
    original did with ``np.random.rand(3, 3)`` and ``rand(4, 1)``. ``uniform01``:
    ``U[0, 1) * scale``; ``xavier``: ``U(-a, a)``, ``a = scale*sqrt(6/(fan_in + fan_out))``;
    ``he``: ``N(0, (scale*sqrt(2/fan_in))**2)``; ``normal``: ``N(0, scale**2)``. Fan-in counts
    the inputs without the bias; the bias row is drawn like the other rows.
    """
    if init not in INITS:
        raise ActvizError(f"unknown init {init!r} (choose from {', '.join(INITS)})")
    W1 = np.empty((seeds, 3, hidden))
    W2 = np.empty((seeds, hidden + 1))
    for i in range(seeds):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
        for W, (fan_in, fan_out) in ((W1[i], (2, hidden)), (W2[i], (hidden, 1))):
            if init == "uniform01":
                W[...] = rng.random(W.shape) * scale
            elif init == "xavier":
                a = scale * np.sqrt(6.0 / (fan_in + fan_out))
                W[...] = rng.uniform(-a, a, W.shape)
            elif init == "he":
                W[...] = rng.normal(0.0, scale * np.sqrt(2.0 / fan_in), W.shape)
            else:
                W[...] = rng.normal(0.0, scale, W.shape)
    return W1, W2


def loss_and_grad(y, t, loss: str):
    """Per-sample loss and dL/dy (arrays), BCE clipped to ``[eps, 1 - eps]``."""
    if loss == "mse":
        return (y - t) ** 2, 2.0 * (y - t)
    yc = np.clip(y, BCE_EPS, 1.0 - BCE_EPS)
    value = -(t * np.log(yc) + (1.0 - t) * np.log1p(-yc))
    grad = np.where(yc == y, (yc - t) / (yc * (1.0 - yc)), 0.0)
    return value, grad


def batch_eval(act: Act, W1, W2, loss: str):
    """Forward and backward on all four samples for every seed.

    Returns a dict: ``loss`` (seeds,) mean over samples; ``gW1``, ``gW2`` the gradient of
    that mean; ``z1`` (seeds, 4, hidden), ``z2`` (seeds, 4), ``y`` (seeds, 4), ``d1``, ``d2``
    the derivatives f'(z1), f'(z2); ``clipped`` (seeds, 4) where BCE clipped the output.
    """
    z1 = np.matmul(X_AUG, W1)  # (S, 4, H)
    h = np.concatenate([act(z1), np.ones(z1.shape[:2] + (1,))], axis=2)
    z2 = np.einsum("skj,sj->sk", h, W2)
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
            z2 = np.einsum("sj,sj->s", h, W2)
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


def backends() -> list[str]:
    """Trainer backends available here: ``numba`` (if installed) and ``numpy``."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return ["numpy"]
    return ["numba", "numpy"]


class Trainer:
    """Runs epochs in place for one activation on the chosen backend."""

    def __init__(self, act: Act, loss: str, update: str, lr: float, backend: str = "auto"):
        if backend not in ("auto", "numba", "numpy"):
            raise ActvizError(f"unknown backend {backend!r} (auto, numba, numpy)")
        self.act, self.loss, self.update, self.lr = act, loss, update, lr
        self.scalar = None
        if backend in ("auto", "numba") and "numba" in backends():
            self.scalar = act.scalar()
        if backend == "numba" and self.scalar is None:
            raise ActvizError(f"numba backend unavailable for {act.label} "
                              "(install actviz[numba], or the expression does not compile)")
        self.backend = "numba" if self.scalar is not None else "numpy"

    def run(self, W1, W2, epochs: int, every: int):
        """Train ``epochs`` epochs in place (a multiple of ``every``); return the weights after
        every ``every`` epochs, ``(n, S, 3, H)`` and ``(n, S, H + 1)``."""
        n = epochs // every
        snap1 = np.empty((n,) + W1.shape)
        snap2 = np.empty((n,) + W2.shape)
        if self.backend == "numba":
            from actviz import xor_numba

            xor_numba.run(W1, W2, epochs, self.lr, self.loss, self.update, self.scalar,
                          every, snap1, snap2)
            return snap1, snap2
        step = online_epochs_numpy if self.update == "online" else batch_epochs_numpy
        for i in range(n):
            step(self.act, W1, W2, every, self.lr, self.loss)
            snap1[i], snap2[i] = W1, W2
        return snap1, snap2
