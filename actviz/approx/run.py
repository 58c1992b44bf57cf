"""The analysis: design approximations of a target, certify them and the existing ones, time
them, and optionally train XOR nets with each (``approximate``).

Every approximation is made into the text of an expression (:mod:`.emit`), loaded back with
:func:`actviz.symbolic.load`, and everything reported is measured on that loaded function,
so the numbers belong to what the user copies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from actviz import catalog
from actviz.approx import certify, emit
from actviz.errors import ActvizError

DEFAULT_RANGE = (-8.0, 8.0)
METRICS = ("max", "l2")
DEFAULT_DTYPES = ("float16", "bfloat16")  # bfloat16 where ml_dtypes is installed


def default_dtypes() -> tuple[str, ...]:
    """The exhaustive checks run by default: float16, and bfloat16 when ml_dtypes (a
    dependency of actviz) is importable."""
    from actviz.stability.dtypes import bfloat16

    return DEFAULT_DTYPES if bfloat16() is not None else ("float16",)


@dataclass
class Approximation:
    label: str
    kind: str  # "fit", "pwl", "poly", "rational", or "existing" (a --compare name)
    expr: str
    params: dict
    func: object  # symbolic.Function of expr
    checks: list = field(default_factory=list)
    max_rel_error: float | None = None
    argmax_rel: float | None = None
    symmetric: bool = False
    zero_derivative: list = field(default_factory=list)
    cost_ns: float | None = None
    operations: int | None = None
    numpy_code: str | None = None
    c_code: str | None = None

    def _best(self, key, where):
        done = [c for c in self.checks if c.skipped is None and getattr(c, key) is not None]
        if not done:
            return None, None
        c = max(done, key=lambda c: getattr(c, key))
        return getattr(c, key), getattr(c, where)

    @property
    def max_abs_error(self):
        return self._best("max_abs_error", "argmax")[0]

    @property
    def argmax(self):
        return self._best("max_abs_error", "argmax")[1]

    @property
    def max_abs_error_derivative(self):
        return self._best("max_abs_error_derivative", "argmax_derivative")[0]

    @property
    def argmax_derivative(self):
        return self._best("max_abs_error_derivative", "argmax_derivative")[1]

    @property
    def certified_over(self) -> list[str]:
        return [c.over for c in self.checks if c.skipped is None]


@dataclass
class ApproxResult:
    target: str
    x_range: tuple[float, float]
    metric: str
    continuous: bool
    results: list[Approximation]
    compare: list[Approximation]
    target_cost_ns: float | None = None
    target_operations: int | None = None
    floor_ns: float | None = None
    machine: str | None = None
    train: object = None  # actviz.xor.XorResult
    signal: list | None = None  # with train: the mean-field summary (approx.propagation)

    def to_dict(self) -> dict:
        from actviz.approx.report import to_dict

        return to_dict(self)


def _split_params(target, fit, others, params):
    """The one -p rule (:func:`actviz.symbolic.load_all`) with the family's free names kept
    free: each parameter goes to every name that takes it."""
    from actviz import symbolic

    for k, v in params.items():
        if isinstance(v, (list, tuple)):
            raise ActvizError(f"approx takes one value per parameter; -p {k} has {len(v)}")
    fam_takes = set(symbolic.parameter_names(fit)) if fit else set()
    specs = [target, *others]
    takes = set().union(*(symbolic.parameter_names(s) for s in specs))
    unused = [k for k in params if k not in takes | fam_takes]
    if unused:
        names = ", ".join([*specs, *([fit] if fit else [])])
        known = ", ".join(sorted(takes | fam_takes)) or "none"
        raise ActvizError(f"parameter {unused[0]!r} is not used by {names} (their "
                          f"parameters: {known})")
    funcs = symbolic.load_all(specs, {k: v for k, v in params.items() if k in takes})
    return funcs[0], funcs[1:], {k: v for k, v in params.items() if k in fam_takes}


def parse_rational(text) -> tuple[int, int]:
    """``"M,N"`` -> (M, N)."""
    if isinstance(text, (tuple, list)) and len(text) == 2:
        m, n = text
    else:
        parts = str(text).replace(" ", "").split(",")
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise ActvizError(f"--rational needs M,N (numerator and denominator degrees, "
                              f"e.g. 3,2), got {text!r}")
        m, n = (int(p) for p in parts)
    return int(m), int(n)


def _candidate(label, kind, expr, params):
    from actviz import symbolic

    return Approximation(label, kind, expr, params, symbolic.load(expr))


def design(target, *, fit=None, fixed=None, pwl=None, poly=None, rational=None,
           x_range=DEFAULT_RANGE, metric="max", continuous=True) -> list[Approximation]:
    """The new approximations asked for (not yet certified)."""
    import numpy as np

    from actviz import symbolic
    from actviz.approx import curves, remez
    from actviz.approx import fit as fitting
    from actviz.approx import pwl as pwl_mod

    out = []
    lo, hi = x_range
    if fit is not None:
        fam = fitting.family(fit, fixed or {})
        values = fitting.fit(target, fam, x_range, metric)
        every = {**fam.fixed, **values}
        base = fit.strip()
        if catalog.is_catalog_name(base) and ":" not in base:
            res = catalog.resolve(base, every)
            expr = emit.catalog_call(res.entry.name, res.params)
        else:
            expr = emit.sympy_text(symbolic.load(base, every).expr)
        shown = ", ".join(f"{k}={v}" for k, v in values.items())
        out.append(_candidate(f"{base} fit ({shown})", "fit", expr, values))
    if pwl is not None:
        breaks, lines = pwl_mod.fit(target, pwl, x_range, continuous=continuous, metric=metric)
        expr = emit.pwl_expr(breaks, lines)
        how = "continuous" if continuous else "free"
        out.append(_candidate(f"pwl {pwl} ({how})", "pwl", expr,
                              {"breakpoints": [float(emit.num(b)) for b in breaks]}))

    def f(t):
        return curves.values(target, np.asarray(t, dtype=np.float64))

    if poly is not None:
        coef = remez.monomial(remez.poly(f, poly, x_range, metric), x_range)
        p = np.polynomial.Polynomial(coef)
        expr = emit.clamped(emit.horner(coef), lo, hi, p(lo), p(hi))
        out.append(_candidate(f"poly {poly} on [{lo:g}, {hi:g}]", "poly", expr,
                              {"coefficients": coef}))
    if rational is not None:
        m, n = parse_rational(rational)
        if metric != "max":
            raise ActvizError("--rational fits minimax only (--metric max)")
        pn, qn = remez.rational(f, m, n, x_range)
        a, b = remez.monomial(pn, x_range), remez.monomial(qn, x_range)
        pa, pb = np.polynomial.Polynomial(a), np.polynomial.Polynomial(b)
        core = f"({emit.horner(a)})/({emit.horner(b)})"
        expr = emit.clamped(core, lo, hi, pa(lo) / pb(lo), pa(hi) / pb(hi))
        out.append(_candidate(f"rational {m},{n} on [{lo:g}, {hi:g}]", "rational", expr,
                              {"numerator": a, "denominator": b}))
    return out


def assess(a: Approximation, target, x_range, dtypes, backend="auto") -> Approximation:
    """Certify ``a`` against ``target``: real numbers on the range and the dtype checks."""
    from actviz.compare import compare

    a.checks = [certify.real(a.func, target, x_range)]
    a.checks += [certify.dtype_check(a.func, target, d, x_range, backend) for d in dtypes]
    cmp = compare(a.func, target, 0, x_range).errors[0]
    a.max_rel_error, a.argmax_rel = cmp.max_rel, cmp.x_rel
    x = a.argmax
    if x is not None and x != 0:
        import mpmath

        g, f = a.func.mpmath(0), target.mpmath(0)
        with mpmath.workdps(30):
            mirror = float(abs(g(mpmath.mpf(-x)) - f(mpmath.mpf(-x))))
        a.symmetric = math.isclose(mirror, a.max_abs_error, rel_tol=1e-7)
    a.zero_derivative = certify.zero_derivative(a.func, x_range)
    try:
        a.numpy_code = emit.numpy_code(a.func.expr)
        a.c_code = emit.c_code(a.func.expr)
    except ActvizError:
        pass
    return a


def approximate(target: str, *, fit=None, params=None, pwl=None, poly=None, rational=None,
                x_range=None, metric: str = "max", continuous: bool = True, compare=(),
                dtypes=None, cost: bool = True, train=None,
                backend: str = "auto") -> ApproxResult:
    """Design, certify and time approximations of ``target`` (see :mod:`actviz.approx`).

    ``train``: an :class:`actviz.xor.XorConfig` to train XOR nets with the target and each
    approximation (None: no training)."""
    from actviz.approx.curves import check_finite_range
    from actviz.stability.dtypes import parse_dtypes

    if metric not in METRICS:
        raise ActvizError(f"unknown --metric {metric!r} (use max or l2)")
    if fit is None and pwl is None and poly is None and rational is None and not compare:
        raise ActvizError("nothing to do: give --fit FAMILY, --pwl N, --poly DEG, "
                          "--rational M,N or --compare NAME")
    if pwl is not None and pwl < 1:
        raise ActvizError(f"--pwl needs at least 1 piece, got {pwl}")
    if poly is not None and poly < 0:
        raise ActvizError(f"--poly needs a degree of at least 0, got {poly}")
    if rational is not None:
        parse_rational(rational)
    x_range = check_finite_range(*(x_range or DEFAULT_RANGE))
    if dtypes is None:
        dtypes = default_dtypes()
    dtypes = parse_dtypes(",".join(dtypes)) if dtypes else []
    bad = [d for d in dtypes if d not in certify.DTYPE_CHECKS]
    if bad:
        raise ActvizError(f"--dtype {bad[0]}: the exhaustive checks are for "
                          f"{', '.join(certify.DTYPE_CHECKS)}")
    tfunc, others, fixed = _split_params(target, fit, list(compare), dict(params or {}))
    if tfunc.free:
        raise ActvizError(f"the target {target} has parameters without a value: "
                          f"{', '.join(tfunc.free)} (give them with -p)")
    found = design(tfunc, fit=fit, fixed=fixed, pwl=pwl, poly=poly, rational=rational,
                   x_range=x_range, metric=metric, continuous=continuous)
    existing = [Approximation(fn.label, "existing", emit.sympy_text(fn.expr), dict(fn.params),
                              fn) for fn in others]
    for a in found + existing:
        assess(a, tfunc, x_range, dtypes, backend)
    res = ApproxResult(tfunc.label, x_range, metric, continuous, found, existing)
    if cost:
        from actviz.approx import cost as cost_mod

        funcs = [tfunc] + [a.func for a in found + existing]
        per, res.floor_ns = cost_mod.cost_ns(funcs, backend=backend)
        res.target_cost_ns, res.target_operations = per[0], cost_mod.operations(tfunc)
        for a, ns in zip(found + existing, per[1:]):
            a.cost_ns, a.operations = ns, cost_mod.operations(a.func)
        res.machine = cost_mod.machine()
    if train is not None:
        from actviz.xor import Act, train_xor

        acts = [Act(tfunc)] + [Act(a.func) for a in found + existing]
        res.train = train_xor(acts, train)
        from actviz.approx.propagation import summary

        res.signal = summary([(tfunc.label, tfunc)] + [(a.label, a.func)
                                                       for a in found + existing])
    return res
