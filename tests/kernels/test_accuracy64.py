"""float64 accuracy of gelu and gelu:tanh (issue: 820 ulp at x = -25, 1242 at -37.1, f' and f''
about 300): measured against mpmath differentiation of f itself at 50 digits (the symbolic
derivative's constants are rounded by sympy's Float arithmetic, 3*0.044715 to 53 bits, which
moves the zero of f' by 2e-18), and the Taylor windows at the zero of f' regenerated."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from actviz import kernels, symbolic
from actviz.kernels import formulas as F
from actviz.numeric import mpmath_function

BACKENDS = [b for b in ("numpy", "numba") if b in kernels.backends()]
RNG = np.random.default_rng(20261201)
XS = np.sort(np.concatenate([
    RNG.uniform(-37.0, 8.0, 260), RNG.uniform(-2.5, 0.5, 140),
    [-37.1, -25.0, -10.0, -0.7517915246935645, -0.7524614220710163, -1.25, -1.35, 0.0, 1.0]]))
# the largest errors measured (ulp) on this machine, with some room: numba (libm erfc/exp);
# the NumPy backend's erfc comes from SciPy (erfcx in the tail, up to 5 ulp by itself)
LIMITS = {("gelu", 0): 4, ("gelu", 1): 4, ("gelu", 2): 4,
          ("gelu:tanh", 0): 4, ("gelu:tanh", 1): 4, ("gelu:tanh", 2): 10}
NUMPY_EXTRA = {"gelu": 2}  # SciPy's erfcx: 5.1 ulp at x = -2.78


def _reference(name: str, order: int, xs):
    f = mpmath_function(symbolic.load(name).expr, stable=True)
    with mpmath.workdps(50):
        return [mpmath.diff(f, mpmath.mpf(float(v)), order) if order else f(mpmath.mpf(float(v)))
                for v in xs]


def _ulps(got, want):
    w = np.array([float(v) for v in want])
    err = np.array([float(abs(mpmath.mpf(float(g)) - v)) for g, v in zip(got, want)])
    ok = np.abs(w) >= 1e-300  # results whose intermediates are normal numbers
    return np.where(ok, err / np.spacing(np.abs(np.where(ok, w, 1.0))), 0.0)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["gelu", "gelu:tanh"])
@pytest.mark.parametrize("order", [0, 1, 2])
def test_float64_within_a_few_ulp(name, order, backend):
    xs = XS
    if (name, order) == ("gelu:tanh", 2):  # f'' vanishes at ±1.4185: no relative bound there
        xs = xs[np.abs(np.abs(xs) - 1.4185) > 0.25]
    u = _ulps(kernels.derivative(name, xs, order, backend=backend), _reference(name, order, xs))
    limit = LIMITS[name, order] + (NUMPY_EXTRA.get(name, 0) if backend == "numpy" else 0)
    i = int(np.argmax(u))
    assert u[i] <= limit, f"{name} order {order}: {u[i]:.1f} ulp at x = {xs[i]!r}"


@pytest.mark.parametrize("x", [-37.1, -25.0, -10.0])
def test_the_reported_tail_points(x):
    """The points of the report, f, f' and f'' on every backend: ≤ 4 ulp."""
    for order in (0, 1, 2):
        want = _reference("gelu", order, [x])
        for backend in BACKENDS:
            got = kernels.derivative("gelu", np.array([x]), order, backend=backend)
            assert _ulps(got, want)[0] <= 4, (order, backend)


def _gelu_d1(x):
    return mpmath.ncdf(x) + x * mpmath.npdf(x)


def _gelu_tanh_d1(x):
    k2 = 2 * mpmath.sqrt(2 / mpmath.pi)
    c = mpmath.mpf(F._GT_C)
    s = 1 / (1 + mpmath.exp(-k2 * (x + c * x ** 3)))
    return s + x * s * (1 - s) * k2 * (1 + 3 * c * x ** 2)


@pytest.mark.parametrize("fn,x0,coeffs", [(_gelu_d1, F._GELU_X0, F._GELU_TAYLOR),
                                          (_gelu_tanh_d1, F._GELU_TANH_X0, F._GELU_TANH_TAYLOR)])
def test_taylor_windows_regenerate(fn, x0, coeffs):
    """x0 (a double-double) and the coefficients of f' at x0, from the definitions."""
    with mpmath.workdps(60):
        root = mpmath.findroot(fn, x0[0])
        assert abs(root - (mpmath.mpf(x0[0]) + x0[1])) < mpmath.mpf(10) ** -31
        want = mpmath.taylor(fn, root, len(coeffs))[1:]
        for k, (c, w) in enumerate(zip(coeffs, want), start=1):
            assert abs(c - w) <= 1e-15 * abs(w) + 1e-30, k
        # truncation: the next term is negligible at the window's edge
        nxt = mpmath.taylor(fn, root, len(coeffs) + 1)[-1]
        assert abs(nxt) * F._NEAR0 ** (len(coeffs) + 1) < 1e-18 * abs(want[0]) * F._NEAR0
