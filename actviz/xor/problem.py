"""The XOR experiment of our origin: data, configuration, initialization and losses.

A 2-3-1 net with a constant 1 appended to each layer's input as bias, weights uniform in
[0, 1) (``np.random.rand(3, 3)`` and ``(4, 1)``), the same activation in both layers, binary
cross-entropy, plain SGD with learning rate 0.1, one update per sample in the fixed order
(0,1), (1,0), (1,1), (0,0) with targets 1, 1, 0, 0, 4000 epochs.

Losses: ``bce`` is binary cross-entropy of the output clipped to ``[eps, 1 - eps]`` (as Keras
does), so an output of exactly 0 or 1 gives a finite loss; the clipped loss has zero gradient
where the clip is active. ``mse`` is ``(y - t)**2`` per sample.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from actviz.errors import ActvizError

# the experiment of our origin: inputs in this order, targets 1, 1, 0, 0
INPUTS = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
TARGETS = np.array([1.0, 1.0, 0.0, 0.0])
X_AUG = np.hstack([INPUTS, np.ones((4, 1))])  # bias by an appended constant 1
LOSSES = ("bce", "mse")
INITS = ("uniform01", "xavier", "he", "normal")
UPDATES = ("online", "batch")
BCE_EPS = 1e-7
MAX_SEEDS = 1_000_000
MAX_EPOCHS = 100_000_000
MAX_HIDDEN = 1000
MAX_WORK = 10**10  # seeds x epochs


@dataclass(frozen=True)
class XorConfig:
    seeds: int = 20
    seed: int = 0
    epochs: int = 4000
    lr: float = 0.1
    loss: str = "bce"
    hidden: int = 3
    init: str = "uniform01"
    init_scale: float = 1.0
    update: str = "online"

    def validate(self) -> XorConfig:
        checks = [
            (1 <= self.seeds <= MAX_SEEDS, f"--seeds must be from 1 to {MAX_SEEDS}, got "
                                           f"{self.seeds}"),
            (1 <= self.epochs <= MAX_EPOCHS, f"--epochs must be from 1 to {MAX_EPOCHS}, got "
                                             f"{self.epochs}"),
            (self.seeds * self.epochs <= MAX_WORK,
             f"--seeds x --epochs must be at most {MAX_WORK:.0e} (about an hour with numba), "
             f"got {self.seeds * self.epochs:.2g}"),
            (1 <= self.hidden <= MAX_HIDDEN, f"--hidden must be from 1 to {MAX_HIDDEN}, got "
                                             f"{self.hidden}"),
            (0 <= self.seed < 2**63, f"--seed must be a non-negative integer below 2**63, "
                                     f"got {self.seed}"),
            (math.isfinite(self.lr) and self.lr > 0, f"--lr must be positive, got {self.lr}"),
            (math.isfinite(self.init_scale) and self.init_scale > 0,
             f"--init-scale must be positive, got {self.init_scale}"),
            (self.loss in LOSSES, f"unknown loss {self.loss!r} ({', '.join(LOSSES)})"),
            (self.init in INITS, f"unknown init {self.init!r} ({', '.join(INITS)})"),
            (self.update in UPDATES, f"unknown update {self.update!r} ({', '.join(UPDATES)})"),
        ]
        for ok, msg in checks:
            if not ok:
                raise ActvizError(msg)
        return self

    def to_dict(self) -> dict:
        d = asdict(self)
        d.update(layers=[2, self.hidden, 1], inputs=INPUTS.tolist(), targets=TARGETS.tolist(),
                 bias="constant 1 appended to each layer's input",
                 bce_clip=[BCE_EPS, 1 - BCE_EPS] if self.loss == "bce" else None)
        return d


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
