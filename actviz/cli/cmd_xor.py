"""``actviz train-xor``: train tiny XOR nets per activation and explain the failures."""

from __future__ import annotations

import sys
import time

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

DEFAULT_ACTS = ("sigmoid", "hard_sigmoid")
PROGRESS_AFTER_S = 1.0  # show a progress bar once a run has taken this long


@click.command(
    "train-xor",
    epilog="""
JSON keys (--json): {"config": {...}, "activations": [per activation: act, backend, seeds,
solved, success_rate, success_ci95, final_loss_median, final_loss_quartiles,
initial_loss_median, derivative (f' as sympy text), representative_seed, outputs (its
four outputs, samples in order),
zero_grad_fraction / tiny_grad_fraction / linear_band_fraction ({hidden, output} x
{start, end, mean}; linear band null if f has no linear piece), tiny_grad_threshold,
affine_hidden_fraction, output_xor_residual_median, output_saturated_at_start,
dead_hidden_units_end, grad_norms ({hidden, output} x {start_median, end_median,
max_median}), unsolved_grad_norm, clipped_outputs, diverged, zero_gradient_at_start,
weights_unchanged, zero_grad_intervals, diagnosis (list of sentences)]}.
""",
)
@click.argument("names", nargs=-1, metavar="[NAME ...]")
@click.option("--act", "acts", multiple=True, metavar="NAME",
              help="An activation, as the NAME arguments (repeatable or a comma list): catalog "
                   "name, alias, NAME:VARIANT or an expression in x. Default: sigmoid and "
                   "hard_sigmoid.")
@param_option
@click.option("--seeds", type=int, default=20, show_default=True,
              help="Independent initializations per activation.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Base seed; seed i draws from SeedSequence(seed, spawn_key=(i,)).")
@click.option("--epochs", type=int, default=4000, show_default=True)
@click.option("--lr", type=float, default=0.1, show_default=True, help="SGD learning rate.")
@click.option("--loss", type=click.Choice(["bce", "mse"]), default="bce", show_default=True,
              help="bce: binary cross-entropy, output clipped to [1e-7, 1-1e-7] (zero "
                   "gradient where clipped); mse: (y - t)^2.")
@click.option("--hidden", type=int, default=3, show_default=True, help="Hidden units.")
@click.option("--init", type=click.Choice(["uniform01", "xavier", "he", "normal"]),
              default="uniform01", show_default=True,
              help="uniform01: U[0,1)*scale (the original); xavier: U(±scale*sqrt(6/(in+out))); "
                   "he: N(0, scale*sqrt(2/in)); normal: N(0, scale).")
@click.option("--init-scale", type=float, default=1.0, show_default=True)
@click.option("--update", type=click.Choice(["online", "batch"]), default="online",
              show_default=True,
              help="online: one step per sample in order (the original); batch: one step per "
                   "epoch on the mean loss.")
@click.option("--backend", type=click.Choice(["auto", "numba", "numpy"]), default="auto",
              show_default=True,
              help="Trainer: numba (one compiled loop, parallel over seeds) or numpy (vectorized "
                   "over seeds); both evaluate the activation through actviz.kernels and give "
                   "the same losses and outputs. auto: numba when installed.")
@dpi_option
@click.option("-o", "--output", "output", metavar="FILE",
              help="Write the figure (.png, .svg, .pdf).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@json_option
def command(names, acts, params, seeds, seed, epochs, lr, loss, hidden, init, init_scale,
            update, backend, dpi, output, quiet, as_json):
    """Train tiny 2-3-1 XOR nets for each activation and explain why some fail. The defaults
    reproduce the experiment of our origin: inputs (0,1), (1,0), (1,1), (0,0) with targets
    1, 1, 0, 0, a constant 1 appended to each layer's input as bias, weights uniform in
    [0, 1), the same activation in both layers, binary cross-entropy, plain SGD with
    learning rate 0.1, one update per sample in that order, 4000 epochs, from --seeds
    initializations; the report gives the success rate, losses, gradient norms per layer,
    where the derivative was zero, and a diagnosis derived from those numbers.

    \b
    Examples:
      actviz train-xor hard_sigmoid
      actviz train-xor sigmoid hard_sigmoid:pytorch --seeds 200 -o xor.png
      actviz train-xor "x*sigmoid(b*x)" -p b=1.5 --init xavier --loss mse
      actviz train-xor silu -p alpha=0.5,1,2
    """
    if output is not None:
        check_output_path(output)
    from actviz.cli.options import compile_notice, names_from, numba_hint
    from actviz.xor import XorConfig, format_text, load_acts, train_xor

    config = XorConfig(seeds=seeds, seed=seed, epochs=epochs, lr=lr, loss=loss, hidden=hidden,
                       init=init, init_scale=init_scale, update=update).validate()
    loaded = load_acts(names_from(names, acts) or list(DEFAULT_ACTS), parse_params(params))
    if backend != "numpy" and not quiet:
        numba_hint("train-xor")
        compile_notice(17)
    bar = _Progress(epochs * len(loaded), enabled=not quiet and is_tty())
    try:
        result = train_xor(loaded, config, backend=backend, progress=bar.advance)
    finally:
        bar.close()
    if output is not None:
        from actviz.figures import save
        from actviz.figures.xor import draw

        save(draw(result), output, dpi=dpi)
    if as_json:
        echo_json(result.to_dict())
    else:
        echo_text(format_text(result))
        if output is not None:
            click.echo(f"\nwrote {output}")


class _Progress:
    """A click progress bar on stderr that appears only once a run takes over a second."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled = total, enabled
        self.start = time.monotonic()
        self.done = 0
        self.bar = None

    def advance(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.start < PROGRESS_AFTER_S or self.done >= self.total:
                return
            self.bar = click.progressbar(length=self.total, label="training", file=sys.stderr)
            self.bar.__enter__()
            self.bar.update(self.done)
        else:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
