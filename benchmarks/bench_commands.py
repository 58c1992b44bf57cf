"""Wall time of actviz commands against the plain scripts they replace, in one run.

    python benchmarks/bench_commands.py [--repeat 5] [--only plot,show,...]

Each command runs as a user runs it (a fresh process, ``actviz ...``), next to its
baseline, a plain script doing the bare job, also a fresh process: the two take turns,
``--repeat`` rounds after one warm-up round (which fills actviz's symbolic cache and
numba's compile cache), and each ratio is best / best of the same rounds. The issue's goals
are printed beside each ratio. ``--cold`` also times each command once with an empty
symbolic cache (``ACTVIZ_CACHE_DIR`` a new folder: sympy's work done afresh) first.

| command | baseline | goal |
|---|---|---|
| ``plot mish --derivatives 2`` | a bare three-panel matplotlib script of f, f', f'' | 1.3x |
| ``show mish`` | ``import sympy`` | 2x |
| ``check mish`` | ``import sympy, mpmath`` | 6x |
| ``optimize-constraint`` | the original SLSQP run from (5, 5) and its contour plot | 5x |
| ``train-xor sigmoid`` (1000 seeds x 4000 epochs) | a per-sample NumPy loop, one seed | 4x |
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

PLOT = """
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
x = np.linspace(-5, 5, 2001)
sp = np.logaddexp(0, x)
t = np.tanh(sp)
s = 1 / (1 + np.exp(-x))
g = s * (1 - t * t)
f = x * t
d1 = t + x * g
d2 = 2 * g + x * g * ((1 - s) - 2 * t * s)
fig, axes = plt.subplots(3, 1, figsize=(7, 7.9), sharex=True)
for ax, y in zip(axes, (f, d1, d2)):
    ax.plot(x, y)
    ax.axhline(0, color="0.6", lw=0.6)
fig.savefig("bare.png", dpi=120)
"""

CONSTRAINT = """
import numpy as np
from scipy.optimize import minimize
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

def objective(v):
    return v[0] ** 2 + v[1] ** 2

def z(v):
    return 1 / (1 + np.exp(-10 * (v[0] ** 2 + v[1] ** 2 - 25)))

cons = [{"type": "ineq", "fun": lambda v: 5 - v[0] - v[1]},
        {"type": "ineq", "fun": lambda v: z(v) - 1}]
res = minimize(objective, [5, 5], method="SLSQP", bounds=[(0, 10), (0, 10)],
               constraints=cons)
print(res)
X, Y = np.meshgrid(np.linspace(0, 10, 200), np.linspace(0, 10, 200))
plt.contour(X, Y, X ** 2 + Y ** 2, 20)
plt.contour(X, Y, z((X, Y)), levels=[0.5], colors="r")
plt.plot(*res.x, "ko")
plt.savefig("constraint.png")
"""

XOR = """
import numpy as np
rng = np.random.default_rng(0)
W1 = rng.random((3, 3))
W2 = rng.random(4)
X = np.array([[0, 1], [1, 0], [1, 1], [0, 0]], dtype=float)
T = np.array([1, 1, 0, 0], dtype=float)

def f(z):
    return 1 / (1 + np.exp(-z))

def df(z):
    s = f(z)
    return s * (1 - s)

for _ in range(4000):
    for x, t in zip(X, T):
        xa = np.append(x, 1.0)
        z1 = xa @ W1
        h = np.append(f(z1), 1.0)
        z2 = h @ W2
        y = f(z2)
        dz2 = (-t / y + (1 - t) / (1 - y)) * df(z2)
        dz1 = W2[:-1] * dz2 * df(z1)
        W2 = W2 - 0.1 * h * dz2
        W1 = W1 - 0.1 * np.outer(xa, dz1)
print(f(np.append(f(np.append(X, np.ones((4, 1)), 1) @ W1), np.ones((4, 1)), 1) @ W2))
"""

CASES = {
    "plot": (["plot", "mish", "--derivatives", "2", "-o", "mish.png"], ("script", PLOT), 1.3),
    "show": (["show", "mish"], ("code", "import sympy"), 2.0),
    "check": (["check", "mish"], ("code", "import sympy, mpmath"), 6.0),
    "optimize-constraint": (["optimize-constraint", "-o", "constraint.png"],
                            ("script", CONSTRAINT), 5.0),
    "train-xor": (["train-xor", "sigmoid", "--seeds", "1000", "--epochs", "4000", "-q"],
                  ("script", XOR), 4.0),
}


def machine() -> str:
    model, flags = platform.processor() or platform.machine(), set()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name") and model in ("", platform.machine()):
                    model = line.split(":", 1)[1].strip()
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    simd = [f for f in ("avx2", "fma", "avx512f", "avx512bw", "avx512vl") if f in flags]
    return f"{model}; {os.cpu_count()} CPUs; flags: {' '.join(simd) or 'unknown'}"


def timed(argv, env, cwd) -> float:
    t = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default=",".join(CASES), help="comma list of: " + ", ".join(CASES))
    ap.add_argument("--cold", action="store_true",
                    help="also one run of each command with an empty symbolic cache")
    args = ap.parse_args()
    actviz = shutil.which("actviz") or sys.exit("actviz is not on PATH (pip install .)")
    work = tempfile.mkdtemp(prefix="actviz-bench-")
    env = dict(os.environ, ACTVIZ_CACHE_DIR=os.path.join(work, "cache"))
    import numpy
    import scipy
    import sympy

    print(f"machine: {machine()}")
    print(f"python {platform.python_version()}, numpy {numpy.__version__}, scipy "
          f"{scipy.__version__}, sympy {sympy.__version__}; load average "
          f"{os.getloadavg()[0]:.2f} at start; best of {args.repeat} rounds, taking turns\n")
    print(f"{'command':<22} {'actviz s':>9} {'baseline s':>11} {'ratio':>7} {'goal':>6}"
          + ("  cold s" if args.cold else ""))
    for name in args.only.split(","):
        cmd, (kind, text), goal = CASES[name]
        if kind == "script":
            path = os.path.join(work, f"{name}.py")
            with open(path, "w") as fh:
                fh.write(text)
            base = [sys.executable, path]
        else:
            base = [sys.executable, "-c", text]
        argv = [actviz, *cmd]
        cold = ""
        if args.cold:
            cold_env = dict(env, ACTVIZ_CACHE_DIR=tempfile.mkdtemp(dir=work))
            cold = f"  {timed(argv, cold_env, work):6.2f}"
        timed(argv, env, work)  # warm-up: caches filled
        timed(base, env, work)
        ours, theirs = [], []
        for _ in range(args.repeat):
            ours.append(timed(argv, env, work))
            theirs.append(timed(base, env, work))
        a, b = min(ours), min(theirs)
        mark = "ok" if a / b <= goal else "MISSED"
        print(f"{' '.join(cmd[:2]):<22} {a:9.2f} {b:11.2f} {a / b:7.2f} {goal:5.1f}x"
              f"{cold}  {mark}")
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
