"""actviz plot"""

import re

import click

from actviz.cli.options import (
    derivatives_option,
    dpi_option,
    echo_text,
    no_cache_option,
    param_option,
    parse_params,
)

MAX_POINTS = 1_000_000
MAX_PLOT_DERIVATIVES = 4


@click.command("plot", epilog="""
Output: the path of the file written; with --vs also one line per function and
order: the largest absolute error, where it is (±x when it is the same at -x), and the
largest relative error where the reference is at least 1e-3 of its maximum on the range.
""")
@click.argument("names", nargs=-1, required=True, metavar="NAME [NAME ...]")
@derivatives_option(2, 0, MAX_PLOT_DERIVATIVES, "Panels for f' .. f^(N) below f")
@param_option
@click.option("--vs", "reference", metavar="REF", default=None,
              help="Compare with REF: each order's error panel (absolute and relative) under "
                   "it, the largest errors printed.")
@click.option("--range", "x_range", nargs=2, type=float, metavar="LO HI",
              help="x range (default: [-R, R] showing every kink, R >= 5; [-8, 8] with "
                   "--vs).")
@click.option("--points", type=int, default=2001, show_default=True,
              help="Grid points per curve (plus exact one-sided values at kinks).")
@dpi_option
@click.option("-o", "--output", type=str, default=None,
              help="Output file (.png, .svg or .pdf). Default: NAME[_PARAMS].png here.")
@no_cache_option
def command(names, derivatives, params, reference, x_range, points, dpi, output, no_cache):
    """Plot each NAME with its derivatives, one panel per order, names overlaid: kinks get
    a dotted line, open circles at the one-sided limits and a dot at the value the kernels
    use; each curve's f' = 0 intervals are hatched; extrema and inflection points are
    marked. -p applies to every NAME that takes it; a family (-p alpha=0.5,1,2) draws one
    curve per value. With --vs REF, each order's panel has the error against REF under it.

    \b
    Examples:
      actviz plot mish --derivatives 2
      actviz plot hard_sigmoid hard_sigmoid:pytorch sigmoid -d 1 -o hs.svg
      actviz plot silu -p alpha=0.5,1,2
      actviz plot gelu:tanh --vs gelu -d 1
      actviz plot "x*tanh(softplus(x))" --range -6 4 --dpi 200
    """
    from actviz.cli.options import (
        check_derivatives,
        check_output_path,
        names_from,
    )
    from actviz.errors import ActvizError
    from actviz.figures import save

    check_derivatives(derivatives, 0, MAX_PLOT_DERIVATIVES)
    if not 2 <= points <= MAX_POINTS:
        raise ActvizError(f"--points must be from 2 to {MAX_POINTS}, got {points}")
    if x_range is not None:
        from actviz.validate import x_range as check_x_range

        x_range = check_x_range(*x_range)
    pvals = parse_params(params)
    names = names_from(names)
    output = check_output_path(default_filename(names, pvals, reference) if output is None
                               else output)
    if reference is None:
        from actviz import light
        from actviz.figures import functions

        # catalog entries through the kernels: no sympy at all once their marks are cached
        funcs = light.load_any(names, pvals)
        fig = functions.plot(funcs, orders=derivatives, x_range=x_range, points=points,
                             use_cache=not no_cache)
    else:
        from actviz import light
        from actviz.figures import compare

        funcs = light.load_any(names, pvals)
        (ref,) = light.load_any([reference])
        fig, comparisons = compare.plot_vs(funcs, ref, derivatives, x_range or (-8.0, 8.0),
                                           points=points, use_cache=not no_cache)
        for cmp in comparisons:
            echo_text("\n".join(cmp.lines()))
    click.echo(f"wrote {save(fig, output, dpi=dpi)}")


def default_filename(names, params=None, reference=None) -> str:
    """mish.png, silu_alpha_3.png, elu_alpha_-1.png, gelu_tanh_vs_gelu.png; an expression
    made file-safe."""
    def safe(text, keep=""):
        return re.sub(rf"[^A-Za-z0-9.{keep}]+", "_", text).strip("_") or "expr"

    stem = "_".join(safe(n) for n in names)
    for key, val in (params or {}).items():
        vals = val if isinstance(val, tuple) else (val,)
        stem += f"_{key}_" + "-".join(safe(v, keep="-") for v in vals)  # a value's sign kept
    if reference:
        stem += "_vs_" + safe(reference)
    if len(stem) > 80:
        stem = stem[:80].rstrip("_")
    return stem + ".png"
