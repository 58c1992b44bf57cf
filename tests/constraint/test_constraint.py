"""optimize-constraint: the example as given, the active problem, basin maps, the CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

from actviz import symbolic
from actviz.cli import main
from actviz.constraint import OPTIMUM, Gate, analyse, basin, formulation, run_code, run_text, solve
from actviz.constraint.basin import basins
from actviz.errors import ActvizError

SQRT5 = math.sqrt(5.0)


def _hard_sigmoid(u, alpha=0.2, beta=0.5):  # independent of the catalog
    return np.clip(alpha * np.asarray(u) + beta, 0.0, 1.0)


@pytest.fixture(scope="module")
def given():
    return run_text(symbolic.load("hard_sigmoid"), (5.0, 5.0)), run_code((5.0, 5.0))


def test_text_form_constraint_never_matters(given):
    text, _ = given
    run = text.run
    # what SLSQP does, measured here: it walks to the box corner (0, 0) and reports success
    assert run.success and run.status == 0
    assert np.allclose(run.x, [0.0, 0.0], atol=1e-8)
    assert run.fun == pytest.approx(0.0, abs=1e-12)
    states = {c["name"]: c["state"] for c in run.constraints}
    assert all(s == "satisfied" for s in states.values())  # nothing active, nothing violated
    assert set(run.bounds_active) == {"x = 0", "y = 0"}
    # independent checks of the diagnosis: hard_sigmoid <= 1 holds on the whole box, ...
    g = np.linspace(0, 10, 101)
    x, y = np.meshgrid(g, g)
    assert (1.0 - _hard_sigmoid(x ** 2 + y ** 2 - 25)).min() >= 0.0
    assert text.measurements["gate_slack_min_on_box"] >= 0.0
    assert text.measurements["box_fraction_excluded_by_gate"] == 0.0
    # ... its gradient at (5, 5) is zero (flat top), and dropping it changes nothing
    assert text.measurements["gate_derivative_at_start"] == 0.0
    assert text.measurements["shift_without_gate"] == 0.0
    # the unconstrained minimum of x² + y² on the box is interior to the disk
    assert run.x[0] ** 2 + run.x[1] ** 2 < 25
    assert any("holds on all" in d for d in text.diagnosis)
    assert any("interior" in d for d in text.diagnosis)


def test_code_form_is_infeasible(given):
    _, code = given
    run = code.run
    assert not run.success
    z_state = [c for c in run.constraints if c["name"].startswith("z - 1")][0]
    assert z_state["state"] == "violated"
    z = 1.0 / (1.0 + np.exp(-10.0 * (run.x[0] ** 2 + run.x[1] ** 2 - 25.0)))
    assert z_state["value"] == pytest.approx(z - 1.0)
    # independent: with x + y <= 5 and x, y >= 0, x² + y² <= 25, so z <= 1/2 and z - 1 < 0
    g = np.linspace(0, 10, 201)
    x, y = np.meshgrid(g, g)
    ok = x + y <= 5
    with np.errstate(over="ignore"):
        zz = 1.0 / (1.0 + np.exp(-10.0 * (x ** 2 + y ** 2 - 25.0)))
    assert (zz[ok] - 1.0).max() < 0
    assert code.measurements["z_minus_1_max_where_x_plus_y_le_5"] == pytest.approx(
        (zz[ok] - 1.0).max())
    # z rounds to exactly 1.0 only outside the disk (float64 saturation)
    assert (x ** 2 + y ** 2)[zz == 1.0].min() > 25
    assert 25 < code.measurements["saturation_r2_float64"] < 30
    assert any("incompatible" in d for d in code.diagnosis)


def _gates(k=1.0, params=None):
    return Gate.load("hard_sigmoid", params, k), Gate.load("sigmoid", None, k)


def test_exact_formulation_finds_the_optimum():
    hard, smooth = _gates()
    for start in [(5.0, 5.0), (1.0, 1.0), (9.0, 2.0)]:
        run = solve(formulation("exact", hard, smooth), start, "SLSQP",
                    {"ftol": 1e-12, "maxiter": 100})
        assert run.success
        assert run.x == pytest.approx([SQRT5, 2 * SQRT5], abs=1e-6)
        assert run.fun == pytest.approx(5 * SQRT5, abs=1e-6)
    assert OPTIMUM == pytest.approx((SQRT5, 2 * SQRT5))


def test_gate_jacobian_matches_finite_differences():
    hard, smooth = _gates(k=0.5, params={"alpha": "1/6"})
    for gate in (hard, smooth):
        c = gate.constraint()
        p = np.array([2.0, 4.4])  # inside both gates' sloped parts
        h = 1e-6
        fd = [(c.fun(p + h * e) - c.fun(p - h * e)) / (2 * h) for e in np.eye(2)]
        assert c.jac(p) == pytest.approx(fd, rel=1e-5)
    # flat top of the hard gate: derivative exactly zero (the lesson)
    assert hard.constraint().jac(np.array([8.0, 8.0])).tolist() == [0.0, 0.0]


def test_basin_map_shape_and_lesson():
    result = analyse(grid=5, given=False)
    assert [f.name for f in result.formulations] == ["exact", "hard", "smooth"]
    for f in result.formulations:
        assert np.asarray(f.basin).shape == (5, 5)
        assert set(np.unique(f.basin)) <= {0, 1, 2}
        assert sum(f.counts().values()) == 25
    exact, hard, _ = result.formulations
    assert exact.basin_success_rate == 1.0
    assert hard.basin_success_rate < exact.basin_success_rate
    # the corner (10, 10) lies on the hard gate's flat top: violated, zero gradient, failed
    assert hard.basin[4][4] == 1
    lesson = hard.lesson
    assert lesson["zero_gradient_infeasible"]["reached"] == 0
    assert lesson["not_reached_zero_gradient"] <= lesson["not_reached"]
    # the same map again, directly
    axis = result.axis
    assert basin(formulation("exact", *_gates()), axis, "SLSQP") == exact.basin


def test_cached_basin_maps_are_the_fresh_ones():
    fresh = analyse(grid=4, given=False, use_cache=False)
    for _ in range(2):  # computed and stored, then read back
        got = analyse(grid=4, given=False)
        assert [f.basin for f in got.formulations] == [f.basin for f in fresh.formulations]
    other = analyse(grid=4, given=False, k=3.0)  # another steepness: another map, not the cached
    assert [f.basin for f in other.formulations] == [
        f.basin for f in analyse(grid=4, given=False, k=3.0, use_cache=False).formulations]


@pytest.mark.parametrize("name", ["hard", "smooth"])
def test_basin_map_is_the_same_in_forked_workers(name):
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    axis = np.linspace(0.0, 10.0, 6).tolist()
    problem = formulation(name, *_gates())
    rows = []
    serial = basin(problem, axis, "SLSQP", processes=1)
    forked = basin(problem, axis, "SLSQP", progress=rows.append, processes=2)
    assert forked == serial and rows == [6] * 6
    assert len({c for row in serial for c in row}) > 1  # a map with more than one outcome


def test_basin_maps_together_are_the_maps_alone():
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    small, large = np.linspace(0.0, 10.0, 3).tolist(), np.linspace(0.0, 10.0, 5).tolist()
    jobs = [(formulation(name, *_gates()), axis, "SLSQP")
            for name, axis in (("hard", large), ("exact", small), ("smooth", large))]
    rows = []
    together = basins(jobs, progress=rows.append, processes=2)
    assert together == [basin(*job, processes=1) for job in jobs]
    assert rows == [5] * 5 + [3] * 3 + [5] * 5 and basins([], processes=2) == []


def test_bad_library_options():
    with pytest.raises(ActvizError):
        analyse(grid=1, given=False)
    with pytest.raises(ActvizError):
        analyse(start=(11.0, 0.0), grid=0, given=False)
    with pytest.raises(ActvizError):
        analyse(k=-1.0, grid=0, given=False)


def _run(args):
    return CliRunner().invoke(main, ["optimize-constraint", *args])


def test_cli_json_keys(tmp_path):
    out = tmp_path / "c.png"
    res = _run(["--grid", "3", "--json", "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) == {"given", "active"}
    assert [g["name"] for g in data["given"]] == ["text", "code"]
    assert {"optimum", "formulations"} <= set(data["active"])
    for f in data["active"]["formulations"]:
        assert {"name", "x", "fun", "success", "message", "basin_success_rate"} <= set(f)
    assert data["active"]["optimum"]["fun"] == pytest.approx(5 * SQRT5)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_text_report():
    res = _run(["--grid", "0", "--formulation", "exact", "--start", "1", "1"])
    assert res.exit_code == 0, res.output
    for head in ("1. The example as given", "2. A formulation", "what is wrong"):
        assert head in res.stdout
    assert "3. Basin map" not in res.stdout


@pytest.mark.parametrize("args", [
    ["--grid", "1"],
    ["--grid", "-4"],
    ["--grid", "x"],
    ["--start", "11", "0"],
    ["--start", "1"],
    ["--method", "nelder-mead"],
    ["--formulation", "bogus"],
    ["-p", "gamma=1"],
    ["-p", "alpha=abc"],
    ["-p", "alpha"],
    ["-k", "0"],
])
def test_cli_bad_options(tmp_path, args):
    out = tmp_path / "c.png"
    res = _run([*args, "--grid" if "--grid" not in args else "--json", *(
        ["3"] if "--grid" not in args else []), "-o", str(out)])
    assert res.exit_code == 2, res.output
    err = res.stderr.strip()
    assert err.startswith("Error:") and len(err.splitlines()) == 1
    assert "Traceback" not in res.output
    assert not out.exists()
    assert not list(tmp_path.iterdir())


def test_cli_bad_output_path(tmp_path):
    res = _run(["--grid", "3", "-o", str(tmp_path / "c.txt")])
    assert res.exit_code == 2
    assert len(res.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())
