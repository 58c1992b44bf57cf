"""``actviz signal`` as a library call: the point, the edge of chaos, the gains and a simulated
net per activation, collected in a :class:`SignalResult`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from actviz.cards import HtmlRepr
from actviz.errors import ActvizError
from actviz.meanfield import act as act_mod
from actviz.meanfield import eoc as eoc_mod
from actviz.meanfield import maps
from actviz.meanfield.simulate import SimConfig, simulate

INITS = ("torch-default", "kaiming", "xavier", "lecun", "eoc")
DEFAULT_INIT = "lecun"


@dataclass
class SignalConfig:
    sigma_w: float | None = None  # None: from ``init``
    sigma_b: float | None = None  # None: from ``init`` (0 for eoc)
    init: str | None = None  # None: DEFAULT_INIT unless sigma_w is given
    eoc_sigma_b: tuple[float, ...] = eoc_mod.DEFAULT_SIGMA_B
    sim: SimConfig = field(default_factory=SimConfig)
    simulate: bool = True

    def validate(self) -> SignalConfig:
        if self.init is not None and self.init not in INITS:
            raise ActvizError(f"--init must be one of {', '.join(INITS)}, got {self.init!r}")
        if self.init is not None and self.sigma_w is not None:
            raise ActvizError("give --init or --sigma-w, not both (--init chooses sigma_w)")
        for name in ("sigma_w", "sigma_b"):
            v = getattr(self, name)
            if v is not None and not (math.isfinite(v) and 0.0 <= v <= 1e6):
                raise ActvizError(f"--{name.replace('_', '-')} must be a finite number in "
                                  f"[0, 1e6], got {v!r}")
        for b in self.eoc_sigma_b:
            if not (math.isfinite(b) and 0.0 <= b <= 1e3):
                raise ActvizError(f"--eoc-sigma-b values must be in [0, 1000], got {b!r}")
        if self.simulate:
            self.sim.validate()
        return self

    def to_dict(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k != "sim"}
        d["eoc_sigma_b"] = list(self.eoc_sigma_b)
        d["init"] = self.chosen_init
        d["simulation"] = self.sim.to_dict() if self.simulate else None
        return d

    @property
    def chosen_init(self) -> str | None:
        if self.init is not None:
            return self.init
        return None if self.sigma_w is not None else DEFAULT_INIT


@dataclass
class ActSignal:
    phi: act_mod.Phi
    init: str | None
    point: maps.Point
    eoc: eoc_mod.EdgeOfChaos
    gains: dict
    predicted: dict  # per layer: variance, correlation, grad_norm, dead_fraction (arrays)
    empirical: dict | None  # per layer lists measured in the simulated net

    def to_dict(self) -> dict:
        from actviz.text import json_number

        def clean(v):
            if isinstance(v, dict):
                return {k: clean(x) for k, x in v.items()}
            if isinstance(v, (list, tuple)):
                return [clean(x) for x in v]
            if isinstance(v, bool) or v is None or isinstance(v, str):
                return v
            return json_number(v)

        emp = dict(self.empirical or {})  # without a simulation: the predictions alone
        for k in ("variance", "correlation", "grad_norm", "dead_fraction"):
            emp[f"predicted_{k}"] = list(self.predicted[k])
        fn = self.phi.fn
        return clean({
            "name": fn.label, "params": dict(fn.params), "init": self.init,
            "point": self.point.to_dict(), "eoc": self.eoc.to_dict(),
            **({"eoc_note": self.eoc.note} if self.eoc.note else {}),
            "gains": self.gains, "empirical": emp,
        })


@dataclass
class SignalResult(HtmlRepr):
    """The JSON of ``actviz signal`` (``to_dict``), its text (:func:`format_text`) and, in a
    notebook, a card (``_repr_html_``)."""

    config: SignalConfig
    results: list[ActSignal]

    def _card_title(self) -> str:
        return "signal: " + ", ".join(r.phi.label for r in self.results)

    def __repr__(self) -> str:
        pts = "; ".join(f"{r.phi.label} {r.point.phase} (chi1 = {r.point.chi1:.4g})"
                        for r in self.results)
        return f"<SignalResult {pts}>"

    def to_dict(self) -> dict:
        return {"config": self.config.to_dict(), "results": [r.to_dict() for r in self.results]}


def choose_point(phi, cfg: SignalConfig, curve: eoc_mod.EdgeOfChaos) -> tuple[float, float]:
    """(sigma_w, sigma_b) from --sigma-w/--sigma-b or --init."""
    init = cfg.chosen_init
    sb = cfg.sigma_b
    if init is None:
        return float(cfg.sigma_w), float(sb or 0.0)
    if init == "torch-default":  # nn.Linear: U(+-1/sqrt(fan_in)) for weights and biases
        return 1.0 / math.sqrt(3.0), (1.0 / math.sqrt(3.0 * cfg.sim.width) if sb is None else sb)
    if init == "kaiming":
        return math.sqrt(2.0), sb or 0.0
    if init in ("xavier", "lecun"):  # square layers: Glorot's 2/(fan_in+fan_out) = 1/fan_in
        return 1.0, sb or 0.0
    sb = sb or 0.0
    for p in curve.points:
        if abs(p["sigma_b"] - sb) <= 1e-12:
            return p["sigma_w"], sb
    one = eoc_mod.edge_of_chaos(phi, (sb,))
    if not one.points or abs(one.points[0]["sigma_b"] - sb) > 1e-12:
        raise ActvizError(f"--init eoc: {phi.label} has no edge-of-chaos point at sigma_b = "
                          f"{sb:g} ({one.note or 'none found'})")
    return one.points[0]["sigma_w"], sb


def run_signal(specs, config: SignalConfig | None = None, *, params=None,
               progress=None) -> SignalResult:
    """The analysis for each activation in ``specs`` (names, NAME:VARIANT, expressions).

    ``progress(n)`` is called as layers of the simulated nets are done (2 * depth per
    activation).
    """
    cfg = (config or SignalConfig()).validate()
    # the Gaussian integrals run on the CPU (a GPU backend is for the simulated net)
    phis = act_mod.load(specs, params, "numpy" if cfg.sim.backend == "numpy" else "auto")
    if not phis:
        raise ActvizError("no activation given")
    out = []
    for phi in phis:
        curve = eoc_mod.edge_of_chaos(phi, cfg.eoc_sigma_b)
        sw, sb = choose_point(phi, cfg, curve)
        pt = maps.point(phi, sw, sb)
        pred = maps.predicted_layers(phi, sw, sb, cfg.sim.depth, cfg.sim.input_correlation)
        emp = simulate(phi, sw, sb, cfg.sim, progress) if cfg.simulate else None
        out.append(ActSignal(phi, cfg.chosen_init, pt, curve, eoc_mod.gains(phi), pred, emp))
    return SignalResult(cfg, out)
