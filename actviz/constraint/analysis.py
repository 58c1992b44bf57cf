"""``optimize-constraint`` in one call: :func:`analyse` runs sections 1-3 and returns a
:class:`ConstraintResult` (``to_dict()`` is the command's JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field

from actviz.cards import HtmlRepr
from actviz.constraint.basin import OUTCOMES, PATH_STARTS, _lesson, cached_basins, check_options
from actviz.constraint.gate import Gate, hard_band
from actviz.constraint.problem import (
    BOX,
    DEFAULT_FORMULATIONS,
    OPTIMUM,
    OPTIMUM_VALUE,
    OPTIONS,
    REACH_TOL,
    Run,
    distance_to_optimum,
    formulation,
    solve,
)


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
class ConstraintResult(HtmlRepr):
    """Everything ``optimize-constraint`` measured (``to_dict`` is the ``--json`` output)."""

    start: tuple[float, float]
    method: str
    gate_label: str
    gate_params: dict[str, str]
    k: float
    band_r2: tuple[float, float] | None  # x² + y² where the hard gate is on its linear piece
    given: list = field(default_factory=list)  # given.GivenResult
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
                "solver_options": OPTIONS[self.method],
                "grid": {"n": self.grid, "axis": self.axis, "outcomes": list(OUTCOMES)},
                "formulations": [f.to_dict() for f in self.formulations],
                "basin_maps": {f.name: f.basin for f in self.formulations},
            },
        }

    def _card_title(self) -> str:
        return f"optimize-constraint: {self.gate_label} gate, {self.method} from {self.start}"


def analyse(start=(5.0, 5.0), *, formulations=DEFAULT_FORMULATIONS, grid: int = 41,
            method: str = "SLSQP", params: dict[str, str] | None = None, k: float = 1.0,
            gate: str = "hard_sigmoid", given: bool = True, progress=None,
            use_cache: bool = True) -> ConstraintResult:
    """Run sections 1–3. Section 1 always uses SLSQP (as given); ``method`` is for 2 and 3.
    The basin maps come from the disk cache where computed before (``use_cache=False``:
    afresh, stored nowhere; :func:`actviz.constraint.basin.cached_basins`).
    ``progress(n)`` is called as the basin maps advance (``n`` starts at a time; there are
    ``len(formulations) * grid**2`` in all)."""
    import numpy as np

    from actviz.constraint.given import run_given

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
    problems = [formulation(name, hard, smooth) for name in names]
    for name, problem in zip(names, problems):
        run = solve(problem, start, method, OPTIONS[method])
        paths = [solve(problem, s, method, OPTIONS[method], record_path=True).path
                 for s in (start, *PATH_STARTS)]
        result.formulations.append(FormulationResult(name, problem.label, run, paths))
    if grid:  # all maps at once: one pool of workers
        params = tuple(sorted(hard.fn.params.items()))
        maps = cached_basins([(problem, axis, method) for problem in problems],
                             [(name, hard.fn.name, params, float(k)) for name in names],
                             progress, use_cache)
        for fr, codes in zip(result.formulations, maps):
            fr.basin = codes
            if fr.name in ("hard", "smooth"):
                fr.lesson = _lesson(hard if fr.name == "hard" else smooth, axis, codes)
    return result
