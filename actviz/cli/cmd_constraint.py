"""``actviz optimize-constraint``: the hard-sigmoid constrained optimization, run and explained."""

from __future__ import annotations

import click

from actviz.cli.options import (
    check_output_path,
    dpi_option,
    echo_json,
    echo_text,
    json_option,
    param_option,
    parse_params,
    quiet_option,
)

FORMULATION_CHOICES = ("exact", "hard", "smooth", "penalty", "all")

JSON_KEYS = """
JSON keys (--json): given[] (name, label, x, fun, success, status, message, nit, nfev,
constraints, bounds_active, measurements, diagnosis); active (problem, optimum, start,
method, gate, reach_tolerance, solver_options, grid, formulations[] (name, label, x, fun =
x + 2y, success, message, nit, nfev, distance_to_optimum, reached, constraints,
basin_success_rate, basin_counts, lesson), basin_maps (rows = y, columns = x, codes 0
reached, 1 failed, 2 elsewhere)).
"""


@click.command("optimize-constraint", epilog=JSON_KEYS)
@click.argument("gate", required=False, default="hard_sigmoid", metavar="[GATE]")
@click.option("--start", nargs=2, type=float, default=(5.0, 5.0), show_default=True,
              metavar="X Y", help="Start point for sections 1 and 2 (inside [0, 10]²).")
@click.option("--formulation", "formulations", multiple=True, metavar="NAME",
              help="Formulations for sections 2 and 3 (repeatable or a comma list: exact, "
                   "hard, smooth, penalty, all; default exact, hard, smooth; the penalty "
                   "is slower).")
@click.option("--grid", type=int, default=41, show_default=True, metavar="N",
              help="Basin map of N×N starts over the box (0: no basin map).")
@click.option("--method", type=click.Choice(["SLSQP", "trust-constr"]), default="SLSQP",
              show_default=True,
              help="scipy method for sections 2 and 3 (section 1 is SLSQP with scipy's "
                   "defaults, as given; sections 2 and 3 use SLSQP ftol=1e-12, maxiter=100 or "
                   "trust-constr xtol=1e-12, gtol=1e-10, maxiter=300). trust-constr is about "
                   "30× slower: use a smaller --grid.")
@click.option("-k", "--steepness", "k", type=float, default=1.0, show_default=True,
              help="k in gate(k·(x² + y² − 25)) ≤ 1/2 (both gates).")
@param_option
@dpi_option
@quiet_option
@json_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the figure (.png, .svg, .pdf).")
@click.option("--no-cache", is_flag=True,
              help="Run the basin maps afresh instead of reading them from the cache (they "
                   "are cached by their inputs, scipy's version and the code).")
def command(gate, start, formulations, grid, method, k, params, dpi, quiet, as_json, output,
            no_cache):
    """The constrained-optimization example of our origin, run as given and then where the
    constraint matters. 1: minimize x² + y² s.t. x + y ≤ 5, box [0, 10]², x² + y² ≤ 25
    written as hard_sigmoid(x² + y² − 25) ≤ 1 (the text) or 1/(1+exp(−10(x²+y²−25))) − 1 ≥ 0
    (the code), from (5, 5) with SLSQP: what happens, and why. 2: maximize x + 2y s.t.
    x² + y² ≤ 25 (optimum (√5, 2√5), value 5√5) with the constraint exact, through
    GATE(k·(x²+y²−25)) ≤ 1/2 (GATE hard_sigmoid by default; -p sets its parameters), through
    the sigmoid, or as a quadratic penalty. 3: a basin map: from each of N×N starts,
    reached the optimum (within 1e-6), failed (scipy's success flag false), or stopped
    elsewhere; and whether failures start where the gate's gradient is zero. The solver
    options and scipy's version are printed with the results: iteration counts and failing
    paths change with scipy's releases.

    \b
    Examples:
      actviz optimize-constraint
      actviz optimize-constraint -p alpha=1/6 -k 2 --grid 21 -o constraint.png
      actviz optimize-constraint hard_sigmoid:pytorch --formulation all --json
    """
    if output is not None:
        check_output_path(output)
    from actviz.cli.options import progress, split_list
    from actviz.constraint import DEFAULT_FORMULATIONS, FORMULATIONS, analyse, format_text
    from actviz.errors import ActvizError

    chosen = split_list(formulations)
    for name in chosen:
        if name not in FORMULATION_CHOICES:
            raise ActvizError(f"unknown formulation {name!r} (choose from "
                              f"{', '.join(FORMULATION_CHOICES)})")
    names = DEFAULT_FORMULATIONS if not chosen else (
        FORMULATIONS if "all" in chosen else tuple(chosen))
    total = len(names) * grid * grid
    with progress(length=max(total, 1), label="basin map", show=not quiet and grid > 0) as bar:
        result = analyse(start, formulations=names, grid=grid, method=method,
                         params=parse_params(params), k=k, gate=gate, progress=bar.update,
                         use_cache=not no_cache)
    fig = None
    if output is not None:
        from actviz.figures import constraint as figure

        fig = figure.draw(result)
    if as_json:
        echo_json(result.to_dict())
    else:
        echo_text(format_text(result))
    if fig is not None:
        from actviz.figures import save

        save(fig, output, dpi=dpi)
        if not as_json:
            click.echo(f"wrote {output}")
