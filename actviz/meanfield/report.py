"""The text report of ``actviz signal`` (the JSON is :meth:`SignalResult.to_dict`)."""

from __future__ import annotations

import math

from actviz.text import table

SHOWN_LAYERS = (1, 2, 3, 5, 10, 20, 30, 40, 50, 75, 100, 200, 500, 1000)


def _n(v, spec: str = ".6g") -> str:
    if v is None:
        return "-"
    v = float(v)
    if math.isnan(v):
        return "-"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return format(v, spec).replace("-", "−")


def _point_lines(r) -> list[str]:
    p = r.point
    how = f"--init {r.init}" if r.init else "--sigma-w/--sigma-b"
    head = f"  point     σ_w = {_n(p.sigma_w)}, σ_b = {_n(p.sigma_b)} ({how})"
    if p.phase == "unbounded":
        return [head, "            q* = ∞: the length map grows without bound (no fixed point; "
                      "signals explode with depth)"]
    return [head,
            f"            q* = {_n(p.q_star)}   χ₁ = {_n(p.chi1)}   c* = {_n(p.c_star)}   "
            f"ξ_q = {_n(p.xi_q, '.4g')}   ξ_c = {_n(p.xi_c, '.4g')}   phase: {p.phase}"]


def _eoc_lines(r, width) -> list[str]:
    pts = r.eoc.points
    lines = ["  edge of chaos (χ₁ = 1 at q*):"]
    if pts:
        rows = [["    σ_b", "σ_w", "q*"]] + [
            ["    " + _n(p["sigma_b"], "g"), _n(p["sigma_w"], ".10g"),
             _n(p["q_star"], ".10g") if p["q_star"] is not None else "any"] for p in pts]
        lines.append(table(rows, width))
    if r.eoc.note:
        lines.append(f"    {r.eoc.note}")
    return lines


def _gain_lines(r) -> list[str]:
    g = r.gains
    rows = [["    fixed point", "1/√E[φ(z)²]", _n(g["fixed_point"], ".8g"),
             "keeps q = 1 a fixed point"],
            ["    std", "1/std φ(z)", _n(g["std"], ".8g"), "unit output variance"],
            ["    χ₁", "1/√E[φ'(z)²]", _n(g["chi1"], ".8g"), "χ₁ = 1 at q = 1"],
            ["    torch", "calculate_gain", _n(g["torch"], ".8g"),
             "" if g["torch"] is not None else "not in torch's table"]]
    lines = ["  gains (σ_w for N(0, 1) pre-activations):", table(rows)]
    s = g["selu_style"]
    if s is None:
        lines.append("    self-normalizing (SELU-style): none (no σ_w keeps unit variance)")
    else:
        lines.append(f"    self-normalizing (SELU-style): σ_w = {_n(s['sigma_w'], '.8g')}, "
                     f"mean {_n(s['mean'], '.4g')}, variance 1, "
                     f"{'stable' if s['stable'] else 'unstable'} (slope {_n(s['slope'], '.4g')})")
    return lines


def _layer_lines(r, sim, width) -> list[str]:
    e, p = r.empirical, r.predicted
    depth = len(p["variance"])
    shown = [k for k in SHOWN_LAYERS if k <= depth]
    if depth not in shown:
        shown.append(depth)
    if e is None:
        rows = [["    layer", "q (mean field)", "correlation", "grad RMS", "f' = 0"]]
        for k in shown:
            i = k - 1
            rows.append([f"    {k}", _n(p["variance"][i], ".4g"), _n(p["correlation"][i], ".4f"),
                         _n(p["grad_norm"][i], ".4g"), _n(p["dead_fraction"][i], ".3f")])
        return ["  mean-field prediction per layer:", table(rows, width)]
    rows = [["    layer", "variance", "(pred.)", "correlation", "(pred.)", "grad RMS",
             "(pred.)", "f' = 0", "(pred.)", "saturated"]]
    for k in shown:
        i = k - 1
        rows.append([f"    {k}", _n(e["variance"][i], ".4g"), _n(p["variance"][i], ".4g"),
                     _n(e["correlation"][i], ".4f"), _n(p["correlation"][i], ".4f"),
                     _n(e["grad_norm"][i], ".4g"), _n(p["grad_norm"][i], ".4g"),
                     _n(e["dead_fraction"][i], ".3f"), _n(p["dead_fraction"][i], ".3f"),
                     _n(e["saturated_fraction"][i], ".3f")])
    head = (f"  simulated net: depth {sim.depth}, width {sim.width}, {sim.samples} inputs "
            f"({sim.samples // 2} pairs at correlation {sim.input_correlation:g}), seed "
            f"{sim.seed}, {sim.dtype} [{r.phi.backend}]; measured (mean-field prediction):")
    return [head, table(rows, width)]


def format_text(result, width: int | None = None) -> str:
    """The human-readable report of a :class:`actviz.meanfield.SignalResult`."""
    cfg = result.config
    out = ["signal: mean-field propagation at initialization (weights N(0, σ_w²/fan_in), "
           "biases N(0, σ_b²)); z ~ N(0, 1), Gaussian integrals split at the kinks"]
    for r in result.results:
        out += ["", f"{r.phi.label}   φ(x) = {r.phi.fn.render(0, 'line')}"]
        out += _point_lines(r)
        out += _eoc_lines(r, width)
        out += _gain_lines(r)
        out += _layer_lines(r, cfg.sim, width)
    return "\n".join(out)
