"""A simulated deep random net at initialization, through actviz.kernels.

Square layers of ``width`` units, weights N(0, sigma_w^2 / width), biases N(0, sigma_b^2);
``samples`` inputs in pairs (a, b) with |a|^2 = |b|^2 = width and correlation
``input_correlation``, so the first layer's second moment is sigma_w^2 + sigma_b^2 as in the
mean-field maps. Per layer l = 1..depth it measures the pre-activations' second moment
(mean over units and inputs), the correlation of each pair (mean over pairs), the RMS of
the back-propagated gradient dL/dh^l for L = sum_i g_i phi(h^L_i) with g ~ N(0, 1), and the
fractions of units with phi'(h) = 0 exactly (dead) and |phi'(h)| < 1e-3 max|phi'| (saturated).

The activation runs through ``actviz.kernels.forward/derivative/backward`` (numba on the CPU,
CuPy when ``backend="cupy"`` puts the arrays on a GPU); the matrix products are NumPy's (or
CuPy's). All random numbers are drawn on the CPU from one seed, so the CPU and GPU nets are
the same net.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from actviz import kernels
from actviz.errors import ActvizError

SATURATED = 1e-3  # |phi'| below this times max |phi'|: saturated
MEMORY_LIMIT = 8 * 2**30  # bytes the simulated net may hold


@dataclass
class SimConfig:
    depth: int = 50
    width: int = 1000
    samples: int = 2048
    seed: int = 0
    dtype: str = "float32"
    input_correlation: float = 0.5
    backend: str = "auto"

    def validate(self) -> SimConfig:
        for name in ("depth", "width", "samples"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ActvizError(f"--{name} must be a positive integer, got {v!r}")
        if self.samples < 2 or self.samples % 2:
            raise ActvizError(f"--samples must be even and >= 2 (inputs come in pairs), "
                              f"got {self.samples}")
        if self.depth > 10000 or self.width > 100000:
            raise ActvizError("--depth at most 10000 and --width at most 100000")
        if self.dtype not in ("float32", "float64"):
            raise ActvizError(f"--dtype must be float32 or float64, got {self.dtype!r}")
        c = self.input_correlation
        if not (math.isfinite(c) and -1.0 <= c <= 1.0):
            raise ActvizError(f"--input-correlation must be in [-1, 1], got {c!r}")
        need = self.bytes_needed()
        if need > MEMORY_LIMIT:
            raise ActvizError(f"the simulated net would hold {need / 2**30:.1f} GiB (at most "
                              f"{MEMORY_LIMIT / 2**30:.0f}): use a smaller --depth, --width or "
                              "--samples")
        return self

    def bytes_needed(self) -> int:
        item = 4 if self.dtype == "float32" else 8
        return item * (self.depth * self.width * (self.width + self.samples)
                       + 4 * self.samples * self.width)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _inputs(rng, cfg: SimConfig, dtype):
    n, pairs = cfg.width, cfg.samples // 2
    a = rng.standard_normal((pairs, n))
    e = rng.standard_normal((pairs, n))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    e -= np.sum(e * a, axis=1, keepdims=True) * a
    e /= np.linalg.norm(e, axis=1, keepdims=True)
    c = cfg.input_correlation
    b = c * a + math.sqrt(max(1.0 - c * c, 0.0)) * e
    x = np.empty((2 * pairs, n))
    x[0::2], x[1::2] = a, b
    return (x * math.sqrt(n)).astype(dtype)


def _layers(rng, depth: int, n: int, sw: float, sb: float, dtype):
    """``depth`` square layers (weights scaled to N(0, sw^2 / n), biases N(0, sb^2))."""
    for _ in range(depth):
        w = rng.standard_normal((n, n), dtype=np.float32 if dtype == np.float32 else np.float64)
        w *= sw / math.sqrt(n)
        b = (rng.standard_normal(n) * sb).astype(dtype)
        yield w, b


def simulate(phi, sw: float, sb: float, cfg: SimConfig, progress=None) -> dict:
    """Per-layer measurements of one random net; lists of length ``depth``."""
    cfg = cfg.validate()
    dtype = np.float32 if cfg.dtype == "float32" else np.float64
    backend = kernels.choose(cfg.backend)
    gpu = backend == "cupy"
    if gpu:
        import cupy as xp
    else:
        xp = np
    rng = np.random.default_rng(np.random.SeedSequence(cfg.seed))
    x = xp.asarray(_inputs(rng, cfg, dtype))
    weights = [(xp.asarray(w), xp.asarray(b))
               for w, b in _layers(rng, cfg.depth, cfg.width, sw, sb, dtype)]
    g = xp.asarray(rng.standard_normal((cfg.samples, cfg.width)).astype(dtype))
    thr = SATURATED * phi.max_abs_d1
    out = {k: [] for k in ("variance", "correlation", "grad_norm", "dead_fraction",
                           "saturated_fraction")}
    hs = []
    with np.errstate(all="ignore"):
        n, size = cfg.width, cfg.samples * cfg.width
        for w, b in weights:
            h = x @ w + b
            hs.append(h)
            # row sums of 1000 terms in the net's dtype, then float64 (fast, ~1e-6 relative)
            qa = xp.einsum("ij,ij->i", h, h).astype(xp.float64) / n
            qab = xp.einsum("ij,ij->i", h[0::2], h[1::2]).astype(xp.float64) / n
            out["variance"].append(float(xp.mean(qa)))
            out["correlation"].append(float(xp.mean(qab / xp.sqrt(qa[0::2] * qa[1::2]))))
            d = kernels.derivative(phi.plan, h, 1, backend=backend)
            out["dead_fraction"].append(int(xp.count_nonzero(d == 0)) / size)
            out["saturated_fraction"].append(int(xp.count_nonzero(xp.abs(d, out=d) < thr))
                                             / size)
            x = kernels.forward(phi.plan, h, backend=backend)
            if progress is not None:
                progress(1)
        def rms(a):
            return math.sqrt(float(xp.sum(xp.einsum("ij,ij->i", a, a).astype(xp.float64)))
                             / a.size)

        grads = [0.0] * cfg.depth
        delta = kernels.backward(phi.plan, g, x=hs[-1], backend=backend)
        grads[-1] = rms(delta)
        if progress is not None:
            progress(1)
        for i in range(cfg.depth - 2, -1, -1):
            dy = delta @ weights[i + 1][0].T
            delta = kernels.backward(phi.plan, dy, x=hs[i], backend=backend)
            grads[i] = rms(delta)
            if progress is not None:
                progress(1)
    out["grad_norm"] = grads
    return out


def landscape(phi, sw: float, sb: float, *, depth: int = 10, width: int = 128,
              grid: int = 96, span: float = 1.0, seed: int = 0, backend: str = "auto"):
    """The output of one random net over a 2-D plane of inputs x = sqrt(width) (a u + b v),
    a, b in [-span, span] (u, v orthonormal): a ``grid`` x ``grid`` array, the readout
    r . phi(h^depth) / sqrt(width) with r ~ N(0, 1)."""
    backend = kernels.choose(backend)
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    uv, _ = np.linalg.qr(rng.standard_normal((width, 2)))
    t = np.linspace(-span, span, grid)
    a, b = np.meshgrid(t, t)
    x = (np.outer(a.ravel(), uv[:, 0]) + np.outer(b.ravel(), uv[:, 1])) * math.sqrt(width)
    xp = np
    if backend == "cupy":
        import cupy as xp
    x = xp.asarray(x.astype(np.float64))
    with np.errstate(all="ignore"):
        for w, bias in _layers(rng, depth, width, sw, sb, np.float64):
            x = kernels.forward(phi.plan, x @ xp.asarray(w) + xp.asarray(bias), backend=backend)
        r = xp.asarray(rng.standard_normal(width))
        y = (x @ r) / math.sqrt(width)
    if backend == "cupy":
        y = y.get()
    return np.asarray(y).reshape(grid, grid)
