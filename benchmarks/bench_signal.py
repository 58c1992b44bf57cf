"""Speed of ``actviz signal``: the edge of chaos and the simulated net.

    python benchmarks/bench_signal.py [--acts tanh,relu,gelu,mish] [--points 50] [--repeat 3]
        [--depth 50] [--width 1000] [--samples 4096]

Targets (issue 13): the edge-of-chaos curve of 50 sigma_b points in under a second after
start-up, for any catalog entry; the simulated net (forward + backward) within 2x the time of
its matrix products alone. Each figure is the best of ``--repeat`` runs after a warm-up
(numba compilation, caches). "matmul only" runs the same products on the same arrays with the
activation replaced by nothing (h is passed on as it is), and the weights drawn the same way,
so the ratio is what the activation and the measurements add.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from actviz import kernels  # noqa: E402
from actviz.bench import cpu  # noqa: E402
from actviz.meanfield import (  # noqa: E402
    SignalConfig,
    SimConfig,
    edge_of_chaos,
    load,
    run_signal,
    simulate,
)
from actviz.meanfield.simulate import _inputs, _layers  # noqa: E402


def best(fn, repeat):
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)


def matmul_only(cfg: SimConfig, sw: float, sb: float):
    dtype = np.float32 if cfg.dtype == "float32" else np.float64
    rng = np.random.default_rng(np.random.SeedSequence(cfg.seed))
    x = _inputs(rng, cfg, dtype)
    weights = list(_layers(rng, cfg.depth, cfg.width, sw, sb, dtype))
    g = rng.standard_normal((cfg.samples, cfg.width)).astype(dtype)
    hs = []
    for w, b in weights:
        x = x @ w + b
        hs.append(x)
    delta = g
    for i in range(cfg.depth - 2, -1, -1):
        delta = delta @ weights[i + 1][0].T


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--acts", default="tanh,relu,gelu,mish,selu,hard_sigmoid")
    ap.add_argument("--points", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--depth", type=int, default=50)
    ap.add_argument("--width", type=int, default=1000)
    ap.add_argument("--samples", type=int, default=4096)
    a = ap.parse_args()
    model, flags = cpu()
    print(f"CPU: {model} ({os.cpu_count()} logical CPUs), SIMD: {' '.join(flags)}")
    print(f"numpy {np.__version__}, kernels backends: {', '.join(kernels.backends())}")
    sbs = np.linspace(0.0, 1.0, a.points)
    print(f"\nedge of chaos, {a.points} sigma_b points in [0, 1] (best of {a.repeat}):")
    phis = load(a.acts.split(","))
    for phi in phis:
        edge_of_chaos(phi, sbs)
        t = best(lambda phi=phi: edge_of_chaos(phi, sbs), a.repeat)
        n = len(edge_of_chaos(phi, sbs).points)
        print(f"  {phi.label:14s} {t * 1e3:8.1f} ms  ({n} points)")
    print(f"\nthe whole mean-field analysis (--no-simulate: point, edge of chaos, gains, "
          f"{a.depth} predicted layers; best of {a.repeat}):")
    no_sim = SignalConfig(simulate=False, sim=SimConfig(depth=a.depth))
    for phi in phis:
        t = best(lambda phi=phi: run_signal([phi.fn.name], no_sim), a.repeat)
        print(f"  {phi.label:14s} {t:8.2f} s")
    cfg = SimConfig(depth=a.depth, width=a.width, samples=a.samples)
    print(f"\nsimulated net: depth {a.depth}, width {a.width}, {a.samples} inputs, float32, "
          f"forward + backward (best of {a.repeat}):")
    t0 = best(lambda: matmul_only(cfg, math.sqrt(2), 0.1), a.repeat)
    print(f"  {'matmul only':14s} {t0:8.2f} s")
    for phi in phis[:3]:
        simulate(phi, 1.0, 0.1, SimConfig(depth=2, width=64, samples=8))
        t = best(lambda phi=phi: simulate(phi, 1.0, 0.1, cfg), a.repeat)
        print(f"  {phi.label:14s} {t:8.2f} s   {t / t0:.2f}x matmul only")


if __name__ == "__main__":
    main()
