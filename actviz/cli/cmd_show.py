"""actviz show"""

import click

from actviz.cli.options import echo_json, json_option, param_option, parse_params

MAX_SHOW_ORDER = 6


@click.command("show")
@click.argument("name")
@param_option
@click.option("--order", "-n", type=int, default=2, show_default=True,
              help=f"Highest derivative order shown (0 to {MAX_SHOW_ORDER}).")
@click.option("--format", "fmt", type=click.Choice(["unicode", "latex", "sympy"]),
              default="unicode", show_default=True, help="How formulas are written.")
@json_option
def command(name, params, order, fmt, as_json):
    """Formula, derivatives, kinks with conventions, and properties of NAME.

    NAME is a catalog name, alias or NAME:VARIANT (see `actviz list`), or an
    expression in x such as "x*tanh(softplus(x))".

    \b
    JSON (--json) keys:
      name, label, summary, params, expr (sympy text), derivatives (sympy
      text, orders 1..N), latex (f..f^(N)), kinks (list of {x, x_exact, kind,
      order, one_sided: [{order, left, right, value}]}; value is the kernels'
      convention at the point), convention, properties ({range {lo, hi,
      lo_closed, hi_closed, text}, bounded, monotonic, zero_centred (the mean
      for x ~ N(0, 1) is 0), gaussian_mean, zero_at_origin (f(0) = 0),
      smoothness, max_abs_derivative (where f is differentiable), lipschitz
      ("inf" where f jumps), extrema [{x, value, kind, at_kink}],
      inflection_points, zero_gradient [[lo, hi]], saturation [[lo, hi]],
      limits}). Infinite bounds are the strings "inf" and "-inf".

    \b
    Examples:
      actviz show mish
      actviz show hard_sigmoid:pytorch --order 1 --format latex
      actviz show elu -p alpha=2 --json
    """
    from actviz.cli.options import load_functions
    from actviz.describe import describe, format_text
    from actviz.errors import ActvizError

    if not 0 <= order <= MAX_SHOW_ORDER:
        raise ActvizError(f"--order must be from 0 to {MAX_SHOW_ORDER}, got {order}")
    (func,) = load_functions((name,), parse_params(params))
    desc = describe(func, order)
    if as_json:
        echo_json(desc.to_dict())
        return
    click.echo(format_text(desc, fmt))
