"""``actviz bench``: kernel timings next to the memory-bandwidth floor and peers."""

from __future__ import annotations

import click

from actviz.cli.options import check_output_path, echo_json, json_option


@click.command("bench")
@click.argument("names", nargs=-1)
@click.option("--size", "-n", type=int, default=10**7, show_default=True,
              help="Elements per array.")
@click.option("--dtype", type=click.Choice(["float32", "float64"]), default="float32",
              show_default=True)
@click.option("--backend", "backends", multiple=True,
              help="numba, numpy or cupy (repeatable; default numba if installed, else numpy).")
@click.option("--threads", "-t", type=int, default=None,
              help="Threads for numba and the peers (default: all CPUs).")
@click.option("--repeat", type=int, default=7, show_default=True, help="Best of this many runs.")
@click.option("--no-peers", is_flag=True, help="Skip PyTorch and ONNX Runtime.")
@click.option("-o", "--output", default=None, help="Also draw a bar chart (png, svg, pdf).")
@json_option
def command(names, size, dtype, backends, threads, repeat, no_peers, output, as_json):
    """Time forward and backward of activations (default: the whole catalog).

    Each op writes into a preallocated output; best of --repeat runs after a warm-up
    (which includes numba compilation). Floors measured in the same run: a parallel copy
    for the forward, a parallel dy*x loop (three streams) for the backward. Ratios are to
    the floor. Peers (PyTorch, ONNX Runtime) are timed when installed. With --backend
    cupy the CuPy rows are measured against the device's own copy and dy*x (floors
    "gpu copy", "gpu dy*x"); use --size 100000000 or more there.

    \b
    JSON keys: size, dtype, threads, backends, machine, floors_ms {copy, dy*x[, gpu ...]},
    rows [{name, op, impl, ms, floor_ms, ratio}].

    \b
    Examples:
      actviz bench mish sigmoid hard_sigmoid
      actviz bench --threads 2 --repeat 9 --json > benchmarks/results.json
      actviz bench relu --size 1000000 --dtype float64 --backend numpy --no-peers
      actviz bench mish gelu --backend cupy --size 100000000 --no-peers
    """
    from actviz import bench, kernels

    if output is not None:
        check_output_path(output)
    if not backends:
        backends = ("numba",) if "numba" in kernels.backends() else ("numpy",)
    result = bench.run(names, size=size, dtype=dtype, backends=backends, threads=threads,
                       repeat=repeat, peers=not no_peers)
    if output is not None:
        from actviz.figures import bench as fig_bench
        from actviz.figures import save

        save(fig_bench.draw(result), output)
    if as_json:
        echo_json(result.to_dict())
    else:
        click.echo(result.table())
