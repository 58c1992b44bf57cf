"""Training runs: many seeds per activation, recorded and measured (``train_xor``).

``train_xor(["sigmoid", "hard_sigmoid"])`` reproduces the experiment of our origin (2-3-1
net, bias by an appended 1, weights uniform in [0, 1), the same activation in both layers,
binary cross-entropy, SGD with learning rate 0.1, one update per sample in the fixed order
(0,1), (1,0), (1,1), (0,0) with targets 1, 1, 0, 0, 4000 epochs) for ``seeds`` independent
initializations, and returns an :class:`XorResult`: per activation the success rate, losses,
gradient norms per layer, the fraction of (unit, sample) pairs with zero or tiny derivative or
in a linear band, and a diagnosis derived from those numbers (:mod:`.report`). The
:class:`Trainer` runs epochs on the numba backend (:mod:`.compiled`) or the NumPy one
(:mod:`.net`); both evaluate the activation through ``actviz.kernels``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from actviz.cards import HtmlRepr
from actviz.errors import ActvizError
from actviz.xor.net import Act, batch_epochs_numpy, batch_eval, online_epochs_numpy
from actviz.xor.problem import TARGETS, XorConfig, init_weights

MAX_RECORDS = 400  # loss, gradient norms and derivative statistics at most this many times
SNAPSHOT_BYTES = 100_000_000  # weight snapshots kept for the records, at most
PROGRESS_STEPS = 20  # training calls per activation (progress bar updates)
EVAL_NETS = 20_000  # nets evaluated at once when measuring the records
TINY = 1e-3  # "tiny" derivative: |f'(z)| < TINY * max|f'|
REP_TIE = 1e-9  # relative: final losses this close to the median tie for "representative"
BACKENDS = ("auto", "numba", "numpy")


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
        """The seed whose final loss is closest to the median; distances within 1e-9 of the
        median count as ties, broken by the lowest index (so rounding does not pick: with an
        even number of seeds the two middle ones are equally close)."""
        final = self.loss[-1]
        finite = np.isfinite(final)
        if not finite.any():
            return 0
        med = np.median(final[finite])
        dist = np.where(finite, np.abs(final - med), np.inf)
        tie = REP_TIE * max(abs(med), np.finfo(float).tiny)
        return int(np.flatnonzero(dist <= dist.min() + tie)[0])


@dataclass
class XorResult(HtmlRepr):
    config: XorConfig
    runs: list[ActRun]

    def to_dict(self) -> dict:
        return {"config": self.config.to_dict(), "activations": [r.summary for r in self.runs]}

    def _card_title(self) -> str:
        return "train-xor: " + ", ".join(r.label for r in self.runs)


def load_acts(specs, params: dict[str, str] | None = None) -> list[Act]:
    """Activations from names, ``NAME:VARIANT`` or expressions, with ``-p`` parameters shared
    by the one rule of :func:`actviz.symbolic.load_all`."""
    from actviz import light

    # catalog entries: no sympy once their facts are cached
    return [Act(fn) for fn in light.load_any(specs, params)]


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
    from actviz.xor.report import summarize

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
        rec = _measure(act, S1, S2, cfg.loss, trainer.compiled)
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


def _measure(act: Act, S1, S2, loss: str, vfdf=None) -> dict:
    """Statistics of the snapshots ``S1 (R, S, 3, H)``, ``S2 (R, S, H + 1)``, per record and
    seed; evaluated in blocks of many nets at once, by the compiled loop with the trainer's
    ``vfdf`` (numba) or :func:`batch_eval` (NumPy)."""
    R, S = S1.shape[:2]
    tiny = TINY * act.max_abs_derivative
    block = max(1, EVAL_NETS // S) if vfdf is None else R
    out: dict[str, list] = {}
    for r0 in range(0, R, block):
        r1 = min(R, r0 + block)
        nets = (S1[r0:r1].reshape((-1,) + S1.shape[2:]), S2[r0:r1].reshape((-1,) + S2.shape[2:]))
        got, ev = _stats(act, nets, loss, vfdf, tiny)
        got, ev = ({k: v.reshape((r1 - r0, S) + v.shape[1:]) for k, v in d.items()}
                   for d in (got, ev))
        if r0 == 0:
            out["first"] = {"hidden": ev["z1"][0], "output": ev["z2"][0]}
        if r1 == R:
            out["last"] = {k: ev[k][-1] for k in ("y", "z1", "z2")}
        for layer in ("1", "2"):
            z = ev["z" + layer]
            got["band" + layer] = act.in_linear_band(z).mean(axis=tuple(range(2, z.ndim)))
        ids = act.affine_piece(ev["z1"])  # (r, S, 4, H)
        got["affine"] = ((ids >= 0) & (ids == ids[:, :, :1, :])).all(axis=(2, 3))
        for k, v in got.items():
            out.setdefault(k, []).append(v)
    return {k: (np.concatenate(v) if isinstance(v, list) else v) for k, v in out.items()}


def _stats(act: Act, nets, loss: str, vfdf, tiny: float):
    """(per-net statistics, per-net y, z1, z2) of the nets ``(W1, W2)``."""
    if vfdf is not None:
        from actviz.xor import compiled

        ev = compiled.records(*nets, loss, vfdf, tiny)
        return {k: ev.pop(k) for k in compiled.STATS}, ev
    ev = batch_eval(act, *nets, loss)
    got = {"loss": ev["loss"], "g1": np.sqrt((ev["gW1"] ** 2).sum(axis=(1, 2))),
           "g2": np.sqrt((ev["gW2"] ** 2).sum(axis=1)), "clipped": ev["clipped"].sum(axis=1)}
    for layer in ("1", "2"):
        d = ev["d" + layer]
        axes = tuple(range(1, d.ndim))
        got["zero" + layer] = (d == 0.0).mean(axis=axes)
        got["tiny" + layer] = (np.abs(d) < tiny).mean(axis=axes)
    return got, {k: ev[k] for k in ("y", "z1", "z2")}


def trainer_backends() -> list[str]:
    """Trainer backends available here: ``numba`` (if installed) and ``numpy``."""
    from actviz import kernels

    return [b for b in ("numba", "numpy") if b in kernels.backends()]


class Trainer:
    """Runs epochs in place for one activation on the chosen backend (``auto``: numba when
    installed and the activation compiles, else NumPy)."""

    def __init__(self, act: Act, loss: str, update: str, lr: float, backend: str = "auto"):
        if backend not in BACKENDS:
            raise ActvizError(f"unknown backend {backend!r} ({', '.join(BACKENDS)})")
        self.act, self.loss, self.update, self.lr = act, loss, update, lr
        self.compiled = None  # the activation compiled for the numba loops
        if backend == "numba" and "numba" not in trainer_backends():
            raise ActvizError("backend 'numba' needs numba: pip install 'actviz[numba]'")
        if backend in ("auto", "numba") and "numba" in trainer_backends():
            self.compiled = act.vector_pair()
        if backend == "numba" and self.compiled is None:
            raise ActvizError(f"the numba backend cannot compile {act.label}; use --backend "
                              "numpy")
        self.backend = "numba" if self.compiled is not None else "numpy"

    def run(self, W1, W2, epochs: int, every: int):
        """Train ``epochs`` epochs in place (a multiple of ``every``); return the weights after
        every ``every`` epochs, ``(n, S, 3, H)`` and ``(n, S, H + 1)``."""
        n = epochs // every
        snap1 = np.empty((n,) + W1.shape)
        snap2 = np.empty((n,) + W2.shape)
        if self.backend == "numba":
            from actviz.xor import compiled

            compiled.run(W1, W2, epochs, self.lr, self.loss, self.update, self.compiled,
                         every, snap1, snap2)
            return snap1, snap2
        step = online_epochs_numpy if self.update == "online" else batch_epochs_numpy
        for i in range(n):
            step(self.act, W1, W2, every, self.lr, self.loss)
            snap1[i], snap2[i] = W1, W2
        return snap1, snap2
