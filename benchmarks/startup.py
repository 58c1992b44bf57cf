"""CLI start-up and plot latency against bare baselines, measured in one run.

    python benchmarks/startup.py [--repeat 5]

Times (best of N, wall clock, fresh processes):
  - `python -c "import click"`             the floor for any click CLI
  - `actviz --help`                        must not import numpy/sympy/scipy/matplotlib
  - a bare matplotlib script with three panels (the floor for any plot)
  - `actviz plot mish --derivatives 2`     parse, differentiate, find kinks, draw, save
and prints the ratios.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

BARE_PLOT = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
x = np.linspace(-5, 5, 2001)
fig, axes = plt.subplots(3, 1, sharex=True)
for ax, y in zip(axes, (np.tanh(x), 1 - np.tanh(x)**2, -2*np.tanh(x)*(1 - np.tanh(x)**2))):
    ax.plot(x, y)
fig.savefig("bare.png")
"""


def best(cmd, repeat, cwd):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    py = sys.executable
    actviz = [py, "-m", "actviz"]
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "bare.py"), "w") as fh:
            fh.write(BARE_PLOT)
        rows = [
            ("python -c 'import click'", best([py, "-c", "import click"], args.repeat, tmp)),
            ("actviz --help", best(actviz + ["--help"], args.repeat, tmp)),
            ("bare matplotlib, 3 panels", best([py, "bare.py"], args.repeat, tmp)),
            ("actviz plot mish --derivatives 2",
             best(actviz + ["plot", "mish", "--derivatives", "2"], args.repeat, tmp)),
        ]
    for name, t in rows:
        print(f"{name:36s} {t * 1000:8.0f} ms")
    print(f"\nactviz --help / import click:          {rows[1][1] / rows[0][1]:.2f}x")
    print(f"actviz plot mish -d 2 / bare 3 panels: {rows[3][1] / rows[2][1]:.2f}x")


if __name__ == "__main__":
    main()
