"""Plans: exact parameters end to end; user expressions as kernels of the formula dialect on
every backend; the scalar forms the analyses use."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy

from actviz import kernels, symbolic
from actviz.errors import ActvizError

BACKENDS = [b for b in ("numpy", "numba") if b in kernels.backends()]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("alpha", ["1/6", Fraction(1, 6), sympy.Rational(1, 6)])
def test_parameters_stay_exact(backend, alpha):
    """1/6 as text, Fraction or sympy Rational: hardswish' is 0 at x = -3 and 1 at x = 3 (a
    float 1/6 used to move the kinks by an ulp, so f' came out 1/6 - 1/2 there)."""
    x = np.array([-3.0, 3.0])
    got = kernels.derivative("hardswish", x, 1, backend=backend, alpha=alpha)
    np.testing.assert_array_equal(got, [0.0, 1.0])
    hs = kernels.derivative("hard_sigmoid", x, 1, backend=backend, alpha=alpha)
    np.testing.assert_array_equal(hs, [0.0, 0.0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_function_carries_its_exact_parameters(backend):
    fn = symbolic.load("hard_sigmoid:pytorch")
    pl = kernels.plan(fn)
    assert pl.exact["alpha"] == Fraction(1, 6)
    x = np.array([-3.0, -2.999999999999999, 3.0])
    np.testing.assert_array_equal(kernels.derivative(fn, x, 1, backend=backend),
                                  [0.0, 1 / 6, 0.0])


def test_floats_read_as_their_shortest_decimal():
    assert kernels.plan("hard_sigmoid", alpha=0.2).exact["alpha"] == Fraction(1, 5)
    with pytest.raises(ActvizError, match="finite"):
        kernels.plan("hard_sigmoid", alpha=float("inf"))


EXPRESSIONS = ["x*tanh(softplus(x))", "where(x > 1/3, sin(x), atan(x))",
               "max(x, 0)**2 + sech(x)", "x*sigmoid(b*x)", "log(1 + exp(x))",
               "erf(x/2) + cosh(x/30)", "hard_sigmoid(x, alpha=1/6) + abs(x)**0.5"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_expressions_run_as_kernels(backend, expr):
    """The generated dialect formula agrees with the symbolic reference (f, f', f'')."""
    params = {"b": "1.5"} if "b*" in expr else {}
    fn = symbolic.load(expr, params)
    x = np.concatenate([np.linspace(-20, 20, 801), [1 / 3, np.nextafter(1 / 3, 1)]])
    for order in (0, 1, 2):
        got = kernels.derivative(expr, x, order, backend=backend, **params)
        want = fn.numpy(order)(x)
        scale = np.nanmax(np.abs(want[np.isfinite(want)]))  # the forms differ in cancellation
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-12 * scale, equal_nan=True,
                                   err_msg=f"{expr} order {order}")
    assert kernels.plan(expr, **params).generic


def test_expression_thresholds_are_placed_exactly():
    """x > 1/3 for float x: 1/3 is not a float; the comparison decides as the exact one."""
    third = 1 / 3  # the float just below 1/3
    x = np.array([third, np.nextafter(third, 1.0)])
    np.testing.assert_array_equal(kernels.forward("where(x > 1/3, 1, 0)", x), [0.0, 1.0])
    np.testing.assert_array_equal(kernels.forward("where(x >= 1/3, 1, 0)", x), [0.0, 1.0])
    np.testing.assert_array_equal(kernels.forward("where(x < 1/3, 1, 0)", x), [1.0, 0.0])


def test_backward_needs_dy_and_refuses_y_for_expressions():
    with pytest.raises(ActvizError, match="dy"):
        kernels.backward("mish", None, x=np.zeros(3))
    with pytest.raises(ActvizError, match="catalog"):
        kernels.backward("x*tanh(x)", np.ones(3), y=np.zeros(3))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("spec", ["sigmoid", "hard_sigmoid", "gelu:tanh", "x*sigmoid(x)"])
def test_scalar_forms_match_the_vector_kernels(backend, spec):
    x = np.linspace(-8, 8, 97)
    for order in (0, 1):
        one = kernels.scalar_function(spec, order, backend=backend)
        np.testing.assert_array_equal([one(float(v)) for v in x],
                                      kernels.derivative(spec, x, order, backend=backend))
    if backend == "numba":
        pair = kernels.scalar_pair(spec)
        fd = np.array([pair(float(v)) for v in x])
        np.testing.assert_array_equal(fd[:, 0], kernels.forward(spec, x, backend="numba"))
        np.testing.assert_array_equal(fd[:, 1], kernels.derivative(spec, x, 1, backend="numba"))
