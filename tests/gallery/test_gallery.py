import os

import pytest

from actviz import catalog, gallery
from actviz.gallery import index as gallery_index

from conftest import run_cli

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_items_cover_the_catalog_and_the_analyses():
    keys = [it.key for it in gallery.items()]
    assert len(keys) == len(set(keys))
    for name in catalog.names():
        assert f"functions/{name}" in keys
    for key in ("overlays/hard_sigmoid_conventions", "overlays/sigmoid_approximations",
                "overlays/gelu_erf_vs_tanh", "xor/train_xor", "constraint/optimize_constraint"):
        assert key in keys


def test_committed_index_covers_every_catalog_entry():
    with open(os.path.join(ROOT, "gallery", "README.md"), encoding="utf-8") as fh:
        text = fh.read()
    assert gallery_index.covered_names(text) == set(catalog.names())
    for it in gallery.items():
        assert f"]({it.path})" in text, it.key
        assert os.path.exists(os.path.join(ROOT, "gallery", it.path)), it.path


def test_gallery_subset_into_a_temporary_folder(tmp_path):
    out = tmp_path / "g"
    r = run_cli(["gallery", "--out", str(out), "--only", "relu6", "--only", "gelu_erf_vs_tanh",
                 "--no-index", "-q"])
    assert r.exit_code == 0, r.output
    files = sorted(os.path.relpath(os.path.join(d, f), out)
                   for d, _, fs in os.walk(out) for f in fs)
    assert files == ["functions/relu6.svg", "overlays/gelu_erf_vs_tanh.svg"]
    assert "2 files" in r.output
    first = (out / "functions" / "relu6.svg").read_bytes()
    assert run_cli(["gallery", "--out", str(out), "--only", "functions/relu6", "--no-index",
                    "-q"]).exit_code == 0
    assert (out / "functions" / "relu6.svg").read_bytes() == first  # deterministic


def test_index_section_has_formulas_properties_and_convention():
    from actviz import symbolic
    from actviz.describe import describe

    lines = gallery_index.activation_section(describe(symbolic.load("hard_sigmoid")))
    text = "\n".join(lines)
    assert "![hard_sigmoid](functions/hard_sigmoid.svg)" in text
    assert text.count("$$") == 6
    assert "convention at kinks" in text and "(−∞, -2.5] ∪ [2.5, ∞)" in text


@pytest.mark.parametrize("args,message", [
    (["gallery", "--only", "no_such_picture"], "no gallery picture matches"),
])
def test_gallery_bad_input(args, message, tmp_path):
    r = run_cli(args + ["--out", str(tmp_path / "g")])
    assert r.exit_code == 2 and message in r.stderr
