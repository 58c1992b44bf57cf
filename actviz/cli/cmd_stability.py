"""actviz stability"""

import click

from actviz.cli.options import (
    derivatives_option,
    dpi_option,
    echo_json,
    echo_text,
    json_option,
    param_option,
    parse_params,
    quiet_option,
    terminal_width,
)

DEFAULT_DTYPES = "float16,bfloat16,float32,float64"

JSON_KEYS = """
JSON keys (--json): results: [{name, label, order, range, rtol, backend, reference,
dtypes: [{dtype, points, exhaustive, tolerance,
naive|actviz: {impl, available, formula, note, ok,
counts: {overflow, flush, loss, nan, inner_overflow},
intervals: [{kind, lo, hi, points}],
max_rel_err, worst_x}}],
skipped: [{dtype, reason}]}]
figure: the file written with -o (absent otherwise)
"""


@click.command("stability", epilog=JSON_KEYS)
@click.argument("names", nargs=-1, required=True, metavar="NAME [NAME ...]")
@click.option("--dtype", "dtypes", multiple=True, metavar="LIST",
              help=f"float16, bfloat16, float32, float64 (repeatable or a comma list; default "
                   f"{DEFAULT_DTYPES}).")
@click.option("--range", "x_range", nargs=2, type=float, default=(-1e4, 1e4),
              show_default=True, metavar="LO HI", help="The x interval scanned.")
@derivatives_option(0, 0, 1, "0: scan f (the forward value); 1: scan f' (the gradient)")
@click.option("--rtol", type=float, default=1e-3, show_default=True,
              help="Relative error counted as a loss (raised to the dtype's eps).")
@click.option("--backend", default="numpy", show_default=True,
              help="actviz kernel backend (numpy, numba, auto).")
@param_option
@dpi_option
@quiet_option
@json_option
@click.option("-o", "--output", type=str, default=None,
              help="Also draw the scan: .png, .svg or .pdf (one panel pair per NAME).")
def command(names, dtypes, x_range, derivatives, rtol, backend, params, dpi, quiet, as_json,
            output):
    """Where the naive textbook formula and actviz's kernel overflow, flush to zero, lose
    accuracy or turn NaN, per dtype: every representable float16/bfloat16 value in the
    range, and a dense grid for float32/float64 (linear near 0, geometric in |x|, failure
    boundaries located exactly by bisection), against the true value (a stable float64 form
    verified with mpmath at 50 digits, mpmath where it is not exact enough). Failure kinds:
    overflow (inf where the true value is finite), flush (0 where it is not), loss
    (relative error > --rtol, at least one eps of the dtype), nan, and inner_overflow
    (naive only: an intermediate overflowed though the result is right, e.g. tanh(inf) = 1
    in mish; its autodiff gradient is NaN there). bfloat16 needs ml_dtypes and is skipped
    with a note without it; the kernel runs in float32 for it.

    \b
    Examples:
      actviz stability mish softplus
      actviz stability sigmoid --dtype float16,float32 --range -100 100
      actviz stability gelu --derivatives 1 -o gelu_stability.png
    """
    from actviz import kernels
    from actviz.cli.options import (
        check_derivatives,
        check_output_path,
        load_functions,
        names_from,
        progress,
        split_list,
    )
    from actviz.errors import ActvizError
    from actviz.stability import check_range, parse_dtypes

    if output is not None:
        check_output_path(output)
    dtype_list = parse_dtypes(",".join(split_list(dtypes)) or DEFAULT_DTYPES)
    lo, hi = check_range(*x_range)
    check_derivatives(derivatives, 0, 1)
    if not 0 < rtol < 1:
        raise ActvizError(f"--rtol must be in (0, 1), got {rtol:g}")
    kernels.choose(backend)  # unknown or unavailable: one line, before any work
    funcs = load_functions(names_from(names), parse_params(params))

    from actviz.stability import format_text, scan

    results = []
    with progress(funcs, label="scanning", show=not quiet,
                  item_label=lambda f: f.label if f else "") as bar:
        for f in bar:
            results.append(scan(f, dtype_list, (lo, hi), order=derivatives, rtol=rtol,
                                backend=backend))
    if output is not None:
        from actviz.figures import save
        from actviz.figures.stability import draw

        save(draw(results if len(results) > 1 else results[0]), output, dpi=dpi)
    if as_json:
        doc = {"results": [r.to_dict() for r in results]}
        if output is not None:
            doc["figure"] = output
        echo_json(doc)
        return
    echo_text("\n\n".join(format_text(r, terminal_width()) for r in results))
    if output is not None:
        click.echo(f"\nwrote {output}")
