"""numba's start-up as actviz sets it up: the BLAS probe answered without scipy.linalg; the
loops' disk cache across processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _python(code: str) -> str:
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                       text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


def test_a_compiled_kernel_does_not_import_scipy_linalg():
    pytest.importorskip("numba")
    linalg_loaded, have_blas = _python("""
        import sys
        import numpy as np
        from actviz import kernels
        kernels.forward("sigmoid", np.linspace(-1, 1, 5), backend="numba")
        from numba.np import arraymath
        print("scipy.linalg" in sys.modules, arraymath._HAVE_BLAS)
    """)
    assert linalg_loaded == "False"
    # numba's own answer (it imports scipy.linalg to find out)
    assert have_blas == str(__import__("importlib").util.find_spec("scipy") is not None)


def test_numba_still_checks_blas_where_a_loop_uses_it():
    pytest.importorskip("numba")
    pytest.importorskip("scipy")
    (value,) = _python("""
        import numpy as np
        from numba import njit
        from actviz import kernels
        kernels.forward("sigmoid", np.linspace(-1, 1, 5), backend="numba")
        print(njit(lambda a: np.dot(a, a))(np.arange(3.0)))
    """)
    assert float(value) == 5.0


_CACHED = """
    import sys
    import numpy as np
    from actviz import kernels
    from actviz.kernels.numba_ import loops
    x = (np.random.default_rng(3).standard_normal(1 << 17) * 6).astype(np.float32)
    for name in sys.argv[1:]:
        got = kernels.forward(name, x, backend="numba").astype(np.float64)
        want = kernels.forward(name, x.astype(np.float64), backend="numpy")
        print(name, np.max(np.abs(got - want) / np.abs(want)))
    print(sum(sum(v.stats.cache_hits.values()) for v in loops._LOOPS.values()))
"""


def test_cached_parallel_loops_load_and_run_their_own_formula(tmp_path):
    """A parallel float32 loop compiled in one process loads from the disk cache in the
    next (no compile), and runs its own formula there even after another loop of the same
    kind was compiled first (their bodies once shared one symbol name: softplus's cached
    loop ran log_sigmoid's body)."""
    pytest.importorskip("numba")
    cache = str(tmp_path / "numba")

    def run(*names):
        r = subprocess.run([sys.executable, "-c", textwrap.dedent(_CACHED), *names],
                           capture_output=True, text=True, timeout=300, cwd=ROOT,
                           env={**os.environ, "NUMBA_CACHE_DIR": cache})
        assert r.returncode == 0, r.stderr
        *rows, hits = r.stdout.split("\n")[:-1]
        for row in rows:
            assert float(row.split()[1]) < 1e-6, row
        return int(hits)

    assert run("softplus") == 0
    assert run("log_sigmoid", "softplus") == 1
