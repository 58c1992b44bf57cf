"""The float32 select loops of the numba backend (actviz.kernels.numba_.select32), which run
on CPUs without AVX-512: bit-identical to the general path for every catalog entry and
parameter set they take, at the thresholds and their float32 neighbours, at +-0, +-inf,
NaN and subnormals, forward and backward (dy inf, NaN, 0). The tests call them whatever
the host's ISA is."""

from __future__ import annotations

import numpy as np
import pytest

from actviz import catalog, kernels
from actviz.kernels.plan import plan

pytest.importorskip("numba")
select32 = pytest.importorskip("actviz.kernels.numba_.select32")
from actviz.kernels.numba_ import _loop_run, dialect, loops  # noqa: E402
from actviz.kernels.numba_.policy import PARALLEL_MIN  # noqa: E402

F32 = np.float32
EXTRA = {  # parameter sets besides the defaults: float32 thresholds and ones that are not
    "hardtanh": [{"min_val": "-2", "max_val": "0.5"}, {"min_val": "-0.3", "max_val": "0.7"}],
    "leaky_relu": [{"alpha": "0.25"}, {"alpha": "0"}],
    "thresholded_relu": [{"alpha": "-0.75"}, {"alpha": "0.1"}],
    "softshrink": [{"lambd": "0"}, {"lambd": "1.5"}, {"lambd": "0.3"}],
    "hardshrink": [{"lambd": "2"}],
    "hard_sigmoid": [{"alpha": "0.25", "beta": "0.5"}],
}


def _cases():
    for name in catalog.names():
        for params in [{}, *EXTRA.get(name, [])]:
            pl = plan(name, **params)
            for which in ("f", "d1"):
                if getattr(pl.kernel, which) in select32.SELECT:
                    yield pytest.param(name, params, which, id=f"{name}-{which}-{params}")


def points(pl) -> np.ndarray:
    rng = np.random.default_rng(11)
    base = [*rng.standard_normal(3000) * 4, *pl.p, 0.0, 1e-45, 1e-38, 3e38, np.inf, 0.5, 1.0]
    base = np.array(base + [-v for v in base], dtype=F32)
    near = [np.nextafter(base, F32(s * np.inf)) for s in (1, -1)]
    return np.concatenate([base, *near, [F32(np.nan)]])


def general(pl, which, x, dy):
    out = np.empty_like(x)
    _loop_run(dialect.jitable(getattr(pl.kernel, which)), x, out, pl.p, dy)
    return out


def same_bits(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a.view(np.int32) == b.view(np.int32)) | (np.isnan(a) & np.isnan(b))


@pytest.mark.parametrize("name,params,which", list(_cases()))
def test_select_loop_bit_identical_to_general_path(name, params, which):
    pl = plan(name, **params)
    found = select32._lookup(getattr(pl.kernel, which), pl.p)
    if found is None:  # a parameter that is not a float32 value: the general path keeps it
        assert any(float(F32(v)) != v for v in pl.p)
        return
    fn32, p32 = found
    x = points(pl)
    dy = None
    if which == "d1":
        dy = np.random.default_rng(5).standard_normal(x.size).astype(F32)
        dy[:4] = [np.inf, -np.inf, np.nan, 0.0]
    for parallel, reps in ((False, 1), (True, 1 + PARALLEL_MIN // x.size)):
        xs = np.tile(x, reps)
        ds = None if dy is None else np.tile(dy, reps)
        got = np.empty_like(xs)
        loop = loops.loop(fn32, dy is not None, parallel, True)
        loop(xs, got, p32, 0) if dy is None else loop(ds, xs, got, p32, 0)
        want = general(pl, which, xs, ds)
        bad = np.flatnonzero(~same_bits(got, want))
        assert bad.size == 0, ", ".join(f"x={xs[i]!r}: {got[i]!r} vs {want[i]!r}"
                                        for i in bad[:5])


def test_lookup_only_without_avx512_and_for_float32_parameters(monkeypatch):
    """Forwards without AVX-512 only, backwards everywhere (benchmarks/RESULTS.md, ninth
    round); in both, only where the parameters are float32 values."""
    relu, leaky = plan("relu"), plan("leaky_relu")
    monkeypatch.setattr(select32, "avx512", lambda: True)
    assert select32.lookup(relu.kernel.f, relu.p) is None
    assert select32.lookup(relu.kernel.d1, relu.p, backward=True) is not None
    assert select32.lookup(leaky.kernel.d1, leaky.p, backward=True) is None  # alpha = 0.01
    monkeypatch.setattr(select32, "avx512", lambda: False)
    assert select32.lookup(relu.kernel.f, relu.p) is not None
    assert select32.lookup(leaky.kernel.f, leaky.p) is None  # alpha = 0.01
    quarter = plan("leaky_relu", alpha="0.25")
    assert select32.lookup(quarter.kernel.d1, quarter.p) is not None
    assert select32.lookup(plan("sigmoid").kernel.f, (0.0,) * 4) is None


def test_dispatch_takes_the_select_loop_without_avx512(monkeypatch):
    calls = []
    real = select32.lookup

    def spy(fn, p, backward=False):
        r = real(fn, p, backward)
        calls.append(r is not None)
        return r

    monkeypatch.setattr(select32, "avx512", lambda: False)
    monkeypatch.setattr(select32, "lookup", spy)
    x = (np.random.default_rng(2).standard_normal(1 << 17) * 3).astype(F32)
    got = kernels.backward("hardtanh", np.ones_like(x), x=x, backend="numba")
    want = kernels.backward("hardtanh", np.ones(x.size), x=x.astype(np.float64),
                            backend="numpy")
    assert calls == [True]
    np.testing.assert_array_equal(got, want.astype(F32))
    calls.clear()
    kernels.forward("relu", x.astype(np.float64), backend="numba")  # float64: not asked
    assert calls == []
    monkeypatch.setattr(select32, "avx512", lambda: True)  # backward yes, forward no
    kernels.backward("relu", np.ones_like(x), x=x, backend="numba")
    kernels.forward("relu", x, backend="numba")
    assert calls == [True, False]


def test_avx512_follows_numbas_cpu_override(monkeypatch):
    from numba.core import config

    from actviz.kernels.numba_ import policy

    monkeypatch.setattr(config, "CPU_NAME", None)
    monkeypatch.setattr(config, "CPU_FEATURES", None)
    assert kernels.numba_target() is None
    monkeypatch.setattr(config, "CPU_NAME", "haswell")
    monkeypatch.setattr(config, "CPU_FEATURES", "+64bit,+avx,+avx2,+fma,-avx512f")
    policy.avx512.cache_clear()
    try:
        assert not policy.avx512()
        assert kernels.numba_target() == "haswell, without AVX-512"
        monkeypatch.setattr(config, "CPU_FEATURES", "+avx2,+fma,+avx512f,+avx512bw")
        policy.avx512.cache_clear()
        assert kernels.numba_target() == "haswell, with AVX-512"
    finally:
        policy.avx512.cache_clear()
