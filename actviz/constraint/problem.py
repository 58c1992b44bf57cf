"""The problems of ``optimize-constraint`` and the solver run that measures them.

The example of our origin (section 1, :mod:`.given`) wrote the constraint x² + y² ≤ 25
through ``hard_sigmoid``; section 2 runs it where the constraint matters: maximize x + 2y
subject to x² + y² ≤ 25 on the box [0, 10]², whose optimum is (√5, 2√5) with value 5√5, with
the constraint written exactly, through a gate ``gate(k (x² + y² − 25)) ≤ 1/2``
(:mod:`.gate`), or as a quadratic penalty; section 3 (:mod:`.basin`) from a grid of starts.
:func:`solve` runs scipy's ``minimize`` and measures the result.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

from actviz.errors import ActvizError

BOX = (0.0, 10.0)
RADIUS2 = 25.0  # x² + y² ≤ 25
THRESHOLD = 0.5  # gate ≤ 1/2
OPTIMUM = (math.sqrt(5.0), 2.0 * math.sqrt(5.0))
OPTIMUM_VALUE = 5.0 * math.sqrt(5.0)
REACH_TOL = 1e-6  # |x − x*| ≤ this counts as reaching the optimum
ACTIVE_TOL = 1e-8  # |g(x)| ≤ this: active; g(x) < −this: violated
METHODS = ("SLSQP", "trust-constr")
FORMULATIONS = ("exact", "hard", "smooth", "penalty")
DEFAULT_FORMULATIONS = ("exact", "hard", "smooth")
PENALTY_MUS = (1.0, 1e2, 1e4, 1e6, 1e8)
# tight stopping rules for sections 2 and 3 so that "reached" is decided by the problem,
# not by a loose tolerance (section 1 runs with scipy's defaults, as the original did)
OPTIONS = {"SLSQP": {"ftol": 1e-12, "maxiter": 100},
           "trust-constr": {"xtol": 1e-12, "gtol": 1e-10, "maxiter": 300}}


@dataclass
class Constraint:
    """One inequality g(x) ≥ 0 (scipy's convention), with an optional analytic Jacobian."""

    name: str
    fun: Callable
    jac: Callable | None = None


@dataclass
class Problem:
    """A minimization problem on the box; ``stages`` (penalty continuation) replace ``fun``."""

    name: str
    label: str
    fun: Callable
    jac: Callable | None = None
    constraints: list[Constraint] = field(default_factory=list)
    stages: list[tuple[Callable, Callable]] = field(default_factory=list)
    measured: list[Constraint] = field(default_factory=list)  # reported, not imposed
    report: Callable | None = None  # value reported as `fun` (default: fun)


@dataclass
class Run:
    """What one optimizer run did, measured at its result."""

    start: list[float]
    x: list[float]
    fun: float
    success: bool
    status: int
    message: str
    nit: int
    nfev: int
    constraints: list[dict]
    bounds_active: list[str]
    path: list[list[float]] = field(default_factory=list)

    def to_dict(self, with_path: bool = False) -> dict:
        d = {k: getattr(self, k) for k in ("start", "x", "fun", "success", "status", "message",
                                          "nit", "nfev", "constraints", "bounds_active")}
        if with_path:
            d["path"] = self.path
        return d


def constraint_state(value: float) -> str:
    if value < -ACTIVE_TOL:
        return "violated"
    return "active" if value <= ACTIVE_TOL else "satisfied"


def solve(problem: Problem, start, method: str = "SLSQP", options: dict | None = None,
          record_path: bool = False) -> Run:
    """Run scipy's ``minimize`` on ``problem`` from ``start`` and measure the result."""
    import numpy as np
    from scipy.optimize import minimize

    if method not in METHODS:
        raise ActvizError(f"unknown method {method!r} (choose from {', '.join(METHODS)})")
    x0 = np.asarray(start, dtype=float)
    path = [x0.tolist()] if record_path else []

    def callback(intermediate_result):
        path.append(np.asarray(intermediate_result.x, dtype=float).tolist())

    cons = [{"type": "ineq", "fun": c.fun, **({"jac": c.jac} if c.jac is not None else {})}
            for c in problem.constraints]
    stages = problem.stages or [(problem.fun, problem.jac)]
    nit = nfev = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            for fun, jac in stages:
                res = minimize(fun, x0, jac=jac, method=method, bounds=[BOX, BOX],
                               constraints=cons, options=dict(options or {}),
                               callback=callback if record_path else None)
                x0 = np.asarray(res.x, dtype=float)
                nit += int(getattr(res, "nit", 0) or 0)
                nfev += int(getattr(res, "nfev", 0) or 0)
    x = [float(v) for v in res.x]
    value = (problem.report or problem.fun)(np.asarray(x))
    measured = [{"name": c.name, "value": float(c.fun(np.asarray(x))),
                 "state": constraint_state(float(c.fun(np.asarray(x))))}
                for c in problem.constraints + problem.measured]
    bounds = [f"{axis} = {b:g}" for axis, v in zip("xy", x) for b in BOX
              if abs(v - b) <= ACTIVE_TOL]
    return Run([float(v) for v in start], x, float(value), bool(res.success), int(res.status),
               str(res.message), nit, nfev, measured, bounds, path)


# ---------------------------------------------------------------- section 2: the formulations


def _objective():
    import numpy as np

    grad = np.array([-1.0, -2.0])
    return (lambda p: -(p[0] + 2.0 * p[1])), (lambda p: grad.copy())


def formulation(name: str, hard, smooth) -> Problem:
    """One of :data:`FORMULATIONS` for maximize x + 2y s.t. x² + y² ≤ 25 on the box;
    ``hard`` and ``smooth`` are the two :class:`~.gate.Gate` objects."""
    import numpy as np

    fun, jac = _objective()

    def value(p):
        return p[0] + 2.0 * p[1]

    if name == "exact":
        c = Constraint("25 - x^2 - y^2 >= 0", lambda p: RADIUS2 - p[0] ** 2 - p[1] ** 2,
                       lambda p: -2.0 * np.asarray(p, dtype=float))
        return Problem(name, "exact: 25 − x² − y² ≥ 0", fun, jac, [c], report=value)
    if name in ("hard", "smooth"):
        gate = hard if name == "hard" else smooth
        label = f"{'hard' if name == 'hard' else 'smooth'} gate: {gate.fn.label}(k·(x²+y²−25)) ≤ ½"
        return Problem(name, label, fun, jac, [gate.constraint()], report=value)
    if name == "penalty":
        stages = []
        for mu in PENALTY_MUS:
            def pfun(p, mu=mu):
                excess = max(0.0, p[0] ** 2 + p[1] ** 2 - RADIUS2)
                return fun(p) + 0.5 * mu * excess * excess

            def pjac(p, mu=mu):
                excess = max(0.0, p[0] ** 2 + p[1] ** 2 - RADIUS2)
                return jac(p) + 2.0 * mu * excess * np.asarray(p, dtype=float)

            stages.append((pfun, pjac))
        c = Constraint("25 - x^2 - y^2 >= 0 (measured, not imposed)",
                       lambda p: RADIUS2 - p[0] ** 2 - p[1] ** 2)
        label = "penalty: −(x+2y) + ½μ·max(0, x²+y²−25)², μ = 1 … 1e8"
        return Problem(name, label, fun, jac, [], stages=stages, measured=[c], report=value)
    raise ActvizError(f"unknown formulation {name!r} (choose from {', '.join(FORMULATIONS)})")


def distance_to_optimum(x) -> float:
    return math.hypot(x[0] - OPTIMUM[0], x[1] - OPTIMUM[1])
