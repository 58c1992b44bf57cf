"""actviz approx: the command, its JSON, its figure, --train, and its errors."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from actviz import kernels, symbolic

from conftest import run_cli


@pytest.fixture(scope="module")
def fit_json():
    r = run_cli(["approx", "sigmoid", "--fit", "hard_sigmoid", "-p", "beta=0.5", "--compare",
                 "hard_sigmoid:pytorch", "--no-cost", "--dtype", "float16", "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_json_keys_are_the_documented_ones(fit_json):
    res = fit_json["results"][0]
    for key in ("label", "kind", "expr", "params", "max_abs_error", "argmax", "max_rel_error",
                "max_abs_error_derivative", "certified_over", "cost_ns"):
        assert key in res
    cmp = fit_json["compare"][0]
    for key in ("name", "max_abs_error", "argmax", "max_abs_error_derivative"):
        assert key in cmp
    assert res["kind"] == "fit" and res["cost_ns"] is None
    assert len(res["certified_over"]) == 2  # real numbers and float16
    assert cmp["max_abs_error"] == pytest.approx(0.0691822, abs=5e-8)
    assert res["zero_derivative"][0][0] is None and res["zero_derivative"][-1][1] is None


def test_the_printed_expression_is_an_activation(fit_json, tmp_path):
    expr = fit_json["results"][0]["expr"]
    f = symbolic.load(expr)
    xs = np.linspace(-5, 5, 101)
    alpha = float(fit_json["results"][0]["params"]["alpha"])
    assert np.array_equal(kernels.forward(f, xs, backend="numpy"),
                          np.clip(alpha * xs + 0.5, 0, 1))
    for cmd in (["check", expr], ["plot", expr, "-o", str(tmp_path / "f.png")]):
        r = run_cli(cmd)
        assert r.exit_code == 0, r.output


def test_help_lists_the_json_keys():
    r = run_cli(["approx", "--help"])
    assert r.exit_code == 0
    for key in ("results", "certified_over", "cost_ns", "compare", "max_abs_error_derivative"):
        assert key in r.output


def test_text_report_pwl_with_figure_and_code(tmp_path):
    out = tmp_path / "pareto.png"
    r = run_cli(["approx", "sigmoid", "--pwl", "3", "--compare", "hard_sigmoid",
                 "--dtype", "bfloat16", "-o", str(out), "--code", "numpy"])
    assert r.exit_code == 0, r.output
    assert out.stat().st_size > 1000
    assert "pwl 3 (continuous):" in r.output and "ns/value" in r.output
    assert "def approx(x):" in r.output and f"wrote {out}" in r.output


@pytest.fixture(scope="module")
def trained():
    from actviz.approx import approximate
    from actviz.xor import XorConfig

    return approximate("sigmoid", fit="hard_sigmoid", params={"beta": "0.5"}, dtypes=(),
                       cost=False, train=XorConfig(seeds=3, epochs=200))


def test_train_runs_the_xor_nets(trained):
    d = trained.to_dict()
    assert [a["act"] for a in d["train"]["activations"]][0] == "sigmoid"
    assert len(d["train"]["activations"]) == 2


def test_cost_and_operations():
    from actviz.approx import cost

    per, floor = cost.cost_ns([symbolic.load("sigmoid"), symbolic.load("relu")], size=4096,
                              repeat=2)
    assert all(v > 0 for v in per) and floor > 0
    assert cost.operations(symbolic.load("sigmoid")) == 4  # 1/(1 + exp(-x))
    assert cost.operations(symbolic.load("relu")) < cost.operations(symbolic.load("mish"))


def test_pareto_front():
    from actviz.figures.approx import front

    pts = [(1.0, 0.5), (2.0, 0.1), (3.0, 0.3), (0.5, 0.9), (4.0, 0.01)]
    assert front(pts) == [3, 0, 1, 4]


@pytest.mark.parametrize("args,message", [
    (["sigmoid", "--pwl", "0"], "--pwl needs at least 1 piece"),
    (["sigmoid", "--poly", "3", "--range", "5", "1"], "--range needs finite LO < HI"),
    (["sigmoid", "--poly", "3", "--range", "nan", "1"], "--range needs finite LO < HI"),
    (["sigmoid", "--rational", "2"], "--rational needs M,N"),
    (["sigmoid", "--fit", "no_such_thing"], "unknown activation"),
    (["sigmoid", "--fit", "relu"], "no free parameters"),
    (["sigmoid", "--fit", "hard_sigmoid", "-p", "alpha=0.2", "-p", "beta=0.5"],
     "no free parameters"),
    (["sigmoid"], "nothing to do"),
    (["sigmoid", "--fit", "hard_sigmoid", "-p", "gamma=1"], "is not used by"),
    (["sigmoid", "--compare", "relu", "--dtype", "float64"], "exhaustive checks are for"),
    (["sigmoid", "--compare", "relu", "--dtype", "float8"], "unknown dtype"),
    (["sigmoid", "--pwl", "99"], "--pwl must be from 1 to"),
    (["sigmoid", "--fit", "hard_sigmoid", "-p", "beta=0.4,0.5"], "one value per parameter"),
    (["sigmoid", "--pwl", "3", "-o", "out.txt"], "unknown file extension"),
    (["sigmoid", "--pwl", "3", "--seeds", "0", "--train"], "--seeds must be at least 1"),
    (["silu", "--pwl", "2", "--range", "1", "3"], "outside --range"),
])
def test_bad_input_is_one_line(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run_cli(["approx", *args])
    assert r.exit_code == 2, r.output
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1 and message in err, err
    assert not os.listdir(tmp_path)  # nothing half-written


def test_train_compares_the_signal_propagation(trained):
    """The fitted clipped line keeps hard_sigmoid's dead units; the summary is the signal
    analysis's own numbers."""
    from actviz import symbolic
    from actviz.meanfield import Phi, edge_of_chaos

    res = trained
    target, fitted = res.signal
    assert target["name"] == "sigmoid" and target["dead_fraction"] == 0.0
    assert fitted["dead_fraction"] > 0.0
    [p] = edge_of_chaos(Phi(symbolic.load("sigmoid")), (0.2,)).points
    assert target["eoc_sigma_w"] == pytest.approx(p["sigma_w"], rel=1e-12)
    assert res.to_dict()["signal"] == res.signal
