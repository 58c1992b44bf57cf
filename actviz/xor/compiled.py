"""The compiled XOR trainer (numba): one loop over epochs and samples, parallel over seeds.

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
