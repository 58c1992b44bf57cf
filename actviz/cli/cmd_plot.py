"""actviz plot"""

import re

import click

from actviz.cli.options import param_option, parse_params

MAX_DERIVATIVES = 4
MAX_POINTS = 1_000_000


@click.command("plot")
@click.argument("names", nargs=-1, required=True, metavar="NAME [NAME ...]")
@click.option("--derivatives", "-d", type=int, default=2, show_default=True,
              help=f"Panels for f' .. f^(N) below f (0 to {MAX_DERIVATIVES}).")
@param_option
@click.option("--range", "x_range", nargs=2, type=float, metavar="LO HI",
              help="x range (default: [-R, R] showing every kink, R >= 5).")
@click.option("--points", type=int, default=2001, show_default=True,
              help="Grid points per curve (plus exact one-sided values at kinks).")
@click.option("-o", "--output", type=str, default=None,
              help="Output file (.png, .svg or .pdf). Default: NAME.png in the current folder.")
def command(names, derivatives, params, x_range, points, output):
    """Plot NAME(s) with derivatives: one panel per order, names overlaid.

    Kinks get a dotted line, open circles at the one-sided limits and a dot
    at the value the kernels use; intervals where f' = 0 exactly are shaded.
    -p applies to every NAME that has that parameter (and to expressions).
    Prints the path of the file written.

    \b
    Examples:
      actviz plot mish --derivatives 2
      actviz plot hard_sigmoid hard_sigmoid:pytorch sigmoid -d 1 -o hs.svg
      actviz plot "x*tanh(softplus(x))" --range -6 4
    """
    from actviz.cli.options import check_output_path, load_functions
    from actviz.errors import ActvizError

    if not 0 <= derivatives <= MAX_DERIVATIVES:
        raise ActvizError(f"--derivatives must be from 0 to {MAX_DERIVATIVES}, got {derivatives}")
    if not 2 <= points <= MAX_POINTS:
        raise ActvizError(f"--points must be from 2 to {MAX_POINTS}, got {points}")
    if x_range is not None:
        from actviz.validate import x_range as check_x_range

        x_range = check_x_range(*x_range)
    output = check_output_path(default_filename(names) if output is None else output)
    funcs = load_functions(names, parse_params(params))

    from actviz.figures import functions, save

    fig = functions.plot(funcs, orders=derivatives, x_range=x_range, points=points)
    click.echo(save(fig, output))


def default_filename(names) -> str:
    """mish.png, hard_sigmoid_vs_sigmoid.png, an expression made file-safe."""
    parts = [re.sub(r"[^A-Za-z0-9]+", "_", n).strip("_") or "expr" for n in names]
    stem = "_vs_".join(parts)
    if len(stem) > 80:
        stem = stem[:80].rstrip("_")
    return stem + ".png"
