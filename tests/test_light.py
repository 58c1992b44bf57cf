"""actviz.light and the plot's cached marks: the same answers as the sympy path, without sympy."""

import os
import subprocess
import sys

import numpy as np
import pytest

from actviz import cache, light, symbolic
from actviz.figures import marks

from conftest import ALL_SPECS

SPECS = ["mish", "hard_sigmoid", "relu", "thresholded_relu", "gelu:tanh", "elu", "selu"]


@pytest.mark.parametrize("spec", ALL_SPECS)
def test_catalog_function_is_the_symbolic_one(spec):
    lf = light.CatalogFunction(spec)
    sf = symbolic.load(spec)
    assert (lf.name, lf.params, lf.label) == (sf.name, sf.params, sf.label)
    assert cache.identity(lf) == cache.identity(sf)
    x = np.linspace(-7.0, 7.0, 1401)
    # at a kink the float of the point may lie on either side of the exact one: the kernels
    # decide by the exact point, sympy's floats by the rounded one; the plot draws one-sided
    # limits there (from the kinks), not values
    ks = [k.x for k in marks.kinks_and_flats(sf, 2)[0]]
    x = x[np.all(np.abs(x[:, None] - np.array(ks + [np.inf])[None, :]) > 1e-9, axis=1)]
    for order in range(3):
        got, want = lf.numpy(order)(x), sf.numpy(order)(x)
        ok = np.isclose(got, want, rtol=1e-12, atol=1e-14) | (np.isnan(got) & np.isnan(want))
        assert ok.all(), (spec, order, x[~ok][:3], got[~ok][:3], want[~ok][:3])


def test_families_and_parameters_follow_the_one_rule():
    lfs = light.load_all(["silu", "elu"], {"alpha": ["0.5", "2"]})
    sfs = symbolic.load_all(["silu", "elu"], {"alpha": ["0.5", "2"]})
    assert [f.label for f in lfs] == [f.label for f in sfs]
    assert [cache.identity(f) for f in lfs] == [cache.identity(f) for f in sfs]
    assert light.all_catalog(["mish", "hard_sigmoid:pytorch"])
    assert not light.all_catalog(["mish", "x*sigmoid(x)"])


def test_higher_orders_and_renderings_come_from_sympy():
    lf, sf = light.CatalogFunction("mish"), symbolic.load("mish")
    x = np.linspace(-3, 3, 61)
    np.testing.assert_allclose(lf.numpy(3)(x), sf.numpy(3)(x), rtol=1e-12)
    assert lf.render(1, "line") == sf.render(1, "line") == lf.render(1, "line")


@pytest.mark.parametrize("spec", SPECS)
def test_cached_marks_are_the_fresh_ones(spec):
    fresh = marks.kinks_and_flats(symbolic.load(spec), 2, use_cache=False)
    first = marks.kinks_and_flats(light.CatalogFunction(spec), 2)
    again = marks.kinks_and_flats(light.CatalogFunction(spec), 2)
    assert fresh == first == again
    crit = marks.critical_points(symbolic.load(spec), fresh[0], (-6.0, 6.0), use_cache=False)
    assert crit == marks.critical_points(light.CatalogFunction(spec), fresh[0], (-6.0, 6.0)) \
        == marks.critical_points(light.CatalogFunction(spec), fresh[0], (-6.0, 6.0))


@pytest.mark.parametrize("args", [["hard_sigmoid", "relu", "-d", "1"],
                                  ["hard_sigmoid", "gelu:tanh", "--vs", "sigmoid", "-d", "2"]])
def test_a_cached_plot_imports_no_sympy_and_draws_the_same_file(tmp_path, args):
    """Also with --vs: the comparison evaluates catalog entries through the kernels and
    takes the kinks from the cached marks (its printed errors are the same each time)."""
    env = dict(os.environ, ACTVIZ_CACHE_DIR=str(tmp_path / "cache"), MPLBACKEND="Agg")
    code = ("import sys\nfrom actviz.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('sympy' in sys.modules, 'mpmath' in sys.modules)\n")
    outs, texts = [], []
    for name, extra in (("a.png", []), ("b.png", []), ("c.png", ["--no-cache"])):
        r = subprocess.run([sys.executable, "-c", code, "plot", *args,
                            "-o", str(tmp_path / name), *extra], env=env, capture_output=True,
                           text=True, check=True)
        outs.append(r.stdout.split()[-2:])
        texts.append(r.stdout.split("wrote")[0])
    assert outs[0] == ["True", "True"]  # the first run computes the marks with sympy
    assert outs[1] == ["False", "False"]  # the second reads them back
    assert texts[0] == texts[1] == texts[2]
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes() \
        == (tmp_path / "c.png").read_bytes()


@pytest.mark.parametrize("spec,params", [("hard_sigmoid", {"alpha": "0"}),
                                         ("hardtanh", {"min_val": "2", "max_val": "1"})])
def test_parameters_the_kernels_refuse_are_evaluated_by_sympy(spec, params):
    lf, sf = light.CatalogFunction(spec, params), symbolic.load(spec, params)
    x = np.linspace(-4.0, 4.0, 81)
    for order in range(3):
        np.testing.assert_array_equal(lf.numpy(order)(x), sf.numpy(order)(x))
