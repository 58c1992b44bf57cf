"""Shapes, strides, dtypes, 0-d, empty and in-place (hypothesis), and the CuPy backend
(skipped without CuPy and a CUDA device)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from actviz import catalog, kernels
from actviz.errors import ActvizError

BACKENDS = [b for b in ("numpy", "numba") if b in kernels.backends()]
NAMES = ["mish", "hard_sigmoid:pytorch", "softsign"]  # few: numba compiles per dtype
DTYPES = [np.float16, np.float32, np.float64]


def _expected(name, x, which, dy=None):
    xc = np.array(x, order="C")
    if which == "f":
        return kernels.forward(name, xc, backend="numpy")
    if which == "d2":
        return kernels.derivative(name, xc, 2, backend="numpy")
    return kernels.backward(name, np.array(dy, order="C"), x=xc, backend="numpy")


@st.composite
def strided(draw):
    dtype = draw(st.sampled_from(DTYPES))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=7))
    base = draw(hnp.arrays(dtype, shape, elements=st.floats(-30, 30, width=16)))
    if base.ndim >= 2 and draw(st.booleans()):
        base = base.T  # Fortran order
    if base.ndim >= 1 and base.shape[0] > 1 and draw(st.booleans()):
        base = base[::-2]  # negative stride, non-contiguous
    return base


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(x=strided(), name=st.sampled_from(NAMES), which=st.sampled_from(["f", "bwd", "d2"]),
       mode=st.sampled_from(["new", "out", "inplace", "out_f"]))
def test_layouts(backend, x, name, which, mode):
    dy = (np.cos(np.arange(x.size, dtype=np.float64)).reshape(x.shape)).astype(x.dtype)
    want = _expected(name, x, which, dy)
    x = x.copy(order="K") if mode == "inplace" else x
    out = {"new": None, "out": np.empty(x.shape, x.dtype),
           "out_f": np.empty(x.shape, x.dtype, order="F"), "inplace": x}[mode]
    if which == "f":
        got = kernels.forward(name, x, out=out, backend=backend)
    elif which == "d2":
        got = kernels.derivative(name, x, 2, out=out, backend=backend)
    else:
        got = kernels.backward(name, dy, x=x, out=out, backend=backend)
    assert got.shape == want.shape and got.dtype == want.dtype
    if out is not None:
        assert got is out
    tol = {np.float16: 1e-3, np.float32: 3e-7, np.float64: 1e-15}[x.dtype.type]
    np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64), rtol=tol,
                               atol=tol)


@pytest.mark.parametrize("backend", BACKENDS)
def test_zero_dim_and_empty(backend):
    y = kernels.forward("relu", np.float64(-2.0), backend=backend)
    assert y.shape == () and y == 0.0
    e = kernels.forward("mish", np.empty((0, 3), np.float32), backend=backend)
    assert e.shape == (0, 3) and e.dtype == np.float32
    assert kernels.backward("sigmoid", np.empty(0), y=np.empty(0), backend=backend).size == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_large_array_parallel_path(backend):
    # above numba_.PARALLEL_MIN: the prange loop; the same values as the serial loop
    x = np.linspace(-40, 40, 200_003, dtype=np.float32)
    big = kernels.forward("mish", x, backend=backend)
    small = np.concatenate([kernels.forward("mish", c, backend=backend)
                            for c in np.array_split(x, 8)])
    np.testing.assert_array_equal(big, small)


def _cupy():
    cupy = pytest.importorskip("cupy")
    if "cupy" not in kernels.backends():
        pytest.skip("no CUDA device")
    return cupy


SPECS = catalog.names() + [f"{e.name}:{v.name}" for e in catalog.ENTRIES for v in e.variants]


@pytest.mark.gpu
@pytest.mark.parametrize("spec", SPECS)
def test_cupy_parity(spec):
    cupy = _cupy()
    x = np.concatenate([np.linspace(-30, 30, 1001), [0.0, np.inf, -np.inf, np.nan, 1e30]])
    for dtype in (np.float16, np.float32, np.float64):
        xs = x.astype(dtype)
        xd = cupy.asarray(xs)
        cases = [
            (kernels.forward(spec, xd), kernels.forward(spec, xs, backend="numpy")),
            (kernels.derivative(spec, xd, 2), kernels.derivative(spec, xs, 2, backend="numpy")),
            (kernels.backward(spec, xd, x=xd), kernels.backward(spec, xs, x=xs, backend="numpy")),
            (kernels.forward(spec, xd[::3]), kernels.forward(spec, xs[::3], backend="numpy")),
        ]
        try:
            y = kernels.forward(spec, xs, backend="numpy")
            cases.append((kernels.backward(spec, xd, y=cupy.asarray(y)),
                          kernels.backward(spec, xs, y=y, backend="numpy")))
        except ActvizError:  # y does not determine the gradient here
            pass
        for got, want in cases:
            assert isinstance(got, cupy.ndarray) and got.dtype == dtype
            np.testing.assert_allclose(cupy.asnumpy(got), want, rtol=4 * np.finfo(dtype).eps,
                                       atol=0, err_msg=spec, equal_nan=True)


@pytest.mark.gpu
def test_cupy_in_place_and_out():
    cupy = _cupy()
    x = cupy.linspace(-5, 5, 101, dtype=cupy.float32)
    want = kernels.forward("mish", cupy.asnumpy(x), backend="numpy")
    assert kernels.forward("mish", x, out=x) is x
    np.testing.assert_allclose(cupy.asnumpy(x), want, rtol=1e-6)
