"""actviz show"""

import click

from actviz.cli.options import (
    derivatives_option,
    echo_json,
    json_option,
    no_cache_option,
    param_option,
    parse_params,
    terminal_width,
)

JSON_KEYS = """
JSON keys (--json): name, label, summary, params (floats), params_exact (exact text),
free_parameters,
expr (sympy text), derivatives (sympy text, orders 1..N), latex (f..f^(N)),
kinks [{x, x_exact, kind, order, one_sided: [{order, left, right, value}]}] (value:
the kernels' convention at the point), convention, properties (null while a parameter
has no value) {range {lo, hi, lo_closed, hi_closed, text}, bounded, monotonic,
zero_centred (the mean for x ~ N(0, 1) is 0), gaussian_mean, zero_at_origin (f(0) = 0),
smoothness, max_abs_derivative (where f is differentiable), lipschitz ("inf" where f
jumps), extrema [{x, value, kind, at_kink}], inflection_points, zero_gradient
[[lo, hi]], zero_gradient_closed, saturation [[lo, hi]], limits, undefined [[lo, hi]],
not_computed {property: why}}. Infinite values are the strings "inf" and "-inf".
"""


@click.command("show", epilog=JSON_KEYS)
@click.argument("name")
@param_option
@derivatives_option(2)
@click.option("--format", "fmt", type=click.Choice(["unicode", "latex", "sympy"]),
              default="unicode", show_default=True, help="How formulas are written.")
@no_cache_option
@json_option
def command(name, params, derivatives, fmt, no_cache, as_json):
    """Formula, derivatives, kinks with the convention used there, and properties of NAME.

    NAME is a catalog name, alias or NAME:VARIANT (see `actviz list`), or an expression in
    x such as "x*tanh(softplus(x))"; a name in an expression without -p stays a symbol
    (its derivatives are shown; the numbers need a value). Properties are computed, each
    within a time budget (one that runs out is reported as not computed), and cached.

    \b
    Examples:
      actviz show mish
      actviz show hard_sigmoid:pytorch --derivatives 1 --format latex
      actviz show elu -p alpha=2 --json
      actviz show "x*sigmoid(b*x)"
    """

    from actviz.cli.options import check_derivatives, load_functions, single_values
    from actviz.describe import describe, format_text

    check_derivatives(derivatives)
    (func,) = load_functions((name,), single_values(parse_params(params), "show"), free=True)
    desc = describe(func, derivatives, use_cache=not no_cache)
    if as_json:
        echo_json(desc.to_dict())
        return
    click.echo(format_text(desc, fmt, width=terminal_width()))
