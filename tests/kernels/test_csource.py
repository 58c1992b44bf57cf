"""The C that the CuPy backend's ElementwiseKernels run, checked without a GPU: every formula
of every catalog kernel, and of user expressions compiled into the same dialect, is traced to
C (actviz.kernels.cupy_.csource), compiled with the system C compiler as a plain loop around
the same body, and compared with the NumPy backend."""

from __future__ import annotations

import ctypes
import shutil
import subprocess

import numpy as np
import pytest

from actviz import kernels
from actviz.kernels import formulas as F
from actviz.kernels import numpy_
from actviz.kernels.cupy_ import csource
from actviz.kernels.cupy_.runner import kernel_source

CC = shutil.which("cc") or shutil.which("gcc")
WHICH = ("f", "d1", "d2", "gy")

X = np.unique(np.concatenate([
    np.linspace(-30, 30, 481), 10.0 ** np.arange(-30, 31, 3.0), -(10.0 ** np.arange(-30, 31, 3.0)),
    [0.0, -0.0, 1e-300, -1e-300, 1e308, -1e308, np.inf, -np.inf]]))
X = np.append(X, np.nan)


EXPRESSIONS = ("x*tanh(softplus(x))", "where(x > 1/3, sin(x), atan(x)) + erf(x)",
               "max(x, 0)**2 + sech(x) - Heaviside(x)", "x/(1 + exp(-x)) + sqrt(abs(x))",
               "log(1 + exp(x))", "tanh(tanh(x))", "cosh(x/40) + sinh(x/40) + asinh(x)")


def _cases():
    for name, k in sorted(F.KERNELS.items()):
        for which in WHICH:
            if getattr(k, which) is not None:
                yield name, which
    for expr in EXPRESSIONS:
        for which in ("f", "d1", "d2"):
            yield expr, which


def _kernel(name):
    return kernels.plan(name).kernel


CASES = list(_cases())


def _c_function(cname: str, fn, binary: bool) -> str:
    body = kernel_source(fn, binary, False)[2]
    return (f"void {cname}(const double* xs, const double* dys, double* ys, long n, "
            "double p0, double p1, double p2, double p3) {\n"
            "  for (long i = 0; i < n; i++) {\n"
            "    const double x = xs[i]; const double dy = dys ? dys[i] : 1.0; double y;\n"
            f"    {body}\n"
            "    ys[i] = y; (void)dy; (void)p0; (void)p1; (void)p2; (void)p3;\n  }\n}\n")


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    if CC is None:
        pytest.skip("no C compiler")
    d = tmp_path_factory.mktemp("csource")
    src = ["#include <math.h>", "#define Y double", csource.preamble("static inline")]
    for i, (name, which) in enumerate(CASES):
        src.append(_c_function(f"k{i}", getattr(_kernel(name), which), which == "d1"))
    (d / "k.c").write_text("\n".join(src))
    subprocess.run([CC, "-O1", "-std=c99", "-shared", "-fPIC", "-o", str(d / "k.so"),
                    str(d / "k.c"), "-lm"], check=True, capture_output=True)
    return ctypes.CDLL(str(d / "k.so"))


@pytest.mark.parametrize("name,which", CASES)
def test_traced_c_matches_numpy(lib, name, which):
    pl = kernels.plan(name)
    p = pl.p
    x = X.copy()
    if which == "gy":  # the gradient from the output: feed it outputs
        x = np.empty_like(X)
        numpy_.run(pl, "f", X, None, x)
    dy = np.where(np.arange(x.size) % 2 == 0, 0.75, -1.5) if which == "d1" else None
    want = np.empty_like(x)
    numpy_.run(pl, which, x, dy, want)
    got = np.empty_like(x)
    dbl = ctypes.POINTER(ctypes.c_double)
    cfn = getattr(lib, f"k{CASES.index((name, which))}")
    cfn(x.ctypes.data_as(dbl), None if dy is None else dy.ctypes.data_as(dbl),
        got.ctypes.data_as(dbl), ctypes.c_long(x.size), *map(ctypes.c_double, p))
    np.testing.assert_allclose(got, want, rtol=1e-11, atol=0, equal_nan=True,
                               err_msg=f"{name} {which}")


def test_tracer_refuses_branches_and_unknown_functions():
    def branches(x, p, t):
        return x if x > 0 else -x

    with pytest.raises(TypeError, match="sel"):
        csource.trace(branches)
    with pytest.raises(TypeError, match="does not know"):
        csource.trace(lambda x, p, t: np.floor(x))


def test_source_is_straight_line_and_one_pass():
    ins, outs, body, name = kernel_source(F.KERNELS["mish"].d1, True, False)
    assert ins.startswith("D dy, X x,") and outs == "Y y" and name == "actviz_mish_d1_bwd"
    assert "if" not in body and "for" not in body
    assert body.splitlines()[-1].startswith("y = (Y)((double)dy * (xv != xv ? xv :")
    half = kernel_source(F.KERNELS["mish"].f, False, True)[2]
    assert half.splitlines()[-1].startswith("y = (float)(")
