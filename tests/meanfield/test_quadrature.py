"""The Gaussian integrals against mpmath at 30 digits (split at the same kinks, but by
tanh-sinh quadrature on the symbolic expression's mpmath form) and against closed forms."""

import math

import mpmath as mp
import numpy as np
import pytest

from actviz import symbolic
from actviz.meanfield import expect, expect_pair, load

from conftest import ALL_SPECS

SCALE = 1.3


def _mp_expect(fn, order, scale, breakpoints):
    f = fn.mpmath(order)
    with mp.workdps(30):
        s = mp.mpf(scale)

        def integrand(z):
            return f(s * z) ** 2 * mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)

        pts = [-mp.inf] + sorted({mp.mpf(b) / s for b in breakpoints}) + [mp.inf]
        return float(mp.quad(integrand, pts))


@pytest.mark.parametrize("spec", ALL_SPECS)
def test_second_moments_match_mpmath(spec):
    """E[phi(s z)^2] and E[phi'(s z)^2] to 1e-12 relative, for every entry and variant."""
    [phi] = load([spec])
    for order, ours in ((0, phi.second_moment(SCALE)[0]), (1, phi.grad_moment(SCALE)[0])):
        want = _mp_expect(phi.fn, order, SCALE, phi.breakpoints)
        assert ours == pytest.approx(want, rel=1e-12, abs=1e-300), (spec, order)


@pytest.mark.parametrize("scale", [0.01, 0.3, 3.0, 30.0])
def test_expectations_at_many_scales(scale):
    """tanh over scales from 0.01 to 30 (a sharp step at large scale) and a kink."""
    fn = symbolic.load("tanh")
    [phi] = load(["tanh"])
    assert phi.second_moment(scale)[0] == pytest.approx(
        _mp_expect(fn, 0, scale, []), rel=1e-12)
    t = symbolic.load("thresholded_relu")
    [pt] = load(["thresholded_relu"])
    assert pt.second_moment(scale)[0] == pytest.approx(
        _mp_expect(t, 0, scale, [1.0]), rel=1e-12, abs=1e-300)


def test_vectorized_scales_agree_with_one_at_a_time():
    [phi] = load(["mish"])
    s = np.array([0.1, 1.0, 7.0])
    many = phi.second_moment(s)
    assert np.allclose(many, [phi.second_moment(v)[0] for v in s], rtol=1e-15, atol=0)


@pytest.mark.parametrize("q", [0.5, 3.0])
@pytest.mark.parametrize("c", [-0.9999, -0.5, 0.0, 0.3, 0.9, 0.999, 0.999999])
def test_pair_relu_arccos_kernel(q, c):
    """E[relu(u1) relu(u2)] = q/(2 pi) (sqrt(1-c^2) + (pi - arccos c) c) (Cho & Saul)."""
    relu = lambda x: np.maximum(x, 0.0)  # noqa: E731
    want = q / (2 * math.pi) * (math.sqrt(1 - c * c) + (math.pi - math.acos(c)) * c)
    assert expect_pair(relu, relu, q, c, [0.0]) == pytest.approx(want, rel=1e-9, abs=1e-15 * q)


@pytest.mark.parametrize("q", [0.2, 2.0, 20.0])
@pytest.mark.parametrize("c", [-0.99, -0.3, 0.5, 0.99, 0.9999])
def test_pair_erf_arcsin_kernel(q, c):
    """E[erf(u1) erf(u2)] = (2/pi) arcsin(2 q c / (1 + 2 q)) (Williams 1997)."""
    from scipy.special import erf

    want = 2 / math.pi * math.asin(2 * q * c / (1 + 2 * q))
    assert expect_pair(erf, erf, q, c) == pytest.approx(want, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("c", [-0.5, 0.3, 0.9, 0.999])
def test_pair_hard_sigmoid_against_mpmath(c):
    """A function with two kinks, against mpmath at 30 digits: the inner integral in closed
    form (hard_sigmoid = ramp(a u + b) - ramp(a u + b - 1), E[ramp(A + B z)] =
    A Phi(A/B) + B phi(A/B)), the outer one by quadrature split at the kinks."""
    q = 4.0
    [phi] = load(["hard_sigmoid"])
    with mp.workdps(30):
        s, cc, a, b = mp.sqrt(q), mp.mpf(c), mp.mpf(1) / 5, mp.mpf(1) / 2
        sig = s * mp.sqrt(1 - cc * cc) * a

        def ramp_mean(m):
            return m * mp.ncdf(m / sig) + sig * mp.npdf(m / sig)

        def f(u):
            return min(max(a * u + b, 0), 1)

        def integrand(z1):
            m = a * s * cc * z1 + b
            return f(s * z1) * (ramp_mean(m) - ramp_mean(m - 1)) * mp.npdf(z1)

        want = float(mp.quad(integrand, [-mp.inf, -2.5 / s, 2.5 / s, mp.inf]))
    assert phi.pair(q, c) == pytest.approx(want, rel=1e-10)


def test_pair_at_c_one_is_the_second_moment():
    [phi] = load(["gelu"])
    assert phi.pair(2.0, 1.0) == pytest.approx(phi.second_moment(math.sqrt(2.0))[0], rel=1e-14)


def test_growth_beyond_the_cut_is_nan_not_a_wrong_number():
    """exp(x^2/4) at scale 2 has no finite Gaussian mean of its square: NaN, not a number."""
    v = expect(lambda x: np.exp(x * x / 4) ** 2, [2.0])
    assert np.isnan(v[0])
    # a function zero until far out in the tail is fine
    w = expect(lambda x: np.where(x > 1, x, 0.0) ** 2, [1 / 11.95])
    assert np.isfinite(w[0]) and w[0] < 1e-28
