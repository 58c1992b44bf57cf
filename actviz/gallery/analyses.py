"""Gallery pictures of the analyses: XOR nets, the constrained optimization, the stability
scan and the benchmark chart. Each draws from a fresh, seeded run (the benchmark chart from
the recorded results packaged in ``actviz/data/bench_results.json``, since timings are not
reproducible, so the chart is drawn wherever the gallery is built)."""

from __future__ import annotations

import os

XOR_ACTS = ("sigmoid", "hard_sigmoid", "ultra_fast_sigmoid", "relu")


def _xor():
    from actviz.figures import xor as fig_xor
    from actviz.xor import train_xor

    return fig_xor.draw(train_xor(list(XOR_ACTS)))


def _constraint():
    from actviz.constraint import analyse
    from actviz.figures import constraint as fig_constraint

    return fig_constraint.draw(analyse())


def _stability():
    from actviz import symbolic
    from actviz.figures import stability as fig_stability
    from actviz.stability import scan

    return fig_stability.draw([scan(symbolic.load(n)) for n in ("mish", "softplus")])


BENCH_JSON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data",
                          "bench_results.json")
BENCH_JSON_IN_REPO = "actviz/data/bench_results.json"


def _bench():
    import json

    from actviz.figures import bench as fig_bench

    with open(BENCH_JSON, encoding="utf-8") as fh:
        return fig_bench.draw(json.load(fh))


def specs() -> list[tuple]:
    """(key, section, title, command, draw, note) of each analysis picture, in index order
    (the fields of :class:`actviz.gallery.items.Item`)."""
    acts = " ".join(XOR_ACTS)
    return [
        ("xor/train_xor", "Training failure on tiny XOR nets",
             "2-3-1 XOR nets: sigmoid, hard_sigmoid, ultra_fast_sigmoid, relu",
             f"actviz train-xor {acts} -q -o train_xor.svg", _xor,
             "Default configuration of the original experiment (uniform [0, 1) weights, BCE, "
             "online SGD lr 0.1, 4000 epochs), 20 seeds. hard_sigmoid's units stay inside the "
             "linear band, so the net is affine on the four inputs and cannot separate XOR."),
        ("constraint/optimize_constraint", "Constrained optimization",
             "maximize x + 2y s.t. x² + y² ≤ 25: exact vs hard-sigmoid and sigmoid gates",
             "actviz optimize-constraint -o optimize_constraint.svg", _constraint,
             "Optimizer paths and basin maps over a 41×41 grid of starts: where the "
             "hard-sigmoid gate is flat, SLSQP gets no information from the constraint."),
        ("stability/mish_softplus", "Numerical stability",
             "mish and softplus: naive formulas vs actviz kernels in float16/bfloat16/32/64",
             "actviz stability mish softplus -o mish_softplus.svg", _stability,
             "Where the textbook formulas overflow (float16 near x = 11), flush to 0 or lose "
             "relative accuracy (float32 below about -17), and the kernels do not."),
    ] + ([("bench/bench", "Speed", "kernel time over the memory-bandwidth floor",
               f"actviz bench --threads 2 --repeat 9 --json > {BENCH_JSON_IN_REPO}", _bench,
               "Drawn from the recorded run in actviz/data/bench_results.json (timings are not "
               "reproducible, so the gallery does not re-time); see benchmarks/RESULTS.md.")]
         if os.path.exists(BENCH_JSON) else [])
