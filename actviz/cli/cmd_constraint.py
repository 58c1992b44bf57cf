"""``actviz optimize-constraint``: the hard-sigmoid constrained optimization, run and explained."""

from __future__ import annotations

import click

from actviz.cli.options import check_output_path, echo_json, json_option, param_option, parse_params

FORMULATION_CHOICES = ("exact", "hard", "smooth", "penalty", "all")


@click.command("optimize-constraint")
@click.option("--start", nargs=2, type=float, default=(5.0, 5.0), show_default=True,
              metavar="X Y", help="Start point for sections 1 and 2 (inside [0, 10]²).")
@click.option("--formulation", "formulations", multiple=True,
              type=click.Choice(FORMULATION_CHOICES),
              help="Formulations for sections 2 and 3 (repeatable; default: exact, hard, "
                   "smooth; 'all' adds the quadratic penalty, which is slower).")
@click.option("--grid", type=int, default=41, show_default=True, metavar="N",
              help="Basin map of N×N starts over the box (0: no basin map).")
@click.option("--method", type=click.Choice(["SLSQP", "trust-constr"]), default="SLSQP",
              show_default=True,
              help="scipy method for sections 2 and 3 (section 1 is SLSQP, as given). "
                   "trust-constr is about 30× slower: use a smaller --grid.")
@click.option("-k", "--steepness", "k", type=float, default=1.0, show_default=True,
              help="k in gate(k·(x² + y² − 25)) ≤ 1/2 (both gates).")
@param_option
@json_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the figure (.png, .svg, .pdf).")
def command(start, formulations, grid, method, k, params, as_json, output):
    """The constrained-optimization example of our origin, run as given and then properly.

    \b
    1. minimize x² + y² s.t. x + y ≤ 5, box [0, 10]², x² + y² ≤ 25 written as
       hard_sigmoid(x² + y² − 25) ≤ 1 (the text) or 1/(1+exp(−10(x²+y²−25))) − 1 ≥ 0
       (the code), from (5, 5) with SLSQP: what happens, and why.
    2. maximize x + 2y s.t. x² + y² ≤ 25 (optimum (√5, 2√5), value 5√5) with the
       constraint exact, through hard_sigmoid(k·(x²+y²−25)) ≤ 1/2 (-p sets the gate's
       alpha, beta; Jacobian from the symbolic derivative), through the sigmoid, or as a
       quadratic penalty.
    3. Basin map: from each of N×N starts, reached the optimum (within 1e-6), failed
       (scipy's success flag false), or stopped elsewhere; and whether failures start
       where the gate's gradient is zero.

    \b
    JSON keys: given[] (name, label, x, fun, success, status, message, nit, nfev,
    constraints, bounds_active, measurements, diagnosis); active (problem, optimum,
    start, method, gate, reach_tolerance, grid, formulations[] (name, label, x, fun =
    x + 2y, success, message, nit, nfev, distance_to_optimum, reached, constraints,
    basin_success_rate, basin_counts, lesson), basin_maps (rows = y, columns = x,
    codes 0 reached, 1 failed, 2 elsewhere)).

    \b
    Examples:
      actviz optimize-constraint
      actviz optimize-constraint -p alpha=1/6 -k 2 --grid 21 -o constraint.png
      actviz optimize-constraint --formulation all --json
    """
    if output is not None:
        check_output_path(output)
    from actviz.constrained import DEFAULT_FORMULATIONS, FORMULATIONS
    from actviz.constrained_basin import analyse

    names = DEFAULT_FORMULATIONS if not formulations else (
        FORMULATIONS if "all" in formulations else formulations)
    result = analyse(start, formulations=names, grid=grid, method=method,
                     params=parse_params(params), k=k)
    fig = None
    if output is not None:
        from actviz.figures import constraint as figure

        fig = figure.draw(result)
    if as_json:
        echo_json(result.to_dict())
    else:
        click.echo(report(result))
    if fig is not None:
        from actviz.figures import save

        save(fig, output)
        if not as_json:
            click.echo(f"wrote {output}")


def _num(v: float) -> str:
    return f"{v:.7g}"


def _pt(x) -> str:
    return f"({_num(x[0])}, {_num(x[1])})"


def report(result) -> str:
    from actviz.constrained import OPTIMUM, OPTIMUM_VALUE, REACH_TOL

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
    out.append(f"2. A formulation where the constraint matters: maximize x + 2y s.t. "
               f"x² + y² ≤ 25, box [0, 10]², from {_pt(s)}, {result.method}")
    band = result.band_r2
    out.append(f"   gate: {result.gate_label} {result.gate_params}, k = {result.k:g}; "
               + (f"its linear band is {band[0]:.6g} < x² + y² < {band[1]:.6g}, flat outside"
                  if band else "its derivative is zero everywhere on the box"))
    out.append(f"   true optimum (√5, 2√5) = {_pt(OPTIMUM)}, x + 2y = 5√5 = {_num(OPTIMUM_VALUE)}")
    out.append(f"   {'formulation':12s} {'point':28s} {'x + 2y':>10s} {'|x − x*|':>10s} "
               f"{'reached':>7s} {'success':>7s} {'iter':>5s}  message")
    for f in result.formulations:
        r = f.run
        out.append(f"   {f.name:12s} {_pt(r.x):28s} {_num(r.fun):>10s} {f.distance:10.2e} "
                   f"{str(f.distance <= REACH_TOL):>7s} {str(r.success):>7s} {r.nit:5d}  "
                   f"{r.message}")
    for f in result.formulations:
        out.append(f"   {f.label}")
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
