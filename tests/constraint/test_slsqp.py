"""The basin maps' SLSQP driver (actviz.constraint.slsqp) is scipy's minimize, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from actviz.constraint import Gate, basin, formulation, solve
from actviz.constraint import slsqp as fast
from actviz.constraint.given import code_problem
from actviz.constraint.problem import OPTIONS

SLSQP = OPTIONS["SLSQP"]


def _gates(spec="hard_sigmoid", params=None, k=1.0):
    return Gate.load(spec, params, k), Gate.load("sigmoid", None, k)


def _prepared(problem):
    run = fast.prepare(problem, "SLSQP", SLSQP)
    if run is None:
        pytest.skip("the driver does not mirror this scipy release: minimize runs the maps")
    return run


@pytest.mark.parametrize("name", ["exact", "hard", "smooth", "penalty"])
@pytest.mark.parametrize("gates", [(), ("hard_sigmoid", {"alpha": "1/6"}, 2.0)])
def test_driver_is_minimize_bit_for_bit(name, gates):
    problem = formulation(name, *_gates(*gates))
    run = _prepared(problem)
    axis = np.linspace(0.0, 10.0, 7).tolist() + [2.2360679774997896, 4.47213595499958]
    statuses = set()
    for yv in axis:
        for xv in axis:
            ref = solve(problem, (xv, yv), "SLSQP", SLSQP)
            x, status = run((xv, yv))
            assert np.array(x).tobytes() == np.array(ref.x).tobytes(), (xv, yv)
            assert status == ref.status
            statuses.add(status)
    if name in ("hard", "smooth"):
        assert len(statuses) > 1  # failures as well as successes are reproduced


def test_driver_declines_what_it_does_not_mirror(monkeypatch):
    hard, smooth = _gates()
    problem = formulation("hard", hard, smooth)
    assert fast.prepare(problem, "trust-constr", OPTIONS["trust-constr"]) is None
    assert fast.prepare(problem, "SLSQP", {**SLSQP, "eps": 1e-6}) is None
    assert fast.prepare(code_problem(), "SLSQP", SLSQP) is None  # finite-difference Jacobians
    monkeypatch.setattr(fast, "VERIFIED_SCIPY", ())
    assert fast.prepare(problem, "SLSQP", SLSQP) is None
    # ... and the map is then minimize's, the same
    axis = np.linspace(0.0, 10.0, 4).tolist()
    slow = basin(problem, axis, "SLSQP", processes=1)
    monkeypatch.undo()
    assert basin(problem, axis, "SLSQP", processes=1) == slow
