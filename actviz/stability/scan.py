"""The stability scan: where naive formulas and actviz's kernels overflow or lose accuracy.

For one activation (or its derivative) and each floating-point type, both the naive textbook
formula (:mod:`.naive`, every operation in that type) and actviz's kernel
(``actviz.kernels``, NumPy backend by default) are evaluated on a dense grid of
representable x values, and each point is classified against the true value:

- ``overflow``: the result is ±inf where the true value, rounded to the dtype, is finite;
- ``flush``: the result is 0 where the true value is not (|true| > tol · tiny, so that
  values too small to matter, deep in the subnormals, may flush);
- ``loss``: |result − true| > tol · max(|true|, tiny), tol = max(rtol, eps of the dtype)
  (a correctly rounded result is at most half an ulp off: bfloat16's eps is 7.8e-3) and
  tiny the dtype's smallest normal number (subnormal results are judged absolutely);
- ``nan``: the result is NaN where the true value is not;
- ``inner_overflow`` (naive side only): the result is right, but an intermediate overflowed
  (``tanh(log(1 + exp(x)))`` = ``tanh(inf)`` = 1 in naive mish): harmless for f, but the
  gradient that autodiff takes through that formula is NaN there.

Grids: float16 and bfloat16 are scanned exhaustively (every representable value in the
range); float32 and float64 on a linear grid near 0 (step 2^-7 on [-64, 64]) plus
geometric grids in |x| (500 points per decade above 1e-3, 20 below, down to the smallest
normal number); where the classification changes between two neighbouring sampled points,
the boundary is located exactly by bisection over the representable values in between.

The reference: the true value is the numerically stable float64 form of the symbolic
function (``symbolic.Function.numpy``), *verified* against mpmath at 50 digits on a
verification grid; wherever the two disagree by more than 1e-8 (relative), mpmath is used
for every scanned point between the neighbouring verification points (e.g. gelu's
``1 + erf(x/√2)`` for x < −8, ``exp(x) − 1`` near 0). This keeps a scan to a second or so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from actviz.cards import HtmlRepr
from actviz.errors import ActvizError
from actviz.stability.dtypes import (
    DTYPES,
    check_range,
    dtype_info,
    from_keys,
    grid,
    key,
    numpy_dtype,
)
from actviz.stability.reference import Reference

DEFAULT_DTYPES = DTYPES
DEFAULT_RANGE = (-1e4, 1e4)
RTOL = 1e-3
KINDS = ("overflow", "flush", "loss", "nan", "inner_overflow")
_CODE = {k: i + 1 for i, k in enumerate(KINDS)}  # 0: ok, -1: not comparable
SUSPECTS = 3000  # at most this many actviz failure points re-checked per dtype
RUN_ENDS = 40  # and the ends of this many of the longest naive failure runs


# ---- classification --------------------------------------------------------------------

def _round_to(values, dt):
    import numpy as np

    with np.errstate(all="ignore"):
        return values.astype(dt).astype(np.float64)


def classify(y, t, info, tol: float, dt, inner=None):
    """Codes per point (0 ok, 1 overflow, 2 flush, 3 loss, 4 nan, 5 inner_overflow, -1 not
    comparable) and the relative error |y - t| / max(|t|, tiny) (inf where y is not finite).
    ``inner``: where an intermediate overflowed (counts only where the result is ok)."""
    import numpy as np

    y = np.asarray(y, dtype=np.float64)
    tr = _round_to(t, dt)
    comparable = np.isfinite(tr)
    with np.errstate(all="ignore"):
        rel = np.abs(y - t) / np.maximum(np.abs(t), info.tiny)
    rel = np.where(np.isfinite(y), rel, np.inf)
    rel = np.where(comparable, rel, np.nan)
    codes = np.zeros(y.shape, dtype=np.int8)
    codes[comparable & (rel > tol)] = _CODE["loss"]
    codes[comparable & (y == 0) & (np.abs(t) > tol * info.tiny)] = _CODE["flush"]
    codes[comparable & np.isinf(y)] = _CODE["overflow"]
    codes[~np.isnan(t) & np.isnan(y)] = _CODE["nan"]
    codes[~comparable & ~np.isnan(y)] = -1
    if inner is not None:
        codes[(codes == 0) & inner] = _CODE["inner_overflow"]
    return codes, rel


# ---- results ---------------------------------------------------------------------------

@dataclass
class Interval:
    kind: str
    lo: float  # first and last x of the run (all of this kind; ends exact, see module doc)
    hi: float
    points: int  # scanned points in the run
    start: int = field(default=0, repr=False)  # grid indices of the run, [start, stop)
    stop: int = field(default=0, repr=False)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "lo": self.lo, "hi": self.hi, "points": self.points}


@dataclass
class Scan:
    impl: str  # "naive" or "actviz"
    available: bool
    formula: str = ""  # the naive formula, or the kernel used
    note: str = ""
    intervals: list[Interval] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    max_rel_err: float | None = None  # over points where the result is finite
    worst_x: float | None = None
    x: object = field(default=None, repr=False)  # float64 arrays, for figures
    rel_err: object = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.available and not self.intervals

    def to_dict(self) -> dict:
        return {"impl": self.impl, "available": self.available, "formula": self.formula,
                "note": self.note, "ok": self.ok,
                "counts": dict(self.counts),
                "intervals": [i.to_dict() for i in self.intervals],
                "max_rel_err": self.max_rel_err, "worst_x": self.worst_x}


@dataclass
class DtypeScan:
    dtype: str
    points: int
    exhaustive: bool
    tolerance: float
    naive: Scan
    actviz: Scan

    def to_dict(self) -> dict:
        return {"dtype": self.dtype, "points": self.points, "exhaustive": self.exhaustive,
                "tolerance": self.tolerance, "naive": self.naive.to_dict(),
                "actviz": self.actviz.to_dict()}


@dataclass
class StabilityResult(HtmlRepr):
    name: str
    label: str
    order: int
    x_range: tuple[float, float]
    rtol: float
    backend: str
    reference: str
    dtypes: list[DtypeScan] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (dtype, reason)

    def to_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "order": self.order,
                "range": list(self.x_range), "rtol": self.rtol, "backend": self.backend,
                "reference": self.reference,
                "dtypes": [d.to_dict() for d in self.dtypes],
                "skipped": [{"dtype": d, "reason": r} for d, r in self.skipped]}

    def _card_title(self) -> str:
        return f"stability: {self.label}, order {self.order}"

    def scan(self, dtype: str, impl: str) -> Scan:
        for d in self.dtypes:
            if d.dtype == dtype:
                return getattr(d, impl)
        raise KeyError(dtype)


# ---- the scan --------------------------------------------------------------------------

def _kernel(func, order: int, backend: str):
    """(runner, description) for actviz's kernel (the exact parameters of ``func``)."""
    from actviz import kernels

    pl = kernels.plan(func)

    def call(x):
        import numpy as np

        with np.errstate(all="ignore"):
            return kernels.derivative(pl, x, order, backend=backend)

    def run(x):
        """The kernel in x's dtype; bfloat16 (not a kernel dtype) runs in float32, rounded."""
        import numpy as np

        if x.dtype.name == "bfloat16":
            with np.errstate(all="ignore"):
                y = call(x.astype(np.float32)).astype(x.dtype)
            return y, None, "float32 kernel on the bfloat16 inputs, rounded to bfloat16"
        return call(x), None, ""

    what = "forward" if order == 0 else f"derivative(order={order})"
    return run, f"actviz.kernels.{what}, backend={backend}"


def _naive(func, order: int):
    """(runner, formula) for the textbook formula, or (None, why not)."""
    from actviz.stability import naive

    g = naive.naive_function(func, order)
    if g is None:
        what = "formula" if order == 0 else "derivative formula"
        return None, f"no textbook {what} for {func.label}"

    def run(x):
        y, inner = g.traced(x)
        return y, inner, ""

    return run, naive.formula(func, order)


def _runs(codes):
    """(start, stop, code) of maximal runs of equal nonzero codes (stop exclusive)."""
    import numpy as np

    if codes.size == 0:
        return []
    edges = np.flatnonzero(np.diff(codes)) + 1
    starts = np.concatenate([[0], edges])
    stops = np.concatenate([edges, [codes.size]])
    return [(int(a), int(b), int(codes[a])) for a, b in zip(starts, stops) if codes[a] > 0]


def _refine(evaluate, x, runs, info, dt):
    """Exact run ends between neighbouring sampled points (bisection over the representable
    values in between); returns [[lo, hi]] per run."""
    ends = [[float(x[a]), float(x[b - 1])] for a, b, _ in runs]
    if info.bits == 16:
        return ends  # exhaustive grids: neighbours are adjacent values already
    # each task: [run index, side, code, key of the last point known inside, key outside]
    tasks = []
    for r, (a, b, code) in enumerate(runs):
        if a > 0:
            tasks.append([r, 0, code, key(x[a], info, dt), key(x[a - 1], info, dt)])
        if b < x.size:
            tasks.append([r, 1, code, key(x[b - 1], info, dt), key(x[b], info, dt)])
    tasks = [t for t in tasks if abs(t[3] - t[4]) > 1]
    while tasks:
        mids = [(t[3] + t[4]) // 2 for t in tasks]
        for t, m, c in zip(tasks, mids, evaluate(from_keys(mids, info, dt))):
            t[3 if c == t[2] else 4] = m
        for t in tasks:
            ends[t[0]][t[1]] = float(from_keys([t[3]], info, dt)[0])
        tasks = [t for t in tasks if abs(t[3] - t[4]) > 1]
    return ends


def _scan_one(impl, run, text, x, t, info, tol, dt, ref) -> Scan:
    import numpy as np

    if run is None:
        return Scan(impl, False, "", text, counts={k: 0 for k in KINDS})
    try:
        y, inner, note = run(x)
    except ActvizError as exc:
        return Scan(impl, False, "", str(exc), counts={k: 0 for k in KINDS})
    codes, rel = classify(y, t, info, tol, dt, inner)

    def evaluate(xm):
        ym, inner_m, _ = run(xm)
        return classify(ym, ref(xm.astype(np.float64)), info, tol, dt, inner_m)[0]

    runs = _runs(codes)
    ends = _refine(evaluate, x, runs, info, dt)
    intervals = [Interval(KINDS[c - 1], lo, hi, b - a, a, b)
                 for (a, b, c), (lo, hi) in zip(runs, ends)]
    finite = np.isfinite(rel)
    worst = int(np.argmax(np.where(finite, rel, -1.0))) if finite.any() else None
    return Scan(impl, True, text, note, intervals,
                {k: int(np.sum(codes == _CODE[k])) for k in KINDS},
                float(rel[worst]) if worst is not None else None,
                float(x[worst]) if worst is not None else None,
                x.astype(np.float64), rel)


def _suspects(codes, impl: str):
    """Indices where a wrong float64 reference would change the verdict most: every actviz
    failure (at most SUSPECTS, evenly spread), the two ends of the longest naive runs."""
    import numpy as np

    if impl == "actviz":
        bad = np.flatnonzero(codes > 0)
        if bad.size > SUSPECTS:
            bad = bad[np.linspace(0, bad.size - 1, SUSPECTS).astype(np.int64)]
        return bad
    runs = sorted(_runs(codes), key=lambda r: r[0] - r[1])[:RUN_ENDS]
    return np.array(sorted({i for a, b, _ in runs for i in (a, b - 1)}), dtype=np.int64)


def scan(func, dtypes=DEFAULT_DTYPES, x_range=DEFAULT_RANGE, order: int = 0,
         rtol: float = RTOL, backend: str = "numpy") -> StabilityResult:
    """Scan ``func`` (a :class:`actviz.symbolic.Function`) for every dtype in ``dtypes``.

    A dtype that cannot be used here (bfloat16 without ml_dtypes) is listed in
    ``result.skipped`` with the reason.
    """
    import numpy as np

    if order not in (0, 1):
        raise ActvizError(f"the stability scan covers orders 0 and 1, got {order}")
    if not (0 < rtol < 1):
        raise ActvizError(f"--rtol must be in (0, 1), got {rtol:g}")
    lo, hi = check_range(*x_range)
    runners = [("naive", *_naive(func, order)), ("actviz", *_kernel(func, order, backend))]
    ref = Reference(func, order, lo, hi)
    result = StabilityResult(func.name, func.label, order, (lo, hi), rtol, backend, "")
    grids = []
    for name in dtypes:
        try:
            dt = numpy_dtype(name)
        except ActvizError as exc:
            result.skipped.append((name, str(exc)))
            continue
        info = dtype_info(name)
        grids.append((name, dt, info, max(rtol, info.eps), grid(name, lo, hi)))
    # pass 1: re-check the reference with mpmath where the verdicts depend on it
    for _, dt, info, tol, x in grids:
        x64 = x.astype(np.float64)
        t = ref(x64)
        for impl, run, _ in runners:
            if run is not None:
                try:
                    y, inner, _ = run(x)
                except ActvizError:
                    continue
                ref.check(x64, _suspects(classify(y, t, info, tol, dt, inner)[0], impl))
    # pass 2: the verdicts
    for name, dt, info, tol, x in grids:
        t = ref(x.astype(np.float64))
        scans = [_scan_one(impl, run, text, x, t, info, tol, dt, ref)
                 for impl, run, text in runners]
        result.dtypes.append(DtypeScan(name, int(x.size), info.bits == 16, tol, *scans))
    result.reference = ref.describe()
    return result
