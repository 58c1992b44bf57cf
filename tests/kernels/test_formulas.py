"""Kernels against the symbolic truth (mpmath at 50 digits), over the whole catalog.

Tolerances live in one place (``ULPS``): float32 results must be within 4 ulp of the
correctly rounded value everywhere (the NumPy backend computes float32 in float64, the numba
backend's float32 fast path in float32, ``benchmarks/accuracy.py`` measures it over millions
of points). float64 results
must be within 4 ulp, or, where the formula is ill-conditioned (near interior zeros of f' or
f'', near a kink of a linear piece, at huge arguments of exp), within the error caused by a
relative change of x by 4 eps: ``|err| <= 4 eps |x f^(k+1)(x)|`` (mixed forward/backward
stability; the benchmark script ``benchmarks/accuracy.py`` reports the strict figures).
The kink conventions are part of the reference: it is the catalog's piecewise expression
evaluated at the point itself.

numba compiles only float32 loops here (float64 goes through NumPy, plus a parity sample), so
the suite stays fast with a cold cache.
"""

from __future__ import annotations

import functools

import mpmath
import numpy as np
import pytest

from actviz import catalog, kernels, kinks, symbolic
from actviz.errors import ActvizError

SPECS = catalog.names() + [f"{e.name}:{v.name}" for e in catalog.ENTRIES for v in e.variants]
HAVE_NUMBA = "numba" in kernels.backends()
FAST = "numba" if HAVE_NUMBA else "numpy"
ULPS = 4
# Measured exceptions to ULPS in float64, reported in benchmarks/RESULTS.md: mish' and mish''
# sum terms of opposite sign (tanh(sp) + x sech(sp)^2 sigmoid, ...): 6 ulp near x = -2.25
# and 7 ulp near x = 2 (float32, computed in float64, stays within ULPS).
ULPS64 = {("mish", 1): 8, ("mish", 2): 8}
F32 = np.float32


def _kink_points(spec):
    f = symbolic.load(spec)
    return [float(p) for p in kinks.candidate_points(f.expr)]


@functools.cache
def grid(spec: str) -> np.ndarray:
    """float32-representable points: a dense grid, magnitudes, hard points, kinks +- 1 ulp."""
    dense = np.linspace(-20, 20, 321)
    mags = 10.0 ** np.arange(-30, 31, 2.5)
    fmax = float(np.finfo(F32).max)
    hard = [0.0, 1e-45, 1.1754944e-38, 1e-8, 0.5, 1.0, 3.0, 17.5, 30.0, 89.0, 1e4, 1e30, fmax,
            np.inf]
    pts = list(dense) + list(mags) + hard
    pts += [-p for p in pts]
    for k in _kink_points(spec):
        k32 = F32(k)
        pts += [k32, np.nextafter(k32, F32(np.inf)), np.nextafter(k32, F32(-np.inf))]
    x = np.unique(np.array(pts, dtype=F32).astype(np.float64))
    return np.append(x, np.nan)


@functools.cache
def reference(spec: str, order: int) -> np.ndarray:
    """f^(order) at grid(spec) at 50 digits, rounded to float64. At +-inf the limit: the value
    at +-1e200 if it is moderate, else an infinity of its sign."""
    fm = symbolic.load(spec).mpmath(order)
    out = []
    for x in grid(spec):
        if np.isnan(x):
            out.append(np.nan)
            continue
        if np.isinf(x):
            with mpmath.workdps(50):
                v = mpmath.re(fm(mpmath.mpf("1e200") * int(np.sign(x))))
            out.append(float(v) if abs(v) < 1e100 else float(mpmath.sign(v)) * np.inf)
            continue
        with mpmath.workdps(_digits(x)):
            out.append(float(mpmath.re(fm(mpmath.mpf(float(x))))))
    return np.array(out)


def _digits(x: float) -> int:
    """50 significant digits after the cancellations the textbook formulas suffer:
    ``exp(x) - 1`` at tiny x, ``1 - sigmoid(x)`` and ``1 + erf(x)`` at large |x|."""
    a = abs(x)
    tiny = -np.log10(a) if 0 < a < 1 else 0.0
    large = min(max(0.5 * a, a * a / 4, 0.04 * a**3), 550.0)
    return int(50 + tiny + large)


def reference_precision(spec: str) -> float:
    """Relative accuracy of the reference itself: 50 digits, except where the catalog
    expression holds long decimals, which the parser keeps as 15-digit sympy Floats."""
    import sympy

    return 1e-14 if symbolic.load(spec).expr.atoms(sympy.Float) else 0.0


def _ordered(a: np.ndarray) -> np.ndarray:
    size = a.dtype.itemsize
    bits = a.view({2: np.int16, 4: np.int32, 8: np.int64}[size]).astype(np.int64)
    sign_mask = np.int64((1 << (8 * size - 1)) - 1)
    return np.where(bits < 0, -(bits & sign_mask), bits)


def ulp_error(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """Distance in units in the last place of got's dtype (0 for equal values, NaN = NaN)."""
    want = want.astype(got.dtype)
    both_nan = np.isnan(got) & np.isnan(want)
    same = (got == want) | both_nan
    d = np.abs(_ordered(got) - _ordered(want)).astype(np.float64)
    bad = (np.isnan(got) != np.isnan(want)) | (np.isinf(got) != np.isinf(want))
    d = np.where(same, 0.0, d)
    return np.where(bad, np.inf, d)


def assert_close(got, want, x, *, slope=None, what="", ref_rel=0.0, ulps=ULPS):
    """ULPS for float32; ULPS or the 4-eps input perturbation bound for float64; plus the
    reference's own precision ``ref_rel`` where it is below 50 digits."""
    err = ulp_error(got, want)
    ok = err <= ulps
    if ref_rel:
        ok |= np.abs(got - want) <= ref_rel * np.abs(want)
    if got.dtype == np.float64 and slope is not None:
        with np.errstate(all="ignore"):
            allow = 4 * np.finfo(np.float64).eps * np.abs(x * slope)
            ok |= np.isfinite(want) & np.isfinite(got) & (np.abs(got - want) <= allow)
    if not ok.all():
        i = np.flatnonzero(~ok)[:5]
        raise AssertionError(f"{what}: {len(np.flatnonzero(~ok))} points off, e.g. "
                             + ", ".join(f"x={x[j]!r} got {got[j]!r} want {want[j]!r} "
                                         f"({err[j]:.0f} ulp)" for j in i))


@pytest.mark.parametrize("spec", SPECS)
def test_float32_exact_and_parity(spec):
    x = grid(spec)
    x32 = x.astype(F32)
    dy = np.where(np.arange(x.size) % 3 == 0, F32(-1.5), F32(0.75)).astype(F32)
    f0, f1, f2 = (reference(spec, k) for k in range(3))
    results = {}
    for backend in dict.fromkeys(["numpy", FAST]):
        y = kernels.forward(spec, x32, backend=backend)
        g = kernels.backward(spec, dy, x=x32, backend=backend)
        h = kernels.derivative(spec, x32, 2, backend=backend)
        assert y.dtype == g.dtype == h.dtype == F32
        rr = reference_precision(spec)
        assert_close(y, f0, x, what=f"{spec} f {backend}", ref_rel=rr)
        assert_close(g, dy.astype(np.float64) * f1, x, what=f"{spec} dy*f' {backend}", ref_rel=rr)
        assert_close(h, f2, x, what=f"{spec} f'' {backend}", ref_rel=rr)
        results[backend] = (y, g, h)
    for a, b in zip(results["numpy"], results[FAST]):  # both within ULPS of the truth
        assert ulp_error(a, b).max() <= ULPS, f"{spec}: numpy and {FAST} differ"


@pytest.mark.parametrize("spec", SPECS)
def test_float64_exact(spec):
    x = grid(spec)
    dy = np.where(np.arange(x.size) % 3 == 0, -1.5, 0.75)
    f0, f1, f2, f3 = (reference(spec, k) for k in range(4))
    y = kernels.forward(spec, x, backend="numpy")
    g = kernels.backward(spec, dy, x=x, backend="numpy")
    d1 = kernels.derivative(spec, x, 1, backend="numpy")
    h = kernels.derivative(spec, x, 2, backend="numpy")
    rr = reference_precision(spec)
    assert_close(y, f0, x, slope=f1, what=f"{spec} f", ref_rel=rr)
    u1 = ULPS64.get((spec, 1), ULPS)
    assert_close(d1, f1, x, slope=f2, what=f"{spec} f'", ref_rel=rr, ulps=u1)
    assert_close(g, dy * f1, x, slope=dy * f2, what=f"{spec} dy*f'", ref_rel=rr, ulps=u1)
    assert_close(h, f2, x, slope=f3, what=f"{spec} f''", ref_rel=rr,
                 ulps=ULPS64.get((spec, 2), ULPS))


PARITY64 = ["mish", "sigmoid", "softplus", "gelu", "elu", "hard_sigmoid:pytorch",
            "ultra_fast_sigmoid", "tanh"]


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba not installed")
@pytest.mark.parametrize("spec", PARITY64)
def test_float64_numba_parity(spec):
    x = grid(spec)
    f0, f1 = reference(spec, 0), reference(spec, 1)
    y = kernels.forward(spec, x, backend="numba")
    g = kernels.backward(spec, np.ones_like(x), x=x, backend="numba")
    assert_close(y, f0, x, slope=f1, what=f"{spec} f numba", ref_rel=reference_precision(spec))
    # parity: the same bound as against the truth (libm and NumPy/SciPy differ in far tails)
    assert_close(y, kernels.forward(spec, x, backend="numpy"), x, slope=f1, what="parity f")
    assert_close(g, kernels.derivative(spec, x, 1, backend="numpy"), x,
                 slope=reference(spec, 2), what="parity f'", ulps=ULPS64.get((spec, 1), ULPS))


@pytest.mark.parametrize("spec", SPECS)
def test_float16_finite_and_close(spec):
    info = np.finfo(np.float16)
    x = np.concatenate([np.linspace(-12, 12, 97), [float(info.max), -float(info.max), 1e-7,
                                                   -1e-7, 0.0, 11.0, -11.0, 20.0, -20.0]])
    x16 = x.astype(np.float16)
    y = kernels.forward(spec, x16, backend=FAST)
    assert y.dtype == np.float16
    want = kernels.forward(spec, x16.astype(np.float64), backend="numpy")
    finite = np.isfinite(want.astype(np.float16))
    assert np.isfinite(y[finite]).all(), f"{spec}: inf/NaN in float16 where the value is finite"
    assert ulp_error(y[finite], want[finite].astype(np.float16)).max() <= 1


CONVENTIONS = [  # (spec, params, x, order, value)
    ("relu", {}, 0.0, 1, 0.0),
    ("hard_sigmoid", {}, -2.5, 1, 0.0),
    ("hard_sigmoid", {}, 2.5, 1, 0.0),
    ("hard_sigmoid:pytorch", {}, -3.0, 1, 0.0),
    ("hard_sigmoid:pytorch", {}, 3.0, 1, 0.0),
    ("leaky_relu", {"alpha": 0.2}, 0.0, 1, 0.2),
    ("elu", {"alpha": 0.5}, 0.0, 1, 0.5),
    ("hardswish", {}, -3.0, 1, 0.0),
    ("hardswish", {}, 3.0, 1, 1.0),
    ("softsign", {}, 0.0, 2, 0.0),
    ("thresholded_relu", {}, 1.0, 0, 0.0),
    ("thresholded_relu", {}, 1.0, 1, 0.0),
    ("relu6", {}, 6.0, 1, 0.0),
    ("celu", {"alpha": 2.0}, 0.0, 2, 0.5),
]


@pytest.mark.parametrize("spec,params,x0,order,value", CONVENTIONS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kink_conventions(spec, params, x0, order, value, dtype):
    truth = float(symbolic.load(spec, {k: repr(v) for k, v in params.items()}).mpmath(order)(x0))
    assert truth == value
    for backend in dict.fromkeys(["numpy", FAST]):
        got = kernels.derivative(spec, np.array([x0], dtype), order, backend=backend, **params)
        assert got[0] == dtype(value), (spec, backend)


def test_limits_at_infinity():
    inf = np.array([np.inf, -np.inf], dtype=F32)
    for backend in dict.fromkeys(["numpy", FAST]):
        assert kernels.forward("softsign", inf, backend=backend).tolist() == [1.0, -1.0]
        assert kernels.forward("mish", inf, backend=backend).tolist() == [np.inf, 0.0]
        assert kernels.derivative("mish", inf, backend=backend).tolist() == [1.0, 0.0]
        assert kernels.forward("sigmoid", inf, backend=backend).tolist() == [1.0, 0.0]
        assert kernels.forward("softplus", inf, backend=backend).tolist() == [np.inf, 0.0]


@pytest.mark.parametrize("spec", SPECS)
def test_backward_from_output(spec):
    x = grid(spec)
    kinks_all = _kink_points(spec)
    # where y keeps enough information about x: moderate |x|, not within rounding of a kink
    near = [np.abs(x - k) < 1e-5 * max(1.0, abs(k)) for k in kinks_all]
    x = x[(np.abs(x) <= 8) & ~np.any(near, axis=0)] if near else x[np.abs(x) <= 8]
    pl = kernels.plan(spec)
    reason = pl.kernel.grad_from_output_error(pl.exact) if pl.kernel else "generic"
    dy = np.linspace(-2, 2, x.size)
    if reason is not None:
        with pytest.raises(ActvizError, match="x="):
            kernels.backward(spec, dy, y=kernels.forward(spec, x, backend="numpy"))
        return
    for backend, dtype in [("numpy", np.float64), (FAST, F32)]:
        xs = x.astype(dtype)
        y = kernels.forward(spec, xs, backend=backend)
        got = kernels.backward(spec, dy.astype(dtype), y=y, backend=backend)
        want = kernels.backward(spec, dy.astype(dtype), x=xs, backend="numpy")
        np.testing.assert_allclose(got, want, rtol=2e-6 if dtype == F32 else 1e-12,
                                   atol=1e-6 if dtype == F32 else 1e-12, err_msg=spec)
        kinks_x = np.array([k for k in kinks_all if abs(k) <= 8], dtype=dtype)
        if kinks_x.size:  # the convention at the kink comes out exactly from y too
            yk = kernels.forward(spec, kinks_x, backend=backend)
            np.testing.assert_array_equal(
                kernels.backward(spec, np.ones_like(kinks_x), y=yk, backend=backend),
                kernels.derivative(spec, kinks_x, 1, backend="numpy"))


def test_backward_from_output_errors_name_the_reason():
    with pytest.raises(ActvizError, match="not monotonic"):
        kernels.backward("mish", np.ones(3), y=np.zeros(3))
    with pytest.raises(ActvizError, match="alpha >= 0"):
        kernels.backward("leaky_relu", np.ones(3), y=np.zeros(3), alpha=-0.5)
    with pytest.raises(ActvizError, match="exactly one"):
        kernels.backward("relu", np.ones(3), x=np.ones(3), y=np.ones(3))


def test_user_expression_generic_path():
    x = np.linspace(-4, 4, 33)
    mish = kernels.forward("mish", x, backend="numpy")
    np.testing.assert_allclose(kernels.forward("x*tanh(softplus(x))", x), mish, rtol=1e-14)
    d = kernels.derivative("x*sigmoid(b*x)", x.astype(F32), 1, b="1.5")
    assert d.dtype == F32
    np.testing.assert_allclose(d, kernels.derivative("silu", x, 1, alpha=1.5), rtol=1e-6)
    g = kernels.backward("x**3", np.full(3, 2.0), x=np.array([1.0, 2.0, -1.0]))
    np.testing.assert_allclose(g, [6.0, 24.0, 6.0])


def test_parameters_exact_strings_and_floats():
    x = np.array([-3.0, -2.9999999999999996, 0.0, 3.0])
    a = kernels.forward("hard_sigmoid", x, alpha="1/6", backend="numpy")
    b = kernels.forward("hard_sigmoid:pytorch", x, backend="numpy")
    np.testing.assert_array_equal(a, b)
    assert a[0] == 0.0 and a[1] > 0.0 and a[3] == 1.0
    with pytest.raises(ActvizError, match="no parameter"):
        kernels.forward("relu", x, alpha=1.0)
    with pytest.raises(ActvizError, match="finite"):
        kernels.forward("elu", x, alpha=float("nan"))


def test_errors_are_actviz_errors(monkeypatch):
    x = np.ones(4)
    with pytest.raises(ActvizError, match="unknown backend"):
        kernels.forward("relu", x, backend="tpu")
    with pytest.raises(ActvizError, match="order"):
        kernels.derivative("relu", x, 3)
    with pytest.raises(ActvizError, match="dtype"):
        kernels.forward("relu", x.astype(np.complex128))
    with pytest.raises(ActvizError, match="shape"):
        kernels.forward("relu", x, out=np.empty(3))
    with pytest.raises(ActvizError, match="dtype"):
        kernels.forward("relu", x, out=np.empty(4, np.float32))
    with pytest.raises(ActvizError, match="shape"):
        kernels.backward("relu", np.ones(3), x=x)
    if "cupy" not in kernels.backends():
        with pytest.raises(ActvizError, match=r"pip install 'actviz\[gpu\]'"):
            kernels.forward("relu", x, backend="cupy")
    real = kernels._installed  # the one place that asks whether a module is installed
    monkeypatch.setattr(kernels, "_installed", lambda name: name != "numba" and real(name))
    assert "numba" not in kernels.backends()
    with pytest.raises(ActvizError, match=r"pip install 'actviz\[numba\]'"):
        kernels.forward("relu", x, backend="numba")
    assert kernels.forward("relu", x).tolist() == [1.0] * 4  # auto falls back to NumPy


def test_integer_input_becomes_float64():
    y = kernels.forward("relu", np.array([-2, 0, 3]))
    assert y.dtype == np.float64 and y.tolist() == [0.0, 0.0, 3.0]
