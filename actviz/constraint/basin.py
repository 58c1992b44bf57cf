"""Section 3 of ``optimize-constraint``: basin maps over a grid of starts and the measured
lesson (do failures start where the gate's gradient is zero?)."""

from __future__ import annotations

import math

from actviz.constraint import slsqp
from actviz.constraint.gate import Gate
from actviz.constraint.problem import (
    BOX,
    FORMULATIONS,
    METHODS,
    OPTIONS,
    REACH_TOL,
    THRESHOLD,
    distance_to_optimum,
    solve,
)
from actviz.errors import ActvizError
from actviz.text import share

REACHED, FAILED, ELSEWHERE = 0, 1, 2
OUTCOMES = ("reached", "failed", "elsewhere")
PATH_STARTS = ((1.0, 1.0), (2.0, 4.5), (9.0, 2.0))  # plus --start: flat inside, band, flat outside
TINY_GRADIENT = 1e-8  # |∇ gate| below this at a start counts as "numerically flat"
MAX_GRID = 201


def _lesson(gate: Gate, axis, codes) -> dict:
    """Outcome against the gate's gradient at the start: exactly zero, tiny, or sloped."""
    n = len(axis)
    rows = []
    for i in range(n):
        for j in range(n):
            p = (axis[j], axis[i])
            grad = abs(gate.slope(p)) * 2.0 * math.hypot(*p)
            feasible = THRESHOLD - gate.g0(gate.u(p)) >= 0
            rows.append((codes[i][j] == REACHED, gate.slope(p) == 0.0, grad < TINY_GRADIENT,
                         feasible))
    not_reached = [r for r in rows if not r[0]]

    def rate(sel):
        sel = list(sel)
        return {"starts": len(sel), "reached": sum(r[0] for r in sel),
                "rate": (sum(r[0] for r in sel) / len(sel)) if sel else None}

    out = {
        "starts": len(rows),
        "not_reached": len(not_reached),
        "not_reached_zero_gradient": sum(r[1] for r in not_reached),
        "not_reached_tiny_gradient": sum(r[2] for r in not_reached),
        "zero_gradient_feasible": rate(r for r in rows if r[1] and r[3]),
        "zero_gradient_infeasible": rate(r for r in rows if r[1] and not r[3]),
        "nonzero_gradient": rate(r for r in rows if not r[1]),
        "tiny_gradient": rate(r for r in rows if r[2]),
        "not_tiny_gradient": rate(r for r in rows if not r[2]),
    }
    out["verdict"] = _verdict(out)
    return out


def _verdict(m: dict) -> list[str]:
    """The expected lesson, confirmed or refuted by the counts in ``m``."""
    lines = [f"{share(m['not_reached_zero_gradient'], m['not_reached'])} of the starts that did "
             "not reach the optimum began where the gate's gradient is exactly 0 "
             f"({share(m['not_reached_tiny_gradient'], m['not_reached'])} where "
             f"|grad gate| < {TINY_GRADIENT:g})"]
    for key, what in (("zero_gradient_infeasible", "flat and violated (outside the disk)"),
                      ("zero_gradient_feasible", "flat and satisfied (inside the disk)"),
                      ("nonzero_gradient", "on the sloped part (non-zero gradient)")):
        if m[key]["starts"]:
            got = share(m[key]["reached"], m[key]["starts"])
            lines.append(f"reached from starts {what}: {got}")
    flat_bad, sloped = m["zero_gradient_infeasible"], m["nonzero_gradient"]
    flat_rate = flat_bad["rate"] if flat_bad["starts"] else None
    mostly_flat = m["not_reached"] and m["not_reached_zero_gradient"] / m["not_reached"] > 0.5
    if flat_rate is not None and sloped["rate"] is not None and flat_rate < sloped["rate"] \
            and mostly_flat:
        lines.append("lesson confirmed: where the gate is flat and violated the optimizer gets no "
                     "direction back to the feasible set; it succeeds only from starts where "
                     "the gate has a slope, or from slack starts whose steps land there")
    elif flat_rate is None or sloped["rate"] is None:
        lines.append("lesson not tested: no flat (or no sloped) starts on this grid")
    else:
        lines.append("lesson refuted on this grid: flat starts do as well as sloped ones")
    return lines


PARALLEL_MIN = 256  # maps of fewer starts in all run in this process
MAX_WORKERS = 8
_JOBS: list | None = None  # [(problem, axis, method)], inherited by the forked workers


def _row(problem, axis, yv: float, method: str) -> list[int]:
    fast = slsqp.prepare(problem, method, OPTIONS[method])
    row = []
    for xv in axis:
        if fast is not None:
            x, status = fast((xv, yv))
            success = status == 0
        else:
            run = solve(problem, (xv, yv), method, OPTIONS[method])
            x, success = run.x, run.success
        if distance_to_optimum(x) <= REACH_TOL:
            row.append(REACHED)
        else:
            row.append(ELSEWHERE if success else FAILED)
    return row


def _work(task: tuple[int, int]) -> list[int]:
    j, i = task
    problem, axis, method = _JOBS[j]
    return _row(problem, axis, axis[i], method)


def workers(starts: int) -> int:
    """Processes for maps of ``starts`` starts in all: one per usable CPU (at most
    :data:`MAX_WORKERS`) where the platform forks and the maps are worth it, else 1."""
    import multiprocessing
    import os

    if starts < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, MAX_WORKERS))


# what a basin map depends on, besides its inputs: these modules and the gate's kernels
_SOURCES = ("constraint/problem.py", "constraint/gate.py", "constraint/basin.py",
            "constraint/slsqp.py",
            "kernels/formulas.py", "kernels/numba_/scalar.py", "kernels/numba_/dialect.py",
            "kernels/numpy_.py")


def cached_basins(jobs, whats, progress=None, use_cache: bool = True) -> list:
    """:func:`basins`, each map kept in the disk cache (:mod:`actviz.cache`) under its
    ``what`` (the formulation, gate, parameters and steepness), the grid, the method, the
    backend the gates run on, scipy's version (with the cache's stamp) and the source of the
    modules that compute it: a map is deterministic in those, and thousands of solver runs.
    The maps not in the cache are computed together."""
    if not use_cache:
        return basins(jobs, progress)
    from actviz import cache, kernels

    backend = "numba" if "numba" in kernels.backends() else "numpy"
    keys = [cache.key_of(("basin", what, tuple(axis), method, OPTIONS[method], backend),
                         _SOURCES) for (_, axis, method), what in zip(jobs, whats)]
    maps = [cache.load(k) for k in keys]
    for (_, axis, _), codes in zip(jobs, maps):
        if codes is not None and progress is not None:  # read back: all its starts at once
            progress(len(axis) ** 2)
    missing = [j for j, codes in enumerate(maps) if codes is None]
    for j, codes in zip(missing, basins([jobs[j] for j in missing], progress)):
        cache.store(keys[j], codes)
        maps[j] = codes
    return maps


def basin(problem, axis, method: str, progress=None, processes: int | None = None
          ) -> list[list[int]]:
    """Outcome code for each start (axis[j], axis[i]) at [i][j]; ``progress(n)`` after each
    row of n starts. Rows run in ``processes`` forked workers (default :func:`workers`):
    each start is an independent scipy run, so the map is the same in any number of them."""
    return basins([(problem, axis, method)], progress, processes)[0]


def basins(jobs, progress=None, processes: int | None = None) -> list[list[list[int]]]:
    """:func:`basin` of each ``(problem, axis, method)`` in ``jobs``, the rows of all of
    them in one pool of workers (one start-up, and no worker idle between maps)."""
    global _JOBS
    tasks = [(j, i) for j, (_, axis, _) in enumerate(jobs) for i in range(len(axis))]
    n = workers(sum(len(axis) ** 2 for _, axis, _ in jobs)) if processes is None else processes
    maps = [[] for _ in jobs]
    if n <= 1 or len(tasks) < 2:
        rows = (_row(jobs[j][0], jobs[j][1], jobs[j][1][i], jobs[j][2]) for j, i in tasks)
        for (j, _), row in zip(tasks, rows):
            maps[j].append(row)
            if progress is not None:
                progress(len(row))
        return maps
    import multiprocessing

    _JOBS = list(jobs)  # the problems hold closures: workers inherit them by fork
    try:
        with multiprocessing.get_context("fork").Pool(min(n, len(tasks))) as pool:
            for (j, _), row in zip(tasks, pool.imap(_work, tasks)):
                maps[j].append(row)
                if progress is not None:
                    progress(len(row))
    finally:
        _JOBS = None
    return maps


def check_options(start, grid: int, method: str, names) -> None:
    if method not in METHODS:
        raise ActvizError(f"unknown method {method!r} (choose from {', '.join(METHODS)})")
    if not all(math.isfinite(v) and BOX[0] <= v <= BOX[1] for v in start):
        raise ActvizError(f"--start must lie in the box [{BOX[0]:g}, {BOX[1]:g}]², got "
                          f"({start[0]:g}, {start[1]:g})")
    if grid != 0 and not 2 <= grid <= MAX_GRID:
        raise ActvizError(f"--grid must be 0 (no basin map) or from 2 to {MAX_GRID}, got {grid}")
    for name in names:
        if name not in FORMULATIONS:
            raise ActvizError(f"unknown formulation {name!r} "
                              f"(choose from {', '.join(FORMULATIONS)})")


