"""Hostile arrays and expressions for the kernels: ndarray subclasses, byte orders, user
expressions that overflow when written naively, missing arguments, memory."""

from __future__ import annotations

import tracemalloc

import mpmath
import numpy as np
import pytest

from actviz import kernels, symbolic
from actviz.errors import ActvizError
from actviz.numeric import mpmath_function

BACKENDS = [b for b in ("numpy", "numba") if b in kernels.backends()]


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # np.matrix itself
@pytest.mark.parametrize("backend", BACKENDS)
def test_matrix_out_is_written_as_plain_memory(backend):
    """np.matrix keeps reshape(-1) 2-D: every output was f(x[0]), then a double free."""
    x = np.linspace(-3, 3, 12).reshape(3, 4)
    want = kernels.forward("mish", x, backend="numpy")
    out = np.asmatrix(np.empty((3, 4)))
    got = kernels.forward("mish", np.asmatrix(x), out=out, backend=backend)
    assert got is out
    np.testing.assert_array_equal(np.asarray(out), want)
    big = np.asmatrix(np.empty((300, 300)))
    kernels.forward("mish", np.linspace(-3, 3, 90000).reshape(300, 300), out=big,
                    backend=backend)
    np.testing.assert_array_equal(np.asarray(big).ravel(),
                                  kernels.forward("mish", np.linspace(-3, 3, 90000),
                                                  backend=backend))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype", [">f8", ">f4", "<f8"])
def test_every_byte_order_computes_in_its_own_precision(backend, dtype):
    """'>f8' was computed in float32 by the numba backend (2.5e-7 relative for mish)."""
    native = np.dtype(dtype).newbyteorder("=")
    x = np.linspace(-20, 20, 1001).astype(dtype)
    for name, order in (("mish", 0), ("gelu", 1), ("x*tanh(softplus(x))", 0)):
        got = kernels.derivative(name, x, order, backend=backend)
        assert got.dtype == x.dtype
        want = kernels.derivative(name, x.astype(native), order, backend=backend)
        np.testing.assert_array_equal(got.astype(native), want)


@pytest.mark.parametrize("backend", BACKENDS)
def test_expressions_written_naively_stay_finite(backend):
    """The audit's cases, and naive forms of the catalog's functions, against mpmath."""
    cases = [("tanh(tanh(x))", 1), ("exp(x)/(1+exp(x))", 0), ("log(1+exp(x))", 0),
             ("1/(1+exp(-x))", 1), ("x/(1+exp(-x))", 1), ("x*tanh(log(1+exp(x)))", 1),
             ("x*log(1+exp(x))", 2), ("exp(-x)/(1+exp(-x))**2", 1), ("sech(x)**2", 1)]
    x = np.concatenate([np.linspace(-1000, 1000, 401), [-710.0, 710.0, 0.0]])
    for expr, order in cases:
        ref = mpmath_function(symbolic.load(expr).derivative(order), stable=True)
        with mpmath.workdps(40):
            want = np.array([float(ref(mpmath.mpf(float(v)))) for v in x])
        got = kernels.derivative(expr, x, order, backend=backend)
        assert np.all(np.isfinite(got[np.isfinite(want)])), expr
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300, err_msg=expr)


def test_backward_refuses_a_missing_dy_and_checks_y_on_request():
    with pytest.raises(ActvizError, match="needs dy"):
        kernels.backward("sigmoid", None, x=np.zeros(2))
    y = np.array([0.25, 1.5])
    got = kernels.backward("sigmoid", np.ones(2), y=y)  # the formula as it is: y (1 - y)
    np.testing.assert_allclose(got, [0.1875, -0.75])
    with pytest.raises(ActvizError, match=r"y = 1\.5 .* outside the range \[0, 1\]"):
        kernels.backward("sigmoid", np.ones(2), y=y, check_y=True)
    kernels.backward("elu", np.ones(2), y=np.array([-0.99, 5.0]), check_y=True)


def test_load_refuses_what_is_not_text():
    with pytest.raises(ActvizError, match="a name or an expression"):
        symbolic.load(123)
    with pytest.raises(ActvizError, match="must be a string"):
        kernels.forward(123, np.zeros(2))


def test_numpy_backend_memory_stays_within_three_times_the_input():
    """It peaked at 20x (381 MiB of float32 needed 7.75 GB) before working in blocks."""
    x = np.linspace(-10, 10, 3_000_000, dtype=np.float32)
    strided = np.linspace(-10, 10, 6_000_000, dtype=np.float32)[::2]
    for name, arr in (("gelu", x), ("mish", strided), ("x*tanh(softplus(x))", x)):
        kernels.forward(name, arr[:10], backend="numpy")  # plan and formulas made
        tracemalloc.start()
        kernels.forward(name, arr, backend="numpy")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak <= 3 * x.nbytes + 8 * 2**20, (name, peak / x.nbytes)
