"""Worst-case error of the float32 fast path, scanned over whole binades of float32 inputs.

For every (activation, order) the numba backend computes in float32 arithmetic
(``actviz.kernels.numba_.formulas32.FAST``), every float32 value with ``2**lo <= |x| < 2**hi`` is
evaluated, plus every ``--stride``-th float32 of the whole line, and compared with the
float64 path (libm, itself tested against mpmath at 50 digits in tests/test_kernels.py).
Prints the largest error in float32 ulp, where it occurs and how many inputs exceed 1, 2
and 4 ulp.

    python benchmarks/accuracy.py                     # binades 2**-4 .. 2**7, ~3 min
    python benchmarks/accuracy.py mish silu --lo -20 --hi 7
    python benchmarks/accuracy.py --peers             # also PyTorch and ONNX Runtime forwards

``--peers`` measures the forwards of PyTorch and ONNX Runtime (where installed) the same
way on every 16th float32 of the binades, for context next to ``actviz bench``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from actviz import kernels
from actviz.kernels.numba_ import formulas32 as fast32

CHUNK = 1 << 24


def float32_range(lo: int, hi: int):
    """Chunks of every positive float32 in [2**lo, 2**hi) (as bit patterns)."""
    start = int(np.array(2.0 ** lo, dtype=np.float32).view(np.uint32))
    stop = int(np.array(2.0 ** hi, dtype=np.float32).view(np.uint32))
    for a in range(start, stop, CHUNK):
        yield np.arange(a, min(a + CHUNK, stop), dtype=np.uint32).view(np.float32)


def strided(stride: int):
    top = int(np.array(np.inf, dtype=np.float32).view(np.uint32))
    for a in range(0, top, CHUNK * stride):
        yield np.arange(a, min(a + CHUNK * stride, top), stride, dtype=np.uint32).view(np.float32)


def ulp_error(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        w32 = want.astype(np.float32)
        unit = np.spacing(np.abs(w32)).astype(np.float64)
        err = np.abs(got.astype(np.float64) - want) / unit
    return np.where((got == w32) | (np.isnan(got) & np.isnan(want)), 0.0, err)


def scan(name: str, order: int, chunks) -> dict:
    worst, at, over = 0.0, None, {1: 0, 2: 0, 4: 0}
    n = 0
    for pos in chunks:
        for x in (pos, -pos):
            got = kernels.derivative(name, x, order, backend="numba")
            want = kernels.derivative(name, x.astype(np.float64), order, backend="numba")
            err = ulp_error(got, want)
            err[~np.isfinite(want)] = 0.0  # beyond float32 range or NaN
            i = int(err.argmax())
            if err[i] > worst:
                worst, at = float(err[i]), float(x[i])
            for k in over:
                over[k] += int((err > k).sum())
            n += x.size
    return {"worst_ulp": worst, "at": at, "points": n, "over": over}


def scan_peers(names, lo: int, hi: int) -> None:
    from actviz import bench

    torch_ops = bench._torch_ops(1)
    print(f"\nforwards of the peers, every 16th float32 with 2**{lo} <= |x| < 2**{hi}")
    print(f"{'activation':12s} {'peer':12s} {'max ulp':>12s}  {'at x':>14s}  {'>4 ulp':>9s}")
    xs = np.concatenate([c[::16] for c in float32_range(lo, hi)])
    x = np.concatenate([xs, -xs])
    for name in names:
        ref = kernels.forward(name, x.astype(np.float64), backend="numba")  # as above
        runs = {"actviz": lambda o, n=name: kernels.forward(n, x, out=o, backend="numba")}
        fw = torch_ops.get(name, (None, None))[0]
        if fw is not None:
            runs["torch"] = lambda o, fw=fw: fw(x, o)
        ort = bench._ort_forward(name, x, 1)
        if ort is not None:
            runs["onnxruntime"] = ort
        for peer, run in runs.items():
            o = np.empty_like(x)
            run(o)
            err = ulp_error(o, ref)
            err[~np.isfinite(ref)] = 0.0
            i = int(err.argmax())
            print(f"{name:12s} {peer:12s} {err[i]:12.4g}  {float(x[i])!r:>14}  "
                  f"{int((err > 4).sum()):9d}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="activations (default: every fast-path one)")
    ap.add_argument("--lo", type=int, default=-4, help="smallest binade scanned exhaustively")
    ap.add_argument("--hi", type=int, default=7, help="binade above the last one scanned")
    ap.add_argument("--stride", type=int, default=256, help="sample of the whole float32 line")
    ap.add_argument("--peers", action="store_true", help="also PyTorch's and ONNX Runtime's")
    a = ap.parse_args()
    pairs = [(n, w) for n, w in sorted(fast32.FAST) if not a.names or n in a.names]
    print(f"float32 fast path: every float32 with 2**{a.lo} <= |x| < 2**{a.hi}, plus every "
          f"{a.stride}th float32; reference: the float64 path")
    print(f"{'activation':12s} {'order':5s} {'max ulp':>8s}  {'at x':>14s}  "
          f"{'>1 ulp':>9s} {'>2 ulp':>7s} {'>4 ulp':>6s}  points")
    for name, which in pairs:
        order = {"f": 0, "d1": 1}[which]
        t = time.perf_counter()
        r = scan(name, order, [*float32_range(a.lo, a.hi), *strided(a.stride)])
        print(f"{name:12s} {which:5s} {r['worst_ulp']:8.2f}  {r['at']!r:>14}  "
              f"{r['over'][1]:9d} {r['over'][2]:7d} {r['over'][4]:6d}  {r['points']:,} "
              f"({time.perf_counter() - t:.0f} s)", flush=True)
    if a.peers:
        scan_peers(sorted({n for n, w in pairs if w == "f"}), a.lo, a.hi)


if __name__ == "__main__":
    main()
