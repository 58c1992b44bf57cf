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
    from actviz.constraint import DEFAULT_FORMULATIONS, FORMULATIONS, analyse, format_text

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
        click.echo(format_text(result))
    if fig is not None:
        from actviz.figures import save

        save(fig, output)
        if not as_json:
            click.echo(f"wrote {output}")
