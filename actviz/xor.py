"""Tiny XOR nets: train many seeds per activation, measure where gradients die, explain.

``train_xor(["sigmoid", "hard_sigmoid"])`` reproduces the experiment of our origin (2-3-1
net, bias by an appended 1, weights uniform in [0, 1), the same activation in both layers,
binary cross-entropy, SGD with learning rate 0.1, one update per sample in the fixed order
(0,1), (1,0), (1,1), (0,0) with targets 1, 1, 0, 0, 4000 epochs) for ``seeds`` independent
initializations, and returns an :class:`XorResult`: per activation the success rate, losses,
gradient norms per layer, the fraction of (unit, sample) pairs with zero or tiny derivative or
in a linear band, and a diagnosis derived from those numbers. The trainer is in
:mod:`actviz.xor_train`; the figure in :mod:`actviz.figures.xor`.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

import numpy as np

from actviz.errors import ActvizError
from actviz.xor_train import (
    BCE_EPS,
    INITS,
    INPUTS,
    LOSSES,
    TARGETS,
    UPDATES,
    Act,
    Trainer,
    batch_eval,
    init_weights,
)

MAX_RECORDS = 400  # loss, gradient norms and derivative statistics at most this many times
SNAPSHOT_BYTES = 100_000_000  # weight snapshots kept for the records, at most
PROGRESS_STEPS = 20  # training calls per activation (progress bar updates)
EVAL_NETS = 20_000  # nets evaluated at once when measuring the records
TINY = 1e-3  # "tiny" derivative: |f'(z)| < TINY * max|f'|


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
            (self.seeds >= 1, f"--seeds must be at least 1, got {self.seeds}"),
            (self.epochs >= 1, f"--epochs must be at least 1, got {self.epochs}"),
            (self.hidden >= 1, f"--hidden must be at least 1, got {self.hidden}"),
            (self.seed >= 0, f"--seed must be a non-negative integer, got {self.seed}"),
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


@dataclass
class ActRun:
    """Everything recorded for one activation (arrays over records R and seeds S)."""

    act: Act
    backend: str
    epochs: np.ndarray  # (R,) epochs at which the records were taken (0 = initialization)
    loss: np.ndarray  # (R, S) mean loss over the four samples
    grad_norm: dict  # layer -> (R, S) norm of the gradient of the mean loss
    zero: dict  # layer -> (R, S) fraction of (unit, sample) pairs with f'(z) == 0
    tiny: dict  # layer -> (R, S) fraction with |f'(z)| < TINY * max|f'|
    band: dict  # layer -> (R, S) fraction in an affine piece of f with nonzero slope
    affine_hidden: np.ndarray  # (R, S) every hidden unit kept its 4 z's in one affine piece
    clipped: np.ndarray  # (R, S) number of outputs clipped by the BCE
    outputs: np.ndarray  # (S, 4) final outputs
    z_start: dict  # layer -> pre-activations at initialization, (S, 4, H) and (S, 4)
    z_end: dict
    W1: np.ndarray  # final weights (S, 3, H)
    W2: np.ndarray  # (S, H + 1)
    unchanged: np.ndarray  # (S,) final weights bit-for-bit equal to the initial ones
    summary: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.act.label

    @property
    def solved(self) -> np.ndarray:
        ok = np.where(TARGETS > 0.5, self.outputs > 0.5, self.outputs < 0.5)
        return ok.all(axis=1)

    @property
    def representative(self) -> int:
        """The seed whose final loss is closest to the median (lowest index on ties)."""
        final = self.loss[-1]
        finite = np.isfinite(final)
        if not finite.any():
            return 0
        med = np.median(final[finite])
        return int(np.argmin(np.where(finite, np.abs(final - med), np.inf)))


@dataclass
class XorResult:
    config: XorConfig
    runs: list[ActRun]

    def to_dict(self) -> dict:
        return {"config": self.config.to_dict(), "activations": [r.summary for r in self.runs]}


def load_acts(specs, params: dict[str, str] | None = None) -> list[Act]:
    """Activations from names, ``NAME:VARIANT`` or expressions; ``params`` go to each
    activation that has them (an unused parameter is an error)."""
    from actviz import catalog, symbolic

    params = dict(params or {})
    used: set[str] = set()
    acts = []
    for spec in specs:
        if catalog.is_catalog_name(spec.strip()):
            entry = catalog.get(spec.strip().split(":", 1)[0])
            mine = {k: v for k, v in params.items() if k in entry.param_names}
        else:
            mine = {k: v for k, v in params.items() if re.search(rf"\b{re.escape(k)}\b", spec)}
        used |= set(mine)
        acts.append(Act(symbolic.load(spec, mine)))
    unused = sorted(set(params) - used)
    if unused:
        raise ActvizError(f"no activation has the parameter {', '.join(unused)}")
    return acts


def train_xor(acts, config: XorConfig | None = None, *, params=None, backend: str = "auto",
              progress=None) -> XorResult:
    """Train ``config.seeds`` nets per activation; ``acts`` are specs or :class:`Act`.

    ``progress(epochs_done)`` is called after each chunk of epochs (for a progress bar).
    """
    config = (config or XorConfig()).validate()
    acts = [a for a in acts if isinstance(a, Act)] + load_acts(
        [a for a in acts if not isinstance(a, Act)], params)
    if not acts:
        raise ActvizError("no activation given")
    runs = [_train_one(a, config, backend, progress) for a in acts]
    from actviz.xor_report import summarize

    for run in runs:
        run.summary = summarize(run, config)
    return XorResult(config, runs)


def schedule(epochs: int, seeds: int, hidden: int):
    """Record epochs and training segments ``[(epochs, every)]``.

    Records at 0, every ``step`` epochs and at the end: at most MAX_RECORDS of them, fewer
    when the weight snapshots of many seeds would pass SNAPSHOT_BYTES. About PROGRESS_STEPS
    segments, so a progress bar can move.
    """
    per_record = 8 * seeds * (4 * hidden + 1)
    records = max(1, min(MAX_RECORDS, SNAPSHOT_BYTES // per_record, epochs))
    step = math.ceil(epochs / records)
    full, rem = divmod(epochs, step)
    per_segment = max(1, math.ceil(full / PROGRESS_STEPS))
    segments = [(min(per_segment, full - i) * step, step) for i in range(0, full, per_segment)]
    if rem:
        segments.append((rem, rem))
    when = np.r_[0, np.arange(1, full + 1) * step, [epochs] if rem else []].astype(int)
    return when, segments


def _train_one(act: Act, cfg: XorConfig, backend: str, progress) -> ActRun:
    W1, W2 = init_weights(cfg.seeds, cfg.seed, cfg.hidden, cfg.init, cfg.init_scale)
    trainer = Trainer(act, cfg.loss, cfg.update, cfg.lr, backend)
    when, segments = schedule(cfg.epochs, cfg.seeds, cfg.hidden)
    snaps1, snaps2 = [W1[None].copy()], [W2[None].copy()]
    with np.errstate(all="ignore"):
        for n_epochs, every in segments:
            a, b = trainer.run(W1, W2, n_epochs, every)
            snaps1.append(a)
            snaps2.append(b)
            if progress is not None:
                progress(n_epochs)
        S1, S2 = np.concatenate(snaps1), np.concatenate(snaps2)
        rec = _measure(act, S1, S2, cfg.loss)
    last = rec.pop("last")
    return ActRun(
        act=act, backend=trainer.backend, epochs=when, loss=rec["loss"],
        grad_norm={"hidden": rec["g1"], "output": rec["g2"]},
        zero={"hidden": rec["zero1"], "output": rec["zero2"]},
        tiny={"hidden": rec["tiny1"], "output": rec["tiny2"]},
        band={"hidden": rec["band1"], "output": rec["band2"]},
        affine_hidden=rec["affine"], clipped=rec["clipped"], outputs=last["y"],
        z_start=rec.pop("first"), z_end={"hidden": last["z1"], "output": last["z2"]},
        W1=W1, W2=W2, unchanged=(S1[0] == W1).all(axis=(1, 2)) & (S2[0] == W2).all(axis=1))


def _measure(act: Act, S1, S2, loss: str) -> dict:
    """Statistics of the snapshots ``S1 (R, S, 3, H)``, ``S2 (R, S, H + 1)``, per record and
    seed; evaluated in blocks of many nets at once."""
    R, S = S1.shape[:2]
    tiny = TINY * act.max_abs_derivative
    block = max(1, EVAL_NETS // S)
    out: dict[str, list] = {}
    for r0 in range(0, R, block):
        r1 = min(R, r0 + block)
        ev = batch_eval(act, S1[r0:r1].reshape((-1,) + S1.shape[2:]),
                        S2[r0:r1].reshape((-1,) + S2.shape[2:]), loss)
        ev = {k: v.reshape((r1 - r0, S) + v.shape[1:]) for k, v in ev.items()}
        if r0 == 0:
            out["first"] = {"hidden": ev["z1"][0], "output": ev["z2"][0]}
        if r1 == R:
            out["last"] = {k: ev[k][-1] for k in ("y", "z1", "z2")}
        got = {"loss": ev["loss"], "g1": np.sqrt((ev["gW1"] ** 2).sum(axis=(2, 3))),
               "g2": np.sqrt((ev["gW2"] ** 2).sum(axis=2)),
               "clipped": ev["clipped"].sum(axis=2)}
        for layer, z, d in (("1", ev["z1"], ev["d1"]), ("2", ev["z2"], ev["d2"])):
            axes = tuple(range(2, z.ndim))
            got["zero" + layer] = (d == 0.0).mean(axis=axes)
            got["tiny" + layer] = (np.abs(d) < tiny).mean(axis=axes)
            got["band" + layer] = act.in_linear_band(z).mean(axis=axes)
        ids = act.affine_piece(ev["z1"])  # (r, S, 4, H)
        got["affine"] = ((ids >= 0) & (ids == ids[:, :, :1, :])).all(axis=(2, 3))
        for k, v in got.items():
            out.setdefault(k, []).append(v)
    return {k: (np.concatenate(v) if isinstance(v, list) else v) for k, v in out.items()}


def forward(act: Act, W1, W2, points):
    """Outputs of one net (``W1 (3, H)``, ``W2 (H + 1,)``) at ``points (..., 2)``."""
    pts = np.asarray(points, dtype=float)
    xa = np.concatenate([pts, np.ones(pts.shape[:-1] + (1,))], axis=-1)
    h = act(xa @ W1)
    h = np.concatenate([h, np.ones(h.shape[:-1] + (1,))], axis=-1)
    return act(h @ W2)
