"""How long the certification of ``actviz approx`` takes, and what the approximations cost.

    python benchmarks/bench_approx.py [--float32-range LO HI] [--repeat N]

For pairs (approximation, target): the real-number check on [-8, 8], the exhaustive float16
and bfloat16 checks, and the exhaustive float32 check on a range (numba when installed), with
their times; then the forward cost (ns per float32 value, through actviz.kernels) of each
function next to a copy, and the machine (CPU model and SIMD flags).
"""

from __future__ import annotations

import argparse
import json
import time

PAIRS = (("hard_sigmoid(x, alpha=0.1770649986, beta=0.5)", "sigmoid"),
         ("ultra_fast_sigmoid", "sigmoid"),
         ("gelu:tanh", "gelu"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--float32-range", nargs=2, type=float, default=(-8.0, 8.0))
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from actviz import kernels, symbolic
    from actviz.approx import certify, cost

    rows = []
    for g_spec, f_spec in PAIRS:
        g, f = symbolic.load(g_spec), symbolic.load(f_spec)
        checks = [certify.real(g, f, (-8.0, 8.0))]
        checks += [certify.dtype_check(g, f, d, (-8.0, 8.0)) for d in ("float16", "bfloat16")]
        t0 = time.perf_counter()
        checks.append(certify.dtype_check(g, f, "float32", tuple(args.float32_range)))
        checks[-1].seconds = time.perf_counter() - t0  # with compilation
        for c in checks:
            rows.append({"pair": f"{g_spec} vs {f_spec}", "check": c.what, "points": c.points,
                         "seconds": round(c.seconds, 2), "max_abs_error": c.max_abs_error,
                         "skipped": c.skipped})
    funcs = sorted({s for pair in PAIRS for s in pair}, key=str)
    per, floor = cost.cost_ns([symbolic.load(s) for s in funcs], repeat=args.repeat)
    out = {"machine": cost.machine(), "backend": kernels.choose("auto"), "checks": rows,
           "cost_ns": {s: round(v, 3) for s, v in zip(funcs, per)},
           "copy_floor_ns": round(floor, 3)}
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"machine: {out['machine']}; backend {out['backend']}")
    for r in rows:
        what = "skipped: " + r["skipped"] if r["skipped"] else f"{r['max_abs_error']:.10g}"
        pts = f"{r['points']:,}" if r["points"] else "-"
        print(f"{r['pair']:<52} {r['check']:<9} {pts:>15} {r['seconds']:8.2f} s  {what}")
    for s, v in out["cost_ns"].items():
        print(f"cost {s:<48} {v:7.3f} ns/value")
    print(f"copy floor {out['copy_floor_ns']:.3f} ns/value (float32, 2^20 values)")


if __name__ == "__main__":
    main()
