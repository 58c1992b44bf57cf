"""Independent forward references: each activation written again from its published
definition with numpy/scipy (not from actviz's expression text), for default parameters
and for the variants. A catalog entry without a reference here fails test_forward."""

import numpy as np
from scipy.special import expit, ndtr


def _ultra_fast_sigmoid(x):
    # Theano's scalar C code, transcribed branch by branch.
    out = np.empty_like(x)
    for i, v in enumerate(x.flat):
        v = 0.5 * v
        if v >= 0:
            if v < 1.7:
                z = 1.5 * v / (1 + v)
            elif v < 3:
                z = 0.935409070603099 + 0.0458812946797165 * (v - 1.7)
            else:
                z = 0.99505475368673
        else:
            u = -v
            if u < 1.7:
                z = 1.5 * u / (1 + u)
            elif u < 3:
                z = 0.935409070603099 + 0.0458812946797165 * (u - 1.7)
            else:
                z = 0.99505475368673
            z = -z
        out.flat[i] = 0.5 * z + 0.5
    return out


SELU_ONNX = (1.67326319217681884765625, 1.05070102214813232421875)
SELU_TORCH = (1.6732632423543772848170429916717, 1.0507009873554804934193349852946)

REFERENCES = {
    "hard_sigmoid": lambda x: np.clip(0.2 * x + 0.5, 0, 1),
    "hard_sigmoid:pytorch": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "hard_sigmoid:jax": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "hard_sigmoid:keras3": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "hard_sigmoid:keras2": lambda x: np.clip(0.2 * x + 0.5, 0, 1),
    "hard_sigmoid:theano": lambda x: np.clip(0.2 * x + 0.5, 0, 1),
    "hard_sigmoid:onnx": lambda x: np.clip(0.2 * x + 0.5, 0, 1),
    "hard_sigmoid:bnn": lambda x: np.clip((x + 1) / 2, 0, 1),
    "thresholded_relu": lambda x: np.where(x > 1.0, x, 0.0),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "mish": lambda x: x * np.tanh(np.logaddexp(0, x)),
    "sigmoid": expit,
    "ultra_fast_sigmoid": _ultra_fast_sigmoid,
    "relu": lambda x: np.maximum(x, 0),
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.01 * x),
    "prelu": lambda x: np.where(x >= 0, x, 0.25 * x),
    "elu": lambda x: np.where(x > 0, x, np.expm1(x)),
    "selu": lambda x: SELU_ONNX[1] * np.where(x > 0, x, SELU_ONNX[0] * np.expm1(x)),
    "selu:pytorch": lambda x: SELU_TORCH[1] * np.where(x > 0, x, SELU_TORCH[0] * np.expm1(x)),
    "celu": lambda x: np.maximum(0, x) + np.minimum(0, np.expm1(x)),
    "gelu": lambda x: x * ndtr(x),
    "gelu:tanh": lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))),
    "silu": lambda x: x * expit(x),
    "tanh": np.tanh,
    "softplus": lambda x: np.logaddexp(0, x),
    "hardswish": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "hardtanh": lambda x: np.clip(x, -1, 1),
    "relu6": lambda x: np.clip(x, 0, 6),
    "hardshrink": lambda x: np.where(np.abs(x) > 0.5, x, 0.0),
    "softshrink": lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.5, 0),
    "log_sigmoid": lambda x: -np.logaddexp(0, -x),
}
