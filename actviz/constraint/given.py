"""Section 1 of ``optimize-constraint``: the example of our origin, run as given and diagnosed.

minimize x² + y² s.t. x + y ≤ 5, 0 ≤ x, y ≤ 10, and x² + y² ≤ 25 written as
- the text's form: ``hard_sigmoid(x² + y² − 25) ≤ 1``;
- the code's form: ``z = 1/(1 + exp(−10(x² + y² − 25)))`` with ``z − 1 ≥ 0``;
from (5, 5) with SLSQP, scipy's default tolerances and finite-difference Jacobians (as the
original passed none). The diagnosis is derived from measurements on a grid over the box.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from actviz import kernels
from actviz.constraint.problem import BOX, RADIUS2, Constraint, Problem, Run, solve

MEASURE_GRID = 201  # points per axis for the box-wide measurements


@dataclass
class GivenResult:
    """One form of the original example: its run and the measurements behind the diagnosis."""

    name: str
    label: str
    run: Run
    measurements: dict
    diagnosis: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"name": self.name, "label": self.label, **self.run.to_dict(),
                "measurements": self.measurements, "diagnosis": self.diagnosis}


def _objective(p):
    return p[0] * p[0] + p[1] * p[1]


def _sum_constraint() -> Constraint:
    return Constraint("5 - x - y >= 0", lambda p: 5.0 - p[0] - p[1])


def text_problem(gate_fn) -> Problem:
    g0 = kernels.scalar_function(gate_fn, 0)
    gate = Constraint(f"1 - {gate_fn.label}(x^2 + y^2 - 25) >= 0",
                      lambda p: 1.0 - g0(p[0] * p[0] + p[1] * p[1] - RADIUS2))
    return Problem("text", f"text: {gate_fn.label}(x² + y² − 25) ≤ 1", _objective, None,
                   [_sum_constraint(), gate])


def steep_logistic(p):
    """The code's gate, literally: 1/(1 + exp(−10(x² + y² − 25))) in float64."""
    import numpy as np

    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-10.0 * (p[0] * p[0] + p[1] * p[1] - RADIUS2)))


def code_problem() -> Problem:
    z = Constraint("z - 1 >= 0, z = 1/(1 + exp(-10(x^2 + y^2 - 25)))",
                   lambda p: float(steep_logistic(p)) - 1.0)
    return Problem("code", "code: z − 1 ≥ 0, z = 1/(1 + exp(−10(x² + y² − 25)))", _objective,
                   None, [_sum_constraint(), z])


def _box_grid():
    import numpy as np

    axis = np.linspace(BOX[0], BOX[1], MEASURE_GRID)
    x, y = np.meshgrid(axis, axis)
    return x.ravel(), y.ravel()


def _saturation_r2() -> float:
    """Smallest x² + y² at which the code's z rounds to exactly 1.0 in float64 (bisection)."""
    lo, hi = RADIUS2, RADIUS2 + 10.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if steep_logistic((mid ** 0.5, 0.0)) == 1.0:
            hi = mid
        else:
            lo = mid
    return hi


def run_text(gate_fn, start, method: str = "SLSQP") -> GivenResult:
    import numpy as np

    problem = text_problem(gate_fn)
    run = solve(problem, start, method, record_path=True)
    x, y = _box_grid()
    r2 = x * x + y * y
    slack = 1.0 - kernels.forward(gate_fn, r2 - RADIUS2)
    grad_start = kernels.scalar_function(gate_fn, 1)(start[0] ** 2 + start[1] ** 2 - RADIUS2)
    without = solve(Problem("text-no-gate", "", _objective, None, [_sum_constraint()]),
                    start, method)
    r2_result = run.x[0] ** 2 + run.x[1] ** 2
    m = {
        "grid_points": int(r2.size),
        "gate_slack_min_on_box": float(slack.min()),
        "box_fraction_excluded_by_gate": float(np.mean(slack < 0)),
        "box_fraction_outside_disk": float(np.mean(r2 > RADIUS2)),
        "gate_derivative_at_start": grad_start,
        "x_without_gate": without.x,
        "shift_without_gate": float(np.hypot(*(np.subtract(run.x, without.x)))),
        "r2_at_result": float(r2_result),
        "disk_slack_at_result": float(RADIUS2 - r2_result),
        "max_r2_where_x_plus_y_le_5": float(r2[x + y <= 5.0].max()),
    }
    d = []
    if m["gate_slack_min_on_box"] >= 0:
        d.append(f"the gate constraint holds on all {m['grid_points']} grid points of the box "
                 f"(least slack {m['gate_slack_min_on_box']:g}): a hard_sigmoid never exceeds 1, "
                 f"so '<= 1' removes nothing, while {m['box_fraction_outside_disk']:.1%} of the "
                 "box lies outside the disk it was meant to cut off")
    if grad_start == 0.0:
        d.append("at the start the gate sits on its flat top (derivative 0): it is active "
                 "with a zero gradient, so it gives the optimizer no information")
    if m["shift_without_gate"] == 0.0:
        d.append("dropping the gate gives the same point: the constraint never mattered")
    if m["disk_slack_at_result"] > 0:
        d.append(f"the optimum is interior: x² + y² = {r2_result:g} < 25 at the result, so even "
                 "a correct x² + y² <= 25 would be inactive")
    if m["max_r2_where_x_plus_y_le_5"] <= RADIUS2 + 1e-12:
        d.append(f"on the box, x + y <= 5 already implies x² + y² <= 25 (largest x² + y² on the "
                 f"grid with x + y <= 5: {m['max_r2_where_x_plus_y_le_5']:g})")
    return GivenResult("text", problem.label, run, m, d)


def run_code(start, method: str = "SLSQP") -> GivenResult:
    import numpy as np

    problem = code_problem()
    run = solve(problem, start, method, record_path=True)
    x, y = _box_grid()
    r2 = x * x + y * y
    zm1 = steep_logistic((x, y)) - 1.0
    sat = zm1 >= 0
    feasible_sum = x + y <= 5.0
    m = {
        "grid_points": int(r2.size),
        "z_minus_1_max_on_box": float(zm1.max()),
        "box_fraction_satisfying": float(np.mean(sat)),
        "min_r2_where_satisfied": float(r2[sat].min()) if sat.any() else None,
        "saturation_r2_float64": _saturation_r2(),
        "z_minus_1_max_where_x_plus_y_le_5": float(zm1[feasible_sum].max()),
        "z_minus_1_at_result": float(steep_logistic(run.x) - 1.0),
    }
    d = [f"z = 1/(1 + exp(-t)) < 1 for every finite t, so z - 1 >= 0 has no solution in exact "
         f"arithmetic; in float64 z rounds to 1.0 only where x² + y² >= "
         f"{m['saturation_r2_float64']:.4f} ({m['box_fraction_satisfying']:.1%} of the box): "
         "outside the disk, the opposite of the intended x² + y² <= 25"]
    if m["z_minus_1_max_where_x_plus_y_le_5"] < 0:
        d.append(f"with x + y <= 5 the largest z - 1 on the box is "
                 f"{m['z_minus_1_max_where_x_plus_y_le_5']:g}: the constraints are incompatible, "
                 "the problem is infeasible")
    bad = [c["name"].split(",")[0] for c in run.constraints if c["state"] == "violated"]
    if bad:
        d.append(f"the run ends with {', '.join(bad)} violated "
                 f"(z - 1 = {m['z_minus_1_at_result']:g}) and success={run.success}: "
                 f"'{run.message}'")
    return GivenResult("code", problem.label, run, m, d)


def run_given(gate_fn, start, method: str = "SLSQP") -> list[GivenResult]:
    return [run_text(gate_fn, start, method), run_code(start, method)]
