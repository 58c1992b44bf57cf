"""Speed of the XOR trainer: 1000 seeds x 4000 epochs of the default configuration.

    python benchmarks/bench_xor.py [--seeds 1000] [--epochs 4000] [--repeat 3] [--act ...]

For each activation, after a warm-up (numba compilation, caches): the training loop alone
(numba and the NumPy vectorized path), the whole ``train_xor`` (training plus the records:
losses, gradient norms and derivative statistics at 400 epochs, and the summary), and, for
scale, a plain per-sample NumPy loop for one seed. Best of ``--repeat`` runs; prints the
machine, versions and thread count. Target: ``train_xor`` for one activation <= 3 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from actviz.xor import (  # noqa: E402
    INPUTS,
    TARGETS,
    Trainer,
    XorConfig,
    init_weights,
    load_acts,
    train_xor,
)
from actviz.xor import trainer_backends as backends  # noqa: E402


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def plain_loop(f, df, W1, W2, epochs, lr=0.1):
    """One seed, one sample at a time, the way the original code ran."""
    for _ in range(epochs):
        for x, t in zip(INPUTS, TARGETS):
            xa = np.append(x, 1.0)
            z1 = xa @ W1
            h = np.append(f(z1), 1.0)
            z2 = h @ W2
            y = f(z2)
            dz2 = (-t / y + (1 - t) / (1 - y)) * df(z2)
            dz1 = W2[:-1] * dz2 * df(z1)
            W2 = W2 - lr * h * dz2
            W1 = W1 - lr * np.outer(xa, dz1)
    return W1, W2


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=1000)
    ap.add_argument("--epochs", type=int, default=4000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--act", action="append", default=None)
    ap.add_argument("--skip-numpy", action="store_true", help="skip the slow NumPy paths")
    args = ap.parse_args()
    acts = load_acts(args.act or ["sigmoid", "hard_sigmoid"])
    cfg = XorConfig(seeds=args.seeds, epochs=args.epochs)
    threads = "n/a"
    if "numba" in backends():
        import numba

        threads = f"numba {numba.__version__}, {numba.get_num_threads()} threads, " \
                  f"layer {numba.config.THREADING_LAYER}"
    print(f"machine: {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f} at start")
    print(f"python {platform.python_version()}, numpy {np.__version__}, {threads}")
    print(f"{args.seeds} seeds x {args.epochs} epochs, default configuration, best of "
          f"{args.repeat}\n")
    for act in acts:
        rows = []
        for backend in ([b for b in ("numba", "numpy") if b in backends()]):
            if backend == "numpy" and args.skip_numpy:
                continue
            trainer = Trainer(act, cfg.loss, cfg.update, cfg.lr, backend)

            def train(trainer=trainer):
                W1, W2 = init_weights(cfg.seeds, cfg.seed, cfg.hidden, cfg.init, 1.0)
                trainer.run(W1, W2, cfg.epochs, cfg.epochs)

            if backend == "numba":
                W1, W2 = init_weights(2, 0, cfg.hidden, cfg.init, 1.0)
                trainer.run(W1, W2, 1, 1)  # warm-up
            rows.append((f"training loop ({backend})", best(train, 1 if backend == "numpy"
                                                              else args.repeat)))
        train_xor([act], XorConfig(seeds=2, epochs=2))  # warm-up of the whole path
        rows.append(("train_xor (training + records + summary)",
                     best(lambda act=act: train_xor([act], cfg), args.repeat)))
        W1, W2 = init_weights(1, 0, cfg.hidden, cfg.init, 1.0)
        f, df = act.fn.numpy(0), act.fn.numpy(1)
        one = best(lambda f=f, df=df, w1=W1[0], w2=W2[0]: plain_loop(f, df, w1, w2,
                                                                     cfg.epochs), 1)
        rows.append(("plain per-sample NumPy loop, ONE seed", one))
        print(act.label)
        for name, t in rows:
            print(f"  {name:<44} {t:8.3f} s")
        print(f"  (the plain loop would take about {one * cfg.seeds:.0f} s for {cfg.seeds} "
              "seeds)\n")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
