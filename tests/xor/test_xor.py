"""train-xor: gradients, the original behaviour, trainer parity, the CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

from actviz.cli import main
from actviz.xor import (
    INPUTS,
    TARGETS,
    Trainer,
    XorConfig,
    batch_eval,
    forward,
    init_weights,
    load_acts,
    train_xor,
    wilson,
)

# BCE needs outputs in (0, 1): the sigmoid-like activations; MSE takes any
GRAD_CASES = [(a, "bce") for a in ("sigmoid", "hard_sigmoid", "ultra_fast_sigmoid",
                                   "hard_sigmoid:pytorch")] + [
    (a, "mse") for a in ("sigmoid", "tanh", "hard_sigmoid", "ultra_fast_sigmoid", "relu",
                         "softplus", "x*sigmoid(1.5*x)")]


def _mean_loss(act, W1, W2, loss):
    y = forward(act, W1, W2, INPUTS)
    if loss == "mse":
        return np.mean((y - TARGETS) ** 2)
    return -np.mean(TARGETS * np.log(y) + (1 - TARGETS) * np.log(1 - y))


@pytest.mark.parametrize("spec,loss", GRAD_CASES)
def test_gradient_matches_finite_differences(spec, loss):
    (act,) = load_acts([spec])
    rng = np.random.default_rng(3)
    W1 = rng.uniform(-0.8, 0.8, (1, 3, 4))
    W2 = rng.uniform(-0.8, 0.8, (1, 5))
    ev = batch_eval(act, W1, W2, loss)
    z = np.concatenate([ev["z1"].ravel(), ev["z2"].ravel()])
    for a, b in act.zero_grad_intervals + [(k, k) for k in (0.0,)]:  # stay off the kinks
        for edge in (a, b):
            if np.isfinite(edge):
                assert np.min(np.abs(z - edge)) > 1e-3
    y = ev["y"]
    assert np.all((y > 1e-7) & (y < 1 - 1e-7)) or loss == "mse"
    h = 1e-6
    for W, g in ((W1, ev["gW1"]), (W2, ev["gW2"])):
        num = np.zeros(W.shape[1:])
        for idx in np.ndindex(*W.shape[1:]):
            old = W[(0,) + idx]
            W[(0,) + idx] = old + h
            up = _mean_loss(act, W1[0], W2[0], loss)
            W[(0,) + idx] = old - h
            down = _mean_loss(act, W1[0], W2[0], loss)
            W[(0,) + idx] = old
            num[idx] = (up - down) / (2 * h)
        np.testing.assert_allclose(g[0], num, rtol=1e-6, atol=1e-8)


def reference_online(f, df, W1, W2, epochs, lr, loss):
    """A straightforward single-seed loop, as the original Theano code did it."""
    W1, W2 = W1.copy(), W2.copy()
    for _ in range(epochs):
        for x, t in zip(INPUTS, TARGETS):
            xa = np.append(x, 1.0)
            z1 = xa @ W1
            h = np.append(f(z1), 1.0)
            z2 = h @ W2
            y = f(z2)
            if loss == "mse":
                dy = 2 * (y - t)
            elif 1e-7 <= y <= 1 - 1e-7:
                dy = -t / y + (1 - t) / (1 - y)
            else:  # BCE of the clipped output: no gradient where the clip is active
                dy = 0.0
            dz2 = dy * df(z2)
            dz1 = W2[:-1] * dz2 * df(z1)
            W2 = W2 - lr * h * dz2
            W1 = W1 - lr * np.outer(xa, dz1)
    return W1, W2


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize("spec,loss,init", [("sigmoid", "bce", "uniform01"),
                                            ("hard_sigmoid", "bce", "uniform01"),
                                            ("tanh", "mse", "xavier"),
                                            ("ultra_fast_sigmoid", "bce", "uniform01")])
def test_vectorized_trainer_follows_single_seed_loop(backend, spec, loss, init):
    if backend == "numba":
        pytest.importorskip("numba")
    (act,) = load_acts([spec])
    f, df = act.fn.numpy(0), act.fn.numpy(1)  # the symbolic reference, not the kernels
    W1, W2 = init_weights(6, 11, 3, init, 1.0)
    start = (W1.copy(), W2.copy())
    trainer = Trainer(act, loss, "online", 0.1, backend)
    assert trainer.backend == backend
    s1, s2 = trainer.run(W1, W2, 60, 20)
    assert s1.shape == (3, 6, 3, 3) and s2.shape == (3, 6, 4)
    for s in range(6):
        r1, r2 = reference_online(f, df, start[0][s], start[1][s], 60, 0.1, loss)
        np.testing.assert_allclose(W1[s], r1, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(W2[s], r2, rtol=1e-10, atol=1e-12)
        m1, _ = reference_online(f, df, start[0][s], start[1][s], 20, 0.1, loss)
        np.testing.assert_allclose(s1[0, s], m1, rtol=1e-10, atol=1e-12)


def test_each_trainer_runs_its_own_activation():
    """The compiled loop takes the activation as a first-class function: handed several in
    turn (one again after others), each run must use its own (their compiled symbols once
    shared a name, and a run after three others trained with the wrong activation)."""
    pytest.importorskip("numba")
    finals = {}
    for spec in ["hard_sigmoid", "sigmoid", "ultra_fast_sigmoid", "sigmoid", "hard_sigmoid"]:
        (act,) = load_acts([spec])
        got = []
        for backend in ("numpy", "numba"):
            W1, W2 = init_weights(3, 2, 3, "he", 1.0)
            Trainer(act, "bce", "batch", 0.5, backend).run(W1, W2, 20, 20)
            got.append(W1)
        np.testing.assert_allclose(got[1], got[0], rtol=1e-12, atol=1e-14)
        finals.setdefault(spec, got[1])
        np.testing.assert_array_equal(got[1], finals[spec])


def test_cached_facts_are_the_fresh_ones():
    from actviz import symbolic
    from actviz.xor.net import Act

    for spec in ("hard_sigmoid", "relu", "sigmoid"):
        fresh = Act(symbolic.load(spec), use_cache=False)
        for _ in range(2):  # computed and stored, then read back
            (act,) = load_acts([spec])
            assert (act.zero_grad_intervals, act.affine_maps, act._pieces) == (
                fresh.zero_grad_intervals, fresh.affine_maps, fresh._pieces)


def test_batch_update_backends_agree():
    pytest.importorskip("numba")
    (act,) = load_acts(["sigmoid"])
    out = []
    for backend in ("numpy", "numba"):
        W1, W2 = init_weights(4, 2, 3, "he", 1.0)
        Trainer(act, "bce", "batch", 0.5, backend).run(W1, W2, 50, 50)
        out.append((W1, W2))
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out[0][1], out[1][1], rtol=1e-10, atol=1e-12)


def test_default_config_reproduces_the_original():
    result = train_xor(["sigmoid", "hard_sigmoid"], XorConfig(seeds=40))
    sig, hard = result.runs
    assert sig.summary["success_rate"] >= 0.8
    assert sig.summary["final_loss_median"] < 0.05
    rep = sig.outputs[sig.representative]
    assert np.all(rep[:2] > 0.9) and np.all(rep[2:] < 0.1)
    assert hard.summary["success_rate"] <= 0.1
    assert abs(hard.summary["final_loss_median"] - math.log(2)) < 0.01
    assert np.all(np.abs(hard.outputs[hard.representative] - 0.5) < 0.05)
    # the measured explanation: hidden units inside the linear band, affine on the data
    assert hard.summary["affine_hidden_fraction"]["end"] >= 0.9
    assert hard.summary["output_xor_residual_median"] < 1e-9
    assert any("linear piece" in s for s in hard.summary["diagnosis"])


def test_seeds_are_independent_of_the_seed_count():
    a1, a2 = init_weights(3, 5, 3, "uniform01", 1.0)
    b1, b2 = init_weights(10, 5, 3, "uniform01", 1.0)
    assert np.array_equal(a1, b1[:3]) and np.array_equal(a2, b2[:3])
    assert np.all((a1 >= 0) & (a1 < 1))


def test_saturated_outputs_give_finite_loss():
    # relu outputs beyond 1 and hard_sigmoid outputs exactly 0 or 1: clipped, no NaN
    result = train_xor(["relu", "hard_sigmoid"], XorConfig(seeds=8, epochs=30, init_scale=8))
    for run in result.runs:
        assert np.all(np.isfinite(run.loss))
    relu = result.runs[0].summary
    assert relu["clipped_outputs"]["start"] > 0
    json.dumps(result.to_dict(), allow_nan=False)


def test_wilson_interval():
    lo, hi = wilson(0, 20)
    assert lo == 0 and 0.15 < hi < 0.17
    lo, hi = wilson(10, 20)
    assert lo < 0.5 < hi


def run_cli(*args):
    return CliRunner().invoke(main, ["train-xor", *args])


def test_cli_text_report():
    res = run_cli("--act", "sigmoid", "--act", "hard_sigmoid:pytorch", "--seeds", "3",
                  "--epochs", "50", "--quiet")
    assert res.exit_code == 0, res.output
    assert "sigmoid" in res.output and "hard_sigmoid:pytorch" in res.output
    assert "solved" in res.output and "diagnosis" in res.output


def test_cli_json_keys():
    res = run_cli("--act", "hard_sigmoid", "-p", "alpha=1/6", "--act", "x*sigmoid(b*x)",
                  "-p", "b=1.5", "--seeds", "2", "--epochs", "20", "--json", "--loss", "mse",
                  "--init", "xavier", "--update", "batch", "--hidden", "4")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["config"]["hidden"] == 4 and data["config"]["update"] == "batch"
    assert [a["act"] for a in data["activations"]] == ["hard_sigmoid (alpha=1/6)",
                                                       "x*sigmoid(b*x)"]
    for a in data["activations"]:
        for key in ("act", "seeds", "solved", "success_rate", "final_loss_median", "outputs",
                    "zero_grad_fraction", "grad_norms", "diagnosis"):
            assert key in a
        assert len(a["outputs"]) == 4 and a["seeds"] == 2


def test_cli_figure(tmp_path):
    path = tmp_path / "xor.png"
    res = run_cli("--act", "sigmoid", "--act", "relu", "--seeds", "2", "--epochs", "10",
                  "-o", str(path))
    assert res.exit_code == 0, res.output
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("args,needle", [
    (["--act", "no_such_act"], "unknown activation"),
    (["--seeds", "0"], "--seeds"),
    (["--epochs", "-3"], "--epochs"),
    (["--lr", "-1"], "--lr"),
    (["--lr", "nan"], "--lr"),
    (["--loss", "hinge"], "hinge"),
    (["--init", "zeros"], "zeros"),
    (["--act", "sigmoid", "-p", "alpha=0.3"], "alpha"),
    (["-p", "alpha=abc"], "abc"),
    (["--act", "hard_sigmoid:nope"], "nope"),
])
def test_cli_bad_options(args, needle, tmp_path):
    path = tmp_path / "xor.png"
    res = run_cli(*args, "--epochs", "5", "-o", str(path)) if "--epochs" not in args else \
        run_cli(*args, "-o", str(path))
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and needle in lines[0]
    assert "Traceback" not in res.output
    assert not path.exists()


def test_cli_bad_output_path(tmp_path):
    res = run_cli("--seeds", "1", "-o", str(tmp_path / "xor.txt"))
    assert res.exit_code == 2 and "extension" in res.output
    res = run_cli("--seeds", "1", "-o", str(tmp_path / "missing" / "xor.png"))
    assert res.exit_code == 2 and "does not exist" in res.output


@pytest.mark.parametrize("spec", ["sigmoid", "hard_sigmoid", "ultra_fast_sigmoid", "relu",
                                  "gelu", "mish", "elu", "gelu:tanh"])
def test_numba_pair_compiles_and_matches_numpy(spec):
    """The compiled (f, f') must not silently fall back to NumPy for catalog entries."""
    pytest.importorskip("numba")
    (act,) = load_acts([spec])
    assert act.vector_pair() is not None


def test_numba_and_numpy_trainers_agree():
    """One numeric path: both trainers evaluate the activation through actviz.kernels and
    sum in the same order, so losses and outputs agree to 1e-9 (the representative seed too:
    ties at the median are broken by the lowest index, not by rounding)."""
    pytest.importorskip("numba")
    acts = ["sigmoid", "hard_sigmoid", "x*sigmoid(x)"]
    cfg = XorConfig(seeds=8, epochs=1500)
    a = train_xor(acts, cfg, backend="numba")
    b = train_xor(acts, cfg, backend="numpy")
    for ra, rb in zip(a.runs, b.runs):
        assert (ra.backend, rb.backend) == ("numba", "numpy")
        np.testing.assert_allclose(ra.loss, rb.loss, rtol=1e-9, atol=0)
        np.testing.assert_allclose(ra.outputs, rb.outputs, rtol=1e-9, atol=1e-15)
        assert ra.representative == rb.representative
        assert ra.summary["outputs"] == rb.summary["outputs"]


def test_representative_ties_go_to_the_lowest_index():
    from actviz.xor.run import ActRun

    run = ActRun.__new__(ActRun)
    run.loss = np.array([[0.0] * 4, [0.3, 0.1, 0.2 + 1e-17, 0.2]])
    assert run.representative == 2  # median 0.2 (mean of the middle two): both tie


def test_cli_backend_option():
    res = run_cli("--act", "sigmoid", "--seeds", "2", "--epochs", "20", "--backend", "numpy",
                  "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["activations"][0]["backend"] == "numpy"
    res = run_cli("--backend", "gpu")
    assert res.exit_code == 2 and "gpu" in res.output


@pytest.mark.parametrize("spec,loss", [("sigmoid", "bce"), ("hard_sigmoid", "bce"),
                                       ("relu", "mse"), ("tanh", "mse"),
                                       ("ultra_fast_sigmoid", "bce")])
def test_compiled_records_are_the_numpy_ones(spec, loss):
    """The records of the numba trainer's snapshots (compiled) against batch_eval's."""
    pytest.importorskip("numba")
    from actviz.xor.run import _measure

    (act,) = load_acts([spec])
    W1, W2 = init_weights(600, 3, 3, "he", 12.0)  # wide: saturated, clipped and dead units
    S1, S2 = W1.reshape(6, 100, 3, 3), W2.reshape(6, 100, 4)
    ours, ref = _measure(act, S1, S2, loss, act.vector_pair()), _measure(act, S1, S2, loss)
    assert ours.keys() == ref.keys()
    for key in ref:
        pairs = ([(ours[key][k], ref[key][k]) for k in ref[key]] if isinstance(ref[key], dict)
                 else [(ours[key], ref[key])])
        for a, b in pairs:
            assert a.dtype == b.dtype and a.shape == b.shape, key
            # tiny gradient norms are sums that cancel: libm's last bits against NumPy's
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15, err_msg=key)
    assert ref["clipped"].any() or spec not in ("sigmoid", "hard_sigmoid")
