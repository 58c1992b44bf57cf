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
         if os.path.exists(BENCH_JSON) else []) + _signal_specs() + _approx_specs()


SIGNAL = (  # (activation, options, why this point)
    ("tanh", ("--init", "eoc", "--sigma-b", "0.2"),
     "On the edge of chaos at σ_b = 0.2: variance, correlation and gradient settle, as predicted."),
    ("relu", ("--init", "torch-default"),
     "PyTorch's nn.Linear default (σ_w = 1/√3) is ordered for relu: inputs collapse to "
     "correlation 1 and gradients vanish geometrically, half the units dead in every layer."),
    ("gelu", ("--init", "kaiming"),
     "Kaiming's √2 for gelu: ordered (gelu's own critical σ_w at σ_b = 0 is 2, from gelu'(0) = "
     "1/2), so gradients shrink with depth."),
)


def _signal(name, options):
    def draw():
        from actviz.figures import meanfield as fig_signal
        from actviz.meanfield import SignalConfig, figure_data, run_signal

        sb = float(options[3]) if "--sigma-b" in options else None
        cfg = SignalConfig(init=options[1], sigma_b=sb)
        result = run_signal([name], cfg)
        return fig_signal.draw(result, [figure_data(r) for r in result.results])

    return draw


def _signal_specs() -> list[tuple]:
    return [(f"signal/{name}", "Signal propagation at initialization",
             f"{name}: phase diagram, correlation map, landscapes, per-layer measurements",
             f"actviz signal {name} {' '.join(opts)} -o {name}.svg", _signal(name, opts), why)
            for name, opts, why in SIGNAL]


APPROX_COMPARE = ("hard_sigmoid", "hard_sigmoid:pytorch", "ultra_fast_sigmoid")


def _approx_pareto():
    from actviz.approx import approximate
    from actviz.figures import approx as fig_approx

    return fig_approx.draw(approximate("sigmoid", fit="hard_sigmoid", pwl=5, poly=5,
                                       rational=(3, 2), compare=APPROX_COMPARE))


def _approx_sigmoid():
    from actviz import symbolic
    from actviz.approx import approximate
    from actviz.figures import compare

    best = approximate("sigmoid", fit="hard_sigmoid", dtypes=(), cost=False).results[0]
    funcs = [symbolic.load(s) for s in (best.expr, *APPROX_COMPARE)]
    fig, _ = compare.plot_vs(funcs, symbolic.load("sigmoid"), 1, (-8.0, 8.0),
                             title="sigmoid: the best clipped line and the frameworks' ones")
    return fig


def _approx_specs() -> list[tuple]:
    names = ",".join(APPROX_COMPARE)
    return [
        ("approx/pareto", "Approximations", "sigmoid approximations: certified error vs cost",
         f"actviz approx sigmoid --fit hard_sigmoid --pwl 5 --poly 5 --rational 3,2 "
         f"--compare {names} -o pareto.svg", _approx_pareto,
         "Each point's error is certified (every real x in [-8, 8] at 30 digits, every "
         "float16 and bfloat16 value); its forward time is measured through actviz.kernels "
         "on the machine that built the gallery (not reproducible), its operation count is."),
        ("approx/sigmoid", "Approximations",
         "sigmoid: the best clipped line (slope 0.1770649986) against Keras', PyTorch's, Theano's",
         "actviz plot 'hard_sigmoid(x, alpha=0.1770649986, beta=0.5)' "
         f"{' '.join(APPROX_COMPARE)} --vs sigmoid --derivatives 1 -o sigmoid.svg",
         _approx_sigmoid,
         "The minimax hard sigmoid (actviz approx sigmoid --fit hard_sigmoid) has max error "
         "0.05605 against 0.07586 for slope 0.2 and 0.06918 for 1/6; it still has f' = 0 for "
         "|x| >= 2.824, so it still stalls on XOR."),
    ]
