"""``actviz signal``: text, JSON keys, the figure, and one-line errors."""

import json

import pytest

from conftest import run_cli

FAST = ["--depth", "4", "--width", "200", "--samples", "32"]


def test_json_has_the_documented_keys():
    r = run_cli(["signal", "tanh", "relu", "--init", "eoc", "--json", *FAST])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    tanh, relu = d["results"]
    assert set(tanh) >= {"name", "params", "point", "eoc", "gains", "empirical"}
    assert set(tanh["point"]) == {"sigma_w", "sigma_b", "q_star", "chi1", "c_star", "xi_q",
                                  "xi_c", "phase"}
    assert set(tanh["gains"]) == {"fixed_point", "std", "chi1", "torch", "selu_style"}
    for k in ("variance", "correlation", "grad_norm", "dead_fraction", "saturated_fraction",
              "predicted_variance", "predicted_correlation"):
        assert len(tanh["empirical"][k]) == 4, k
    assert tanh["point"]["sigma_w"] == pytest.approx(1.0) and tanh["point"]["phase"] == "critical"
    assert relu["point"]["sigma_w"] == pytest.approx(2 ** 0.5)
    assert relu["eoc"] == [{"sigma_b": 0.0, "sigma_w": pytest.approx(2 ** 0.5), "q_star": None}]
    assert "homogeneous" in relu["eoc_note"]


def test_text_report_at_an_eoc_point():
    r = run_cli(["signal", "tanh", "--init", "eoc", "--sigma-b", "0.2", "--eoc-sigma-b",
                 "0.2,0.5", *FAST])
    assert r.exit_code == 0, r.output
    assert "σ_w = 1.30415, σ_b = 0.2 (--init eoc)" in r.output
    assert "phase: critical" in r.output
    assert "1.30414584" in r.output and "torch        calculate_gain  1.6666667" in r.output
    assert "simulated net: depth 4, width 200, 32 inputs" in r.output


def test_no_simulate_reports_the_prediction_only():
    r = run_cli(["signal", "mish", "--sigma-w", "1.5", "--no-simulate", "--json"])
    res = json.loads(r.output)["results"][0]
    emp = res["empirical"]
    assert set(emp) == {"predicted_variance", "predicted_correlation", "predicted_grad_norm",
                        "predicted_dead_fraction"}
    # mish at 1.5: q grows by about sigma_w^2 / 2 per layer, without a fixed point
    assert res["point"]["phase"] == "unbounded" and res["point"]["q_star"] == "inf"
    v = emp["predicted_variance"]
    assert v[-1] / v[-2] == pytest.approx(1.125, rel=1e-3)


def test_figure(tmp_path):
    out = tmp_path / "s.png"
    r = run_cli(["signal", "hard_sigmoid", "--sigma-w", "8.6", "-o", str(out), *FAST])
    assert r.exit_code == 0, r.output
    assert out.stat().st_size > 20000 and f"wrote {out}" in r.output


@pytest.mark.parametrize("args,msg", [
    (["tanh", "--init", "kaiming", "--sigma-w", "1"], "not both"),
    (["tanh", "--samples", "3"], "even"),
    (["tanh", "--sigma-w", "-1"], "--sigma-w must be"),
    (["tanh", "--sigma-b", "nan"], "--sigma-b must be"),
    (["tanh", "--eoc-sigma-b", "a,b"], "comma list"),
    (["tanh", "--eoc-sigma-b", "0:1:0"], "COUNT"),
    (["tanh", "--eoc-sigma-b", "-1"], "[0, 1000]"),
    (["log(x)"], "not finite at x"),
    (["tanh", "-o", "out.txt"], "extension"),
    (["thresholded_relu", "--init", "eoc"], "no edge-of-chaos point"),
    ([], "at least one activation"),
    (["nosuch"], "unknown activation"),
])
def test_errors_are_one_line(args, msg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run_cli(["signal", *FAST, *args])
    assert r.exit_code == 2, r.output
    assert msg in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_result_in_a_notebook():
    from actviz.meanfield import SignalConfig, SimConfig, run_signal

    r = run_signal(["tanh"], SignalConfig(sim=SimConfig(depth=3, width=50, samples=8)))
    html = r._repr_html_()
    assert "signal: tanh" in html and "q_star" in html and "<table" in html
    assert repr(r) == "<SignalResult tanh critical (chi1 = 1)>"


def test_the_cli_offers_the_library_inits():
    from actviz.cli import cmd_signal
    from actviz.meanfield import INITS

    assert cmd_signal.INITS == INITS
