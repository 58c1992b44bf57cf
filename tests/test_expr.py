import pytest
import sympy
from hypothesis import example, given, settings
from hypothesis import strategies as st

from actviz.errors import ActvizError
from actviz.expr import X, number, parse


@pytest.mark.parametrize("text", [
    "__import__('os').system('touch /tmp/actviz-pwned')",
    "x.__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "(lambda: 1)()",
    "[x for x in ()]",
    "exec('1')",
    "eval('1')",
    "open('/etc/passwd')",
    "getattr(x, 'real')",
    "x if x else 1",
    "'a' + 'b'",
    "x[0]",
    "{1: 2}",
    "x; 1",
    "import os",
    "exp(*[x])",
    "f'{x}'",
    "x := 1",
])
def test_unsafe_text_is_rejected_and_runs_nothing(text, tmp_path):
    import os

    with pytest.raises(ActvizError):
        parse(text)
    assert not os.path.exists("/tmp/actviz-pwned")


@pytest.mark.parametrize("text,expected", [
    ("x", X),
    ("x^2", X**2),
    ("2*x + 1", 2 * X + 1),
    ("0.2*x", X / 5),
    ("log1p(exp(x))", sympy.log(1 + sympy.exp(X))),
    ("max(0, x)", sympy.Max(0, X)),
    ("where(x > 0, x, 0)", sympy.Piecewise((X, X > 0), (0, True))),
    ("Piecewise((x, x > 0), (0, True))", sympy.Piecewise((X, X > 0), (0, True))),
    ("pi*e", sympy.pi * sympy.E),
])
def test_parse(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("text,message", [
    ("", "empty"),
    ("x +* 2", "not a valid expression"),
    ("y + 1", "unknown name 'y'"),
    ("foo(x)", "unknown function 'foo'"),
    ("exp(x, 2)", "takes 1 argument"),
    ("x > 0", "a condition"),
    ("x**10**10", "exponent too large"),
    ("1/0", "division by zero"),
    ("x" * 3000, "too long"),
    ("hard_sigmoid(x, gamma=1)", "no parameter 'gamma'"),
])
def test_parse_errors(text, message):
    with pytest.raises(ActvizError, match=message):
        parse(text)


def test_numbers():
    assert number("0.2") == sympy.Rational(1, 5)
    assert number("1/6") == sympy.Rational(1, 6)
    assert number("3") == 3
    assert isinstance(number("0.0458812946797165"), sympy.Float)


@pytest.mark.parametrize("text,value", [("0o17*x", "15*x"), ("0x1f*x", "31*x"),
                                        ("0b101 + x", "x + 5"), ("1_000.5*x", "2001*x/2"),
                                        ("0o0", "0")])
def test_non_decimal_literals_are_their_values(text, value):
    assert sympy.simplify(parse(text) - sympy.sympify(value, locals={"x": X})) == 0


@settings(max_examples=300, deadline=None)
@example("0o0")
@given(st.text(alphabet="x0123456789.+-*/^()<>=, abcdeilnoprstwhqm_'\"[]:", max_size=40))
def test_fuzz_only_actviz_errors(text):
    try:
        result = parse(text)
    except ActvizError:
        return
    assert isinstance(result, sympy.Expr)
