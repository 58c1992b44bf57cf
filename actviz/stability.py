"""The stability scan: where naive formulas and actviz's kernels overflow or lose accuracy.

For one activation (or its derivative) and each floating-point type, both the naive textbook
formula (:mod:`actviz.naive`, every operation in that type) and actviz's kernel
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

import math
import textwrap
from dataclasses import dataclass, field

from actviz.errors import ActvizError

DTYPES = ("float16", "bfloat16", "float32", "float64")
DEFAULT_DTYPES = DTYPES
DEFAULT_RANGE = (-1e4, 1e4)
RTOL = 1e-3
KINDS = ("overflow", "flush", "loss", "nan", "inner_overflow")
_CODE = {k: i + 1 for i, k in enumerate(KINDS)}  # 0: ok, -1: not comparable
DPS = 50
REF_RTOL = 1e-8  # the float64 reference is trusted where mpmath agrees this well
REF_ATOL = 1e-320  # float64 subnormals count
VERIFY_STRIDE = 12  # every 12th point of the float64 grid
SUSPECTS = 3000  # at most this many actviz failure points re-checked per dtype
RUN_ENDS = 40  # and the ends of this many of the longest naive failure runs
LINEAR_HALF_WIDTH = 64.0
LINEAR_STEP = 2.0 ** -7
PER_DECADE = 500  # geometric points per decade for |x| >= 1e-3 (float32, float64)
PER_DECADE_SMALL = 20  # below 1e-3
MAX_INTERVALS_SHOWN = 6


def bfloat16():
    """ml_dtypes.bfloat16, or None when ml_dtypes is not installed."""
    try:
        import ml_dtypes
    except ImportError:
        return None
    return ml_dtypes.bfloat16


def numpy_dtype(name: str):
    import numpy as np

    if name == "bfloat16":
        bf = bfloat16()
        if bf is None:
            raise ActvizError("bfloat16 needs the ml_dtypes package (pip install ml_dtypes)")
        return np.dtype(bf)
    return np.dtype(name)


def parse_dtypes(text: str) -> list[str]:
    """``"float16,float32"`` -> ``["float16", "float32"]`` (checked, order kept, no repeats)."""
    out = []
    for part in text.split(","):
        name = part.strip().lower()
        name = {"fp16": "float16", "half": "float16", "bf16": "bfloat16", "fp32": "float32",
                "single": "float32", "fp64": "float64", "double": "float64"}.get(name, name)
        if name not in DTYPES:
            raise ActvizError(f"unknown dtype {part.strip()!r} (use {', '.join(DTYPES)})")
        if name not in out:
            out.append(name)
    if not out:
        raise ActvizError("--dtype needs at least one of " + ", ".join(DTYPES))
    return out


def check_range(lo: float, hi: float) -> tuple[float, float]:
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ActvizError(f"--range needs finite LO < HI, got {lo:g} {hi:g}")
    return float(lo), float(hi)


# ---- dtype facts and grids ------------------------------------------------------------

@dataclass(frozen=True)
class DtypeInfo:
    name: str
    eps: float
    tiny: float  # smallest normal
    max: float
    bits: int


def dtype_info(name: str) -> DtypeInfo:
    import numpy as np

    dt = numpy_dtype(name)
    if name == "bfloat16":
        import ml_dtypes

        fi = ml_dtypes.finfo(dt)
    else:
        fi = np.finfo(dt)
    return DtypeInfo(name, float(fi.eps), float(fi.tiny), float(fi.max), dt.itemsize * 8)


def _uint(bits: int):
    import numpy as np

    return {16: np.uint16, 32: np.uint32, 64: np.uint64}[bits]


def grid(dtype: str, lo: float, hi: float):
    """Sorted, distinct x values of ``dtype`` in [lo, hi]; exhaustive for 16-bit types."""
    import numpy as np

    dt = numpy_dtype(dtype)
    info = dtype_info(dtype)
    if info.bits == 16:
        every = np.arange(2 ** 16, dtype=np.uint32).astype(np.uint16).view(dt)
        with np.errstate(invalid="ignore"):
            xs = every.astype(np.float64)
        xs = xs[np.isfinite(xs) & (xs >= lo) & (xs <= hi)]
    else:
        far = max(abs(lo), abs(hi))
        parts = [np.array([lo, hi, 0.0]),
                 np.arange(-LINEAR_HALF_WIDTH, LINEAR_HALF_WIDTH + LINEAR_STEP, LINEAR_STEP)]
        mid = min(1e-3, far)
        small = np.logspace(np.log10(info.tiny), np.log10(mid),
                            max(2, int(PER_DECADE_SMALL * np.log10(mid / info.tiny))))
        parts += [small, -small]
        if far > 1e-3:
            big = np.logspace(-3, np.log10(far), max(2, int(PER_DECADE * np.log10(far / 1e-3))))
            parts += [big, -big]
        xs = np.concatenate(parts).astype(dt).astype(np.float64)
        xs = xs[(xs >= lo) & (xs <= hi)]
    xs = np.unique(xs + 0.0)  # -0.0 and 0.0 are one point
    return xs.astype(dt)


def _key(v: float, info: DtypeInfo, dt) -> int:
    """Order-preserving integer for a float of the dtype (neighbours differ by 1)."""
    import numpy as np

    b = int(np.array(v, dtype=dt).view(_uint(info.bits)))
    sign = 1 << (info.bits - 1)
    return -(b & (sign - 1)) if b & sign else b


def _from_keys(keys, info: DtypeInfo, dt):
    import numpy as np

    sign = 1 << (info.bits - 1)
    bits = [(-k) | sign if k < 0 else k for k in keys]
    return np.array(bits, dtype=_uint(info.bits)).view(dt)


# ---- the reference ---------------------------------------------------------------------

def _lambdify(expr):
    """(vectorized float64 function, mpmath scalar function) of x for ``expr``."""
    import numpy as np
    import sympy

    from actviz.expr import X
    from actviz.sym_functions import MPMATH_FUNCS, NUMPY_FUNCS

    raw = sympy.lambdify(X, expr, cse=True, modules=[NUMPY_FUNCS, "scipy", "numpy"])

    def fast(x):
        x = np.asarray(x, dtype=np.float64)
        with np.errstate(all="ignore"):
            y = raw(x)
        return np.broadcast_to(np.asarray(y, dtype=np.float64), x.shape).copy()

    exact = sympy.lambdify(X, expr, modules=[MPMATH_FUNCS, "mpmath"])
    return fast, exact


class Reference:
    """True values of f^(order) at float64 points: the verified float64 form, mpmath elsewhere.

    ``exact(xs)`` evaluates the mpmath function at 50 digits and again at 100; where the two
    disagree (cancellation, as in gelu's ``1 + erf(x/√2)`` far left) or both are 0, the
    precision doubles up to 400 digits. The float64 form is trusted except on the
    ``untrusted`` intervals: around verification points where it disagreed with mpmath, and
    around suspect points (:meth:`check`) where it did.
    """

    def __init__(self, func, order: int, lo: float, hi: float):
        import numpy as np

        from actviz.symbolic import stable_form

        # float64 and mpmath forms without cancellation (gelu far left, sigmoid', elu near 0)
        expr = stable_form(func.derivative(order))
        self.fast, self.exact_f = _lambdify(expr)
        self._cache: dict[float, float] = {}
        self.untrusted: list[tuple[float, float]] = []
        v = grid("float64", lo, hi).astype(np.float64)
        idx = np.unique(np.concatenate([np.arange(0, v.size, VERIFY_STRIDE), [v.size - 1]]))
        self.verified = int(idx.size)
        self.check(v[idx], np.arange(idx.size))  # neighbours: the verification points

    def _exact_one(self, x: float) -> float:
        import mpmath

        prev = None
        for dps in (DPS, 2 * DPS, 4 * DPS, 8 * DPS):
            with mpmath.workdps(dps):
                try:
                    v = mpmath.mpf(self.exact_f(mpmath.mpf(x)))
                except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                    return math.nan
                if prev is not None and (
                        (v != 0 and abs(v - prev) <= mpmath.mpf(10) ** -20 * abs(v))
                        or (v == 0 and prev == 0 and dps == 8 * DPS)):
                    return float(v)
            prev = v
        return float(v)

    def exact(self, xs):
        import numpy as np

        out = np.empty(len(xs))
        for i, x in enumerate(xs):
            x = float(x)
            r = self._cache.get(x)
            if r is None:
                r = self._cache[x] = self._exact_one(x)
            out[i] = r
        return out

    @property
    def mpmath_points(self) -> int:
        return len(self._cache)

    def check(self, x, idx) -> int:
        """Compare with mpmath at ``x[idx]`` (x sorted); around each disagreement, the
        interval to the neighbouring points of x becomes untrusted. Returns how many."""
        import numpy as np

        idx = np.asarray(idx, dtype=np.int64)
        if idx.size == 0:
            return 0
        xs = x[idx]
        fast = self(xs)
        exact = self.exact(xs)
        with np.errstate(all="ignore"):
            ok = (np.abs(fast - exact) <= REF_RTOL * np.abs(exact) + REF_ATOL) | (
                (fast == exact) & ~np.isnan(exact))
        bad = idx[~ok]
        if bad.size:
            lo = x[np.maximum(bad - 1, 0)]
            hi = x[np.minimum(bad + 1, x.size - 1)]
            merged = []
            for a, b in sorted(self.untrusted + list(zip(lo.tolist(), hi.tolist()))):
                if merged and a <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
                else:
                    merged.append((a, b))
            self.untrusted = merged
        return int(bad.size)

    def __call__(self, xs):
        import numpy as np

        xs = np.asarray(xs, dtype=np.float64)
        out = self.fast(xs)
        mask = np.isnan(out) & ~np.isnan(xs)
        for a, b in self.untrusted:
            mask |= (xs >= a) & (xs <= b)
        if mask.any():
            out[mask] = self.exact(xs[mask])
        return out

    def describe(self) -> str:
        return (f"float64 stable formula verified against mpmath ({DPS} digits, more where "
                f"it cancels) at {self.verified} points and at suspect points; mpmath on "
                f"{self.mpmath_points} points in all")


# ---- classification --------------------------------------------------------------------

def _round_to(values, dt):
    import numpy as np

    with np.errstate(all="ignore"):
        return values.astype(dt).astype(np.float64)


def classify(y, t, info: DtypeInfo, tol: float, dt, inner=None):
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
class StabilityResult:
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

    def scan(self, dtype: str, impl: str) -> Scan:
        for d in self.dtypes:
            if d.dtype == dtype:
                return getattr(d, impl)
        raise KeyError(dtype)


# ---- the scan --------------------------------------------------------------------------

def _kernel(func, order: int, backend: str):
    """(runner, description) for actviz's kernel, or (None, why not)."""
    try:
        from actviz import kernels
    except ImportError as exc:
        return None, f"actviz.kernels not importable ({exc})"
    if not hasattr(kernels, "forward"):
        return None, "actviz.kernels has no forward() yet"
    name = func.name
    params = func.float_params()

    def call(x):
        import numpy as np

        with np.errstate(all="ignore"):
            if order == 0:
                return kernels.forward(name, x, backend=backend, **params)
            return kernels.derivative(name, x, order=order, backend=backend, **params)

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
    from actviz import naive

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
            tasks.append([r, 0, code, _key(x[a], info, dt), _key(x[a - 1], info, dt)])
        if b < x.size:
            tasks.append([r, 1, code, _key(x[b - 1], info, dt), _key(x[b], info, dt)])
    tasks = [t for t in tasks if abs(t[3] - t[4]) > 1]
    while tasks:
        mids = [(t[3] + t[4]) // 2 for t in tasks]
        for t, m, c in zip(tasks, mids, evaluate(_from_keys(mids, info, dt))):
            t[3 if c == t[2] else 4] = m
        for t in tasks:
            ends[t[0]][t[1]] = float(_from_keys([t[3]], info, dt)[0])
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


# ---- text ------------------------------------------------------------------------------

def fmt_x(v: float) -> str:
    if v == 0:
        return "0"
    a = abs(v)
    return f"{v:.6g}" if 1e-4 <= a < 1e6 else f"{v:.4g}"


def format_interval(iv: Interval) -> str:
    if iv.lo == iv.hi:
        return f"{{{fmt_x(iv.lo)}}}"
    return f"[{fmt_x(iv.lo)}, {fmt_x(iv.hi)}]"


@dataclass
class Span:
    """Runs of one kind close together, shown as one: ``bad`` of its ``points`` fail."""

    kind: str
    lo: float
    hi: float
    bad: int
    points: int
    start: int = field(default=0, repr=False)


def spans(s: Scan, kind: str) -> list[Span]:
    """Runs of ``kind`` merged while the gap to the next run is no longer than the failing
    points so far or the next run (so scattered rounding losses read as one stretch, with
    its share of failing points)."""
    out: list[Span] = []
    last_stop = 0
    for iv in s.intervals:
        if iv.kind != kind:
            continue
        n = iv.stop - iv.start
        if out and iv.start - last_stop <= max(n, out[-1].bad):
            sp = out[-1]
            sp.hi, sp.bad, sp.points = iv.hi, sp.bad + n, iv.stop - sp.start
        else:
            out.append(Span(kind, iv.lo, iv.hi, n, n, iv.start))
        last_stop = iv.stop
    return out


def describe_scan(s: Scan, limit: int = MAX_INTERVALS_SHOWN) -> list[str]:
    """Lines for one implementation: one per failure kind with its intervals."""
    if not s.available:
        return [f"n/a ({s.note})"]
    worst = ("" if s.max_rel_err is None else
             f"max rel err {s.max_rel_err:.2g} at x = {fmt_x(s.worst_x)}")
    lines = [f"({s.note})"] if s.note else []
    if not s.intervals:
        return [f"ok, {worst}" if worst else "ok"] + lines
    for kind in KINDS:
        sps = spans(s, kind)
        if not sps:
            continue
        shown = sorted(sorted(sps, key=lambda sp: -sp.bad)[:limit], key=lambda sp: sp.lo)
        parts = []
        for sp in shown:
            text = f"{{{fmt_x(sp.lo)}}}" if sp.lo == sp.hi else f"[{fmt_x(sp.lo)}, {fmt_x(sp.hi)}]"
            if sp.bad < sp.points:
                text += f" ({sp.bad}/{sp.points} pts)"
            parts.append(text)
        text = ", ".join(parts)
        if len(sps) > len(shown):
            rest = sum(sp.bad for sp in sps) - sum(sp.bad for sp in shown)
            text += f", +{len(sps) - len(shown)} more ({rest} pts)"
        lines += textwrap.wrap(f"{kind:8s} {text}", 92, subsequent_indent=" " * 9,
                               break_on_hyphens=False)
    return lines


def format_text(result: StabilityResult) -> str:
    what = "f(x)" if result.order == 0 else "f'(x)"
    lo, hi = result.x_range
    out = [f"{result.label}: {what} for x in [{fmt_x(lo)}, {fmt_x(hi)}], "
           f"relative tolerance {result.rtol:g} (at least the dtype's eps)"]
    if result.dtypes:
        for sc in (result.dtypes[0].naive, result.dtypes[0].actviz):
            if sc.formula:
                out.append(f"  {sc.impl}: {sc.formula}")
    for d in result.dtypes:
        how = "every representable value" if d.exhaustive else "sampled, ends bisected"
        out.append(f"  {d.dtype} ({d.points} points, {how}; tol {d.tolerance:.3g})")
        for s in (d.naive, d.actviz):
            lines = describe_scan(s)
            head = f"    {s.impl:7s}"
            out.append(f"{head}{lines[0]}")
            out += [" " * len(head) + ln for ln in lines[1:]]
    for dtype, reason in result.skipped:
        out.append(f"  {dtype}: skipped ({reason})")
    return "\n".join(out)
