import pytest

from actviz import catalog
from actviz.errors import ActvizError

from conftest import ALL_SPECS, NAMES

ORIGIN = ["hard_sigmoid", "thresholded_relu", "softsign", "mish", "sigmoid", "ultra_fast_sigmoid"]
FAMILY = ["relu", "leaky_relu", "elu", "selu", "celu", "gelu", "silu", "tanh", "softplus",
          "hardswish", "hardtanh", "relu6", "hardshrink", "softshrink", "log_sigmoid"]


def test_catalog_has_the_required_entries():
    assert set(ORIGIN + FAMILY) <= set(NAMES)
    assert len(NAMES) >= 22
    assert len(set(NAMES)) == len(NAMES)


def test_catalog_import_is_light():
    import subprocess
    import sys

    code = ("import sys, actviz.catalog; "
            "print(any(m in sys.modules for m in ('numpy', 'sympy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("alias,name", [
    ("hardsigmoid", "hard_sigmoid"), ("HardSigmoid", "hard_sigmoid"), ("swish", "silu"),
    ("hard_swish", "hardswish"), ("logsigmoid", "log_sigmoid"), ("ReLU6", "relu6"),
    ("hard-sigmoid", "hard_sigmoid"), ("hard_tanh", "hardtanh"),
])
def test_aliases(alias, name):
    assert catalog.get(alias).name == name


@pytest.mark.parametrize("spec,alpha", [
    ("hard_sigmoid", "0.2"), ("hard_sigmoid:pytorch", "1/6"), ("hard_sigmoid:jax", "1/6"),
    ("hard_sigmoid:keras3", "1/6"), ("hard_sigmoid:keras2", "0.2"), ("hard_sigmoid:theano", "0.2"),
    ("hard_sigmoid:bnn", "1/2"),
])
def test_hard_sigmoid_variants(spec, alpha):
    r = catalog.resolve(spec)
    assert r.params["alpha"] == alpha and r.params["beta"] == "0.5"


def test_onnx_defaults():
    assert catalog.get("hardswish").defaults() == {"alpha": "1/6", "beta": "0.5"}
    assert catalog.get("thresholded_relu").defaults() == {"alpha": "1.0"}
    assert catalog.get("leaky_relu").defaults() == {"alpha": "0.01"}
    selu = catalog.get("selu").defaults()
    assert float(selu["alpha"]) == pytest.approx(1.6732632, rel=1e-7)
    assert float(selu["gamma"]) == pytest.approx(1.0507010, rel=1e-7)


def test_user_params_override_variant_presets():
    r = catalog.resolve("hard_sigmoid:pytorch", {"beta": "0.25"})
    assert r.params == {"alpha": "1/6", "beta": "0.25"}
    assert r.label == "hard_sigmoid:pytorch (beta=0.25)"


@pytest.mark.parametrize("spec,params,message", [
    ("hard_sigmod", {}, "did you mean hard_sigmoid"),
    ("hard_sigmoid:pytorc", {}, "no variant 'pytorc'"),
    ("hard_sigmoid", {"gamma": "1"}, "no parameter 'gamma'"),
    ("hard_sigmoid", {"alpha": "abc"}, "not a finite number"),
    ("hard_sigmoid", {"alpha": "1/0"}, "division by zero"),
    ("hard_sigmoid", {"alpha": "1e400"}, "out of range"),
    ("hard_sigmoid", {"alpha": "1e-400"}, "out of range"),
    ("hard_sigmoid", {"alpha": "1e100000000"}, "exponent too large"),
    ("elu", {"alpha": "inf"}, "not a finite number"),
])
def test_resolve_errors(spec, params, message):
    with pytest.raises(ActvizError, match=message):
        catalog.resolve(spec, params)


def test_every_spec_resolves(spec):
    r = catalog.resolve(spec)
    assert r.name == spec
    assert set(r.params) == set(r.entry.param_names)


def test_specs_cover_every_variant():
    assert len(ALL_SPECS) == len(NAMES) + sum(len(e.variants) for e in catalog.ENTRIES)
