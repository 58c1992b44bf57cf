"""The point, the edge of chaos and the gains against the issue's 30-digit reference values
and closed forms."""

import math

import pytest

from actviz.meanfield import edge_of_chaos, gains, load, point, predicted_layers


@pytest.fixture(scope="module")
def phis():
    names = ["tanh", "relu", "leaky_relu", "selu", "gelu", "erf(x)", "thresholded_relu",
             "hard_sigmoid", "x"]
    return dict(zip(names, load(names)))


def test_tanh_on_the_edge_of_chaos_at_sigma_b_02(phis):
    [p] = edge_of_chaos(phis["tanh"], (0.2,)).points
    assert p["sigma_w"] == pytest.approx(1.30414584005651, rel=1e-12)
    assert p["q_star"] == pytest.approx(0.512078504233902, rel=1e-12)
    pt = point(phis["tanh"], p["sigma_w"], 0.2)
    assert pt.phase == "critical" and pt.chi1 == pytest.approx(1.0, abs=1e-12)
    assert pt.xi_c == math.inf and pt.c_star == 1.0


def test_tanh_with_torchs_gain_is_chaotic(phis):
    pt = point(phis["tanh"], 5 / 3, 0.0)
    assert pt.q_star == pytest.approx(1.17848049, rel=1e-8)
    assert pt.chi1 == pytest.approx(1.20983, rel=1e-5)
    assert pt.phase == "chaotic" and pt.c_star == 0.0  # odd phi, no bias: c* = 0
    std = math.sqrt(phis["tanh"].second_moment(math.sqrt(pt.q_star))[0])
    assert std == pytest.approx(0.651347, abs=1e-6)
    assert pt.xi_c == pytest.approx(-1 / math.log(pt.chi1 * 0 + _slope_at_zero(phis, pt)),
                                    rel=1e-9)


def _slope_at_zero(phis, pt):
    # M'(0) = sigma_w^2 E[phi'(u1) phi'(u2)] at c = 0 = sigma_w^2 E[phi'(u)]^2
    m = phis["tanh"].d1
    from actviz.meanfield import expect

    e = expect(m, [math.sqrt(pt.q_star)])[0]
    return pt.sigma_w ** 2 * e * e


def test_erf_edge_of_chaos_ends_at_pi_over_4(phis):
    [p] = edge_of_chaos(phis["erf(x)"], (0.0,)).points
    assert p["sigma_w"] ** 2 == pytest.approx(math.pi / 4, rel=1e-13)
    assert p["q_star"] == 0.0
    # and the curve approaches it as sigma_b -> 0
    [near] = edge_of_chaos(phis["erf(x)"], (1e-5,)).points
    assert near["sigma_w"] ** 2 == pytest.approx(math.pi / 4, rel=1e-3)


def test_relu_has_only_the_point_at_sigma_b_zero(phis):
    curve = edge_of_chaos(phis["relu"])
    assert [p["sigma_b"] for p in curve.points] == [0.0]
    assert curve.points[0]["sigma_w"] == pytest.approx(math.sqrt(2), rel=1e-13)
    assert curve.points[0]["q_star"] is None
    assert "homogeneous" in curve.note
    leaky = edge_of_chaos(phis["leaky_relu"]).points[0]["sigma_w"]
    assert leaky == pytest.approx(math.sqrt(2 / (1 + 0.01 ** 2)), rel=1e-12)


def test_relu_at_kaiming_is_critical_and_at_lecun_ordered(phis):
    assert point(phis["relu"], math.sqrt(2), 0.0).phase == "critical"
    pt = point(phis["relu"], 1.0, 0.0)
    assert pt.q_star == 0.0 and pt.chi1 == pytest.approx(0.5, rel=1e-14)
    assert pt.xi_q == pytest.approx(1 / math.log(2), rel=1e-12)
    assert point(phis["relu"], 1.5, 0.1).phase == "unbounded"


def test_selu_self_normalizes_at_sigma_w_one(phis):
    g = gains(phis["selu"])
    s = g["selu_style"]
    assert s["sigma_w"] == pytest.approx(1.0, abs=1e-7) and s["stable"]
    assert s["mean"] == pytest.approx(0.0, abs=1e-7)
    assert g["fixed_point"] == pytest.approx(1.0, abs=1e-7)
    # E[selu'(z)^2] = 1.071575
    assert 1 / g["chi1"] ** 2 == pytest.approx(1.071575, abs=1e-6)
    assert g["torch"] == 0.75


def test_gains_reference_values(phis):
    assert gains(phis["relu"])["chi1"] == pytest.approx(math.sqrt(2), rel=1e-13)
    assert gains(phis["gelu"])["chi1"] == pytest.approx(1.4811144, abs=1e-7)
    t = gains(phis["tanh"])
    assert t["fixed_point"] == pytest.approx(1.5925374, abs=1e-7)
    assert t["fixed_point"] == pytest.approx(t["std"], rel=1e-13)  # odd: mean 0
    assert t["torch"] == pytest.approx(5 / 3) and t["selu_style"] is None
    assert gains(phis["gelu"])["torch"] is None
    assert gains(phis["thresholded_relu"])["chi1"] is None  # a jump: no chi1 gain


def test_a_jump_means_chaos_and_no_edge(phis):
    phi = phis["thresholded_relu"]
    curve = edge_of_chaos(phi)
    assert curve.points == [] and "jumps at x = 1" in curve.note
    pt = point(phi, 1.2, 1.0)
    assert pt.chi1 == math.inf and pt.phase == "chaotic" and pt.c_star < 1.0


def test_identity_is_critical_everywhere(phis):
    pt = point(phis["x"], 1.0, 0.0)
    assert pt.phase == "critical" and pt.q_star == pytest.approx(1.0)


def test_hard_sigmoid_dead_fraction_prediction(phis):
    """P(|h| >= 2.5) for h ~ N(0, q): 2 (1 - Phi(2.5 / sqrt(q)))."""
    from scipy.special import ndtr

    pred = predicted_layers(phis["hard_sigmoid"], 8.6, 0.0, 3, 0.5)
    for q, dead in zip(pred["variance"], pred["dead_fraction"]):
        assert dead == pytest.approx(2 * (1 - ndtr(2.5 / math.sqrt(q))), rel=1e-12)


def test_predicted_correlation_converges_to_c_star(phis):
    pt = point(phis["tanh"], 2.5, 0.3)
    pred = predicted_layers(phis["tanh"], 2.5, 0.3, 150, 0.9)  # xi_c = 5.1 layers
    assert pt.phase == "chaotic"
    assert pred["correlation"][-1] == pytest.approx(pt.c_star, abs=1e-6)
    assert pred["variance"][-1] == pytest.approx(pt.q_star, rel=1e-9)
