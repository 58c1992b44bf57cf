"""What an approximation costs: measured kernel time and an operation count.

``cost_ns``: the forward of each function through :func:`actviz.kernels.forward` (catalog
formulas, or the compiled generic path for an expression) on ``size`` float32 values into a
preallocated output, best of ``repeat`` rounds after a warm-up, the functions taking turns
(:func:`actviz.bench.interleaved`, so a slow spell of a shared machine hits all alike), in
nanoseconds per value; next to a copy of the same array (the memory floor).
``operations``: sympy's ``count_ops`` of the formula with sigmoid, softplus and tanh written
in exponentials (a comparison and a branch count one each), a machine-independent cost.
"""

from __future__ import annotations

SIZE = 1 << 20
REPEAT = 7


def operations(func) -> int:
    import sympy

    from actviz.sym_functions import sigmoid, softplus

    expr = func.expr.replace(sigmoid, lambda a: 1 / (1 + sympy.exp(-a)))
    expr = expr.replace(softplus, lambda a: sympy.log(1 + sympy.exp(a)))
    expr = expr.rewrite(sympy.tanh, sympy.exp) if expr.has(sympy.tanh) else expr
    return int(sympy.count_ops(expr))


def cost_ns(funcs, size: int = SIZE, repeat: int = REPEAT, backend: str = "auto"):
    """(per function ns/value, copy floor ns/value) for ``funcs`` (symbolic Functions)."""
    import numpy as np

    from actviz import bench, kernels

    rng = np.random.default_rng(0)
    x = (rng.standard_normal(size) * 4).astype(np.float32)
    o = np.empty_like(x)
    fns = {("copy", -1): lambda: np.copyto(o, x)}
    for i, fn in enumerate(funcs):
        pl = kernels.plan(fn)
        fns["f", i] = lambda pl=pl: kernels.forward(pl, x, out=o, backend=backend)
    best = bench.interleaved(fns, repeat)
    per = [best["f", i] * 1e6 / size for i in range(len(funcs))]
    return per, best["copy", -1] * 1e6 / size


def machine() -> str:
    """The CPU model and SIMD flags (as ``actviz bench`` reports them)."""
    from actviz import bench

    model, flags = bench.cpu()
    return f"{model or 'unknown CPU'} ({' '.join(flags) or 'no SIMD flags read'})"
