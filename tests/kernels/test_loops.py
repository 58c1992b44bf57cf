"""The numba backend's loop kinds (actviz.kernels.numba_.loops): the parallel loops with
software prefetch (used for arrays of HINT_MIN_BYTES and more) give bit for bit the plain
loops' results, for each body shape (a fast-path float32 formula in runs of one cache line,
with and without its own NaN handling; a select formula and float64-path formulas in runs
of RUN), at lengths that are no multiple of a run or a slice, with NaN, +-inf and +-0
scattered through; and the dispatcher takes them from that size on."""

from __future__ import annotations

import re

import numpy as np
import pytest

from actviz import kernels
from actviz.kernels.plan import plan

pytest.importorskip("numba")
from actviz.kernels.numba_ import dialect, formulas32, loops, select32  # noqa: E402

F32 = np.float32
N = 3 * loops.SLICE + loops.RUN + 21  # no multiple of a run, a slice or a line


def _data(dtype):
    rng = np.random.default_rng(11)
    x = (rng.standard_normal(N) * 6).astype(dtype)
    specials = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-40, -1e-40], dtype=dtype)
    x[rng.integers(0, N, 64)] = np.resize(specials, 64)
    dy = rng.standard_normal(N).astype(dtype)
    dy[:3] = [np.inf, np.nan, 0.0]
    return x, dy


def _fast(name, which):
    pl = plan(name)
    return formulas32.lookup(pl.kernel.name, which, pl.exact, pl.p)


def _select(name, which):
    pl = plan(name)
    return select32._lookup(getattr(pl.kernel, which), pl.p)


def _general(name, which):
    pl = plan(name)
    return dialect.jitable(getattr(pl.kernel, which)), pl.p


CASES = [  # (label, formula and parameters, binary, float32 loop, data dtype)
    ("gelu f (fast, passes NaN)", lambda: _fast("gelu", "f"), False, True, F32),
    ("silu f' (fast, passes NaN)", lambda: _fast("silu", "d1"), True, True, F32),
    ("elu f (fast, NaN tested)", lambda: _fast("elu", "f"), False, True, F32),
    ("relu f' (select)", lambda: _select("relu", "d1"), True, True, F32),
    ("mish f'' (float64 path, float32 data)", lambda: _general("mish", "d2"), False, False, F32),
    ("leaky_relu f' (float64 data)", lambda: _general("leaky_relu", "d1"), True, False,
     np.float64),
]


def _vector_loop_with_hints(lp) -> bool:
    """Whether the prefetching body in ``lp``'s asm has a loop of vector code with the
    hints in it (the body is the function named *_ahead; prefetchw where the CPU has it)."""
    lines = "".join(lp.inspect_asm().values()).splitlines()
    start = next(i for i, s in enumerate(lines)
                 if re.match(r"^[\w.$]+:", s) and "ahead" in s and not s.startswith("."))
    end = next(i for i in range(start + 1, len(lines)) if ".Lfunc_end" in lines[i])
    body = lines[start:end]
    labels = {m.group(1): k for k, s in enumerate(body) if (m := re.match(r"^(\.?L\w+):", s))}
    for k, s in enumerate(body):
        m = re.match(r"\s+j\w+\s+(\.?L\w+)", s)
        if m and labels.get(m.group(1), k) < k:
            run = body[labels[m.group(1)]:k + 1]
            if any(r in t for t in run for r in ("zmm", "ymm")) and \
                    any("prefetch" in t for t in run):
                return True
    return False


_FAST = sorted({(fn.__module__, fn.__name__): (name, which)
                for (name, which), fn in formulas32.FAST.items()}.values())


@pytest.mark.parametrize("name,which", _FAST, ids=[f"{n}:{w}" for n, w in _FAST])
def test_every_fast_formula_prefetching_loop_is_vector_code(monkeypatch, name, which):
    """With the defaults of the catalog entry; a formula of a few operations needs
    ``math32.short`` (a run of one line of it is unrolled into scalar code)."""
    found = _fast(name, which)
    if found is None:
        pytest.skip("not on the fast path with its defaults")
    fn, p = found
    binary = which != "f"
    lp = _fresh(monkeypatch, fn, binary, True, True, True)
    x = np.linspace(-5, 5, 3 * loops.SLICE, dtype=F32)
    out = np.empty_like(x)
    lp(x, x, out, p, 0) if binary else lp(x, out, p, 0)
    assert _vector_loop_with_hints(lp)


def _fresh(monkeypatch, fn, binary, f32, parallel, hinted):
    """A loop compiled here and now, uncached (its asm is there to read), under names of
    its own (a loop of the same name loaded from numba's cache could share its symbols)."""
    named = loops._named
    monkeypatch.setattr(loops, "_named", lambda f, g, what: named(f, g, what + "_fresh"))
    kind, make = loops._MAKERS[binary, f32]
    lp = make(fn, loops._bodies(fn, f32, binary), kind, parallel, hinted, False, f32)
    monkeypatch.setattr(loops, "_named", named)
    return lp


def _same_bits(a, b):
    ints = np.int32 if a.dtype == F32 else np.int64
    return (a.view(ints) == b.view(ints)) | (np.isnan(a) & np.isnan(b))


@pytest.mark.parametrize("label,formula,binary,f32,dtype", CASES, ids=[c[0] for c in CASES])
def test_hinted_loops_match_plain_ones(monkeypatch, label, formula, binary, f32, dtype):
    fn, p = formula()
    x, dy = _data(dtype)
    tag = 0 if f32 else dtype(0)
    outs = []
    for parallel, hinted in ((False, False), (True, True)):
        out = np.empty_like(x)
        lp = _fresh(monkeypatch, fn, binary, f32, parallel, hinted)
        lp(dy, x, out, p, tag) if binary else lp(x, out, p, tag)
        outs.append(out)
        asm = "".join(lp.inspect_asm().values())
        assert ("prefetch" in asm) == hinted  # the hints are there, and only there
    bad = np.flatnonzero(~_same_bits(*outs))
    assert bad.size == 0, ", ".join(f"x={x[i]!r}: {outs[0][i]!r} vs {outs[1][i]!r}"
                                    for i in bad[:5])


def test_dispatcher_takes_the_hinted_loops_for_large_arrays(monkeypatch):
    """From HINT_MIN_BYTES on; the same values either way."""
    x = np.linspace(-9, 9, loops.SLICE * 5 + 3, dtype=F32)
    plain = kernels.forward("softsign", x, backend="numba")
    asked, real = [], loops.loop

    def spy(fn, binary, parallel, f32=False, hinted=False):
        asked.append(hinted)
        return real(fn, binary, parallel, f32, hinted)

    monkeypatch.setattr(loops, "loop", spy)
    kernels.forward("softsign", x, backend="numba")  # below the size: plain
    monkeypatch.setattr(loops, "HINT_MIN_BYTES", x.nbytes)
    hinted = kernels.forward("softsign", x, backend="numba")
    assert asked == [False, True]
    np.testing.assert_array_equal(plain.view(np.int32), hinted.view(np.int32))
