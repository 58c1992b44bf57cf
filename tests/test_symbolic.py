import math
import operator

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from actviz import catalog, check, symbolic
from actviz.errors import ActvizError

from conftest import ALL_SPECS
from references import REFERENCES

XS = np.concatenate([np.linspace(-12, 12, 481), [-40.0, -25.0, 25.0, 40.0]])


def test_every_spec_has_an_independent_reference():
    assert set(ALL_SPECS) <= set(REFERENCES), set(ALL_SPECS) - set(REFERENCES)


def test_forward_matches_independent_reference(spec):
    f = symbolic.load(spec)
    got, want = f.numpy(0)(XS), REFERENCES[spec](XS.copy())
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("order", [1, 2])
def test_derivatives_agree_with_mpmath(spec, order):
    """The audit: lambdified sympy derivative vs mpmath.diff of f at 50 digits."""
    result = check.audit(symbolic.load(spec), order, n=120)
    assert result.ok, result


TORCH_NAMES = [e.name for e in catalog.ENTRIES if e.torch] + ["hard_sigmoid:pytorch"]


@pytest.mark.parametrize("spec", TORCH_NAMES)
def test_forward_and_gradient_match_torch(spec):
    torch = pytest.importorskip("torch")
    f = symbolic.load(spec)
    path = f.entry.torch if ":" not in spec else "torch.nn.functional.hardsigmoid"
    fn = operator.attrgetter(path.removeprefix("torch."))(torch)
    x = torch.tensor(XS[np.abs(XS) < 20], dtype=torch.float64, requires_grad=True)
    y = fn(x)
    (g,) = torch.autograd.grad(y.sum(), x)
    np.testing.assert_allclose(f.numpy(0)(x.detach().numpy()), y.detach().numpy(),
                               rtol=1e-12, atol=1e-14)
    # torch multiplies hardsigmoid's gradient by a float32 1/6 (REFERENCE.md)
    rtol = 1e-7 if spec == "hard_sigmoid:pytorch" else 1e-12
    np.testing.assert_allclose(f.numpy(1)(x.detach().numpy()), g.numpy(), rtol=rtol, atol=1e-14)


@pytest.mark.parametrize("spec,points,expected", [
    ("hard_sigmoid", [-2.5, 2.5], [0.0, 0.0]),
    ("hard_sigmoid:pytorch", [-3, 3], [0.0, 0.0]),
    ("thresholded_relu", [1.0], [0.0]),
    ("relu", [0.0], [0.0]),
    ("leaky_relu", [0.0], [0.01]),
    ("elu", [0.0], [1.0]),
    ("hardswish", [-3.0, 3.0], [0.0, 1.0]),
    ("relu6", [0.0, 6.0], [0.0, 0.0]),
    ("hardshrink", [-0.5, 0.5], [0.0, 0.0]),
])
def test_gradient_conventions_at_kinks(spec, points, expected):
    f = symbolic.load(spec)
    d1 = f.derivative(1)
    got = [float(d1.subs(symbolic.X, sympy.nsimplify(p))) for p in points]
    assert got == expected
    np.testing.assert_array_equal(f.numpy(1)(np.array(points, dtype=float)), expected)


def test_thresholded_relu_is_strict():
    f = symbolic.load("thresholded_relu")
    assert list(f.numpy(0)(np.array([1.0, np.nextafter(1.0, 2)]))) == [0.0, np.nextafter(1.0, 2)]


def test_short_derivatives():
    assert str(symbolic.load("softplus").derivative(1)) == "sigmoid(x)"
    assert str(symbolic.load("mish").derivative(1)) == (
        "x*sech(softplus(x))**2*sigmoid(x) + tanh(softplus(x))")
    assert str(symbolic.load("softsign").derivative(1)) == "(Abs(x) + 1)**(-2)"
    assert str(symbolic.load("softsign").derivative(2)) == "-2*sign(x)/(Abs(x) + 1)**3"


@pytest.mark.parametrize("spec,order", [("mish", 3), ("sigmoid", 4), ("gelu", 4),
                                        ("softsign", 3)])
def test_higher_orders_agree_with_mpmath(spec, order):
    assert check.audit(symbolic.load(spec), order, n=40).ok


def test_order_limits():
    with pytest.raises(ActvizError):
        symbolic.load("mish").derivative(99)
    with pytest.raises(ActvizError):
        symbolic.load("mish").derivative(-1)


def test_renderings():
    f = symbolic.load("mish")
    assert "sech" in f.render(1, "unicode")
    assert r"\sigma\left(x\right)" in f.render(1, "latex")
    assert f.render(1, "sympy") == str(f.derivative(1))
    with pytest.raises(ActvizError):
        f.render(1, "html")


def test_sympy_text_round_trips_through_the_safe_parser(spec):
    from actviz.expr import parse

    f = symbolic.load(spec)
    for k in (0, 1):
        text = f.render(k, "sympy")
        again = parse(text)
        xs = np.linspace(-7.3, 7.3, 57)
        np.testing.assert_allclose(symbolic.numpy_function(again)(xs), f.numpy(k)(xs),
                                   rtol=1e-12, atol=1e-15)


@settings(max_examples=60, deadline=None)
@given(st.floats(-30, 30))
def test_identities(x):
    sp, sg, ls = (symbolic.load(n) for n in ("softplus", "sigmoid", "log_sigmoid"))
    assert sp.numpy(1)(x) == pytest.approx(float(sg.numpy(0)(x)), rel=1e-14, abs=1e-300)
    assert ls.numpy(1)(x) == pytest.approx(float(sg.numpy(0)(-x)), rel=1e-14, abs=1e-300)
    t = symbolic.load("tanh").numpy(0)(x)
    assert t == pytest.approx(2 * float(sg.numpy(0)(2 * x)) - 1, abs=1e-15)


def test_user_expression_with_parameters():
    f = symbolic.load("x*sigmoid(b*x)", {"b": "1.5"})
    g = symbolic.load("silu", {"alpha": "1.5"})
    xs = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(f.numpy(1)(xs), g.numpy(1)(xs), rtol=1e-14)


def test_user_expression_equals_catalog_mish():
    f = symbolic.load("x*tanh(softplus(x))")
    assert sympy.simplify(f.derivative(1) - symbolic.load("mish").derivative(1)) == 0


def test_catalog_functions_callable_in_expressions():
    f = symbolic.load("hard_sigmoid(x, alpha=1/6)")
    g = symbolic.load("hard_sigmoid:pytorch")
    xs = np.linspace(-4, 4, 33)
    np.testing.assert_array_equal(f.numpy(0)(xs), g.numpy(0)(xs))


def test_mpmath_function_is_high_precision():
    f = symbolic.load("softplus")
    with mpmath.workdps(50):
        v = f.mpmath(0)(mpmath.mpf(-100))
    assert math.isclose(float(v), math.exp(-100), rel_tol=1e-15)


@pytest.mark.parametrize("spec,x,order", [
    ("gelu", -20.0, 0), ("gelu", -20.0, 1), ("elu", -1e-10, 0), ("sigmoid", 40.0, 1),
    ("gelu:tanh", -6.0, 0), ("celu", -1e-12, 0), ("softplus", -700.0, 0),
])
def test_numeric_forms_avoid_cancellation(spec, x, order):
    """numpy(k) uses expm1, erfc(-a), sigmoid(-a) where the sympy form would cancel."""
    f = symbolic.load(spec)
    with mpmath.workdps(400):
        want = mpmath.diff(f.mpmath(0), mpmath.mpf(x), order)
    assert float(f.numpy(order)(x)) == pytest.approx(float(want), rel=1e-13)


def test_one_rule_for_shared_parameters():
    """Each -p goes to every name that takes it; a parameter nobody takes is an error, the
    same message from every command (it used to pass silently for expressions in show)."""
    f, g, h = symbolic.load_all(["elu", "x*sigmoid(b*x)", "selu"], {"alpha": "2", "b": "3"})
    assert f.params["alpha"] == "2" and h.params["alpha"] == "2"
    assert g.params == {"b": "3"}
    with pytest.raises(ActvizError, match="parameter 'b' is not used by x\\*tanh\\(x\\)"):
        symbolic.load_all(["x*tanh(x)"], {"b": "2"})
    with pytest.raises(ActvizError, match="parameter 'b' is not used by x\\*tanh\\(x\\)"):
        symbolic.load("x*tanh(x)", {"b": "2"})
    with pytest.raises(ActvizError, match="their parameters: alpha"):
        symbolic.load_all(["elu", "relu"], {"gamma": "1"})


@pytest.mark.parametrize("spec", ["gelu:tanh", "hard_sigmoid:pytorch", "selu:pytorch",
                                  "hard_sigmoid:keras2"])
def test_variants_carry_their_own_summary(spec):
    f = symbolic.load(spec)
    entry = catalog.get(spec.split(":")[0])
    assert f.summary == entry.variant(spec.split(":")[1]).summary != entry.summary


@pytest.mark.parametrize("spec", ["hard_sigmoid:keras2", "hard_sigmoid:theano"])
def test_clip_variants_follow_their_framework_at_the_kinks(spec):
    """Theano's and TensorFlow's clip pass the gradient at the ends: f'(±2.5) = alpha."""
    import numpy as np

    from actviz import kernels, kinks

    f = symbolic.load(spec)
    for k in kinks.find(f, 1):
        assert k.orders[1].value == pytest.approx(0.2)
    assert "alpha at both kinks" in f.convention
    for backend in kernels.backends()[:2]:
        np.testing.assert_array_equal(
            kernels.derivative(spec, np.array([-2.5, 2.5, -2.6, 2.6]), 1, backend=backend),
            [0.2, 0.2, 0.0, 0.0])
    default = symbolic.load("hard_sigmoid")
    assert [k.orders[1].value for k in kinks.find(default, 1)] == [0.0, 0.0]
