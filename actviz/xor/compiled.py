"""The compiled XOR trainer (numba): one loop over epochs and samples, parallel over seeds,
and the records of the weight snapshots it takes (:func:`records`, parallel over snapshots).

Imported only when numba is installed. The activation comes in as the kernels' compiled
scalar ``x -> (f(x), f'(x))`` (:func:`actviz.kernels.scalar_pair`: the same formulas as the
element loops, for catalog entries and user expressions alike), passed as a first-class
function, so this loop compiles once (and is cached on disk) for every activation.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange, types

from actviz import kernels, numba_env
from actviz.xor.problem import BCE_EPS, TARGETS, X_AUG

_FN = kernels.scalar_pair_type()


_KERNEL_SIG = types.void(types.float64[:, :, ::1], types.float64[:, ::1],
                         types.float64[:, ::1], types.float64[::1], types.int64,
                         types.float64, types.int64, types.int64, _FN, types.int64,
                         types.float64[:, :, :, ::1], types.float64[:, :, ::1])


@njit(_KERNEL_SIG, parallel=True, cache=numba_env.cache_enabled())
def _train(W1, W2, Xa, T, epochs, lr, mse, batch, fdf, every, snap1, snap2):
    S, I1, H = W1.shape
    K = Xa.shape[0]
    for s in prange(S):
        h = np.empty(H + 1)
        d1 = np.empty(H)
        g1 = np.zeros((I1, H))
        g2 = np.zeros(H + 1)
        for e in range(epochs):
            if batch:
                g1[:, :] = 0.0
                g2[:] = 0.0
            for k in range(K):
                for j in range(H):
                    acc = 0.0
                    for i in range(I1):
                        acc += Xa[k, i] * W1[s, i, j]
                    h[j], d1[j] = fdf(acc)
                h[H] = 1.0
                z2 = 0.0
                for j in range(H + 1):
                    z2 += h[j] * W2[s, j]
                y, dyz = fdf(z2)
                t = T[k]
                if mse:
                    dy = 2.0 * (y - t)
                else:
                    yc = min(max(y, BCE_EPS), 1.0 - BCE_EPS)
                    dy = (yc - t) / (yc * (1.0 - yc)) if yc == y else 0.0
                dz2 = dy * dyz
                for j in range(H):
                    d1[j] = W2[s, j] * dz2 * d1[j]
                if batch:
                    for j in range(H + 1):
                        g2[j] += h[j] * dz2 / K
                    for i in range(I1):
                        for j in range(H):
                            g1[i, j] += Xa[k, i] * d1[j] / K
                else:
                    for j in range(H + 1):
                        W2[s, j] -= lr * (h[j] * dz2)
                    for i in range(I1):
                        if Xa[k, i] != 0.0:
                            for j in range(H):
                                W1[s, i, j] -= lr * (Xa[k, i] * d1[j])
            if batch:
                for j in range(H + 1):
                    W2[s, j] -= lr * g2[j]
                for i in range(I1):
                    for j in range(H):
                        W1[s, i, j] -= lr * g1[i, j]
            if (e + 1) % every == 0:
                n = (e + 1) // every - 1
                snap1[n, s] = W1[s]
                snap2[n, s] = W2[s]


def run(W1, W2, epochs, lr, loss, update, fdf, every, snap1, snap2) -> None:
    """Train ``W1 (S, 3, H)``, ``W2 (S, H + 1)`` in place; copy the weights into
    ``snap1[n]``, ``snap2[n]`` after every ``every`` epochs."""
    _train(W1, W2, X_AUG, TARGETS, int(epochs), float(lr), int(loss == "mse"),
           int(update == "batch"), fdf, int(every), snap1, snap2)


_CHUNK = 256
_RECORDS_SIG = types.void(types.float64[:, :, ::1], types.float64[:, ::1],
                          types.float64[:, ::1], types.float64[::1], types.int64, _FN,
                          types.float64, types.float64[:, ::1], types.float64[:, ::1],
                          types.float64[:, :, ::1], types.float64[:, ::1])


@njit(_RECORDS_SIG, parallel=True, cache=numba_env.cache_enabled())
def _records(W1, W2, Xa, T, mse, fdf, tiny, stats, y, z1, z2):
    """Forward and backward on the four samples of each net ``n`` (as
    :func:`actviz.xor.net.batch_eval`, summed in the same order): ``stats[n]`` = mean loss,
    |grad W1|, |grad W2|, fractions of f'(z) == 0 and |f'(z)| < tiny (hidden, output),
    outputs clipped by the BCE; ``y``, ``z1``, ``z2`` the outputs and pre-activations."""
    N, I1, H = W1.shape
    K = Xa.shape[0]
    for c in prange((N + _CHUNK - 1) // _CHUNK):  # scratch once per chunk of nets
        g1 = np.empty((I1, H))
        g2 = np.empty(H + 1)
        h = np.empty(H + 1)
        d1 = np.empty(H)
        for n in range(c * _CHUNK, min(N, (c + 1) * _CHUNK)):
            g1[:, :] = 0.0
            g2[:] = 0.0
            loss = zero1 = tiny1 = zero2 = tiny2 = clipped = 0.0
            for k in range(K):
                for j in range(H):
                    acc = 0.0
                    for i in range(I1):
                        acc += Xa[k, i] * W1[n, i, j]
                    z1[n, k, j] = acc
                    h[j], d1[j] = fdf(acc)
                    zero1 += d1[j] == 0.0
                    tiny1 += abs(d1[j]) < tiny
                h[H] = 1.0
                acc = 0.0
                for j in range(H + 1):
                    acc += h[j] * W2[n, j]
                z2[n, k] = acc
                yk, d2 = fdf(acc)
                y[n, k] = yk
                zero2 += d2 == 0.0
                tiny2 += abs(d2) < tiny
                t = T[k]
                if mse:
                    loss += (yk - t) ** 2
                    dy = 2.0 * (yk - t)
                else:
                    yc = min(max(yk, BCE_EPS), 1.0 - BCE_EPS) if yk == yk else yk
                    loss += -(t * np.log(yc) + (1.0 - t) * np.log1p(-yc))
                    dy = (yc - t) / (yc * (1.0 - yc)) if yc == yk else 0.0
                    clipped += (yk < BCE_EPS) or (yk > 1.0 - BCE_EPS)
                dz2 = dy * d2 / K
                for j in range(H + 1):
                    g2[j] += h[j] * dz2
                for j in range(H):
                    dz1 = dz2 * W2[n, j] * d1[j]
                    for i in range(I1):
                        g1[i, j] += Xa[k, i] * dz1
            s1 = 0.0
            for i in range(I1):
                for j in range(H):
                    s1 += g1[i, j] * g1[i, j]
            s2 = 0.0
            for j in range(H + 1):
                s2 += g2[j] * g2[j]
            stats[n, 0] = loss / K
            stats[n, 1] = np.sqrt(s1)
            stats[n, 2] = np.sqrt(s2)
            stats[n, 3] = zero1 / (K * H)
            stats[n, 4] = tiny1 / (K * H)
            stats[n, 5] = zero2 / K
            stats[n, 6] = tiny2 / K
            stats[n, 7] = clipped

STATS = ("loss", "g1", "g2", "zero1", "tiny1", "zero2", "tiny2", "clipped")


def records(W1, W2, loss: str, fdf, tiny: float) -> dict:
    """The records of nets ``W1 (N, 3, H)``, ``W2 (N, H + 1)``: ``STATS`` (N,) each, and
    ``y`` (N, 4), ``z1`` (N, 4, H), ``z2`` (N, 4)."""
    N, _, H = W1.shape
    K = X_AUG.shape[0]
    stats, y = np.empty((N, len(STATS))), np.empty((N, K))
    z1, z2 = np.empty((N, K, H)), np.empty((N, K))
    _records(np.ascontiguousarray(W1), np.ascontiguousarray(W2), X_AUG, TARGETS,
             int(loss == "mse"), fdf, float(tiny), stats, y, z1, z2)
    out = {name: stats[:, i] for i, name in enumerate(STATS)}
    out.update(clipped=out["clipped"].astype(np.int64), y=y, z1=z1, z2=z2)
    return out
