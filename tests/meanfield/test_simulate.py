"""The simulated net against the mean-field prediction, on small nets; backends agree."""

import math

import numpy as np
import pytest

from actviz import kernels
from actviz.errors import ActvizError
from actviz.meanfield import SimConfig, landscape, load, predicted_layers, simulate

SMALL = SimConfig(depth=8, width=1000, samples=256, seed=1)


@pytest.mark.parametrize("name,sw,sb", [("tanh", 1.30414584005651, 0.2), ("tanh", 5 / 3, 0.0),
                                        ("erf(x)", 1.2, 0.4), ("mish", 1.4, 0.2)])
def test_measured_layers_follow_the_prediction(name, sw, sb):
    [phi] = load([name])
    m = simulate(phi, sw, sb, SMALL)
    p = predicted_layers(phi, sw, sb, SMALL.depth, SMALL.input_correlation)
    # one net of finite width: each layer within 6%, the layers on average within 3%
    ratio = np.asarray(m["variance"]) / p["variance"]
    assert np.all(np.abs(ratio - 1) < 0.06) and abs(np.mean(ratio) - 1) < 0.03
    assert np.allclose(m["correlation"], p["correlation"], atol=0.03)
    assert np.allclose(m["grad_norm"], p["grad_norm"], rtol=0.08)
    assert m["dead_fraction"] == [0.0] * SMALL.depth


def test_relu_kills_half_the_units_and_hard_sigmoid_as_predicted():
    [relu, hs] = load(["relu", "hard_sigmoid"])
    m = simulate(relu, math.sqrt(2), 0.0, SMALL)
    assert np.allclose(m["dead_fraction"], 0.5, atol=0.03)
    m = simulate(hs, 8.6, 0.0, SMALL)
    p = predicted_layers(hs, 8.6, 0.0, SMALL.depth, SMALL.input_correlation)
    assert np.allclose(m["dead_fraction"], p["dead_fraction"], atol=0.05)
    # saturated includes dead
    assert all(s >= d for s, d in zip(m["saturated_fraction"], m["dead_fraction"]))


@pytest.mark.skipif("numba" not in kernels.backends(), reason="numba not installed")
def test_numba_and_numpy_nets_agree():
    [phi] = load(["gelu"])
    cfg = SimConfig(depth=4, width=200, samples=64, dtype="float64", backend="numba")
    a = simulate(phi, 1.5, 0.1, cfg)
    cfg.backend = "numpy"
    b = simulate(phi, 1.5, 0.1, cfg)
    for k in a:
        assert np.allclose(a[k], b[k], rtol=1e-9, atol=0), k


@pytest.mark.gpu
def test_cupy_net_is_the_cpu_net():
    pytest.importorskip("cupy")
    if "cupy" not in kernels.backends():
        pytest.skip("no CUDA device")
    [phi] = load(["tanh"])
    cfg = SimConfig(depth=4, width=256, samples=64, dtype="float64", backend="numpy")
    cpu = simulate(phi, 1.3, 0.2, cfg)
    cfg.backend = "cupy"
    gpu = simulate(phi, 1.3, 0.2, cfg)
    for k in cpu:
        assert np.allclose(cpu[k], gpu[k], rtol=1e-8), k


def test_the_net_is_fixed_by_the_seed():
    [phi] = load(["tanh"])
    cfg = SimConfig(depth=3, width=100, samples=16, seed=7)
    assert simulate(phi, 1.0, 0.1, cfg) == simulate(phi, 1.0, 0.1, cfg)


def test_landscape_is_smooth_when_ordered_and_rough_when_chaotic():
    [phi] = load(["tanh"])
    smooth = landscape(phi, 0.7, 0.3, grid=48)
    rough = landscape(phi, 2.8, 0.3, grid=48)

    def roughness(a):
        return np.mean(np.abs(np.diff(a, axis=1))) / (np.std(a) + 1e-300)

    assert smooth.shape == (48, 48) and np.isfinite(rough).all()
    assert roughness(rough) > 5 * roughness(smooth)


@pytest.mark.parametrize("kw,msg", [({"samples": 3}, "even"), ({"depth": 0}, "positive"),
                                    ({"width": 10**5, "depth": 500}, "GiB"),
                                    ({"input_correlation": 1.5}, "[-1, 1]"),
                                    ({"dtype": "float16"}, "float32 or float64")])
def test_bad_configurations_are_refused(kw, msg):
    with pytest.raises(ActvizError, match=msg.replace("[", r"\[").replace("]", r"\]")):
        SimConfig(**kw).validate()
