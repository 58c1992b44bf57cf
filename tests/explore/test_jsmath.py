"""The formulas as JavaScript: every catalog entry and variant prints (f, f', f'' with the
parameters as names), user expressions with every function of the expression language
print and evaluate like the NumPy reference, and mathlib.js's erf is accurate (run in the
headless browser of the page tests)."""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy

from actviz import symbolic
from actviz.explore.jsmath import function_source, js
from actviz.explore.spec import kink_points, symbolic_spec
from actviz.expr import X

from conftest import ALL_SPECS

IDENT = re.compile(r"(?<![\w.])([A-Za-z_]\w*)")
ALLOWED = {"function", "const", "return", "x", "p", "A", "Math", "NaN", "true", "false",
           "Infinity", "Number"}


@pytest.mark.parametrize("spec", ALL_SPECS)
def test_every_entry_prints_with_its_parameters_as_names(spec):
    s = symbolic_spec(spec)
    for k in range(3):
        src = function_source(s.func.derivative(k), s.params)
        names = {n for n in IDENT.findall(re.sub(r'"[^"]*"', "", src))}
        stray = {n for n in names - ALLOWED if not re.fullmatch(r"P_\w+|_c\d+", n)}
        assert not stray, f"{spec} f^({k}): {stray} in\n{src}"
        for p in s.params:
            assert f'const P_{p} = p["{p}"];' in src


def test_parameter_names_cannot_clash_with_javascript():
    f = symbolic.load("x*sigmoid(p*x) + A*x + NaN*x", {}, free=True)
    src = function_source(f.expr, f.free)
    assert "P_p" in src and "P_A" in src and "P_NaN" in src


def test_printing_details():
    assert js(sympy.Rational(1, 3) * X, stable=False) == "(0.3333333333333333)*x"
    assert js(sympy.Piecewise((X, X > 0)), stable=False) == "((x > 0) ? (x) : (NaN))"
    assert js(sympy.Heaviside(X, 0), stable=False) == "A.heaviside(x, 0)"
    assert js(sympy.exp(X) - 1) == "Math.expm1(x)"  # the stable form
    assert js(sympy.log(1 + X)) == "Math.log1p(x)"
    assert js(1 / X**2, stable=False) == "(1/((x)*(x)))"
    assert "A.erfc_neg" in js(1 + sympy.erf(X))


def test_kink_points_are_functions_of_the_parameters():
    s = symbolic_spec("hard_sigmoid")
    a, b = sympy.symbols("alpha beta", real=True)
    assert [sympy.simplify(p - q) for p, q in zip(kink_points(s.func), [-b / a, (1 - b) / a])] \
        == [0, 0]


EXPRESSIONS = [
    "atan(x) + asinh(x) + log1p(x**2) + expm1(-x**2) + sqrt(1 + x**2)",
    "erf(x) + erfc(x/3) + sech(x) + cosh(x/4) + sinh(x/5) + sin(x) + cos(2*x)",
    "Heaviside(x) + sign(x)*abs(x) + max(x, 0) + min(x, 1)",
    "where(x > 1, x**3, where(x < -1, -1, x/2)) + softplus(-x) + sigmoid(3*x)",
    "x*tanh(softplus(x)) + log(1 + exp(x)) + x/(1 + exp(-x))",
    "csch(x + 10) + coth(x + 10) + atanh(x/20) + tan(x/10) + x^2",
]


@pytest.fixture(scope="module")
def js_page(browser):
    from actviz.explore.page import script

    page = browser.new_page()
    page.route("**/*", lambda route: route.abort())
    page.set_content("<html><body></body></html>")
    page.add_script_tag(content=script("mathlib.js"))
    yield page
    page.close()


def _run(page, src, xs, params=None):
    out = page.evaluate("""([src, xs, p]) => { const f = new Function("A", "return " + src)(A);
        return xs.map(x => { const y = f(x, p); return isFinite(y) ? y : null; }); }""",
                        [src, list(map(float, xs)), params or {}])
    return np.array([np.nan if v is None else v for v in out], dtype=float)


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_user_expressions_evaluate_in_the_browser_like_numpy(js_page, text):
    f = symbolic.load(text)
    xs = np.concatenate([np.linspace(-8, 8, 161), [-1, 0, 1, 1e-9, -30, 30]])
    for k in range(3):
        got = _run(js_page, function_source(f.derivative(k), ()), xs)
        ref = f.numpy(k)(xs)
        ok = np.isfinite(ref)
        assert (np.isfinite(got) == ok).all(), f"{text} f^({k}): finite at different points"
        err = np.abs(got[ok] - ref[ok]) / np.maximum(1, np.abs(ref[ok]))
        assert err.max() <= 1e-11, f"{text} f^({k}): {err.max():.3g}"


def test_erf_and_erfc_are_accurate(js_page):
    import mpmath

    xs = np.concatenate([np.linspace(-30, 30, 1201), np.linspace(-2.2, 2.2, 441)])
    erf = _run(js_page, "function (x, p) { return A.erf(x); }", xs)
    erfc = _run(js_page, "function (x, p) { return A.erfc(x); }", xs)
    with mpmath.workdps(30):
        ref_erf = np.array([float(mpmath.erf(mpmath.mpf(x))) for x in xs])
        ref_erfc = np.array([float(mpmath.erfc(mpmath.mpf(x))) for x in xs])
    tiny = np.abs(ref_erfc) < 1e-300
    assert (np.abs(erf - ref_erf) <= 1.2e-15 * np.abs(ref_erf) + 1e-300).all()
    rel = np.abs(erfc[~tiny] - ref_erfc[~tiny]) / ref_erfc[~tiny]
    assert rel.max() <= 2e-13  # documented in mathlib.js: 1.9e-13 at worst, near x = 2
    assert (erfc[tiny] <= 1e-300).all()
