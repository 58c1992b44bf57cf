"""Semantics match the ONNX operators of the same name (run by ONNX Runtime, when installed).

ONNX Runtime's float32 Sigmoid/Tanh are approximations (exactly 0 for x <= -18, see
REFERENCE.md), so values are compared with an absolute tolerance as well."""

import numpy as np
import pytest

from actviz import catalog, kernels

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
from onnx import TensorProto, helper  # noqa: E402

X = np.concatenate([np.linspace(-20, 20, 4001), [-3, -2.5, -1, -0.5, 0, 0.5, 1, 2.5, 3, 6]]
                   ).astype(np.float32)


def onnx_node(spec):
    """(op, attributes, extra constant inputs, opset) for a catalog spec, or None."""
    r = catalog.resolve(spec)
    p = r.float_params()
    op = r.entry.onnx
    name = r.entry.name
    if op is None:
        return None
    if name == "hardshrink":
        return "Shrink", {"lambd": p["lambd"], "bias": 0.0}, [], 13
    if name == "softshrink":
        return "Shrink", {"lambd": p["lambd"], "bias": p["lambd"]}, [], 13
    if name == "prelu":
        return "PRelu", {}, [np.array([p["slope"]], np.float32)], 16
    if name == "hardtanh":
        return "Clip", {}, [np.array(p["min_val"], np.float32),
                            np.array(p["max_val"], np.float32)], 13
    if name == "gelu":
        return "Gelu", {"approximate": "tanh" if r.variant == "tanh" else "none"}, [], 20
    if name == "silu":
        return "Swish", {"alpha": p["alpha"]}, [], 24
    if name == "hardswish":
        return "HardSwish", {}, [], 14
    return op, {k: v for k, v in p.items()}, [], 18


def run_onnx(op, attrs, consts, opset, x):
    names = ["x"] + [f"c{i}" for i in range(len(consts))]
    node = helper.make_node(op, names, ["y"], **attrs)
    inits = [helper.make_tensor(f"c{i}", TensorProto.FLOAT, c.shape, c.ravel().tolist())
             for i, c in enumerate(consts)]
    graph = helper.make_graph([node], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None])],
                              initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = min(model.ir_version, 10)
    try:
        sess = ort.InferenceSession(model.SerializeToString(),
                                    providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - an op/opset this ONNX Runtime lacks
        pytest.skip(f"ONNX Runtime cannot run {op} (opset {opset}): {str(exc)[:80]}")
    return sess.run(None, {"x": x})[0]


ONNX_SPECS = [s for s in [e.name for e in catalog.ENTRIES] + ["gelu:tanh",
                                                              "hard_sigmoid:pytorch"]
              if catalog.resolve(s).entry.onnx]


@pytest.mark.parametrize("spec", ONNX_SPECS)
def test_forward_matches_onnx_operator(spec):
    op, attrs, consts, opset = onnx_node(spec)
    want = run_onnx(op, attrs, consts, opset, X)
    got = kernels.forward(spec, X, backend="numpy")
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=2e-6)


def test_thresholded_relu_is_strict_like_onnx():
    x = np.array([1.0, np.nextafter(np.float32(1), np.float32(2))], np.float32)
    want = run_onnx("ThresholdedRelu", {"alpha": 1.0}, [], 10, x)
    np.testing.assert_array_equal(kernels.forward("thresholded_relu", x), want)
