"""SLSQP runs for the basin maps without ``scipy.optimize.minimize``'s per-call overhead.

A basin map is thousands of short SLSQP runs (11-72 evaluations each), and most of a run's
time went to ``minimize``'s wrapping (bounds and constraint standardisation, the
``ScalarFunction`` memoisation, ``np.array_equal``, ``atleast_nd``) rather than to the solver.
:func:`prepare` returns a run function doing what scipy 1.17's ``_minimize_slsqp`` does for
our problems (callable Jacobians, no callback) - the same calls of ``_slsqplib.slsqp``, with
the same arguments, in the same order, the objective and gradient evaluated and memoised as
``ScalarFunction`` does (a point equal to the last one, by ``==``, reuses its values) - so
the points and exit modes are bit for bit scipy's (the problems' functions neither change
nor keep their argument, so it is passed without scipy's defensive copies; iteration and
evaluation counts are not kept: a map needs the point and the mode). Where that cannot be
promised (another scipy release, a problem without analytic Jacobians, another method) it
returns ``None`` and callers run :func:`~.problem.solve`; the tests compare the two.
"""

from __future__ import annotations

import warnings

from actviz.constraint.problem import BOX

VERIFIED_SCIPY = ("1.17",)  # releases whose _minimize_slsqp this mirrors (read and tested)


def _kernel():
    """scipy's reverse-communication SLSQP step, or ``None`` where not the verified one."""
    import scipy

    if ".".join(scipy.__version__.split(".")[:2]) not in VERIFIED_SCIPY:
        return None
    try:
        from scipy.optimize._slsqplib import slsqp
    except ImportError:  # pragma: no cover - guarded by the version above
        return None
    return slsqp


def prepare(problem, method: str, options: dict):
    """``run(start) -> (x, status)`` for ``problem`` (``x`` a list of floats and ``status``
    scipy's exit mode, 0 for success, as :func:`~.problem.solve` reports them), or ``None``
    where only ``solve`` can run it."""
    slsqp = _kernel() if method == "SLSQP" else None
    stages = problem.stages or [(problem.fun, problem.jac)]
    if slsqp is None or set(options) - {"ftol", "maxiter"} \
            or any(jac is None for _, jac in stages) \
            or any(c.jac is None for c in problem.constraints):
        return None
    import numpy as np

    acc = float(options.get("ftol", 1e-6))
    maxiter = int(options.get("maxiter", 100))
    cfuns = [c.fun for c in problem.constraints]
    cjacs = [c.jac for c in problem.constraints]
    m, n = len(cfuns), 2
    rows = range(m)
    size = n * (n + 1) // 2 + 3 * m * n + 9 * m + 8 * n * n + 35 * n + 28  # scipy's, meq = 0
    if m == 0:
        size += 2 * n * (n + 1)
    lo, hi = np.full(n, BOX[0]), np.full(n, BOX[1])

    def stage(fun, jac, x0):
        """One ``_minimize_slsqp`` call from ``x0``: its x and exit mode."""
        x = np.clip(x0, lo, hi)
        f_at, f_key = x.copy(), x.tolist()  # ScalarFunction.x: where f and g were evaluated
        fx = float(fun(f_at))  # the double scipy passes on (it takes .item() of arrays)
        g = np.atleast_1d(jac(f_at))
        f_ok = g_ok = True
        state = {"acc": acc, "alpha": 0.0, "f0": 0.0, "gs": 0.0, "h1": 0.0, "h2": 0.0,
                 "h3": 0.0, "h4": 0.0, "t": 0.0, "t0": 0.0, "tol": 10.0 * acc, "exact": 0,
                 "inconsistent": 0, "reset": 0, "iter": 0, "itermax": maxiter, "line": 0,
                 "m": m, "meq": 0, "mode": 0, "n": n}
        indices = np.zeros(m + 2 * n + 2, dtype=np.int32)
        buffer = np.zeros(size)
        mult = np.zeros(m + 2 * n + 2)
        C = np.zeros((max(1, m), n), order="F")
        d = np.zeros(max(1, m))
        for i in rows:
            C[i] = cjacs[i](x)
            d[i] = cfuns[i](x)
        while True:
            slsqp(state, fx, g, C, d, x, mult, lo, hi, buffer, indices)
            mode = state["mode"]
            if mode != 1 and mode != -1:
                return x, mode
            key = x.tolist()
            if key != f_key:  # not np.array_equal(x, ScalarFunction.x): -0.0 == 0.0, nan != nan
                f_at, f_key = x.copy(), key
                f_ok = g_ok = False
            if mode == 1:
                if not f_ok:
                    fx = float(fun(f_at))
                    f_ok = True
                for i in rows:
                    d[i] = cfuns[i](x)
            else:
                if not g_ok:
                    g = np.atleast_1d(jac(f_at))
                    g_ok = True
                for i in rows:
                    C[i] = cjacs[i](x)

    def run(start):
        x = np.asarray(start, dtype=float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                for fun, jac in stages:
                    x, mode = stage(fun, jac, x)
        return [float(v) for v in x], int(mode)

    return run
