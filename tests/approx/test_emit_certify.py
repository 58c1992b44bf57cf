"""approx: the emitted expression, NumPy and C code are the certified function; the checks
against independent computations; polynomials and rationals."""

from __future__ import annotations

import ctypes
import shutil
import subprocess

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.polynomial import chebyshev as C
from scipy.special import expit

from actviz import kernels, symbolic
from actviz.approx import certify, emit, remez
from actviz.approx.run import design
from actviz.approx.scan32 import scan
from actviz.stability import dtypes

X = np.linspace(-12, 12, 4801)


@pytest.fixture(scope="module")
def designed():
    """One of each kind for sigmoid on [-6, 6]."""
    return {a.kind: a for a in design(symbolic.load("sigmoid"), fit="hard_sigmoid",
                                      fixed={"beta": "0.5"}, pwl=3, poly=5, rational=(3, 2),
                                      x_range=(-6.0, 6.0))}


def test_fit_expression_is_the_fitted_function(designed):
    a = designed["fit"]
    assert a.expr == f"hard_sigmoid(x, alpha={a.params['alpha']}, beta=0.5)"
    back = symbolic.load(a.expr)  # what actviz plot / check / train-xor read
    want = np.clip(float(a.params["alpha"]) * X + 0.5, 0, 1)
    assert np.array_equal(kernels.forward(back, X, backend="numpy"), want)


@pytest.mark.parametrize("kind", ["fit", "pwl", "poly", "rational"])
def test_numpy_code_computes_the_expression(designed, kind):
    a = designed[kind]
    ns: dict = {}
    exec(emit.numpy_code(a.func.expr), ns)  # noqa: S102 - our own generated code
    got = ns["approx"](X)
    want = kernels.forward(symbolic.load(a.expr), X, backend="numpy")
    assert np.allclose(got, want, rtol=1e-13, atol=1e-15)


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler (cc)")
@pytest.mark.parametrize("kind", ["fit", "pwl", "poly", "rational"])
def test_c_code_compiles_and_computes_the_expression(designed, kind, tmp_path):
    a = designed[kind]
    src = tmp_path / "approx.c"
    src.write_text(emit.c_code(a.func.expr))
    lib = tmp_path / "libapprox.so"
    subprocess.run(["cc", "-O2", "-std=c99", "-shared", "-fPIC", "-o", str(lib), str(src),
                    "-lm"], check=True, capture_output=True)
    so = ctypes.CDLL(str(lib))
    out = np.empty_like(X)
    so.approx_forward(X.ctypes.data_as(ctypes.c_void_p), out.ctypes.data_as(ctypes.c_void_p),
                      ctypes.c_long(X.size))
    want = kernels.forward(symbolic.load(a.expr), X, backend="numpy")
    assert np.allclose(out, want, rtol=1e-13, atol=1e-15)


def test_c_code_of_the_primitives(tmp_path):
    if shutil.which("cc") is None:
        pytest.skip("no C compiler (cc)")
    f = symbolic.load("x*sigmoid(1.5*x) + softplus(x)/4")
    src = tmp_path / "p.c"
    src.write_text(emit.c_code(f.expr))
    lib = tmp_path / "libp.so"
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", str(lib), str(src), "-lm"],
                   check=True, capture_output=True)
    fn = ctypes.CDLL(str(lib)).approx
    fn.restype, fn.argtypes = ctypes.c_double, [ctypes.c_double]
    xs = [-800.0, -20.0, -1.0, 0.0, 0.5, 30.0, 800.0]
    want = kernels.forward(f, np.array(xs), backend="numpy")
    assert np.allclose([fn(v) for v in xs], want, rtol=1e-14)


@settings(max_examples=12, deadline=None)
@given(st.lists(st.floats(-5, 5).map(lambda v: round(v, 6)), min_size=1, max_size=4,
                unique=True),
       st.lists(st.floats(-3, 3), min_size=5, max_size=5))
def test_pwl_expression_round_trip(breaks, ys):
    breaks = sorted(breaks)
    lines = [(ys[k], ys[k + 1] if k + 1 < 5 else 0.0) for k in range(len(breaks) + 1)]
    f = symbolic.load(emit.pwl_expr(breaks, lines))
    xs = np.linspace(-6, 6, 97)
    k = np.searchsorted(np.array(breaks), xs, side="left")
    want = np.array([lines[i][0] * x + lines[i][1] for i, x in zip(k, xs)])
    assert np.allclose(kernels.forward(f, xs, backend="numpy"), want, rtol=1e-12, atol=1e-12)


@settings(max_examples=12, deadline=None)
@given(st.lists(st.floats(-10, 10), min_size=1, max_size=8))
def test_horner_round_trip(coef):
    f = symbolic.load(emit.horner(coef))
    xs = np.linspace(-2, 2, 41)
    assert np.allclose(kernels.forward(f, xs, backend="numpy"), np.polynomial.Polynomial(coef)(xs),
                       rtol=1e-9, atol=1e-9)


def test_float16_check_against_an_independent_scan():
    g = symbolic.load("hard_sigmoid:pytorch")
    c = certify.dtype_check(g, symbolic.load("sigmoid"), "float16", (-8.0, 8.0))
    every = np.arange(2**16, dtype=np.uint32).astype(np.uint16).view(np.float16)
    xs = every[np.isfinite(every)].astype(np.float64)
    err = np.abs(np.clip(xs / 6 + 0.5, 0, 1) - expit(xs))
    assert c.points == np.unique(xs).size
    assert c.max_abs_error == pytest.approx(err.max(), abs=1e-15)
    assert c.argmax in (xs[np.argmax(err)], -xs[np.argmax(err)])


def test_bfloat16_check_counts_every_value():
    pytest.importorskip("ml_dtypes")
    c = certify.dtype_check(symbolic.load("relu"), symbolic.load("relu"), "bfloat16",
                            (-1.0, 1.0))
    assert c.points == 2 * (2**15 - 2**7) - 1  # finite values, one zero
    assert c.max_abs_error == 0 and c.max_abs_error_derivative == 0


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize("spec", ["hard_sigmoid", "hard_sigmoid(x, alpha=alpha)"])
def test_float32_scan_against_an_independent_enumeration(backend, spec):
    # the catalog kernel and the generic compiled path (an expression); with numba, the two
    # compiled scalars must not be confused with each other (they are evaluated apart)
    if backend not in kernels.backends():
        pytest.skip("numba is not installed")
    info, dt = dtypes.dtype_info("float32"), np.dtype(np.float32)
    lo, hi = 0.5, 0.5 + 2.0**-10
    k0, k1 = dtypes.key(lo, info, dt), dtypes.key(hi, info, dt)
    target = symbolic.load("sigmoid")
    g = symbolic.load(spec, {"alpha": "0.1770649986"})
    (e0, x0), (e1, _), (er, _) = scan(target, g, k0, k1, backend)
    xs = 0.5 + np.arange(2**14 + 1) * 2.0**-24  # float32 spacing in [0.5, 1): exact
    err = np.abs((0.1770649986 * xs + 0.5) - expit(xs))
    assert k1 - k0 + 1 == xs.size
    assert e0 == pytest.approx(err.max(), abs=1e-15) and x0 == xs[np.argmax(err)]
    d = np.abs(0.1770649986 - expit(xs) * (1 - expit(xs)))
    assert e1 == pytest.approx(d.max(), abs=1e-15)
    rounded = np.abs((0.1770649986 * xs + 0.5).astype(np.float32) - expit(xs))
    assert er == pytest.approx(rounded.max(), abs=1e-15)


def test_float32_without_numba_is_skipped_with_a_reason(monkeypatch):
    monkeypatch.setattr(certify, "NUMPY_FLOAT32_MAX", 1000)
    c = certify.dtype_check(symbolic.load("relu"), symbolic.load("relu"), "float32",
                            (-1.0, 1.0), backend="numpy")
    assert c.skipped and "numba" in c.skipped and c.max_abs_error is None


def test_zero_derivative_intervals():
    g = symbolic.load("hard_sigmoid:pytorch")
    assert certify.zero_derivative(g, (-8.0, 8.0)) == [[None, -3.0], [3.0, None]]
    clamp = symbolic.load(emit.clamped("x*x", -1.0, 1.0, 1.0, 1.0))
    assert certify.zero_derivative(clamp, (-1.0, 1.0)) == [[None, -1.0], [1.0, None]]


def test_real_check_finds_a_narrow_interior_peak():
    # |g - f| peaks at 0.3 in the smooth interior, between grid points of the piece
    f = symbolic.load("0*x")
    g = symbolic.load("1/(1000 + 100000000*(x - 0.3001)**2)")
    c = certify.real(g, f, (-1.0, 1.0))
    assert c.max_abs_error == pytest.approx(1e-3, rel=1e-9)
    assert c.argmax == pytest.approx(0.3001, abs=1e-6)


def _alternation(coef, f, lo, hi):
    xs = np.linspace(lo, hi, 200001)
    e = C.Chebyshev(coef, domain=[lo, hi])(xs) - f(xs)
    big = np.abs(e).max()
    peaks = np.flatnonzero(np.abs(e) > big * (1 - 1e-4))
    signs = np.sign(e[peaks])
    return big, 1 + int(np.count_nonzero(np.diff(signs)))


@pytest.mark.parametrize("name,deg", [("tanh", 5), ("gelu", 4), ("sigmoid", 7)])
def test_poly_equioscillates(name, deg):
    fn = symbolic.load(name)

    def f(t):
        return kernels.forward(fn, np.asarray(t, dtype=float), backend="numpy")

    coef = remez.poly(f, deg, (-4.0, 4.0))
    big, changes = _alternation(coef, f, -4.0, 4.0)
    assert changes >= deg + 1  # deg + 2 alternating extrema: Chebyshev's theorem
    interp = C.Chebyshev.interpolate(f, deg, domain=[-4, 4])
    xs = np.linspace(-4, 4, 20001)
    assert big <= np.abs(interp(xs) - f(xs)).max()


def test_rational_beats_the_polynomial_of_as_many_coefficients():
    fn = symbolic.load("tanh")

    def f(t):
        return kernels.forward(fn, np.asarray(t, dtype=float), backend="numpy")

    pn, qn = remez.rational(f, 3, 2, (-4.0, 4.0))
    xs = np.linspace(-4, 4, 20001)
    q = C.Chebyshev(qn, domain=[-4, 4])(xs)
    assert np.all(q > 0)
    rat = np.abs(C.Chebyshev(pn, domain=[-4, 4])(xs) / q - np.tanh(xs)).max()
    poly = np.abs(C.Chebyshev(remez.poly(f, 5, (-4.0, 4.0)), domain=[-4, 4])(xs)
                  - np.tanh(xs)).max()
    assert rat < poly / 3


def test_default_checks_without_ml_dtypes(monkeypatch):
    """Without ml_dtypes the default exhaustive check is float16 alone, not an error."""
    from actviz.approx import default_dtypes

    assert default_dtypes() == ("float16", "bfloat16")
    monkeypatch.setattr("actviz.stability.dtypes.bfloat16", lambda: None)
    assert default_dtypes() == ("float16",)
