"""``actviz approx``: design fast approximations of an activation and certify their error."""

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
    split_list,
)


@click.command(
    "approx",
    epilog="""
JSON keys (--json): {target, range, metric, continuous, results: [per approximation: label,
kind (fit, pwl, poly, rational), expr (an expression actviz reads), params (fitted values;
breakpoints; coefficients, lowest power first), max_abs_error, argmax, symmetric (the same
error at -argmax), max_rel_error, argmax_rel, max_abs_error_derivative, argmax_derivative,
zero_derivative ([lo, hi] intervals where the approximation's f' is exactly 0, null for an
infinite end), certified_over (what was checked, in words), checks (per check: what, over,
points, max_abs_error, argmax, max_abs_error_derivative, argmax_derivative,
max_abs_error_rounded, seconds, skipped), cost_ns (forward, float32, ns per value),
operations, numpy_code, c_code], compare: [per --compare name: name, max_abs_error, argmax,
symmetric, max_rel_error, argmax_rel, max_abs_error_derivative, argmax_derivative,
zero_derivative, certified_over, checks, cost_ns, operations], target_cost_ns,
target_operations, floor_ns (a copy of the same array), machine, train (the JSON of
actviz train-xor, or null), signal (with --train: per function name, chi1_gain, eoc_sigma_b,
eoc_sigma_w, eoc_q_star, eoc_note, dead_fraction; or null)}.
""",
)
@click.argument("target", metavar="TARGET")
@click.option("--fit", "fit", metavar="FAMILY",
              help="Fit the free parameters of a catalog entry, NAME:VARIANT or expression "
                   "with parameters to TARGET (those given with -p stay fixed).")
@param_option
@click.option("--pwl", type=int, metavar="N",
              help="The best N-piece piecewise-linear approximation (optimal breakpoints; "
                   "outer pieces saturate where TARGET approaches a line).")
@click.option("--poly", type=int, metavar="DEG",
              help="The minimax polynomial of degree DEG on --range (Remez), input clamped "
                   "to the range.")
@click.option("--rational", metavar="M,N",
              help="The minimax rational of numerator degree M and denominator degree N on "
                   "--range (differential correction), input clamped to the range.")
@click.option("--range", "x_range", nargs=2, type=float, metavar="LO HI",
              help="The range fitted and certified [default: -8 8].")
@click.option("--metric", type=click.Choice(["max", "l2"]), default="max", show_default=True,
              help="What is minimized: the largest |error| (minimax) or its root mean square.")
@click.option("--continuous/--free", default=True, show_default=True,
              help="--pwl: continuous pieces, or each piece its own line (jumps allowed).")
@click.option("--compare", "compare", multiple=True, metavar="NAME",
              help="Existing approximations to certify against TARGET (repeatable or a comma "
                   "list).")
@click.option("--dtype", "dtypes", multiple=True, metavar="LIST",
              help="Exhaustive checks: float16 and bfloat16 (every finite value, a second), "
                   "float32 (every value in --range: 2.2e9 in [-8, 8], 2 to 8 minutes with "
                   "numba on 2 busy cores; without numba at most 2^25 values) "
                   "[default: float16,bfloat16; float16 alone without ml_dtypes].")
@click.option("--cost/--no-cost", default=True, show_default=True,
              help="Time each forward kernel (float32, 2^20 values) and count operations.")
@click.option("--train", is_flag=True,
              help="Train the XOR nets of actviz train-xor with TARGET and each "
                   "approximation, and compare what each does to a deep net at "
                   "initialization (actviz signal: chi1 gain, edge of chaos, dead units).")
@click.option("--seeds", type=int, default=20, show_default=True, help="--train: seeds.")
@click.option("--code", type=click.Choice(["numpy", "c"]),
              help="Also print each result as NumPy or C code.")
@dpi_option
@click.option("-o", "--output", "output", metavar="FILE",
              help="Write the error-versus-cost chart (.png, .svg, .pdf).")
@json_option
def command(target, fit, params, pwl, poly, rational, x_range, metric, continuous, compare,
            dtypes, cost, train, seeds, code, dpi, output, as_json):
    """Design fast approximations of TARGET and certify their error: fitted parameters of a
    family (--fit), piecewise-linear tables (--pwl), minimax polynomials and rationals
    (--poly, --rational), and existing approximations (--compare). Each error is checked, not
    estimated: over every real x in --range (extrema between breakpoints at 30 digits), over
    every float16 and bfloat16 value, and on request over every float32 value in --range;
    the same for f'. Each result is printed as an expression actviz accepts (so plot, check
    and train-xor take it), and on request as NumPy or C code (--code).

    \b
    Examples:
      actviz approx sigmoid --fit hard_sigmoid --compare hard_sigmoid,hard_sigmoid:pytorch
      actviz approx silu --fit hard_swish -p beta=0.5
      actviz approx sigmoid --pwl 5 --compare ultra_fast_sigmoid -o pareto.svg
      actviz approx tanh --rational 3,2 --range -4 4 --code c
      actviz approx gelu --compare gelu:tanh --dtype float16,bfloat16,float32 --range -4 4
      actviz approx sigmoid --fit hard_sigmoid --train --no-cost
    """
    if output is not None:
        check_output_path(output)
    from actviz.approx import approximate, default_dtypes, format_text
    from actviz.errors import ActvizError

    if seeds < 1:
        raise ActvizError(f"--seeds must be at least 1, got {seeds}")
    config = None
    if train:
        from actviz.xor import XorConfig

        config = XorConfig(seeds=seeds).validate()
    chosen = split_list(dtypes) if dtypes else list(default_dtypes())
    result = approximate(target, fit=fit, params=parse_params(params), pwl=pwl, poly=poly,
                         rational=rational, x_range=x_range or None, metric=metric,
                         continuous=continuous, compare=split_list(compare), dtypes=chosen,
                         cost=cost or output is not None, train=config)
    if output is not None:
        from actviz.figures import save
        from actviz.figures.approx import draw

        save(draw(result), output, dpi=dpi)
    if as_json:
        echo_json(result.to_dict())
    else:
        echo_text(format_text(result, code))
        if output is not None:
            click.echo(f"\nwrote {output}")
