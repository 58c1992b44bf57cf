"""numba's start-up as actviz sets it up: the BLAS probe answered without scipy.linalg."""

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
