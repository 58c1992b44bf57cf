"""The compiled XOR trainer (numba): one loop over epochs and samples, parallel over blocks of
seeds side by side, and the records of the weight snapshots it takes (:func:`records`,
parallel over snapshots).

Imported only when numba is installed. The activation comes in compiled by the kernels, as
a first-class function (so these loops compile once, and are cached on disk, for every
activation): :func:`actviz.kernels.vector_pair`, ``(z, fz, dz)``, the formulas of the
element loops over a short array. The trainer hands it the pre-activations of ``LANES``
seeds at once (LLVM vectorizes both it and the trainer's arithmetic over the seeds), the
records those of one net's four samples. Per seed the trainer does the arithmetic of the
one-seed loop in the same order, so only the elementary functions' last bits (math64's
against NumPy's) tell the two trainers apart.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange, types
from numba.extending import register_jitable

from actviz import kernels, numba_env
from actviz.xor.problem import BCE_EPS, TARGETS, X_AUG

_VFN = kernels.vector_pair_type()
LANES = 8  # seeds side by side: one AVX-512 vector of float64, two of AVX2

@register_jitable
def _bce_grad(y, t):
    """(y clipped to [eps, 1 - eps], dL/dy of the clipped BCE, 0 where clipped), as
    :func:`actviz.xor.problem.loss_and_grad`; NaN stays NaN (with dL/dy 0)."""
    yc = min(max(y, BCE_EPS), 1.0 - BCE_EPS) if y == y else y
    return yc, ((yc - t) / (yc * (1.0 - yc)) if yc == y else 0.0)


_KERNEL_SIG = types.void(types.float64[:, :, ::1], types.float64[:, ::1],
                         types.float64[:, ::1], types.float64[::1], types.int64,
                         types.float64, types.int64, types.int64, _VFN, types.int64,
                         types.float64[:, :, :, ::1], types.float64[:, :, ::1])


@njit(_KERNEL_SIG, parallel=True, cache=numba_env.cache_enabled())
def _train(W1, W2, Xa, T, epochs, lr, mse, batch, vfdf, every, snap1, snap2):
    S, I1, H = W1.shape
    K = Xa.shape[0]
    L = LANES
    HL = H * L
    for b in prange((S + L - 1) // L):
        s0 = b * L
        n = min(L, S - s0)
        # flat, seeds last: W1[s, i, j] at i*HL + j*L + q, W2[s, j] at j*L + q (s = s0 + q);
        # lanes past n train zeros and are never copied out
        w1 = np.zeros(I1 * HL)
        w2 = np.zeros(HL + L)
        for q in range(n):
            for i in range(I1):
                for j in range(H):
                    w1[i * HL + j * L + q] = W1[s0 + q, i, j]
            for j in range(H + 1):
                w2[j * L + q] = W2[s0 + q, j]
        z1 = np.empty(HL)
        h = np.empty(HL)
        d1 = np.empty(HL)
        z2 = np.empty(L)
        y = np.empty(L)
        dyz = np.empty(L)
        dz2 = np.empty(L)
        g1 = np.zeros(I1 * HL)
        g2 = np.zeros(HL + L)
        for e in range(epochs):
            if batch:
                g1[:] = 0.0
                g2[:] = 0.0
            for k in range(K):
                z1[:] = 0.0
                for i in range(I1):
                    c = Xa[k, i]
                    for u in range(HL):
                        z1[u] += c * w1[i * HL + u]
                vfdf(z1, h, d1)
                z2[:] = 0.0
                for u in range(HL):
                    z2[u % L] += h[u] * w2[u]
                for q in range(L):
                    z2[q] += w2[HL + q]  # the bias unit's h is 1
                vfdf(z2, y, dyz)
                t = T[k]
                if mse:
                    for q in range(L):
                        dz2[q] = 2.0 * (y[q] - t) * dyz[q]
                else:
                    for q in range(L):
                        dz2[q] = _bce_grad(y[q], t)[1] * dyz[q]
                for u in range(HL):
                    d1[u] = w2[u] * dz2[u % L] * d1[u]
                if batch:
                    for u in range(HL):
                        g2[u] += h[u] * dz2[u % L] / K
                    for q in range(L):
                        g2[HL + q] += dz2[q] / K
                    for i in range(I1):
                        c = Xa[k, i]
                        for u in range(HL):
                            g1[i * HL + u] += c * d1[u] / K
                else:
                    for u in range(HL):
                        w2[u] -= lr * (h[u] * dz2[u % L])
                    for q in range(L):
                        w2[HL + q] -= lr * dz2[q]
                    for i in range(I1):
                        c = Xa[k, i]
                        if c != 0.0:
                            for u in range(HL):
                                w1[i * HL + u] -= lr * (c * d1[u])
            if batch:
                for u in range(HL + L):
                    w2[u] -= lr * g2[u]
                for u in range(I1 * HL):
                    w1[u] -= lr * g1[u]
            if (e + 1) % every == 0:
                m = (e + 1) // every - 1
                for q in range(n):
                    for i in range(I1):
                        for j in range(H):
                            snap1[m, s0 + q, i, j] = w1[i * HL + j * L + q]
                    for j in range(H + 1):
                        snap2[m, s0 + q, j] = w2[j * L + q]
        for q in range(n):
            for i in range(I1):
                for j in range(H):
                    W1[s0 + q, i, j] = w1[i * HL + j * L + q]
            for j in range(H + 1):
                W2[s0 + q, j] = w2[j * L + q]

def run(W1, W2, epochs, lr, loss, update, vfdf, every, snap1, snap2) -> None:
    """Train ``W1 (S, 3, H)``, ``W2 (S, H + 1)`` in place; copy the weights into
    ``snap1[n]``, ``snap2[n]`` after every ``every`` epochs."""
    _train(W1, W2, X_AUG, TARGETS, int(epochs), float(lr), int(loss == "mse"),
           int(update == "batch"), vfdf, int(every), snap1, snap2)

_CHUNK = 256
_RECORDS_SIG = types.void(types.float64[:, :, ::1], types.float64[:, ::1],
                          types.float64[:, ::1], types.float64[::1], types.int64, _VFN,
                          types.float64, types.float64[:, ::1], types.float64[:, ::1],
                          types.float64[:, :, ::1], types.float64[:, ::1])


@njit(_RECORDS_SIG, parallel=True, cache=numba_env.cache_enabled())
def _records(W1, W2, Xa, T, mse, vfdf, tiny, stats, y, z1, z2):
    """Forward and backward on the four samples of each net ``n`` (as
    :func:`actviz.xor.net.batch_eval`, summed in the same order): ``stats[n]`` = mean loss,
    |grad W1|, |grad W2|, fractions of f'(z) == 0 and |f'(z)| < tiny (hidden, output),
    outputs clipped by the BCE; ``y``, ``z1``, ``z2`` the outputs and pre-activations."""
    N, I1, H = W1.shape
    K = Xa.shape[0]
    KH = K * H
    for c in prange((N + _CHUNK - 1) // _CHUNK):  # scratch once per chunk of nets
        g1 = np.empty((I1, H))
        g2 = np.empty(H + 1)
        zz = np.empty(KH)  # sample k, unit j at k * H + j
        h = np.empty(KH)
        d1 = np.empty(KH)
        zo = np.empty(K)
        yo = np.empty(K)
        d2 = np.empty(K)
        for n in range(c * _CHUNK, min(N, (c + 1) * _CHUNK)):
            for k in range(K):
                for j in range(H):
                    acc = 0.0
                    for i in range(I1):
                        acc += Xa[k, i] * W1[n, i, j]
                    zz[k * H + j] = acc
                    z1[n, k, j] = acc
            vfdf(zz, h, d1)
            for k in range(K):
                acc = 0.0
                for j in range(H):
                    acc += h[k * H + j] * W2[n, j]
                zo[k] = acc + W2[n, H]  # the bias unit's h is 1
                z2[n, k] = zo[k]
            vfdf(zo, yo, d2)
            g1[:, :] = 0.0
            g2[:] = 0.0
            loss = zero1 = tiny1 = zero2 = tiny2 = clipped = 0.0
            for u in range(KH):
                zero1 += d1[u] == 0.0
                tiny1 += abs(d1[u]) < tiny
            for k in range(K):
                yk = yo[k]
                y[n, k] = yk
                zero2 += d2[k] == 0.0
                tiny2 += abs(d2[k]) < tiny
                t = T[k]
                if mse:
                    loss += (yk - t) ** 2
                    dy = 2.0 * (yk - t)
                else:
                    yc, dy = _bce_grad(yk, t)
                    loss += -(t * np.log(yc) + (1.0 - t) * np.log1p(-yc))
                    clipped += (yk < BCE_EPS) or (yk > 1.0 - BCE_EPS)
                dz2 = dy * d2[k] / K
                for j in range(H):
                    g2[j] += h[k * H + j] * dz2
                g2[H] += dz2
                for j in range(H):
                    dz1 = dz2 * W2[n, j] * d1[k * H + j]
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
            stats[n, 3] = zero1 / KH
            stats[n, 4] = tiny1 / KH
            stats[n, 5] = zero2 / K
            stats[n, 6] = tiny2 / K
            stats[n, 7] = clipped

STATS = ("loss", "g1", "g2", "zero1", "tiny1", "zero2", "tiny2", "clipped")


def records(W1, W2, loss: str, vfdf, tiny: float) -> dict:
    """The records of nets ``W1 (N, 3, H)``, ``W2 (N, H + 1)``: ``STATS`` (N,) each, and
    ``y`` (N, 4), ``z1`` (N, 4, H), ``z2`` (N, 4)."""
    N, _, H = W1.shape
    K = X_AUG.shape[0]
    stats, y = np.empty((N, len(STATS))), np.empty((N, K))
    z1, z2 = np.empty((N, K, H)), np.empty((N, K))
    _records(np.ascontiguousarray(W1), np.ascontiguousarray(W2), X_AUG, TARGETS,
             int(loss == "mse"), vfdf, float(tiny), stats, y, z1, z2)
    out = {name: stats[:, i] for i, name in enumerate(STATS)}
    out.update(clipped=out["clipped"].astype(np.int64), y=y, z1=z1, z2=z2)
    return out
