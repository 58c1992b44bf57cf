"""The corpus of hostile and faulty input: nothing crashes, hangs or prints a traceback.

Every case runs in-process under a CPU-time guard (a hang fails the test instead of the
suite) with the symbolic budgets scaled down (ACTVIZ_BUDGET_SCALE), and must end either
with one line on stderr and exit code 2 (a usage error) or with a normal answer that says
what could not be done.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal

import pytest

from conftest import run_cli

CPU_LIMIT_S = 60  # per case; the slowest below takes a few seconds


class _Hang(BaseException):
    pass


@contextlib.contextmanager
def cpu_guard(seconds=CPU_LIMIT_S):
    def fire(signum, frame):
        raise _Hang(f"still running after {seconds} s of CPU time")

    old = signal.signal(signal.SIGVTALRM, fire)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, old)


@pytest.fixture(autouse=True)
def small_budgets(monkeypatch, tmp_path):
    monkeypatch.setenv("ACTVIZ_BUDGET_SCALE", "0.1")
    monkeypatch.setattr("actviz.cache.load", lambda key: None)  # answers within these budgets
    monkeypatch.chdir(tmp_path)


def _cli(args):
    with cpu_guard():
        return run_cli(args)


# (arguments, a piece of the one-line error)
USAGE_ERRORS = [
    (["show", "oo"], "not finite"),
    (["show", "x+oo"], "not finite"),
    (["show", "exp(1000)*x"], "out of float64's range"),
    (["show", "log(0)*x"], "not finite"),
    (["show", "0**-1"], "not finite"),
    (["show", "sqrt(-1)*x"], "not real"),
    (["show", "elu(x, alpha=oo)"], "not finite"),
    (["show", "1e400*x"], "out of range"),
    (["show", "1e-400*x"], "out of range"),
    (["show", "Piecewise()"], "at least one"),
    (["show", "Piecewise((x, x>0))"], "undefined where no condition holds"),
    (["show", "Piecewise((x, x>0), (0, True), evaluate=False)"], "no keywords"),
    (["show", "where(x>0, x>1, 0)"], "value is a condition"),
    (["show", "where(x, 1, 0)"], "not a comparison"),
    (["show", "((x+1)**1000)**1000"], "exponent too large"),
    (["show", "1e100000000*x"], "exponent too large"),
    (["show", "elu", "-p", "alpha=1e100000000"], "exponent too large"),
    (["show", "elu", "-p", "alpha=1e400"], "out of range"),
    (["show", "elu", "-p", "alpha=1e-400"], "out of range"),
    (["plot", "elu", "-p", "alpha=1e400"], "out of range"),
    (["train-xor", "--act", "elu", "-p", "alpha=1e400"], "out of range"),
    (["stability", "elu", "-p", "alpha=1e400"], "out of range"),
    (["optimize-constraint", "-p", "alpha=1e400", "--grid", "0"], "out of range"),
    (["plot", "mish", "--range", "-1e308", "1e308"], "must lie within"),
    (["stability", "mish", "--range", "-1e308", "1e308"], "must lie within"),
    (["plot", "mish", "-o", "/proc/x.png"], "cannot write"),
    (["plot", "mish", "-o", ""], "output path is empty"),
    (["bench", "relu", "--size", "100000000000000", "--no-peers"], "memory"),
    (["bench", "relu", "--threads", "100000", "--size", "100", "--no-peers"], "--threads"),
    (["bench", "relu", "--repeat", "0", "--size", "100", "--no-peers"], "--repeat"),
    (["check", "mish", "--claim", "oo", "--json"], "not finite"),
    (["check", "mish", "--claim", "x", "--points", "100000"], "at most 20000"),
    (["show", "x*tanh(x)", "-p", "b=2"], "not used by"),
    (["show", "elu", "-p", "alpha=1/0"], "division by zero"),
    (["show", "x*b", "-p", "x=2"], "not a parameter name"),
    (["train-xor", "--seeds", "100000", "--epochs", "10000000"], "at most 1e+10"),
    (["train-xor", "--seed", str(2**70)], "--seed"),
    (["show", "x" * 3000], "too long"),
    (["show", "__import__('os')"], "unknown function '__import__'"),
    (["show", "mish", "--order", "13"], "--order"),
]


@pytest.mark.parametrize("args,message", USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_usage_errors_are_one_line(args, message, tmp_path):
    r = _cli(args)
    assert r.exit_code == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    assert message in lines[0]
    assert r.stdout == "" and "Traceback" not in r.stderr
    assert os.listdir(tmp_path) == []  # no partial file


# inputs that are valid but legitimately infinite, undefined or slow on part of the work
ANSWERED = [
    (["show", "tanh(tanh(x))"], "properties:"),
    (["show", "abs(x)**0.5"], "max |f'| (where differentiable)  ∞"),
    (["show", "atanh(x)"], "f not defined (or infinite) on   (-∞, -1] ∪ [1, ∞)"),
    (["show", "log(x)"], "f not defined (or infinite) on   (-∞, 0]"),
    (["show", "1/x"], "{0}"),
    (["check", "log(x)"], "all agree"),
    (["check", "exp(exp(x))"], "beyond float64's range skipped"),
    (["show", "+".join(["x"] * 70)], "f(x) = 70⋅x"),
    (["show", "+".join(f"where(x>{k},x,0)" for k in range(1, 9))], "properties:"),
    (["show", "x**x**x**x**x**x", "--order", "1"], "properties:"),
    (["show", "elu", "-p", "alpha=1/3/4"], "alpha = 1/3/4"),
]


@pytest.mark.parametrize("args,needle", ANSWERED, ids=[" ".join(a)[:50] for a, _ in ANSWERED])
def test_answered_without_traceback(args, needle):
    r = _cli(args)
    assert r.exit_code == 0, (r.stdout, r.stderr)
    assert needle in r.stdout
    assert r.stderr == ""  # no RuntimeWarning, no note


def test_json_of_an_undefined_region_is_json():
    r = _cli(["show", "log(x)", "--json"])
    assert r.exit_code == 0 and r.stderr == ""
    p = json.loads(r.stdout)["properties"]
    assert p["undefined"] == [["-inf", 0.0]] and p["gaussian_mean"] is None


def test_a_step_out_of_its_budget_is_reported_and_the_rest_comes(monkeypatch):
    from actviz import properties

    monkeypatch.setattr(properties, "CRITICAL_S", 1e-3)
    r = _cli(["show", "mish(mish(x))", "--order", "1", "--json"])
    assert r.exit_code == 0, r.stderr
    p = json.loads(r.stdout)["properties"]
    assert p["not_computed"]["extrema"].startswith("not computed: took longer than")
    assert p["range"]["text"] and p["smoothness"] == "C∞"  # the rest still comes
    text = _cli(["show", "mish(mish(x))", "--order", "1"]).stdout
    assert "extrema                          none  (not computed: took longer than" in text


def test_division_chains_read_left_to_right():
    from actviz.catalog import parse_number

    assert parse_number("1/3/4") == parse_number("1/12")


def test_gallery_refuses_a_folder_in_the_way_and_a_read_only_index(tmp_path):
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "functions").write_text("a file, not a folder")
    r = _cli(["gallery", "--out", str(tmp_path / "g"), "--only", "relu", "-q"])
    assert r.exit_code == 2 and "cannot create" in r.stderr
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "README.md").write_text("keep")
    (ro / "README.md").chmod(0o444)
    if os.access(ro / "README.md", os.W_OK):
        pytest.skip("root can write a read-only file")
    r = _cli(["gallery", "--out", str(ro), "--only", "relu", "-q"])
    assert r.exit_code == 2 and "permission denied" in r.stderr
    assert (ro / "README.md").read_text() == "keep"
