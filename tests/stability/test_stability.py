"""The stability scan: naive formulas fail where they must, the kernels do not, the
reference is exact, the CLI answers bad input with one line and exit code 2."""

import json
import math
import os

import mpmath
import numpy as np
import pytest

from actviz import stability, symbolic
from actviz.errors import ActvizError
from actviz.stability import naive

from conftest import ALL_SPECS, run_cli


def _scan(name, dtypes, lo, hi, order=0):
    return stability.scan(symbolic.load(name), dtypes, (lo, hi), order=order)


def _kind(scan, kind):
    return [iv for iv in scan.intervals if iv.kind == kind]


def _flagged(scan, kinds):
    """Boolean per scanned x: inside some interval of one of ``kinds``."""
    hit = np.zeros(scan.x.size, dtype=bool)
    for iv in scan.intervals:
        if iv.kind in kinds:
            hit |= (scan.x >= iv.lo) & (scan.x <= iv.hi)
    return hit


# ---- the failures the scan exists to show ----------------------------------------------

def _first_float16_exp_overflow():
    """Independently: the smallest float16 x > 0 whose float16 exp is inf."""
    x = np.float16(8)
    with np.errstate(over="ignore"):
        while np.isfinite(np.exp(x)):
            x = np.nextafter(x, np.float16(np.inf))
    return float(x)


def test_naive_softplus_float16_overflows_near_11():
    r = _scan("softplus", ["float16"], -30, 30)
    over = _kind(r.scan("float16", "naive"), "overflow")
    assert len(over) == 1
    assert over[0].lo == _first_float16_exp_overflow()
    assert abs(over[0].lo - math.log(65504)) < 0.02  # ln(float16 max) = 11.09
    assert over[0].hi == 30
    assert _kind(r.scan("float16", "actviz"), "overflow") == []


def test_naive_mish_float16_intermediate_overflow_near_11_and_gradient_nan():
    r = _scan("mish", ["float16"], -30, 30)
    inner = _kind(r.scan("float16", "naive"), "inner_overflow")
    assert [iv.lo for iv in inner] == [_first_float16_exp_overflow()]
    # the hand-differentiated gradient through log(1 + exp(x)) is inf/inf there
    d = _scan("mish", ["float16"], -30, 30, order=1)
    nan = _kind(d.scan("float16", "naive"), "nan")
    assert [iv.lo for iv in nan] == [_first_float16_exp_overflow()]
    assert d.scan("float16", "actviz").counts["nan"] == 0


@pytest.mark.parametrize("name", ["softplus", "mish"])
def test_naive_float32_loses_everything_below_about_minus_17(name):
    r = _scan(name, ["float32"], -60, 5)
    s = r.scan("float32", "naive")
    far = (s.x <= -17) & (s.x >= -60)
    assert _flagged(s, {"flush", "loss"})[far].all()
    # total loss (the result is 0) starts where 1 + exp(x) rounds to 1 in float32:
    # exp(x) < 2**-24 (half an ulp of 1), i.e. x < ln(2**-24) = -16.64
    flush = _kind(s, "flush")
    assert flush and abs(flush[-1].hi - math.log(2.0 ** -24)) < 1e-3
    # relative accuracy is already lost well before: the error grows like eps/exp(x)
    assert _kind(s, "loss") and min(iv.hi for iv in _kind(s, "loss")) > -17
    assert r.scan("float32", "actviz").ok


def test_float32_boundary_is_exact_by_bisection():
    r = _scan("softplus", ["float32"], -100, 100)
    (over,) = _kind(r.scan("float32", "naive"), "overflow")
    x = np.float32(over.lo)
    with np.errstate(over="ignore"):
        assert np.isinf(np.exp(x))
        assert np.isfinite(np.exp(np.nextafter(x, np.float32(0))))


@pytest.mark.parametrize("name", ["mish", "softplus", "sigmoid", "tanh", "silu",
                                  "log_sigmoid", "elu", "gelu"])
def test_kernel_never_overflows_or_nans_where_the_true_value_is_finite(name):
    r = _scan(name, ["float16", "float32", "float64"], -1e4, 1e4)
    for d in r.dtypes:
        assert d.actviz.available, d.actviz.note
        assert d.actviz.counts["overflow"] == 0, (d.dtype, d.actviz.intervals)
        assert d.actviz.counts["nan"] == 0, (d.dtype, d.actviz.intervals)


def test_naive_tanh_is_nan_beyond_the_exp_overflow():
    r = _scan("tanh", ["float32"], -200, 200)
    nan = _kind(r.scan("float32", "naive"), "nan")
    assert [(iv.lo, iv.hi) for iv in (nan[0], nan[-1])][0][0] == -200
    assert nan[-1].hi == 200 and abs(nan[-1].lo - math.log(np.finfo(np.float32).max)) < 1e-3


# ---- the reference -----------------------------------------------------------------------

def test_reference_is_exact_where_the_float64_form_cancels():
    """gelu far left (1 + erf cancels) and elu near 0 (exp(x) - 1), against formulas that
    do not cancel, evaluated independently at 200 digits."""
    xs = np.array([-30.0, -20.0, -12.5, -8.0, -1.0, 0.5])
    ref = stability.Reference(symbolic.load("gelu"), 0, -100, 100)
    with mpmath.workdps(200):
        truth = [float(mpmath.mpf(x) / 2 * mpmath.erfc(-mpmath.mpf(x) / mpmath.sqrt(2)))
                 for x in xs]
    np.testing.assert_allclose(ref(xs), truth, rtol=1e-12)
    xs = -np.logspace(-300, -1, 50)
    ref = stability.Reference(symbolic.load("elu"), 0, -100, 100)
    with mpmath.workdps(200):
        truth = [float(mpmath.expm1(mpmath.mpf(x))) for x in xs]
    np.testing.assert_allclose(ref(xs), truth, rtol=1e-12)


def test_reference_agrees_with_mpmath_on_random_points():
    rng = np.random.default_rng(7)
    xs = np.sort(np.concatenate([rng.uniform(-50, 50, 40), -np.exp(rng.uniform(0, 6.5, 20))]))
    for name in ["mish", "sigmoid", "silu", "gelu:tanh"]:
        f = symbolic.load(name)
        ref = stability.Reference(f, 1, -1e4, 1e4)
        with mpmath.workdps(600):  # enough for gelu:tanh's 1/2 + tanh/2 down to 1e-300
            truth = [float(f.mpmath(1)(mpmath.mpf(float(x)))) for x in xs]
        np.testing.assert_allclose(ref(xs), truth, rtol=1e-10, atol=1e-320, err_msg=name)


# ---- building blocks ---------------------------------------------------------------------

@pytest.mark.parametrize("spec", ALL_SPECS)
def test_naive_formula_matches_the_definition_in_float64(spec):
    f = symbolic.load(spec)
    xs = np.linspace(-7.3, 7.3, 301)
    for order in (0, 1):
        g = naive.naive_function(f, order)
        assert g is not None, spec
        np.testing.assert_allclose(g(xs), f.numpy(order)(xs), rtol=1e-9, atol=1e-12)
        assert g(xs.astype(np.float16)).dtype == np.float16  # no upcasting


def test_naive_is_none_for_expressions():
    assert naive.naive_function(symbolic.load("x*tanh(x)")) is None


def test_classify_kinds():
    info = stability.dtype_info("float16")
    t = np.array([1.0, 2.0, 1e-3, 1.0, 1.0, 0.0, 1e-9, 1.0])
    y = np.array([np.inf, 2.0, 0.0, 1.01, np.nan, 0.0, 0.0, 1.0004], dtype=np.float16)
    inner = np.array([0, 1, 0, 0, 0, 0, 0, 0], dtype=bool)
    codes, rel = stability.classify(y, t, info, 1e-3, np.dtype(np.float16), inner)
    kinds = ["ok"] + list(stability.KINDS)
    # 1e-9 is below tol * tiny: a zero there is not a flush; 1.0004 is within 1e-3
    assert [kinds[c] for c in codes] == ["overflow", "inner_overflow", "flush", "loss", "nan",
                                         "ok", "ok", "ok"]
    assert np.isinf(rel[0])


def test_float16_grid_is_every_value_in_range():
    x = stability.grid("float16", -20, 20)
    every = np.arange(2 ** 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
    with np.errstate(invalid="ignore"):
        f = every.astype(np.float64)
    expected = np.unique(f[np.isfinite(f) & (f >= -20) & (f <= 20)] + 0.0)
    assert x.dtype == np.float16
    np.testing.assert_array_equal(x.astype(np.float64), expected)


def test_bfloat16_skipped_with_a_note_without_ml_dtypes(monkeypatch):
    monkeypatch.setattr(stability.dtypes, "bfloat16", lambda: None)
    r = _scan("softplus", ["bfloat16", "float16"], -20, 20)
    assert [d.dtype for d in r.dtypes] == ["float16"]
    assert r.skipped and r.skipped[0][0] == "bfloat16" and "ml_dtypes" in r.skipped[0][1]
    assert "bfloat16: skipped" in stability.format_text(r)


def test_bfloat16_scanned_with_ml_dtypes():
    pytest.importorskip("ml_dtypes")
    r = _scan("softplus", ["bfloat16"], -100, 100)
    (over,) = _kind(r.scan("bfloat16", "naive"), "overflow")
    assert 88 < over.lo < 90  # bfloat16 has float32's range
    assert r.scan("bfloat16", "actviz").ok


def test_parse_dtypes_and_range():
    assert stability.parse_dtypes("fp16, float32,float16") == ["float16", "float32"]
    with pytest.raises(ActvizError):
        stability.parse_dtypes("float8")
    with pytest.raises(ActvizError):
        stability.check_range(1, 1)


# ---- the command -------------------------------------------------------------------------

def test_cli_json_keys():
    r = run_cli(["stability", "softplus", "--dtype", "float16,float32", "--range", "-20", "20",
                 "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    (res,) = doc["results"]
    assert {"name", "label", "order", "range", "rtol", "backend", "reference", "dtypes",
            "skipped"} <= set(res)
    d = res["dtypes"][0]
    assert {"dtype", "points", "exhaustive", "tolerance", "naive", "actviz"} <= set(d)
    s = d["naive"]
    assert {"impl", "available", "formula", "note", "ok", "counts", "intervals",
            "max_rel_err", "worst_x"} <= set(s)
    assert set(s["counts"]) == set(stability.KINDS)
    assert {"kind", "lo", "hi", "points"} == set(s["intervals"][0])
    assert any(iv["kind"] == "overflow" and 11 < iv["lo"] < 11.2 for iv in s["intervals"])


def test_cli_text_and_figure(tmp_path):
    out = tmp_path / "st.png"
    r = run_cli(["stability", "mish", "softplus", "--dtype", "float16", "--range", "-30", "30",
                 "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "overflow [11.0938, 30]" in r.stdout
    assert "inner_overflow [11.0938, 30]" in r.stdout
    assert out.stat().st_size > 1000


def test_figure_is_deterministic(tmp_path):
    from actviz.figures import save
    from actviz.figures.stability import draw

    r = _scan("sigmoid", ["float16"], -20, 20)
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    save(draw(r), str(a))
    save(draw([r, r]), str(b))
    save(draw(r), str(b))
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("args, message", [
    (["nosuchthing"], "unknown activation"),
    (["mish", "--dtype", "float8"], "unknown dtype"),
    (["mish", "--range", "5", "-5"], "--range"),
    (["mish", "--range", "0", "inf"], "--range"),
    (["mish", "--order", "2"], "--order"),
    (["mish", "--rtol", "0"], "--rtol"),
    (["mish", "--backend", "fortran"], "backend"),
    (["mish", "-p", "alpha=1"], "parameter"),
    (["mish", "-o", "OUT.txt"], "extension"),
    (["mish", "-o", "no/such/folder/x.png"], "does not exist"),
])
def test_cli_bad_input_one_line_exit_2_no_file(tmp_path, args, message):
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        r = run_cli(["stability", *args])
    finally:
        os.chdir(cwd)
    assert r.exit_code == 2
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("Error:"), err
    assert message in err
    assert "Traceback" not in r.output + r.stderr
    assert r.stdout == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("spec,params", [("hardswish", {}), ("hard_sigmoid:pytorch", {}),
                                         ("hard_sigmoid", {"alpha": "1/6"})])
def test_exact_parameters_reach_the_kernels(spec, params):
    """f' at the kinks x = ±3 was reported as a loss in every dtype: 1/6 went to the kernels
    as a float and moved the kinks by an ulp."""
    r = stability.scan(symbolic.load(spec, params), ["float16", "float32", "float64"],
                       (-10, 10), order=1)
    for d in r.dtypes:
        assert d.actviz.ok, (d.dtype, d.actviz.intervals)
