"""``actviz signal``: signal propagation at initialization (mean-field theory)."""

from __future__ import annotations

import click

from actviz.cli.options import (
    check_output_path,
    dpi_option,
    echo_json,
    echo_text,
    is_tty,
    json_option,
    param_option,
    parse_params,
)

# actviz.meanfield.INITS, repeated here so that the CLI imports nothing heavy (tested equal)
INITS = ("torch-default", "kaiming", "xavier", "lecun", "eoc")
MAX_EOC_POINTS = 1000


def _sigma_b_list(value: str | None):
    """A comma list (0,0.1,0.5) or START:STOP:COUNT (0:1:11)."""
    import math

    if value is None:
        return None
    text = value.strip()
    try:
        if ":" in text:
            parts = text.split(":")
            if len(parts) != 3:
                raise ValueError
            lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
            if not 1 <= n <= MAX_EOC_POINTS:
                raise click.BadParameter(f"COUNT must be from 1 to {MAX_EOC_POINTS}",
                                         param_hint="--eoc-sigma-b")
            vals = [lo + (hi - lo) * i / max(n - 1, 1) for i in range(n)]
        else:
            vals = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a comma list of numbers or "
                                 "START:STOP:COUNT", param_hint="--eoc-sigma-b") from None
    if not vals or len(vals) > MAX_EOC_POINTS:
        raise click.BadParameter(f"give 1 to {MAX_EOC_POINTS} values",
                                 param_hint="--eoc-sigma-b")
    for v in vals:
        if not (math.isfinite(v) and 0.0 <= v <= 1e3):
            raise click.BadParameter(f"values must be in [0, 1000], got {v:g}",
                                     param_hint="--eoc-sigma-b")
    return tuple(sorted(set(vals)))


@click.command(
    "signal",
    epilog="""
JSON keys (--json): {"config": {sigma_w, sigma_b, init, eoc_sigma_b, simulate, simulation
({depth, width, samples, seed, dtype, input_correlation, backend} or null)}, "results": [per
activation: name, params, init, point {sigma_w, sigma_b, q_star, chi1, c_star, xi_q, xi_c,
phase (ordered, chaotic, critical or unbounded)}, eoc [{sigma_b, sigma_w, q_star (null: any
q)}] (empty where there is no edge of chaos), eoc_note (when some or all points are
missing, why), gains {fixed_point, std, chi1, torch (null outside torch's table),
selu_style ({sigma_w, mean, variance, stable, slope} or null)}, empirical (per-layer lists
variance, correlation, grad_norm, dead_fraction, saturated_fraction of the simulated net,
and predicted_variance, predicted_correlation, predicted_grad_norm,
predicted_dead_fraction)]}. Infinities are the strings "inf"; undefined values null.
""",
)
@click.argument("names", nargs=-1, metavar="NAME [NAME ...]")
@click.option("--act", "acts", multiple=True, metavar="NAME",
              help="An activation, as the NAME arguments (repeatable or a comma list).")
@param_option
@click.option("--sigma-w", type=float, default=None, metavar="W",
              help="Weight standard deviation times sqrt(fan_in). Default: from --init.")
@click.option("--sigma-b", type=float, default=None, metavar="B",
              help="Bias standard deviation (default 0; torch-default: 1/sqrt(3 width)).")
@click.option("--init", type=click.Choice(INITS), default=None,
              help="The point by a named initialization: torch-default (nn.Linear: "
                   "sigma_w = 1/sqrt(3), sigma_b = 1/sqrt(3 width)), kaiming (sqrt(2)), "
                   "xavier and lecun (1: the same for square layers), eoc (on the edge of "
                   "chaos at --sigma-b). Default: lecun, unless --sigma-w is given.")
@click.option("--eoc-sigma-b", "eoc_sigma_b", default=None, metavar="LIST",
              help="sigma_b values of the edge-of-chaos table: a comma list or "
                   "START:STOP:COUNT. Default: 0, 0.1, ..., 1.")
@click.option("--depth", type=int, default=50, show_default=True,
              help="Layers of the simulated net.")
@click.option("--width", type=int, default=1000, show_default=True, help="Units per layer.")
@click.option("--samples", type=int, default=2048, show_default=True,
              help="Inputs (in pairs, for the correlation).")
@click.option("--input-correlation", type=float, default=0.5, show_default=True,
              help="Correlation of each input pair.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--dtype", type=click.Choice(["float32", "float64"]), default="float32",
              show_default=True, help="Precision of the simulated net.")
@click.option("--backend", type=click.Choice(["auto", "numba", "numpy", "cupy"]),
              default="auto", show_default=True,
              help="Kernels for the activation (cupy: the net on the GPU).")
@click.option("--no-simulate", is_flag=True, help="Only the mean-field numbers.")
@dpi_option
@click.option("-o", "--output", "output", metavar="FILE",
              help="Write the figure (.png, .svg, .pdf).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@json_option
def command(names, acts, params, sigma_w, sigma_b, init, eoc_sigma_b, depth, width, samples,
            input_correlation, seed, dtype, backend, no_simulate, dpi, output, quiet, as_json):
    """What an activation does to a deep random network at initialization, by the mean-field
    theory of signal propagation (Poole et al. 2016, Schoenholz et al. 2017): at the point
    (sigma_w, sigma_b) the fixed point q* of the length map, chi1 (the per-layer growth of
    gradients and the slope of the correlation map at c = 1), the correlation fixed point
    c*, the depth scales and the phase; the edge of chaos (chi1 = 1) for a range of sigma_b;
    three initialization gains next to torch's; and a simulated deep net through
    actviz.kernels, measured per layer next to the prediction. The Gaussian integrals are
    exact to about 13 digits (Gauss-Legendre panels split at the kinks).

    \b
    Examples:
      actviz signal tanh --init eoc --sigma-b 0.2
      actviz signal relu mish gelu --no-simulate
      actviz signal tanh --sigma-w 1.6667 --depth 30 -o tanh_signal.png
      actviz signal "x*sigmoid(b*x)" -p b=1.702 --eoc-sigma-b 0:1:51
    """
    if output is not None:
        check_output_path(output)
    from actviz.cli.options import compile_notice, names_from, numba_hint
    from actviz.errors import ActvizError
    from actviz.meanfield import (
        DEFAULT_SIGMA_B,
        SignalConfig,
        SimConfig,
        format_text,
        run_signal,
    )

    specs = names_from(names, acts)
    if not specs:
        raise click.UsageError("give at least one activation (e.g. actviz signal tanh)")
    sim = SimConfig(depth=depth, width=width, samples=samples, seed=seed, dtype=dtype,
                    input_correlation=input_correlation, backend=backend)
    config = SignalConfig(sigma_w=sigma_w, sigma_b=sigma_b, init=init,
                          eoc_sigma_b=_sigma_b_list(eoc_sigma_b) or DEFAULT_SIGMA_B, sim=sim,
                          simulate=not no_simulate)
    try:
        config.validate()
    except ActvizError as exc:
        raise click.UsageError(str(exc)) from None
    if backend in ("auto", "numba") and not quiet:
        numba_hint("signal")
        compile_notice(10)
    bar = None
    if not no_simulate and not quiet and is_tty():
        import sys

        n = len(specs) * 2 * depth
        bar = click.progressbar(length=n, label="simulating", file=sys.stderr)
        bar.__enter__()
    try:
        result = run_signal(specs, config, params=parse_params(params),
                            progress=bar.update if bar is not None else None)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if output is not None:
        from actviz.figures import save
        from actviz.figures.meanfield import draw
        from actviz.meanfield import figure_data

        data = [figure_data(r, seed=seed, backend=backend) for r in result.results]
        save(draw(result, data), output, dpi=dpi)
    if as_json:
        echo_json(result.to_dict())
    else:
        from actviz.cli.options import terminal_width

        echo_text(format_text(result, terminal_width()))
        if output is not None:
            click.echo(f"\nwrote {output}")
