"""The numeric audit: symbolic derivatives against an independent high-precision method.

For each function and order, the lambdified sympy derivative (float64, as every numeric
consumer uses it) is compared with ``mpmath.diff`` of f itself, evaluated in 50-digit
arithmetic, at many points away from kinks. The two share only the definition of f.
A *claim* (a formula someone wrote for f' or f'') is audited the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from actviz import budget
from actviz import kinks as kinks_mod
from actviz.errors import ActvizError
from actviz.text import json_number

DPS = 50
DEFAULT_POINTS = 200
SPAN = 12.0  # points in [-SPAN, SPAN] plus a few far out
FAR = (-40.0, -25.0, 25.0, 40.0)
KINK_CLEARANCE = 1e-3
RTOL = 1e-9  # float64 evaluation of a formula of a few dozen operations
ATOL = 1e-12
REL_FLOOR = 1e-8  # max_rel_err counts points where |reference| >= this
MAX_POINTS = 20_000  # 50-digit numeric differentiation costs about 1 ms a point
AUDIT_S = 60.0  # budget of one audit (function and order)
FLOAT64_MAX = 1.7976931348623157e308


@dataclass
class AuditResult:
    name: str
    order: int
    max_abs_err: float
    max_rel_err: float
    points: int
    ok: bool
    worst_x: float
    worst_value: float = math.nan  # the audited formula at worst_x
    worst_reference: float = math.nan  # the mpmath reference at worst_x
    undefined: int = 0  # points skipped: f (or the reference) is not a real number there
    beyond_float64: int = 0  # points skipped: the true value overflows float64

    def to_dict(self) -> dict:
        return {
            "name": self.name, "order": self.order,
            "max_abs_err": json_number(self.max_abs_err),
            "max_rel_err": json_number(self.max_rel_err),
            "points": self.points, "ok": self.ok, "worst_x": json_number(self.worst_x),
            "skipped_undefined": self.undefined, "skipped_beyond_float64": self.beyond_float64,
        }


def audit_points(func, n: int = DEFAULT_POINTS) -> list[float]:
    """n deterministic points (irrational offset), clear of every kink."""
    if n < 1:
        raise ActvizError(f"--points must be at least 1, got {n}")
    if n > MAX_POINTS:
        raise ActvizError(f"--points must be at most {MAX_POINTS}, got {n}")
    kink_xs = [float(p) for p in kinks_mod.candidate_points(kinks_mod._piecewise(func.expr))]
    step = 2 * SPAN / max(n - len(FAR), 1)
    base = [-SPAN + (i + 0.5) * step + 0.0137 * math.sqrt(2) * step
            for i in range(max(n - len(FAR), 1))]
    pts = [p for p in base + list(FAR)[: max(0, n - 1)] if abs(p) <= 100]
    return [p for p in pts if all(abs(p - k) > KINK_CLEARANCE * max(1, abs(k)) for k in kink_xs)]


def reference(func, order: int, xs: list[float]) -> list:
    """mpmath.diff of f at 50 digits (independent of the symbolic derivative)."""
    import mpmath

    f = func.mpmath(0)
    with mpmath.workdps(DPS):
        return [mpmath.diff(f, mpmath.mpf(x), order) for x in xs]


def _real_or_none(r):
    """A reference value as a float, or None where it is not a real number."""
    import mpmath

    if isinstance(r, mpmath.mpc):
        if r.imag != 0:
            return None
        r = r.real
    r = float(r)
    return r if not math.isnan(r) else None


def compare(name: str, order: int, xs, values, refs) -> AuditResult:
    """Audited values against references; points where the reference is not real (f not
    defined there) or beyond float64's range are skipped and counted."""
    worst = (-1.0, None)
    max_abs = max_rel = 0.0
    ok = True
    undefined = beyond = 0
    for i, (v, r) in enumerate(zip(values, refs)):
        r = _real_or_none(r)
        if r is None:
            undefined += 1
            continue
        if abs(r) > FLOAT64_MAX:
            beyond += 1
            continue
        err = abs(v - r) if math.isfinite(v) else math.inf
        # relative error only where the reference is not itself tiny (there the 50-digit
        # numeric derivative carries noise like 1e-64, and the absolute error decides)
        rel = err / abs(r) if abs(r) >= REL_FLOOR else 0.0
        max_abs, max_rel = max(max_abs, err), max(max_rel, rel)
        bad = not err <= ATOL + RTOL * abs(r)
        ok = ok and not bad
        score = err / (ATOL + RTOL * abs(r))
        if score > worst[0]:
            worst = (score, i)
    i = worst[1]
    if i is None:
        return AuditResult(name, order, math.nan, math.nan, 0, False, math.nan,
                           undefined=undefined, beyond_float64=beyond)
    return AuditResult(name, order, max_abs, max_rel, len(xs) - undefined - beyond, ok, xs[i],
                       float(values[i]), _real_or_none(refs[i]), undefined, beyond)


def audit(func, order: int, n: int = DEFAULT_POINTS) -> AuditResult:
    """The symbolic order-th derivative of ``func`` against mpmath."""
    xs = audit_points(func, n)
    with budget.time_limit(AUDIT_S, f"the audit of order {order} of {func.label}"):
        values = [float(v) for v in func.numpy(order)(xs)]
        return compare(func.label, order, xs, values, reference(func, order, xs))


def audit_claim(func, order: int, claim: str, n: int = DEFAULT_POINTS,
                params: dict | None = None) -> AuditResult:
    """A user's formula for the order-th derivative of ``func`` against mpmath."""
    from actviz.expr import number, parse
    from actviz.numeric import numpy_function

    expr = parse(claim, {k: number(v) for k, v in (params or {}).items()})
    xs = audit_points(func, n)
    with budget.time_limit(AUDIT_S, f"the audit of the claim {claim!r}"):
        values = [float(v) for v in numpy_function(expr)(xs)]
        return compare(f"claim: {claim}", order, xs, values, reference(func, order, xs))


def format_table(results: list[AuditResult], ok: bool) -> str:
    """The text table of ``actviz check``."""
    width = max(len(r.name) for r in results)
    out = [f"{'name'.ljust(width)}  order  {'max abs err':>11s}  {'max rel err':>11s}  "
           f"points  ok"]
    for r in results:
        out.append(f"{r.name.ljust(width)}  {r.order:5d}  {r.max_abs_err:11.2e}  "
                   f"{r.max_rel_err:11.2e}  {r.points:6d}  {'ok' if r.ok else 'FAIL'}"
                   + _skipped(r))
    n_bad = sum(not r.ok for r in results)
    out.append(f"\n{len(results)} audits against mpmath.diff at {DPS} digits: "
               + ("all agree." if ok else f"{n_bad} FAILED."))
    return "\n".join(out)


def _skipped(r: AuditResult) -> str:
    parts = []
    if r.undefined:
        parts.append(f"{r.undefined} points where f is not defined")
    if r.beyond_float64:
        parts.append(f"{r.beyond_float64} beyond float64's range")
    if not r.points:
        parts.append("nothing left to compare")
    return f"  ({', '.join(parts)} skipped)" if parts else ""


def format_claim(func, order: int, r: AuditResult, truth: str) -> str:
    """The verdict on a claim: agrees, or WRONG with the worst point and the true formula."""
    from actviz.text import order_name

    what = order_name(order).replace("f", func.label, 1)
    if r.ok:
        return (f"agrees: the claim matches {what} at all {r.points} points "
                f"(max abs err {r.max_abs_err:.2e}, max rel err {r.max_rel_err:.2e})."
                + _skipped(r))
    if not r.points:
        return f"cannot tell: no audit point where {what} is a float64 number." + _skipped(r)
    return "\n".join([
        f"WRONG: the claim is not {what}.",
        f"  worst at x = {r.worst_x:.6g}: claim gives {r.worst_value:.10g}, "
        f"the true value is {r.worst_reference:.10g}",
        f"  max abs err {r.max_abs_err:.3g}, max rel err {r.max_rel_err:.3g} "
        f"over {r.points} points",
        f"  {what} = {truth}",
    ])
