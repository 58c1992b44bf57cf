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
_CHAINS = {ast.Add: (ast.Add, ast.Sub), ast.Sub: (ast.Add, ast.Sub),
           ast.Mult: (ast.Mult, ast.Div), ast.Div: (ast.Mult, ast.Div)}
_CMPOPS = {
    ast.Lt: sympy.Lt,
    ast.LtE: sympy.Le,
    ast.Gt: sympy.Gt,
    ast.GtE: sympy.Ge,
    ast.Eq: sympy.Eq,
    ast.NotEq: sympy.Ne,
}


def number(text: str) -> sympy.Expr:
    """A literal or parameter value as an exact sympy number where that reads well: integers
    and short decimals (up to 4 significant digits) exactly, longer decimals as Floats with
    all their digits; ``a/b/c`` left to right. Bounded like every number actviz reads
    (:func:`actviz.catalog.parse_number`: no huge exponents, magnitude within 1e-300..1e300)."""
    from actviz.catalog import parse_number

    s = str(text).strip().lower().replace("_", "")
    exact = parse_number(s)
    if "/" in s:
        return sympy.Rational(exact.numerator, exact.denominator)
    digits = re.sub(r"e.*$", "", s).replace(".", "").replace("-", "").replace("+", "")
    significant = len(digits.lstrip("0")) or 1
    if re.fullmatch(r"[+-]?\d+", s) or significant <= 4:
        return sympy.Rational(exact.numerator, exact.denominator)
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


def parse(text: str, params: dict[str, sympy.Expr] | None = None, *,
          check: bool = True, free: bool = False, fold: bool = True) -> sympy.Expr:
    """Parse ``text`` into a sympy expression in :data:`X` (safe; see module doc); ``check``
    refuses what float64 cannot represent (:func:`check_constants`); ``free`` keeps a name
    without a value as a real symbol (``b`` in ``x*sigmoid(b*x)``) instead of an error;
    ``fold=False`` leaves Piecewise parts unfolded (:func:`actviz.pieces.fold` does it
    faster for many parts)."""
    if not isinstance(text, str) or not text.strip():
        raise ActvizError("empty expression")
    if len(text) > MAX_TEXT:
        raise ActvizError(f"expression too long ({len(text)} characters, at most {MAX_TEXT})")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ActvizError(f"not a valid expression: {text!r} ({exc.msg})") from None
    result = _Walker(text.strip(), params or {}, free).visit(tree.body, 0)
    if isinstance(result, sympy.logic.boolalg.Boolean) and not isinstance(result, sympy.Expr):
        raise ActvizError(f"a condition is not a function value: {text!r}")
    if fold and result.has(sympy.Piecewise):
        result = sympy.piecewise_fold(result)
    if check:
        check_constants(result, text)
    return result


def check_constants(expr: sympy.Expr, text: str) -> None:
    """ActvizError for what float64 cannot represent: infinite, undefined or complex values,
    constants beyond 1e300 or nonzero below 1e-300 in magnitude (``exp(1000)*x``,
    ``1e-400*x``), and powers with exponents beyond MAX_EXPONENT (``((x+1)**1000)**1000``)."""
    if expr.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
        raise ActvizError(f"not finite: {text!r} contains an infinite or undefined value")
    if expr.has(sympy.I):
        raise ActvizError(f"not real: {text!r} contains a complex value")
    for p in expr.atoms(sympy.Pow):
        if p.exp.is_Number and abs(p.exp) > MAX_EXPONENT:
            raise ActvizError(f"exponent too large: {sympy.sstr(p.exp)} in {text!r} "
                              f"(at most {MAX_EXPONENT})")
    for c in _constants(expr):
        if c.is_Rational:
            v = abs(c)
        else:
            try:
                z = c.evalf(20)
            except (ValueError, TypeError, OverflowError, RecursionError):
                raise ActvizError(f"cannot evaluate the constant {sympy.sstr(c)} in "
                                  f"{text!r}") from None
            if not z.is_real:
                raise ActvizError(f"not real: {sympy.sstr(c)} in {text!r}")
            v = abs(z)
        if v != 0 and not sympy.Rational(1, 10**300) <= v <= 10**300:
            shown = sympy.sstr(c)
            shown = shown if len(shown) <= 30 else sympy.sstr(sympy.N(c, 4))
            raise ActvizError(f"the constant {shown} in {text!r} is out of float64's range "
                              "(nonzero constants must lie within 1e-300 and 1e300 in "
                              "magnitude)")


def _covers_reals(conds) -> bool:
    """Do the conditions cover every real x (so no x is left undefined)?"""
    try:
        cover = sympy.Or(*conds)
        return cover is sympy.true or cover.as_set() == sympy.S.Reals
    except (NotImplementedError, TypeError, ValueError):
        return False


def _constants(e):
    """The largest subexpressions of ``e`` free of x (numbers, not conditions)."""
    if not isinstance(e, sympy.Expr):  # conditions, (value, condition) pairs
        for a in e.args:
            yield from _constants(a)
        return
    if not e.free_symbols:
        if not (e.is_Number or e.is_NumberSymbol) or e.is_Rational:
            yield e
        return
    for a in e.args:
        yield from _constants(a)


class _Walker:
    def __init__(self, text: str, params: dict[str, sympy.Expr], free: bool = False):
        self.text = text
        self.params = params
        self.free = free

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
        if isinstance(node, ast.BinOp) and type(node.op) in _CHAINS:
            return self.chain(node, d)
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

    def piece(self, value, cond):
        """(value, cond) checked: a number and a condition, not the other way round."""
        if isinstance(value, sympy.logic.boolalg.Boolean) and not isinstance(value, sympy.Expr):
            raise ActvizError(f"a piece's value is a condition ({sympy.sstr(value)}) in "
                              f"{self.text!r}")
        if not isinstance(cond, sympy.logic.boolalg.Boolean) or isinstance(cond, sympy.Expr):
            raise ActvizError(f"a piece's condition is not a comparison ({sympy.sstr(cond)}) "
                              f"in {self.text!r}")
        return value, cond

    def piecewise(self, *pairs):
        try:
            return sympy.Piecewise(*pairs)
        except (TypeError, ValueError):
            raise ActvizError(f"not a valid piecewise definition: {self.text!r}") from None

    def chain(self, node, d):
        """a + b - c + ... (or a * b / c ...) as one level of nesting, however long."""
        kinds = _CHAINS[type(node.op)]
        rights = []
        while isinstance(node, ast.BinOp) and type(node.op) in kinds:
            rights.append((node.op, node.right))
            node = node.left
        acc = self.visit(node, d)
        for op, right in reversed(rights):
            b = self.visit(right, d)
            if isinstance(op, ast.Div) and b == 0:
                raise ActvizError(f"division by zero in {self.text!r}")
            try:
                acc = _BINOPS[type(op)](acc, b)
            except (TypeError, ValueError):
                raise ActvizError(f"cannot combine these terms in {self.text!r}") from None
        return acc

    def name(self, ident: str):
        if ident == "x":
            return X
        if ident in self.params:
            return self.params[ident]
        if ident in CONSTANTS:
            return CONSTANTS[ident]
        if ident in ("True", "False"):
            return sympy.true if ident == "True" else sympy.false
        if self.free and ident.isidentifier() and not ident.startswith("_"):
            return sympy.Symbol(ident, real=True)
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
            self.piece(a, c)
            self.piece(b, sympy.true)
            rest = b.args if isinstance(b, sympy.Piecewise) else ((b, True),)
            return self.piecewise((a, c), *rest)
        if fname == "Piecewise":
            if node.keywords:
                raise ActvizError("Piecewise takes (value, condition) pairs and no keywords")
            pairs = []
            for arg in node.args:
                if not isinstance(arg, ast.Tuple) or len(arg.elts) != 2:
                    raise ActvizError("Piecewise takes (value, condition) pairs")
                pairs.append(self.piece(self.visit(arg.elts[0], d), self.visit(arg.elts[1], d)))
            if not pairs:
                raise ActvizError("Piecewise needs at least one (value, condition) pair")
            if pairs[-1][1] is not sympy.true and not _covers_reals([c for _, c in pairs]):
                raise ActvizError(f"Piecewise is undefined where no condition holds in "
                                  f"{self.text!r}: end with an otherwise pair (value, True)")
            return self.piecewise(*pairs)
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
        inner = parse(entry.expr, values, check=False)  # the whole expression is checked
        inner = inner.subs(X, arg) if arg != X else inner
        return sympy.piecewise_fold(inner)
