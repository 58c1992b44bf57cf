"""Sections 2 and 3 of ``optimize-constraint``: the formulations from one start, basin maps over
a grid of starts, the measured lesson, and :func:`analyse` (all three sections in one result).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from actviz.constrained import (
    BOX,
    DEFAULT_FORMULATIONS,
    FORMULATIONS,
    METHODS,
    OPTIMUM,
    OPTIMUM_VALUE,
    OPTIONS,
    RADIUS2,
    REACH_TOL,
    THRESHOLD,
    Gate,
    Run,
    distance_to_optimum,
    formulation,
    solve,
)
from actviz.errors import ActvizError

REACHED, FAILED, ELSEWHERE = 0, 1, 2
OUTCOMES = ("reached", "failed", "elsewhere")
PATH_STARTS = ((1.0, 1.0), (2.0, 4.5), (9.0, 2.0))  # plus --start: flat inside, band, flat outside
TINY_GRADIENT = 1e-8  # |∇ gate| below this at a start counts as "numerically flat"
MAX_GRID = 201


@dataclass
class FormulationResult:
    name: str
    label: str
    run: Run  # from --start
    paths: list[list[list[float]]]  # optimizer paths from the path starts
    basin: list[list[int]] | None = None  # [row = y index][column = x index], OUTCOMES codes
    lesson: dict | None = None

    @property
    def distance(self) -> float:
        return distance_to_optimum(self.run.x)

    def counts(self) -> dict[str, int] | None:
        if self.basin is None:
            return None
        flat = [c for row in self.basin for c in row]
        return {name: flat.count(code) for code, name in enumerate(OUTCOMES)}

    @property
    def basin_success_rate(self) -> float | None:
        counts = self.counts()
        return None if counts is None else counts["reached"] / sum(counts.values())

    def to_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "x": self.run.x, "fun": self.run.fun,
                "success": self.run.success, "message": self.run.message,
                "nit": self.run.nit, "nfev": self.run.nfev,
                "distance_to_optimum": self.distance,
                "reached": self.distance <= REACH_TOL,
                "constraints": self.run.constraints,
                "basin_success_rate": self.basin_success_rate,
                "basin_counts": self.counts(), "lesson": self.lesson}


@dataclass
class ConstraintResult:
    """Everything ``optimize-constraint`` measured (``to_dict`` is the ``--json`` output)."""

    start: tuple[float, float]
    method: str
    gate_label: str
    gate_params: dict[str, str]
    k: float
    band_r2: tuple[float, float] | None  # x² + y² where the hard gate is on its linear piece
    given: list = field(default_factory=list)  # constrained_given.GivenResult
    formulations: list[FormulationResult] = field(default_factory=list)
    grid: int = 0
    axis: list[float] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "given": [g.to_dict() for g in self.given],
            "active": {
                "problem": "maximize x + 2y s.t. x^2 + y^2 <= 25, 0 <= x, y <= 10",
                "optimum": {"x": list(OPTIMUM), "fun": OPTIMUM_VALUE},
                "start": list(self.start), "method": self.method,
                "gate": {"name": self.gate_label, "params": self.gate_params, "k": self.k,
                         "linear_band_r2": list(self.band_r2) if self.band_r2 else None},
                "reach_tolerance": REACH_TOL,
                "grid": {"n": self.grid, "axis": self.axis, "outcomes": list(OUTCOMES)},
                "formulations": [f.to_dict() for f in self.formulations],
                "basin_maps": {f.name: f.basin for f in self.formulations},
            },
        }


def hard_band(gate: Gate) -> tuple[float, float] | None:
    """x² + y² interval on which the gate's derivative is non-zero (probed, edges bisected)."""
    import numpy as np

    def sloped(r2):
        return gate.g1(gate.k * (r2 - RADIUS2)) != 0.0

    r2 = np.linspace(0.0, 2 * BOX[1] ** 2, 20001)
    on = np.flatnonzero(gate.fn.numpy(1)(gate.k * (r2 - RADIUS2)) != 0)
    if on.size == 0:
        return None

    def edge(inside, outside):
        for _ in range(80):
            mid = 0.5 * (inside + outside)
            inside, outside = (mid, outside) if sloped(mid) else (inside, mid)
        return inside

    lo = edge(r2[on[0]], r2[on[0] - 1]) if on[0] > 0 else float(r2[0])
    hi = edge(r2[on[-1]], r2[on[-1] + 1]) if on[-1] < r2.size - 1 else float(r2[-1])
    return (float(lo), float(hi))


def _lesson(gate: Gate, axis, codes) -> dict:
    """Outcome against the gate's gradient at the start: exactly zero, tiny, or sloped."""
    n = len(axis)
    rows = []
    for i in range(n):
        for j in range(n):
            p = (axis[j], axis[i])
            grad = abs(gate.slope(p)) * 2.0 * math.hypot(*p)
            feasible = THRESHOLD - gate.g0(gate.u(p)) >= 0
            rows.append((codes[i][j] == REACHED, gate.slope(p) == 0.0, grad < TINY_GRADIENT,
                         feasible))
    not_reached = [r for r in rows if not r[0]]

    def rate(sel):
        sel = list(sel)
        return {"starts": len(sel), "reached": sum(r[0] for r in sel),
                "rate": (sum(r[0] for r in sel) / len(sel)) if sel else None}

    out = {
        "starts": len(rows),
        "not_reached": len(not_reached),
        "not_reached_zero_gradient": sum(r[1] for r in not_reached),
        "not_reached_tiny_gradient": sum(r[2] for r in not_reached),
        "zero_gradient_feasible": rate(r for r in rows if r[1] and r[3]),
        "zero_gradient_infeasible": rate(r for r in rows if r[1] and not r[3]),
        "nonzero_gradient": rate(r for r in rows if not r[1]),
        "tiny_gradient": rate(r for r in rows if r[2]),
        "not_tiny_gradient": rate(r for r in rows if not r[2]),
    }
    out["verdict"] = _verdict(out)
    return out


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.1%})" if whole else "0/0"


def _verdict(m: dict) -> list[str]:
    """The expected lesson, confirmed or refuted by the counts in ``m``."""
    lines = [f"{_pct(m['not_reached_zero_gradient'], m['not_reached'])} of the starts that did "
             "not reach the optimum began where the gate's gradient is exactly 0 "
             f"({_pct(m['not_reached_tiny_gradient'], m['not_reached'])} where "
             f"|grad gate| < {TINY_GRADIENT:g})"]
    for key, what in (("zero_gradient_infeasible", "flat and violated (outside the disk)"),
                      ("zero_gradient_feasible", "flat and satisfied (inside the disk)"),
                      ("nonzero_gradient", "on the sloped part (non-zero gradient)")):
        if m[key]["starts"]:
            lines.append(f"reached from starts {what}: {_pct(m[key]['reached'], m[key]['starts'])}")
    flat_bad, sloped = m["zero_gradient_infeasible"], m["nonzero_gradient"]
    flat_rate = flat_bad["rate"] if flat_bad["starts"] else None
    mostly_flat = m["not_reached"] and m["not_reached_zero_gradient"] / m["not_reached"] > 0.5
    if flat_rate is not None and sloped["rate"] is not None and flat_rate < sloped["rate"] \
            and mostly_flat:
        lines.append("lesson confirmed: where the gate is flat and violated the optimizer gets no "
                     "direction back to the feasible set; it succeeds only from starts where "
                     "the gate has a slope, or from slack starts whose steps land there")
    elif flat_rate is None or sloped["rate"] is None:
        lines.append("lesson not tested: no flat (or no sloped) starts on this grid")
    else:
        lines.append("lesson refuted on this grid: flat starts do as well as sloped ones")
    return lines


def basin(problem, axis, method: str) -> list[list[int]]:
    """Outcome code for each start (axis[j], axis[i]) at [i][j]."""
    codes = []
    for yv in axis:
        row = []
        for xv in axis:
            run = solve(problem, (xv, yv), method, OPTIONS[method])
            if distance_to_optimum(run.x) <= REACH_TOL:
                row.append(REACHED)
            else:
                row.append(ELSEWHERE if run.success else FAILED)
        codes.append(row)
    return codes


def check_options(start, grid: int, method: str, names) -> None:
    if method not in METHODS:
        raise ActvizError(f"unknown method {method!r} (choose from {', '.join(METHODS)})")
    if not all(math.isfinite(v) and BOX[0] <= v <= BOX[1] for v in start):
        raise ActvizError(f"--start must lie in the box [{BOX[0]:g}, {BOX[1]:g}]², got "
                          f"({start[0]:g}, {start[1]:g})")
    if grid != 0 and not 2 <= grid <= MAX_GRID:
        raise ActvizError(f"--grid must be 0 (no basin map) or from 2 to {MAX_GRID}, got {grid}")
    for name in names:
        if name not in FORMULATIONS:
            raise ActvizError(f"unknown formulation {name!r} "
                              f"(choose from {', '.join(FORMULATIONS)})")


def analyse(start=(5.0, 5.0), *, formulations=DEFAULT_FORMULATIONS, grid: int = 41,
            method: str = "SLSQP", params: dict[str, str] | None = None, k: float = 1.0,
            gate: str = "hard_sigmoid", given: bool = True) -> ConstraintResult:
    """Run sections 1–3. Section 1 always uses SLSQP (as given); ``method`` is for 2 and 3."""
    import numpy as np

    from actviz.constrained_given import run_given

    start = (float(start[0]), float(start[1]))
    names = list(dict.fromkeys(formulations))
    check_options(start, grid, method, names)
    hard = Gate.load(gate, params, k)
    smooth = Gate.load("sigmoid", None, k)
    result = ConstraintResult(start, method, hard.fn.label, dict(hard.fn.params), float(k),
                              hard_band(hard), grid=grid)
    if given:
        result.given = run_given(Gate.load(gate, params, 1.0).fn, start)
    axis = np.linspace(BOX[0], BOX[1], grid).tolist() if grid else []
    result.axis = axis
    for name in names:
        problem = formulation(name, hard, smooth)
        run = solve(problem, start, method, OPTIONS[method])
        paths = [solve(problem, s, method, OPTIONS[method], record_path=True).path
                 for s in (start, *PATH_STARTS)]
        fr = FormulationResult(name, problem.label, run, paths)
        if grid:
            fr.basin = basin(problem, axis, method)
            if name in ("hard", "smooth"):
                fr.lesson = _lesson(hard if name == "hard" else smooth, axis, fr.basin)
        result.formulations.append(fr)
    return result
