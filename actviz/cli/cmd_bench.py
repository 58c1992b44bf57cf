"""``actviz bench``: kernel timings next to the memory-bandwidth floor and peers."""

from __future__ import annotations

import click

from actviz.cli.options import (
    check_output_path,
    dpi_option,
    echo_json,
    json_option,
    quiet_option,
    terminal_width,
)

JSON_KEYS = """
JSON keys (--json): size, dtype, threads, backends, machine (platform, processor, cpu_model,
simd, cpus, python, versions, threads; numba_cpu where NUMBA_CPU_NAME or NUMBA_CPU_FEATURES
point numba at another CPU), floors_ms {copy, dy*x[, gpu copy, gpu dy*x]}, rows [{name, op,
impl, ms, floor_ms, ratio}].
"""


@click.command("bench", epilog=JSON_KEYS)
@click.argument("names", nargs=-1, metavar="[NAME ...]")
@click.option("--size", "-n", type=int, default=10**7, show_default=True,
              help="Elements per array.")
@click.option("--dtype", type=click.Choice(["float32", "float64"]), default="float32",
              show_default=True)
@click.option("--backend", "backends", multiple=True,
              help="numba, numpy or cupy (repeatable or a comma list; default numba if "
                   "installed, else numpy).")
@click.option("--threads", "-t", type=int, default=None,
              help="Threads for numba and the peers (default: all CPUs).")
@click.option("--repeat", type=int, default=7, show_default=True, help="Best of this many runs.")
@click.option("--no-peers", is_flag=True, help="Skip PyTorch and ONNX Runtime.")
@dpi_option
@click.option("-o", "--output", default=None, help="Also draw a bar chart (png, svg, pdf).")
@quiet_option
@json_option
def command(names, size, dtype, backends, threads, repeat, no_peers, dpi, output, quiet,
            as_json):
    """Time the forward and backward of activations (default: the whole catalog), each
    writing into a preallocated output, best of --repeat runs after a warm-up (which
    includes numba compilation). The floors are measured in the same run: a parallel copy
    for the forward, a parallel dy*x loop (three streams) for the backward; ratios are to
    the floor. Peers (PyTorch, ONNX Runtime) are timed when installed. With --backend cupy
    the CuPy rows are measured against the device's own copy and dy*x; use --size
    100000000 or more there.

    \b
    Examples:
      actviz bench mish sigmoid hard_sigmoid
      actviz bench --threads 2 --repeat 9 --json > actviz/data/bench_results.json
      actviz bench relu --size 1000000 --dtype float64 --backend numpy --no-peers
      actviz bench mish gelu --backend cupy --size 100000000 --no-peers
    """
    from actviz import bench, catalog, kernels
    from actviz.cli.options import compile_notice, names_from, numba_hint, progress, split_list

    if output is not None:
        check_output_path(output)
    backends = tuple(split_list(backends))
    if not backends:
        backends = ("numba",) if "numba" in kernels.backends() else ("numpy",)
    names = names_from(names) or catalog.names()
    if not quiet:
        numba_hint("bench")
        if "numba" in backends:
            compile_notice(4 * len(names))
    with progress(length=len(names), label="timing", show=not quiet) as bar:
        result = bench.run(names, size=size, dtype=dtype, backends=backends, threads=threads,
                           repeat=repeat, peers=not no_peers, progress=bar.update)
    if output is not None:
        from actviz.figures import bench as fig_bench
        from actviz.figures import save

        save(fig_bench.draw(result), output, dpi=dpi)
    if as_json:
        echo_json(result.to_dict())
    else:
        click.echo(result.table(terminal_width()))
        if output is not None:
            click.echo(f"wrote {output}")
