import math

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from actviz import kinks, properties, symbolic


def props(spec, params=None):
    return properties.compute(symbolic.load(spec, params)).to_dict()


def test_mish_minimum():
    (m,) = props("mish")["extrema"]
    assert m["kind"] == "min"
    assert m["x"] == pytest.approx(-1.19243, abs=1e-5)
    assert m["value"] == pytest.approx(-0.30884, abs=1e-5)
    # independently: minimize the reference formula
    r = minimize_scalar(lambda x: x * np.tanh(np.logaddexp(0, x)), bounds=(-3, 0),
                        method="bounded", options={"xatol": 1e-10})
    assert m["x"] == pytest.approx(r.x, abs=1e-6)


@pytest.mark.parametrize("spec,x,value", [
    ("silu", -1.2784645, -0.2784645),  # x* = -1 - W(1/e), value = x* + 1
    ("gelu", -0.7517915, -0.1699713),
    ("hardswish", -1.5, -0.375),
])
def test_minima(spec, x, value):
    (m,) = props(spec)["extrema"]
    assert m["x"] == pytest.approx(x, abs=1e-6) and m["value"] == pytest.approx(value, abs=1e-6)


def test_gelu_inflections_at_plus_minus_sqrt2():
    xs = [p["x"] for p in props("gelu")["inflection_points"]]
    np.testing.assert_allclose(xs, [-math.sqrt(2), math.sqrt(2)], atol=1e-9)


@pytest.mark.parametrize("spec,text,bounded,monotonic,centred,f0_zero,smoothness", [
    ("sigmoid", "(0, 1)", True, "increasing", False, False, "C∞"),
    ("tanh", "(-1, 1)", True, "increasing", True, True, "C∞"),
    ("relu", "[0, ∞)", False, "non-decreasing", False, True, "C0"),
    ("hard_sigmoid", "[0, 1]", True, "non-decreasing", False, False, "C0"),
    ("thresholded_relu", "[0, ∞)", False, "non-decreasing", False, True, "discontinuous"),
    ("softsign", "(-1, 1)", True, "increasing", True, True, "C1"),
    ("elu", "(-1, ∞)", False, "increasing", False, True, "C1"),
    ("selu", "(-1.7581, ∞)", False, "increasing", True, True, "C0"),
    ("gelu", "[-0.169971, ∞)", False, "no", False, True, "C∞"),
    ("ultra_fast_sigmoid", "[0.00247262, 0.997527]", True, "no", False, False, "discontinuous"),
    ("mish", "[-0.308843, ∞)", False, "no", False, True, "C∞"),
    ("log_sigmoid", "(-∞, 0)", False, "increasing", False, False, "C∞"),
    ("relu6", "[0, 6]", True, "non-decreasing", False, True, "C0"),
])
def test_basic_properties(spec, text, bounded, monotonic, centred, f0_zero, smoothness):
    """zero-centred is the ML sense (mean output 0 for x ~ N(0, 1): relu and gelu are the
    textbook examples of not zero-centred); f(0) = 0 is its own property."""
    p = props(spec)
    assert p["range"]["text"] == text
    assert (p["bounded"], p["monotonic"], p["zero_centred"], p["zero_at_origin"],
            p["smoothness"]) == (bounded, monotonic, centred, f0_zero, smoothness)


def test_elu_smoothness_depends_on_alpha():
    assert props("elu", {"alpha": "2"})["smoothness"] == "C0"
    assert props("celu", {"alpha": "2"})["smoothness"] == "C1"


def test_smoothness_beyond_second_order():
    assert props("max(0, x)**3")["smoothness"] == "C2"


@pytest.mark.parametrize("spec,lipschitz", [
    ("sigmoid", 0.25), ("hard_sigmoid", 0.2), ("hard_sigmoid:pytorch", 1 / 6),
    ("tanh", 1.0), ("hardswish", 1.5), ("selu", 1.0507010221481323 * 1.6732631921768188),
    ("thresholded_relu", "inf"),
])
def test_lipschitz(spec, lipschitz):
    got = props(spec)["lipschitz"]
    assert got == lipschitz if isinstance(lipschitz, str) else got == pytest.approx(lipschitz)


def test_zero_gradient_and_saturation():
    p = props("hard_sigmoid")
    assert p["zero_gradient"] == [["-inf", -2.5], [2.5, "inf"]]
    assert props("hard_sigmoid:pytorch")["zero_gradient"] == [["-inf", -3.0], [3.0, "inf"]]
    assert props("relu")["zero_gradient"] == [["-inf", 0.0]]
    assert props("mish")["zero_gradient"] == []
    sat = props("sigmoid")["saturation"]
    # sigmoid' = 1/(4 cosh(x/2)^2) < 1e-3 * 1/4 beyond |x| = 2 acosh(sqrt(1000))
    edge = 2 * math.acosh(math.sqrt(1000))
    assert sat[0][0] == "-inf" and sat[1][1] == "inf"
    assert sat[1][0] == pytest.approx(edge, rel=1e-9) and sat[0][1] == pytest.approx(-edge)


def test_max_hard_sigmoid_vs_sigmoid_gap():
    """REFERENCE.md: 0.075858 at x = 2.5 (alpha 0.2), 0.069182 at x = 1.3170 (alpha 1/6)."""
    sig = symbolic.load("sigmoid").numpy(0)
    for spec, at, gap in [("hard_sigmoid", 2.5, 0.075858), ("hard_sigmoid:pytorch", 1.3170,
                                                              0.069182)]:
        hs = symbolic.load(spec).numpy(0)
        xs = np.linspace(0, 6, 600001)
        d = np.abs(hs(xs) - sig(xs))
        i = int(np.argmax(d))
        assert d[i] == pytest.approx(gap, abs=1e-6) and xs[i] == pytest.approx(at, abs=1e-4)


def test_kinks_one_sided_limits():
    (k,) = kinks.find(symbolic.load("thresholded_relu"))
    assert (k.x, k.kind) == (1.0, "jump")
    j0, j1 = k.orders[0], k.orders[1]
    assert (j0.left, j0.right, j0.value) == (0.0, 1.0, 0.0)
    assert (j1.left, j1.right, j1.value) == (0.0, 1.0, 0.0)
    uf = kinks.find(symbolic.load("ultra_fast_sigmoid"))
    assert [k.x_exact for k in uf] == ["-6", "-17/5", "0", "17/5", "6"]
    drop = uf[3].orders[0]
    assert drop.left - drop.right == pytest.approx(0.0045, abs=2e-4)  # REFERENCE.md
    assert [k.kind for k in kinks.find(symbolic.load("softsign"))] == ["jump in f''"]
    assert kinks.find(symbolic.load("gelu")) == []


def test_every_spec_has_consistent_properties(spec):
    """Cross-checks that hold for any activation, computed independently."""
    f = symbolic.load(spec)
    p = properties.compute(f).to_dict()
    xs = np.linspace(-20, 20, 4001)
    y = f.numpy(0)(xs)
    lo, hi = p["range"]["lo"], p["range"]["hi"]
    assert (lo == "-inf" or y.min() >= lo - 1e-12) and (hi == "inf" or y.max() <= hi + 1e-12)
    if p["lipschitz"] != "inf":
        assert np.abs(np.diff(y) / np.diff(xs)).max() <= p["lipschitz"] * (1 + 1e-9)
    d1 = f.numpy(1)(xs)
    for a, b in p["zero_gradient"]:
        inside = (xs > (-1e300 if a == "-inf" else a)) & (xs < (1e300 if b == "inf" else b))
        assert np.all(d1[inside] == 0)


# ---- regressions of the redesign issue ----------------------------------------------------


@pytest.mark.parametrize("spec,params,text", [
    ("hard_sigmoid", {"alpha": "0.3", "beta": "0.6"}, "[0, 1]"),  # f = 1 for all x >= 4/3
    ("thresholded_relu", {"alpha": "-0.5"}, "(-0.5, ∞)"),  # x > alpha is strict
    ("tanh", {}, "(-1, 1)"),  # far out tanh equals -1 in 40 digits too; it is never -1
    ("elu", {}, "(-1, ∞)"),
])
def test_range_ends_are_exact(spec, params, text):
    p = properties.compute(symbolic.load(spec, params)).to_dict()
    assert p["range"]["text"] == text


@pytest.mark.parametrize("spec,params,want", [
    ("x*sigmoid(1.702*x)", {}, [-1.40973, 1.40973]),  # was 29: rounding noise near x = 830
    ("silu", {"alpha": "3"}, [-2.39935 / 3, 2.39935 / 3]),  # was 123
])
def test_inflection_points_are_real_roots(spec, params, want):
    xs = [q["x"] for q in properties.compute(symbolic.load(spec, params)).inflection_points]
    np.testing.assert_allclose(xs, want, atol=1e-4)


def test_zero_centred_is_the_gaussian_mean():
    import mpmath

    for spec in ("relu", "gelu", "tanh", "selu"):
        p = properties.compute(symbolic.load(spec))
        f = symbolic.load(spec).mpmath(0)
        with mpmath.workdps(30):
            want = mpmath.quad(lambda z, f=f: f(z) * mpmath.npdf(z),
                               [-mpmath.inf, 0, mpmath.inf])
        assert p.gaussian_mean == pytest.approx(float(want), abs=1e-12), spec
    relu = properties.compute(symbolic.load("relu"))
    assert relu.gaussian_mean == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-12)
    assert not relu.zero_centred and relu.zero_at_origin


def test_max_derivative_and_lipschitz_are_both_reported():
    p = properties.compute(symbolic.load("ultra_fast_sigmoid"))
    assert p.max_abs_derivative == pytest.approx(0.375)
    assert p.lipschitz == math.inf and p.smoothness == "discontinuous"
    q = properties.compute(symbolic.load("hardswish"))
    assert q.max_abs_derivative == q.lipschitz == pytest.approx(1.5)


def test_zero_gradient_ends_follow_the_convention():
    closed = properties.compute(symbolic.load("hard_sigmoid")).zero_gradient_closed
    assert closed == [(False, True), (True, False)]  # f'(±2.5) = 0
    clip = properties.compute(symbolic.load("hard_sigmoid:keras2")).zero_gradient_closed
    assert clip == [(False, False), (False, False)]  # f'(±2.5) = alpha
