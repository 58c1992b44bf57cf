"""``actviz bench``: time the kernels next to the machine's own floor and optional peers.

For each activation and backend: the forward (one array in, one out) and the backward
(dy and x in, dx out) on N elements, written into preallocated outputs, best of
``repeat`` runs after a warm-up. In the same run, the floors (DESIGN.md, "Benchmarks,
fairly"): a parallel copy of the same array for the forward, a parallel ``dy * x`` loop
(three streams) for the backward. Peers, when importable: PyTorch (``aten.<op>.out`` /
``<op>_backward.grad_input`` into preallocated tensors, same thread count) and ONNX Runtime
(forward only, an I/O binding onto a preallocated output). Ratios are to the floor.

The machines this runs on are shared and noisy, so for each activation the floors, the
backends and the peers take turns (one run of each per round, ``repeat`` rounds) and each
row's ratio is to the floor measured in the same rounds; the footer gives the best floors.
"""

from __future__ import annotations

import os
import platform
import time
from dataclasses import asdict, dataclass, field

from actviz import catalog
from actviz.errors import ActvizError

DTYPES = ("float32", "float64")


@dataclass
class Row:
    name: str
    op: str  # "forward" or "backward"
    impl: str  # "numba", "numpy", "cupy", "torch", "onnxruntime"
    ms: float
    floor_ms: float

    @property
    def ratio(self) -> float:
        return self.ms / self.floor_ms

    def to_dict(self) -> dict:
        return {**asdict(self), "ratio": round(self.ratio, 3)}


@dataclass
class BenchResult:
    size: int
    dtype: str
    threads: int
    backends: list[str]
    machine: dict
    rows: list[Row] = field(default_factory=list)
    floors: dict = field(default_factory=dict)  # {"copy": ms, "dy*x": ms}

    def to_dict(self) -> dict:
        return {"size": self.size, "dtype": self.dtype, "threads": self.threads,
                "backends": self.backends, "machine": self.machine,
                "floors_ms": {k: round(v, 4) for k, v in self.floors.items()},
                "rows": [r.to_dict() for r in self.rows]}

    def table(self, width: int | None = None) -> str:
        """Plain-text table: ms and ratio to the floor, per activation, op and impl (one
        column per impl; where that is wider than ``width``, one row per impl)."""
        impls = ordered_impls([r.impl for r in self.rows], self.backends)
        head = ["activation", "op"] + [f"{i} ms (x floor)" for i in impls]
        lines = [head]
        keys = list(dict.fromkeys((r.name, r.op) for r in self.rows))
        by = {(r.name, r.op, r.impl): r for r in self.rows}
        for name, op in keys:
            cells = [name, op]
            for impl in impls:
                r = by.get((name, op, impl))
                cells.append("-" if r is None else f"{r.ms:8.2f} ({r.ratio:5.2f})")
            lines.append(cells)
        widths = [max(len(row[i]) for row in lines) for i in range(len(head))]
        if width is not None and sum(widths) + 2 * (len(widths) - 1) > width and len(impls) > 1:
            lines = [["activation", "op", "impl", "ms", "x floor"]]
            for name, op in keys:
                for impl in impls:
                    r = by.get((name, op, impl))
                    if r is not None:
                        lines.append([name, op, impl, f"{r.ms:8.2f}", f"{r.ratio:7.2f}"])
            widths = [max(len(row[i]) for row in lines) for i in range(5)]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths)
        out = [fmt.format(*row).rstrip() for row in lines]
        out.insert(1, "  ".join("-" * w for w in widths))
        floors = ", ".join(f"{k} {v:.2f} ms" for k, v in self.floors.items())
        out.append(f"floors: {floors}; N = {self.size:,} {self.dtype}, {self.threads} threads")
        m = self.machine
        out.append(f"machine: {m.get('cpu_model') or m.get('processor') or 'unknown CPU'}, "
                   f"{m.get('cpus')} CPUs, SIMD {' '.join(m.get('simd') or []) or 'unknown'}"
                   + (f"; numba code for {m['numba_cpu']}" if m.get("numba_cpu") else ""))
        from actviz.text import fit

        return fit("\n".join(out), width)


def ordered_impls(impls, backends) -> list[str]:
    """The implementations present, actviz's backends first, then torch, ONNX Runtime."""
    order = [*backends, "torch", "onnxruntime"]
    return sorted(dict.fromkeys(impls), key=lambda i: order.index(i) if i in order else 99)


SIMD = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq")


def cpu() -> tuple[str, list[str]]:
    """The CPU model and its SIMD flags that matter for the kernels (Linux's /proc/cpuinfo;
    the processor string elsewhere)."""
    model, flags = "", []
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                key, _, val = line.partition(":")
                if key.strip() == "model name" and not model:
                    model = val.strip()
                elif key.strip() == "flags" and not flags:
                    have = set(val.split())
                    flags = [f for f in SIMD if f in have]
    except OSError:
        pass
    return model or platform.processor() or "", flags


def machine_info(threads: int) -> dict:
    import numpy

    model, flags = cpu()
    info = {"platform": platform.platform(), "processor": platform.processor() or "",
            "cpu_model": model, "simd": flags,
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "numpy": numpy.__version__, "threads": threads}
    for mod in ("numba", "torch", "onnxruntime", "cupy"):
        try:
            info[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 - optional peers
            pass
    if "numba" in info:
        from actviz import kernels

        target = kernels.numba_target()
        if target:
            info["numba_cpu"] = target
    return info


def _floors(threads: int):
    """(copy, dy*x) callables on NumPy arrays: numba prange loops when numba is present."""
    try:
        import numba
    except ImportError:
        import numpy as np

        return (lambda x, o: np.copyto(o, x)), (lambda dy, x, o: np.multiply(dy, x, out=o))
    numba.set_num_threads(threads)
    return _numba_floors()


def _numba_floors():
    from numba import njit, prange

    from actviz import numba_env

    cache = numba_env.cache_enabled()

    @njit(parallel=True, cache=cache)
    def copy(x, o):
        for i in prange(x.size):
            o[i] = x[i]

    @njit(parallel=True, cache=cache)
    def mul(dy, x, o):
        for i in prange(x.size):
            o[i] = dy[i] * x[i]

    return copy, mul


def run(names=None, *, size: int = 10**7, dtype: str = "float32", backends=("numba",),
        threads: int | None = None, repeat: int = 7, peers: bool = True,
        seed: int = 0, progress=None) -> BenchResult:
    """Run the benchmark; ``names`` default to the whole catalog; ``progress(1)`` after each
    activation."""
    import numpy as np

    from actviz import kernels

    if dtype not in DTYPES:
        raise ActvizError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    check_size(size, np.dtype(dtype).itemsize)
    if repeat < 1:
        raise ActvizError(f"--repeat must be at least 1, got {repeat}")
    cpus = os.cpu_count() or 1
    if threads is not None and not 1 <= threads <= cpus:
        raise ActvizError(f"--threads must be from 1 to {cpus} (this machine's CPUs), "
                          f"got {threads}")
    names = list(names) if names else catalog.names()
    for n in names:
        catalog.get(n.split(":")[0]) if catalog.is_catalog_name(n) else kernels.plan(n)
    available = kernels.backends()
    for b in backends:
        if b not in kernels.BACKENDS:
            raise ActvizError(f"unknown backend {b!r} (choose from {', '.join(kernels.BACKENDS)})")
        if b not in available:
            kernels.forward("relu", np.zeros(1), backend=b)  # raises the install hint
    threads = threads or os.cpu_count() or 1
    # OpenMP pools (numba's, torch's) spin after work and would steal the cores from the
    # next one in turn; set before the first parallel region of this process
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    res = BenchResult(size, dtype, threads, list(backends), machine_info(threads))
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(size) * 4).astype(dtype)
    dy = rng.standard_normal(size).astype(dtype)
    o = np.empty_like(x)
    copy, mul = _floors(threads)
    floor_fns = {"copy": lambda: copy(x, o), "dy*x": lambda: mul(dy, x, o)}
    if "cupy" in backends:  # the device's own floors: copy and dy*x between device arrays
        floor_fns.update(_gpu_floor_fns(x, dy))
    torch_ops = _torch_ops(threads) if peers else {}
    for name in names:
        fns = {("floor", "forward"): floor_fns["copy"], ("floor", "backward"): floor_fns["dy*x"]}
        if "cupy" in backends:
            fns["gpu floor", "forward"] = floor_fns["gpu copy"]
            fns["gpu floor", "backward"] = floor_fns["gpu dy*x"]
        for b in backends:
            xb, dyb, ob = _on_device(b, x, dy, o)
            sync = _sync(b)
            fns[b, "forward"] = (lambda name=name, b=b, xb=xb, ob=ob, sync=sync:
                                 sync(kernels.forward(name, xb, out=ob, backend=b)))
            fns[b, "backward"] = (lambda name=name, b=b, xb=xb, dyb=dyb, ob=ob, sync=sync:
                                  sync(kernels.backward(name, dyb, x=xb, out=ob, backend=b)))
        f, g = torch_ops.get(name, (None, None))
        if f is not None:
            fns["torch", "forward"] = lambda f=f: f(x, o)
        if g is not None:
            fns["torch", "backward"] = lambda g=g: g(dy, x, o)
        ort = _ort_forward(name, x, threads) if peers else None
        if ort is not None:
            fns["onnxruntime", "forward"] = lambda ort=ort: ort(o)
        best = interleaved(fns, repeat)
        if progress is not None:
            progress(1)
        for key, floor in (("copy", ("floor", "forward")), ("dy*x", ("floor", "backward")),
                           ("gpu copy", ("gpu floor", "forward")),
                           ("gpu dy*x", ("gpu floor", "backward"))):
            if floor in best:
                res.floors[key] = min(res.floors.get(key, float("inf")), best[floor])
        for (impl, op), ms in best.items():
            if "floor" not in impl:
                floor = best["gpu floor" if impl == "cupy" else "floor", op]
                res.rows.append(Row(name, op, impl, ms, floor))
    order = ordered_impls([r.impl for r in res.rows], backends)
    res.rows.sort(key=lambda r: (names.index(r.name), r.op != "forward", order.index(r.impl)))
    return res


ARRAYS = 4  # x, dy, out, and room for a peer's or a backend's temporary


def available_memory() -> int | None:
    """Bytes of memory available now (Linux's MemAvailable), or None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_size(size: int, itemsize: int) -> None:
    """--size must be positive and its arrays must fit in the memory available."""
    if size < 1:
        raise ActvizError(f"--size must be positive, got {size}")
    need = size * itemsize * ARRAYS
    have = available_memory()
    if have is not None and need > have:
        raise ActvizError(f"--size {size} needs {need / 2**30:.1f} GiB for its {ARRAYS} "
                          f"arrays; {have / 2**30:.1f} GiB of memory is available")


def interleaved(fns: dict, repeat: int) -> dict:
    """Best time in ms of each callable, taking turns (one run of each per round) so that
    a slow spell of a shared machine hits all of them alike; a callable that raises on its
    warm-up (a peer without this op or dtype) is left out."""
    live = {}
    for key, fn in fns.items():
        try:
            fn()  # warm-up (and compilation)
        except Exception:  # noqa: BLE001 - a peer without this op/dtype: no row
            if key[0] in ("torch", "onnxruntime"):
                continue
            raise
        live[key] = fn
    best = dict.fromkeys(live, float("inf"))
    for _ in range(repeat):
        for key, fn in live.items():
            t0 = time.perf_counter()
            fn()
            best[key] = min(best[key], time.perf_counter() - t0)
    return {k: v * 1e3 for k, v in best.items()}


def _on_device(backend, x, dy, o):
    if backend != "cupy":
        return x, dy, o
    import cupy

    return cupy.asarray(x), cupy.asarray(dy), cupy.empty(o.shape, o.dtype)


def _gpu_floor_fns(x, dy) -> dict:
    """Device-to-device copy and dy*x (CuPy) on the same data."""
    import cupy

    xb, dyb = cupy.asarray(x), cupy.asarray(dy)
    ob = cupy.empty_like(xb)
    sync = _sync("cupy")
    return {"gpu copy": lambda: sync(cupy.copyto(ob, xb)),
            "gpu dy*x": lambda: sync(cupy.multiply(dyb, xb, out=ob))}


def _sync(backend):
    if backend != "cupy":
        return lambda r: r
    import cupy

    return lambda r: cupy.cuda.get_current_stream().synchronize()


# ------------------------------------------------------------------------------- peers


def _torch_ops(threads: int) -> dict:
    """name -> (forward(x, o), backward(dy, x, o)) writing into preallocated tensors."""
    try:
        import torch
    except ImportError:
        return {}
    torch.set_num_threads(threads)
    a = torch.ops.aten
    t = torch.from_numpy

    def fw(op, *args):
        return lambda x, o: op.out(t(x), *args, out=t(o))

    def gi(op, *args, pre=None):
        def run(dy, x, o):
            xx = t(x)
            arg = pre(xx) if pre else xx
            return op.grad_input(t(dy), arg, *args, grad_input=t(o))
        return run

    return {
        "sigmoid": (fw(a.sigmoid), gi(a.sigmoid_backward, pre=torch.sigmoid)),
        "tanh": (fw(a.tanh), gi(a.tanh_backward, pre=torch.tanh)),
        "mish": (fw(a.mish), None),
        "silu": (fw(a.silu), gi(a.silu_backward)),
        "softplus": (fw(a.softplus, 1, 20), gi(a.softplus_backward, 1, 20)),
        "gelu": (fw(a.gelu), gi(a.gelu_backward)),
        "elu": (fw(a.elu), lambda dy, x, o: a.elu_backward.grad_input(
            t(dy), 1.0, 1, 1, False, t(x), grad_input=t(o))),
        "hard_sigmoid": (None, None),  # torch's is alpha = 1/6: benchmarked as hardswish-like
        "hardswish": (fw(a.hardswish), None),
        "hardtanh": (fw(a.hardtanh, -1, 1), gi(a.hardtanh_backward, -1, 1)),
        "relu6": (fw(a.hardtanh, 0, 6), gi(a.hardtanh_backward, 0, 6)),
        "relu": (fw(a.relu), lambda dy, x, o: a.threshold_backward.grad_input(
            t(dy), t(x), 0, grad_input=t(o))),
        "leaky_relu": (fw(a.leaky_relu, 0.01), lambda dy, x, o: a.leaky_relu_backward.grad_input(
            t(dy), t(x), 0.01, False, grad_input=t(o))),
        "celu": (fw(a.celu), None),
        "softshrink": (fw(a.softshrink, 0.5), gi(a.softshrink_backward, 0.5)),
        "hardshrink": (fw(a.hardshrink, 0.5), gi(a.hardshrink_backward, 0.5)),
    }


_ORT_ATTRS = {"hard_sigmoid", "thresholded_relu", "leaky_relu", "elu", "selu", "celu"}


def _ort_forward(name: str, x, threads: int):
    """A callable o -> None running the ONNX operator of ``name`` into ``o``, or None."""
    entry = catalog.lookup(name.split(":")[0])
    if entry is None or entry.onnx is None or ":" in name:
        return None
    try:
        import numpy as np
        import onnx
        import onnxruntime as ort
        from onnx import TensorProto, helper
    except ImportError:
        return None
    if entry.onnx in ("Clip", "PRelu", "Shrink") or entry.name == "silu":
        return None
    attrs = {}
    if entry.name in _ORT_ATTRS:
        attrs = {k: float(catalog.parse_number(v)) for k, v in entry.defaults().items()}
    elem = TensorProto.FLOAT if x.dtype == np.float32 else TensorProto.DOUBLE
    try:
        node = helper.make_node(entry.onnx, ["x"], ["y"], **attrs)
        graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", elem, [None])],
                                  [helper.make_tensor_value_info("y", elem, [None])])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)])
        model.ir_version = min(model.ir_version, 10)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        sess = ort.InferenceSession(model.SerializeToString(), opts,
                                    providers=["CPUExecutionProvider"])
    except Exception:  # noqa: BLE001 - op or dtype not supported by this ORT/onnx
        return None
    del onnx

    def run(o):
        io = sess.io_binding()
        io.bind_cpu_input("x", x)
        io.bind_output("y", "cpu", 0, o.dtype, list(o.shape), o.ctypes.data)
        sess.run_with_iobinding(io)

    return run
