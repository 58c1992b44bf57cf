"""The text report of ``optimize-constraint`` (the JSON is ``ConstraintResult.to_dict()``)."""

from __future__ import annotations

from actviz.constraint.problem import OPTIMUM, OPTIMUM_VALUE, OPTIONS, REACH_TOL
from actviz.text import num


def _scipy_version() -> str:
    import scipy

    return scipy.__version__


def _num(v: float) -> str:
    return num(v, digits=7)


def _pt(x) -> str:
    return f"({_num(x[0])}, {_num(x[1])})"


def format_text(result) -> str:
    """The text report of a :class:`~.analysis.ConstraintResult`."""
    out = []
    s = result.start
    out.append(f"1. The example as given: minimize x² + y² s.t. x + y ≤ 5, 0 ≤ x, y ≤ 10, from "
               f"{_pt(s)}")
    out.append("   (SLSQP with scipy's defaults and finite-difference Jacobians, as in the "
               "original)")
    for g in result.given:
        r = g.run
        out.append(f"   {g.label}")
        out.append(f"     point {_pt(r.x)}  objective {_num(r.fun)}  success {r.success}  "
                   f"iterations {r.nit}  function evaluations {r.nfev}")
        out.append(f"     message: {r.message}")
        for c in r.constraints:
            out.append(f"     {c['state']:9s}  {c['name']}: {_num(c['value'])}")
        if r.bounds_active:
            out.append(f"     active bounds: {', '.join(r.bounds_active)}")
        out.append("     what is wrong:")
        out.extend(f"       - {d}" for d in g.diagnosis)
    out.append("")
    opts = ", ".join(f"{k}={v:g}" for k, v in OPTIONS[result.method].items())
    out.append(f"2. A formulation where the constraint matters: maximize x + 2y s.t. "
               f"x² + y² ≤ 25, box [0, 10]², from {_pt(s)}, {result.method} ({opts}; "
               f"scipy {_scipy_version()})")
    band = result.band_r2
    gp = ", ".join(f"{k}={v}" for k, v in result.gate_params.items())
    out.append(f"   gate: {result.gate_label}" + (f" ({gp})" if gp else "")
               + f", k = {result.k:g}; "
               + (f"its linear band is {band[0]:.6g} < x² + y² < {band[1]:.6g}, flat outside"
                  if band else "its derivative is zero everywhere on the box"))
    out.append(f"   true optimum (√5, 2√5) = {_pt(OPTIMUM)}, x + 2y = 5√5 = {_num(OPTIMUM_VALUE)}")
    out.append(f"   {'formulation':12s} {'point':28s} {'x + 2y':>10s} {'|x − x*|':>10s} "
               f"{'reached':>7s} {'success':>7s} {'iter':>5s}")
    for f in result.formulations:
        r = f.run
        out.append(f"   {f.name:12s} {_pt(r.x):28s} {_num(r.fun):>10s} {f.distance:10.2e} "
                   f"{str(f.distance <= REACH_TOL):>7s} {str(r.success):>7s} {r.nit:5d}")
    for f in result.formulations:
        out.append(f"   {f.label}  (scipy: {f.run.message})")
    if result.grid:
        out.append("")
        n = result.grid
        out.append(f"3. Basin map: {n}×{n} = {n * n} starts over the box; reached = within "
                   f"{REACH_TOL:g} of the optimum, failed = success False, elsewhere = success "
                   "True at another point")
        out.append(f"   {'formulation':12s} {'reached':>8s} {'failed':>8s} {'elsewhere':>9s} "
                   f"{'success rate':>12s}")
        for f in result.formulations:
            c = f.counts()
            out.append(f"   {f.name:12s} {c['reached']:8d} {c['failed']:8d} {c['elsewhere']:9d} "
                       f"{f.basin_success_rate:12.1%}")
        for f in result.formulations:
            if f.lesson:
                out.append(f"   {f.name} gate:")
                out.extend(f"     - {line}" for line in f.lesson["verdict"])
    return "\n".join(out)
