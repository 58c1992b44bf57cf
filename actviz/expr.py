"""The safe parser: expression text in ``x`` to a sympy expression.

An ``ast`` walk with a whitelist of node types, names and functions. It never calls
``eval``, ``sympify`` or ``parse_expr`` (those execute code); anything outside the whitelist,
an attribute access, a subscript, a lambda, a dunder name, raises ActvizError and runs nothing.

The language: numbers, ``x``, parameter names, ``pi`` and ``e``; ``+ - * / ** ^``;
comparisons and ``and``/``or``/``not`` (or ``& | ~``) in conditions; the functions in
``FUNCTIONS``; ``where(cond, a, b)`` and ``Piecewise((a, cond), ..., (b, True))`` for
piecewise definitions; and any catalog activation called with optional keyword parameters,
``hard_sigmoid(x, alpha=1/6)``.

Short decimal literals (up to 4 significant digits) become exact rationals (0.2 -> 1/5),
longer ones become floats with all their digits.
"""

from __future__ import annotations

import ast
import operator
import re

import sympy

from actviz.errors import ActvizError
from actviz.sym_functions import sigmoid, softplus

X = sympy.Symbol("x", real=True)
MAX_TEXT = 2000
MAX_DEPTH = 60
MAX_EXPONENT = 1000


def _unary(f):
    return (1, f)


FUNCTIONS = {
    "exp": _unary(sympy.exp),
    "log": _unary(sympy.log),
    "ln": _unary(sympy.log),
    "log1p": _unary(lambda a: sympy.log(1 + a)),
    "expm1": _unary(lambda a: sympy.exp(a) - 1),
    "sqrt": _unary(sympy.sqrt),
    "cbrt": _unary(sympy.cbrt),
    "abs": _unary(sympy.Abs),
    "Abs": _unary(sympy.Abs),
    "sign": _unary(sympy.sign),
    "tanh": _unary(sympy.tanh),
    "sinh": _unary(sympy.sinh),
    "cosh": _unary(sympy.cosh),
    "sech": _unary(sympy.sech),
    "csch": _unary(sympy.csch),
    "coth": _unary(sympy.coth),
    "asinh": _unary(sympy.asinh),
    "atanh": _unary(sympy.atanh),
    "sin": _unary(sympy.sin),
    "cos": _unary(sympy.cos),
    "tan": _unary(sympy.tan),
    "atan": _unary(sympy.atan),
    "arctan": _unary(sympy.atan),
    "erf": _unary(sympy.erf),
    "erfc": _unary(sympy.erfc),
    "sigmoid": _unary(sigmoid),
    "softplus": _unary(softplus),
    "Heaviside": _unary(lambda a: sympy.Heaviside(a, 0)),
    "max": (2, sympy.Max),
    "Max": (2, sympy.Max),
    "min": (2, sympy.Min),
    "Min": (2, sympy.Min),
    "Eq": (2, sympy.Eq),
    "Ne": (2, sympy.Ne),
}
CONSTANTS = {"pi": sympy.pi, "e": sympy.E, "E": sympy.E, "oo": sympy.oo}

_BINOPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.BitXor: operator.pow,  # x^2 as users write it
    ast.BitOr: operator.or_,  # (x > 1) | (x < -1), as sympy prints conditions
    ast.BitAnd: operator.and_,
}
_CMPOPS = {
    ast.Lt: sympy.Lt,
    ast.LtE: sympy.Le,
    ast.Gt: sympy.Gt,
    ast.GtE: sympy.Ge,
    ast.Eq: sympy.Eq,
    ast.NotEq: sympy.Ne,
}


def number(text: str) -> sympy.Expr:
    """A literal or parameter value as an exact sympy number where that reads well."""
    s = str(text).strip().lower()
    if "/" in s:
        num, den = s.split("/", 1)
        return sympy.Rational(number(num)) / sympy.Rational(number(den))
    digits = re.sub(r"e.*$", "", s).replace(".", "").replace("-", "").replace("+", "")
    significant = len(digits.lstrip("0")) or 1
    if re.fullmatch(r"[+-]?\d+", s):
        return sympy.Integer(s)
    if significant <= 4:
        return sympy.Rational(s)
    return sympy.Float(s, max(15, significant))


def free_names(text: str) -> tuple[str, ...]:
    """The parameter names an expression uses: identifiers other than x, the constants and
    called functions, in order of appearance (() if the text does not parse)."""
    try:
        tree = ast.parse(str(text).strip(), mode="eval")
    except (SyntaxError, ValueError):
        return ()
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    out = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Name) and id(node) not in called and node.id != "x"
                and node.id not in CONSTANTS and node.id not in ("True", "False")
                and node.id not in out):
            out.append(node.id)
    return tuple(out)


def parse(text: str, params: dict[str, sympy.Expr] | None = None) -> sympy.Expr:
    """Parse ``text`` into a sympy expression in :data:`X` (safe; see module doc)."""
    if not isinstance(text, str) or not text.strip():
        raise ActvizError("empty expression")
    if len(text) > MAX_TEXT:
        raise ActvizError(f"expression too long ({len(text)} characters, at most {MAX_TEXT})")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ActvizError(f"not a valid expression: {text!r} ({exc.msg})") from None
    result = _Walker(text.strip(), params or {}).visit(tree.body, 0)
    if isinstance(result, sympy.logic.boolalg.Boolean) and not isinstance(result, sympy.Expr):
        raise ActvizError(f"a condition is not a function value: {text!r}")
    if result.has(sympy.Piecewise):
        result = sympy.piecewise_fold(result)
    return result


class _Walker:
    def __init__(self, text: str, params: dict[str, sympy.Expr]):
        self.text = text
        self.params = params

    def fail(self, what: str):
        raise ActvizError(f"{what} is not allowed in an expression: {self.text!r}")

    def visit(self, node, depth):
        if depth > MAX_DEPTH:
            raise ActvizError("expression nested too deeply")
        d = depth + 1
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                return sympy.true if node.value else sympy.false
            if not isinstance(node.value, (int, float)):
                self.fail(f"the constant {node.value!r}")
            seg = (ast.get_source_segment(self.text, node) or "").replace("_", "")
            if not re.fullmatch(r"(\d+\.?\d*|\.\d+)(e[+-]?\d+)?", seg, re.IGNORECASE):
                seg = repr(node.value)  # 0o17, 0x1f, 0b101: the value, in decimal
            return number(seg)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.BinOp):
            op = _BINOPS.get(type(node.op))
            if op is None:
                self.fail(f"the operator {type(node.op).__name__}")
            a, b = self.visit(node.left, d), self.visit(node.right, d)
            if op is operator.pow and b.is_Number and abs(b) > MAX_EXPONENT:
                raise ActvizError(f"exponent too large: {b}")
            if op is operator.truediv and b == 0:
                raise ActvizError(f"division by zero in {self.text!r}")
            try:
                return op(a, b)
            except (TypeError, ValueError):
                raise ActvizError(f"cannot combine these terms in {self.text!r}") from None
        if isinstance(node, ast.UnaryOp):
            a = self.visit(node.operand, d)
            if isinstance(node.op, ast.USub):
                return -a
            if isinstance(node.op, ast.UAdd):
                return a
            if isinstance(node.op, (ast.Not, ast.Invert)):
                return sympy.Not(a)
            self.fail(f"the operator {type(node.op).__name__}")
        if isinstance(node, ast.Compare):
            parts, left = [], self.visit(node.left, d)
            for op, right_node in zip(node.ops, node.comparators):
                right = self.visit(right_node, d)
                parts.append(_CMPOPS[type(op)](left, right) if type(op) in _CMPOPS
                             else self.fail(f"the comparison {type(op).__name__}"))
                left = right
            return sympy.And(*parts)
        if isinstance(node, ast.BoolOp):
            vals = [self.visit(v, d) for v in node.values]
            return sympy.And(*vals) if isinstance(node.op, ast.And) else sympy.Or(*vals)
        if isinstance(node, ast.BinOp):  # pragma: no cover - handled above
            pass
        if isinstance(node, ast.Call):
            return self.call(node, d)
        self.fail(f"{type(node).__name__} syntax")

    def name(self, ident: str):
        if ident == "x":
            return X
        if ident in self.params:
            return self.params[ident]
        if ident in CONSTANTS:
            return CONSTANTS[ident]
        if ident in ("True", "False"):
            return sympy.true if ident == "True" else sympy.false
        raise ActvizError(f"unknown name {ident!r} in {self.text!r} (the variable is x)")

    def call(self, node: ast.Call, d):
        if not isinstance(node.func, ast.Name):
            self.fail("calling anything but a named function")
        fname = node.func.id
        if any(isinstance(a, ast.Starred) for a in node.args) or any(
            k.arg is None for k in node.keywords
        ):
            self.fail("* and ** arguments")
        if fname == "where":
            if len(node.args) != 3 or node.keywords:
                raise ActvizError("where() takes three arguments: where(cond, a, b)")
            c, a, b = (self.visit(n, d) for n in node.args)
            rest = b.args if isinstance(b, sympy.Piecewise) else ((b, True),)
            return sympy.Piecewise((a, c), *rest)
        if fname == "Piecewise":
            pairs = []
            for arg in node.args:
                if not isinstance(arg, ast.Tuple) or len(arg.elts) != 2:
                    raise ActvizError("Piecewise takes (value, condition) pairs")
                pairs.append((self.visit(arg.elts[0], d), self.visit(arg.elts[1], d)))
            return sympy.Piecewise(*pairs)
        if fname in FUNCTIONS:
            arity, f = FUNCTIONS[fname]
            if node.keywords or len(node.args) != arity:
                raise ActvizError(f"{fname}() takes {arity} argument{'s' * (arity > 1)}")
            return f(*(self.visit(a, d) for a in node.args))
        return self.catalog_call(fname, node, d)

    def catalog_call(self, fname, node, d):
        from actviz import catalog

        entry = catalog.lookup(fname)
        if entry is None or fname.startswith("_"):
            raise ActvizError(
                f"unknown function {fname!r} in {self.text!r}{catalog.suggest(fname)}")
        if len(node.args) != 1:
            raise ActvizError(f"{fname}() takes one positional argument and keyword parameters")
        arg = self.visit(node.args[0], d)
        values = {p.name: number(p.default) for p in entry.params}
        for kw in node.keywords:
            if kw.arg not in values:
                raise ActvizError(f"{entry.name} has no parameter {kw.arg!r}")
            values[kw.arg] = self.visit(kw.value, d)
        inner = parse(entry.expr, values)
        inner = inner.subs(X, arg) if arg != X else inner
        return sympy.piecewise_fold(inner)
