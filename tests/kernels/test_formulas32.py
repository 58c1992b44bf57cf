"""The numba backend's float32 fast path (actviz.kernels.numba_.formulas32) where it is
hardest: next to the interior zeros of f' (mish, silu), where the result is subnormal, at the
clamps of the exponential, at the window edges and at the far tails; against mpmath at 60
digits."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest

from actviz import kernels, symbolic

numba = pytest.importorskip("numba")
fast32 = pytest.importorskip("actviz.kernels.numba_.formulas32")
gelu32 = pytest.importorskip("actviz.kernels.numba_.gelu32")

F32 = np.float32
ULPS = 4
PAIRS = sorted(fast32.FAST)


def _around(x0: float, n: int) -> list[float]:
    """x0 rounded to float32 and its n float32 neighbours on each side."""
    c = F32(x0)
    out = [c]
    lo = hi = c
    for _ in range(n):
        lo, hi = np.nextafter(lo, F32(-np.inf)), np.nextafter(hi, F32(np.inf))
        out += [lo, hi]
    return out


def points() -> np.ndarray:
    rng = np.random.default_rng(7)
    pts = [*rng.uniform(-12, 12, 300), *rng.uniform(-130, -80, 120), *rng.uniform(80, 130, 40)]
    pts += [*(-(10.0 ** rng.uniform(-40, 38, 80))), *(10.0 ** rng.uniform(-40, 38, 80))]
    for zero in (fast32.MISH0.x0, fast32.SILU0.x0):
        pts += _around(zero, 20)
        for edge in (-0.25, -0.1875, -0.125, 0.125, 0.1875, 0.25):
            pts += _around(zero + edge, 3)
    # gelu: the zero of f' (-a0), the clamp, where x Q(|x|) turns subnormal and underflows
    a0 = -float(gelu32._GA0)
    pts += _around(a0, 20) + _around(-a0, 3) + _around(-14.75, 3) + _around(14.75, 3)
    pts += [*rng.uniform(-14.6, -12.9, 60), *rng.uniform(-4, 4, 200)]
    pts += _around(-104.0, 3) + _around(-125.0, 3) + _around(-87.33655, 3)
    pts += [0.0, -0.0, 1e-45, -1e-45, 0.5, -0.5]
    for kink in (-3.0, -1.5, 3.0):  # hardswish's kinks and the zero of its f'
        pts += _around(kink, 4)
    return np.unique(np.array(pts, dtype=F32))


def ulp_error(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    w32 = want.astype(F32)
    unit = np.spacing(np.abs(w32)).astype(np.float64)
    err = np.abs(got.astype(np.float64) - want) / unit
    return np.where(got == w32, 0.0, err)


def truth(name: str, order: int, x: np.ndarray) -> np.ndarray:
    fm = symbolic.load(name).mpmath(order)
    with mpmath.workdps(60):
        return np.array([float(mpmath.re(fm(mpmath.mpf(float(v))))) for v in x])


@pytest.mark.parametrize("name,which", PAIRS)
def test_fast_path_within_4_ulp(name, which):
    x = points()
    order = {"f": 0, "d1": 1}[which]
    got = kernels.derivative(name, x, order, backend="numba")
    assert got.dtype == F32
    want = truth(name, order, x)
    err = ulp_error(got, want)
    bad = np.flatnonzero(err > ULPS)
    assert bad.size == 0, ", ".join(f"x={x[i]!r} got {got[i]!r} want {want[i]!r} "
                                    f"({err[i]:.1f} ulp)" for i in bad[:5])


@pytest.mark.parametrize("name,which", PAIRS)
def test_fast_path_is_taken_and_matches_numpy(name, which, monkeypatch):
    """The float32 loops are the ones running (not the float64 fallback), and they agree
    with the NumPy backend on a large array (the parallel loop)."""
    calls = []
    real = fast32.lookup

    def spy(*args):
        r = real(*args)
        calls.append(r is not None)
        return r

    monkeypatch.setattr(fast32, "lookup", spy)
    x = (np.random.default_rng(3).standard_normal(1 << 17) * 6).astype(F32)
    order = {"f": 0, "d1": 1}[which]
    got = kernels.derivative(name, x, order, backend="numba")
    want = kernels.derivative(name, x.astype(np.float64), order, backend="numpy")
    assert calls == [True]
    assert ulp_error(got, want).max() <= ULPS


@pytest.mark.parametrize("name,which", PAIRS)
@pytest.mark.parametrize("size", [37, 1 << 17])  # the serial and the parallel loop
def test_nan_in_gives_nan_out(name, which, size):
    """Every fast-path formula, forward and backward, with NaNs of both signs and other
    payloads among values of every kind (0, +-inf, the clamps, subnormals): NaN exactly
    where x or dy is NaN, whether the loop tests for it or the formula passes it
    (math32.passes_nan)."""
    rng = np.random.default_rng(11)
    special = np.array([0.0, -0.0, np.inf, -np.inf, 1e-45, -1e-45, 14.75, -14.75, -125.0,
                        -104.0, 88.0, -88.0, 1e30, -1e30], dtype=F32)
    x = np.resize(np.concatenate([special, (rng.standard_normal(size) * 8).astype(F32)]),
                  size).astype(F32)
    nans = np.array([0x7FC00000, 0xFFC00000, 0x7F800001, 0xFFBFFFFF], dtype=np.uint32)
    at = rng.choice(size, size=max(4, size // 50), replace=False)
    x[at] = nans[np.arange(at.size) % 4].view(F32)
    order = {"f": 0, "d1": 1}[which]
    got = kernels.derivative(name, x, order, backend="numba")
    np.testing.assert_array_equal(np.isnan(got), np.isnan(x))
    dy = np.ones_like(x)
    dy[::7] = np.nan
    back = kernels.backward(name, dy, x=x, backend="numba") if which == "d1" else None
    if back is not None:
        np.testing.assert_array_equal(np.isnan(back), np.isnan(x) | np.isnan(dy))


@pytest.mark.parametrize("name,which", PAIRS)
@pytest.mark.parametrize("size", [2, 1 << 17])  # the serial and the parallel loop
def test_signed_zeros_as_the_float64_path(name, which, size):
    """f(+-0) and f'(+-0) bit for bit as the float64 path (tanh(+0) = +0, elu(-0) = -0,
    gelu(-0) = -0: each was the other zero once)."""
    x = np.resize(np.array([0.0, -0.0], dtype=F32), size)
    order = {"f": 0, "d1": 1}[which]
    got = kernels.derivative(name, x, order, backend="numba")
    want = kernels.derivative(name, x.astype(np.float64), order, backend="numpy")
    np.testing.assert_array_equal(got.view(np.int32), want.astype(F32).view(np.int32))


def test_passes_nan_marks_the_long_formulas():
    """The marked formulas are the compute-bound ones (the NaN test is 3-6% of their time);
    the short ones keep the loop's test."""
    marked = {k for k, fn in fast32.FAST.items() if getattr(fn, "passes_nan", False)}
    assert {("gelu", "f"), ("gelu", "d1"), ("silu", "f"), ("silu", "d1"), ("tanh", "f"),
            ("mish", "d1"), ("sigmoid", "f")} <= marked
    assert ("elu", "f") not in marked  # x = NaN takes its x <= 0 branch with 0


def test_fast_path_only_where_arguments_of_exp_are_exact():
    p = (2.0, 0.0, 0.0, 0.0)
    assert fast32.lookup("silu", "d1", {"alpha": Fraction(2)}, p) is None
    assert fast32.lookup("celu", "f", {"alpha": Fraction(1, 2)}, p) is None
    assert fast32.lookup("elu", "f", {"alpha": Fraction(1, 2)}, p) is not None
    assert fast32.lookup("mish", "d2", {}, p) is None  # f'' keeps the float64 path
    # and the fallback is still exact: silu with alpha = 2 at far negative x
    x = np.array([-60.0, -30.0, -1.0], dtype=F32)
    got = kernels.derivative("silu", x, 1, backend="numba", alpha=2)
    fm = symbolic.load("silu", {"alpha": "2"}).mpmath(1)
    with mpmath.workdps(60):
        want = np.array([float(fm(mpmath.mpf(float(v)))) for v in x])
    assert ulp_error(got, want).max() <= ULPS


@pytest.mark.parametrize("alpha,beta,fast", [("1/6", "1/2", True), ("1/4", "1/4", True),
                                             ("1/8", "3/4", True), ("3/10", "1/2", False)])
def test_hardswish_fast_path_parameters(alpha, beta, fast):
    """hardswish goes the float32 way only where 1/alpha and both kinks are float32 values
    (not for alpha = 0.3), and there f and f' are correctly rounded against 60 digits, also
    where a kink's |k0| < k1 (1/4, 1/4: -1 and 3) leaves Fast2Sum's condition."""
    exact = {"alpha": Fraction(alpha), "beta": Fraction(beta)}
    assert (fast32.lookup("hardswish", "f", exact, ()) is not None) is fast
    k0 = -Fraction(beta) / Fraction(alpha)
    k1 = (1 - Fraction(beta)) / Fraction(alpha)
    rng = np.random.default_rng(11)
    x = np.unique(np.concatenate([rng.uniform(float(k0) - 1, float(k1) + 1, 4000),
                                  _around(float(k0), 4), _around(float(k1), 4),
                                  _around(float(k0) / 2, 4)]).astype(F32))
    for order in (0, 1):
        got = kernels.derivative("hardswish", x, order, backend="numba", alpha=alpha, beta=beta)
        fm = symbolic.load("hardswish", {"alpha": alpha, "beta": beta}).mpmath(order)
        with mpmath.workdps(60):
            want = np.array([float(fm(mpmath.mpf(float(v)))) for v in x])
        assert ulp_error(got, want).max() <= (0.5 if fast else ULPS), order


@pytest.mark.parametrize("zero", ["MISH0", "SILU0"])
def test_zero_windows_expand_the_bracket_exactly(zero):
    """B(x0 + d) = d h(d) on the window, with x0 and h's Taylor coefficients derived at
    import: checked against B evaluated at 50 digits (h is truncated: far below float32's
    6e-8 relative)."""
    z = getattr(fast32, zero)
    mpmath.mp.dps = 50
    try:
        if zero == "MISH0":
            def b(x):
                v = mpmath.exp(x)
                return 4 * (1 + x) + v * (6 + 4 * x) + 4 * v ** 2 + v ** 3
        else:
            def b(x):
                return 1 + x + mpmath.exp(x)
        x0 = mpmath.findroot(b, z.x0)
        assert abs(float(x0) - z.x0) <= 2e-16 * abs(z.x0)
        for d in (-0.125, -0.05, 1e-6, 0.07, 0.125):
            want = b(x0 + d) / d
            got = sum(c * d ** k for k, c in enumerate(z.c))
            assert abs(got - float(want)) <= 1e-10 * abs(float(want))
    finally:
        mpmath.mp.dps = 15


@pytest.mark.parametrize("zero,window,degree", [("MISH0", 0.1875, 7), ("SILU0", 0.25, 6)])
def test_zero_windows_truncated_series(zero, window, degree):
    """The float32 formulas evaluate h only to degree 7 (mish') and 6 (silu') in their
    windows: the dropped terms stay below 2**-28 relative over the whole window."""
    assert float(getattr(fast32, "_MW" if zero == "MISH0" else "_SW")) == window
    c = getattr(fast32, zero).c
    for d in np.linspace(-window, window, 81):
        full = sum(ck * d ** k for k, ck in enumerate(c))
        cut = sum(ck * d ** k for k, ck in enumerate(c[:degree + 1]))
        assert abs(cut - full) <= 2.0 ** -28 * abs(full), d


def test_gelu_float32_fits():
    """gelu's float32 fits (made at import) against mpmath at 40 digits: c M(a) = R / (s a R
    + P), s = sqrt(2 pi) as a float32, within 0.35 2**-24 relative (its own error, 0.31 u
    on a fine grid; the formula adds float32 rounding), P(0)/R(0) = 2 exactly (= s/M(0)),
    every coefficient positive (no cancellation in the Horner chains for a >= 0);
    c (M(a) - a) = (a0 - a) W(t), t = 1/(1 + a/2), within 2**-23; over [0, A_MAX]."""
    from numpy.polynomial import polynomial as P

    gp, gr = (np.array(c, dtype=np.float64) for c in (gelu32._GP, gelu32._GR))
    assert (gp > 0).all() and (gr > 0).all()
    assert gp[0] == 2 * gr[0]
    s = float(gelu32._S)
    with mpmath.workdps(40):
        a0 = mpmath.findroot(lambda a: _mills(a) - a, 0.75)
        assert abs(float(a0) - (float(gelu32._GA0_HI) + float(gelu32._GA0_LO))) < 1e-14
        for a in np.linspace(0.0, float(gelu32._GA_MAX), 121):
            m = _mills(mpmath.mpf(a))
            r = P.polyval(a, gr)
            cm = float(m / mpmath.sqrt(2 * mpmath.pi))
            assert abs(r / (s * a * r + P.polyval(a, gp)) / cm - 1) < 0.35 * 2.0 ** -24, a
            t = 1.0 / (1.0 + a / 2.0)
            if abs(a - float(a0)) > 1e-6:
                w = float((m - a) / mpmath.sqrt(2 * mpmath.pi) / (a0 - a))
                got = P.polyval(t, np.array(gelu32._GW, dtype=np.float64))
                assert abs(got / w - 1) < 2.0 ** -23, a


def _mills(a):
    """Q(a)/phi(a) in mpmath."""
    return mpmath.sqrt(mpmath.pi / 2) * mpmath.erfc(a / mpmath.sqrt(2)) * mpmath.exp(a * a / 2)


@pytest.mark.parametrize("short,to_exp,to_expm1", [(False, 0.5, 1.3), (True, 0.62, 1.6)])
def test_expm1_polynomials_in_float32(short, to_exp, to_expm1):
    """math32's expm1(r) polynomials (fitted at import) evaluated in float32 over the
    reduced range |r| <= 0.35, their own rounding included, against mpmath: within
    ``to_exp`` units of 2**-24 of exp(r) (what exp32 inherits) and ``to_expm1`` of
    expm1(r) (what expm1_32 returns for k = 0)."""
    from numba import njit

    from actviz.kernels.numba_ import math32

    poly = math32.expm1_poly_short if short else math32.expm1_poly

    @njit(fastmath={"contract"}, error_model="numpy")
    def run(r, out):
        for i in range(r.size):
            out[i] = poly(r[i])

    r = np.linspace(-0.35, 0.35, 14001, dtype=F32)
    r = r[r != 0]
    got = np.empty_like(r)
    run(r, got)
    want = np.array([float(mpmath.expm1(mpmath.mpf(float(v)))) for v in r])
    err = np.abs(got.astype(np.float64) - want) / 2.0 ** -24
    assert (err / (1.0 + want)).max() <= to_exp
    assert (err / np.abs(want)).max() <= to_expm1
