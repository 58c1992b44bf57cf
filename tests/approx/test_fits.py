"""approx: the issue's reference values, each reproduced and checked against an independent
mpmath computation (closed forms of the minimax conditions)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from actviz import symbolic
from actviz.approx import certify, certify_pair
from actviz.approx import fit as fitting
from actviz.approx import pwl as pwl_mod

RANGE = (-8.0, 8.0)


def _sig(x):
    return 1 / (1 + mpmath.exp(-x))


def _best_hard_sigmoid():
    """The minimax slope: the corner error sigmoid(-1/(2a)) equals the tangency error
    max_x sigmoid(x) - (a x + 1/2), at sigmoid'(x) = a."""
    with mpmath.workdps(30):
        def tangency(a):
            s = mpmath.mpf(1) / 2 + mpmath.sqrt(mpmath.mpf(1) / 4 - a)
            x = mpmath.log(s / (1 - s))
            return _sig(x) - (a * x + mpmath.mpf(1) / 2)

        a = mpmath.findroot(lambda a: tangency(a) - _sig(-1 / (2 * a)), (0.17, 0.19),
                            solver="anderson")
        return float(a), float(_sig(-1 / (2 * a)))


def _best_hard_swish():
    """silu against x*hard_sigmoid(x; a, 1/2): the corner error at x = 1/(2a) equals the
    interior maximum of silu(x) - x(a x + 1/2)."""
    with mpmath.workdps(30):
        def interior(a):
            h = lambda x: x * _sig(x) - x * (a * x + mpmath.mpf(1) / 2)  # noqa: E731
            x = mpmath.findroot(lambda x: mpmath.diff(h, x), (1.0, 2.5), solver="anderson")
            return h(x)

        def corner(a):
            x = 1 / (2 * a)
            return x * _sig(-x)

        a = mpmath.findroot(lambda a: interior(a) - corner(a), (0.1589, 0.159),
                            solver="anderson")
        return float(a), float(corner(a))


@pytest.fixture(scope="module")
def sigmoid():
    return symbolic.load("sigmoid")


@pytest.fixture(scope="module")
def hard_sigmoid_fit(sigmoid):
    return fitting.fit(sigmoid, fitting.family("hard_sigmoid", {}), RANGE)


def test_best_clipped_hard_sigmoid(sigmoid, hard_sigmoid_fit):
    a_ref, e_ref = _best_hard_sigmoid()
    alpha = float(hard_sigmoid_fit["alpha"])
    assert float(hard_sigmoid_fit["beta"]) == pytest.approx(0.5, abs=1e-8)
    # the values come from a 4e6-point grid: slope 0.1770652, error 0.0560505; the
    # minimax conditions at 30 digits give 0.17706499858 and 0.05605038444
    assert abs(alpha - 0.1770652) < 5e-7
    assert alpha == pytest.approx(a_ref, abs=2e-9)
    g = symbolic.load("hard_sigmoid", hard_sigmoid_fit)
    err = certify.real(g, sigmoid, RANGE)
    assert abs(err.max_abs_error - 0.0560505) < 2e-7
    assert err.max_abs_error == pytest.approx(e_ref, abs=1e-9)


@pytest.mark.parametrize("spec,error,where", [
    ("hard_sigmoid", 0.0758582, 2.5),  # Keras 2 / ONNX slope 0.2, at the corners
    ("hard_sigmoid:pytorch", 0.0691822, 1.3170),  # slope 1/6
    ("ultra_fast_sigmoid", 0.0276365, 0.539),
])
def test_existing_sigmoid_approximations(sigmoid, spec, error, where):
    a = certify_pair(spec, sigmoid, RANGE, dtypes=("float16",))
    assert a.max_abs_error == pytest.approx(error, abs=5e-8)
    assert abs(abs(a.argmax) - where) < 1e-3
    assert a.symmetric


def test_best_hard_swish_for_silu():
    silu = symbolic.load("silu")
    got = fitting.fit(silu, fitting.family("hard_swish", {"beta": "0.5"}), RANGE)
    assert set(got) == {"alpha"}
    a_ref, e_ref = _best_hard_swish()
    alpha = float(got["alpha"])
    assert abs(alpha - 0.1589354) < 1e-6  # the grid value
    assert alpha == pytest.approx(a_ref, abs=2e-9)
    g = symbolic.load("hard_swish", {"alpha": got["alpha"], "beta": "0.5"})
    e = certify.real(g, silu, RANGE).max_abs_error
    assert abs(e - 0.1297749) < 3e-7
    assert e == pytest.approx(e_ref, abs=1e-9)
    sixth = certify.real(symbolic.load("hard_swish"), silu, RANGE).max_abs_error
    assert sixth == pytest.approx(0.1422776, abs=5e-8)
    assert e < sixth


def test_gelu_tanh_form_float32_and_real():
    a = certify_pair("gelu:tanh", "gelu", (2.6, 2.8), dtypes=("float16", "float32"))
    real = a.checks[0]
    assert real.max_abs_error == pytest.approx(4.732355e-4, abs=5e-10)
    assert abs(real.argmax - 2.699) < 1e-3
    f32 = a.checks[2]
    # float32 values in [2.6, 2.8]: that many steps of 2^-22 in [2, 4) (an independent count)
    assert f32.skipped is None and abs(f32.points - (2.8 - 2.6) * 2**22) <= 1.5
    assert f32.max_abs_error == pytest.approx(real.max_abs_error, rel=1e-6)
    # samples of the supremum (up to float64 evaluation noise, 1e-16 absolute)
    assert f32.max_abs_error <= real.max_abs_error + 1e-15
    assert a.symmetric


def test_pwl_three_pieces_is_the_best_hard_sigmoid(sigmoid):
    breaks, lines = pwl_mod.fit(sigmoid, 3, RANGE)
    a_ref, e_ref = _best_hard_sigmoid()
    assert lines[0] == (0.0, 0.0) and lines[-1] == (0.0, 1.0)  # saturated at the limits
    assert lines[1][0] == pytest.approx(a_ref, rel=1e-4)
    assert breaks[0] == pytest.approx(-1 / (2 * a_ref), rel=1e-4)
    from actviz.approx import emit

    g = symbolic.load(emit.pwl_expr(breaks, lines))
    assert certify.real(g, sigmoid, RANGE).max_abs_error == pytest.approx(e_ref, rel=1e-5)


def test_pwl_two_pieces_of_silu_is_relu():
    breaks, lines = pwl_mod.fit(symbolic.load("silu"), 2, RANGE)
    assert breaks == [0.0] and lines == [(0.0, 0.0), (1.0, 0.0)]


def test_free_pieces_buy_accuracy_with_jumps(sigmoid):
    from actviz.approx import emit

    b, ln = pwl_mod.fit(sigmoid, 4, (-6.0, 6.0), continuous=False)
    g = symbolic.load(emit.pwl_expr(b, ln))
    err = certify.real(g, sigmoid, (-6.0, 6.0)).max_abs_error
    # continuous, 4 pieces do no better than 3 for sigmoid (by its symmetry one side keeps a
    # single line from the middle to the saturation): 0.05605; with jumps, clearly better
    assert err < 0.05605038 * 0.9
    assert any(abs(ln[k][0] * x + ln[k][1] - (ln[k + 1][0] * x + ln[k + 1][1])) > 1e-3
               for k, x in enumerate(b))  # it does jump


def test_l2_fit_differs_from_minimax(sigmoid, hard_sigmoid_fit):
    l2 = fitting.fit(sigmoid, fitting.family("hard_sigmoid", {"beta": "0.5"}), RANGE, "l2")
    assert not math.isclose(float(l2["alpha"]), float(hard_sigmoid_fit["alpha"]), rel_tol=1e-3)
    # least squares of sigmoid by a clipped line: grid value, recomputed independently
    xs = np.linspace(-8, 8, fitting.FIT_GRID)  # the grid it minimizes on
    from scipy.special import expit

    def rms(a):
        return np.sqrt(np.mean((np.clip(a * xs + 0.5, 0, 1) - expit(xs)) ** 2))

    assert rms(float(l2["alpha"])) <= min(rms(float(l2["alpha"]) * (1 + d))
                                          for d in (-1e-3, 1e-3))


def test_an_expression_family(sigmoid):
    got = fitting.fit(sigmoid, fitting.family("where(x < -c, 0, where(x > c, 1, x/(2*c) + 1/2))",
                                              {}), RANGE)
    a_ref, _ = _best_hard_sigmoid()
    assert float(got["c"]) == pytest.approx(1 / (2 * a_ref), rel=1e-6)
