"""The notebook API: actviz.load and its displays (short repr, LaTeX, the HTML card), .plot
without touching the user's matplotlib session, .explore, the result cards of the analyses,
and examples/tour.ipynb run top to bottom."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import actviz
from actviz.cards import HtmlRepr, html_card

from conftest import ALL_SPECS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("spec", ALL_SPECS)
def test_repr_is_one_short_line(spec):
    r = repr(actviz.load(spec))
    assert "\n" not in r and len(r) <= 130 and r.startswith("<Activation " + spec)


def test_load_takes_exact_keyword_parameters():
    from fractions import Fraction

    f = actviz.load("hard_sigmoid", alpha=Fraction(1, 6), beta=0.5)
    assert f.params == {"alpha": "1/6", "beta": "0.5"}
    assert f.label == "hard_sigmoid (alpha=1/6)"
    g = actviz.load("x*sigmoid(b*x)")
    assert g.free == ("b",) and "free parameters" in g._repr_html_()
    with pytest.raises(actviz.ActvizError, match="no parameter 'gamma'"):
        actviz.load("elu", gamma=1)


def test_latex_has_f_and_two_derivatives():
    tex = actviz.load("elu", alpha=2)._repr_latex_()
    assert tex.startswith("$\\begin{aligned}") and tex.endswith("\\end{aligned}$")
    assert tex.count("&=") == 3 and "f''(x)" in tex


def test_html_card_has_formulas_properties_kinks_and_convention():
    import html

    card = html.unescape(actviz.load("elu", alpha=2)._repr_html_())
    for text in ("elu (alpha=2)", "$$f(x) = ", "Lipschitz constant", "kink", "convention",
                 "f'(0) = alpha", "2 / 1 / 2  (jumps)"):
        assert text in card, text


PLOT_SCRIPT = r"""
import sys, matplotlib
matplotlib.use("svg")
matplotlib.rcParams["font.size"] = 13
import actviz
fig = actviz.load("hard_sigmoid").plot(derivatives=2)
from matplotlib.figure import Figure
assert isinstance(fig, Figure) and len(fig.axes) == 3, fig
assert fig.axes[0].yaxis.label.get_fontsize() == 9  # actviz's style, while drawing
assert matplotlib.get_backend() == "svg", matplotlib.get_backend()
assert matplotlib.rcParams["font.size"] == 13
assert "matplotlib.pyplot" not in sys.modules
import matplotlib.pyplot as plt
fig2, ax = plt.subplots()
out = actviz.load("mish").plot(derivatives=1, ax=ax)
assert out is fig2 and len(ax.lines) == 2 and plt.get_fignums() == [1]
print("ok")
"""


def test_plot_leaves_the_users_backend_and_style_alone():
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    r = subprocess.run([sys.executable, "-c", PLOT_SCRIPT], capture_output=True, text=True,
                       env=env, cwd=ROOT, timeout=120)
    assert r.returncode == 0 and r.stdout == "ok\n", r.stderr


def test_plot_into_one_axes_per_order():
    from matplotlib.figure import Figure

    fig = Figure()
    axes = fig.subplots(3, 1)
    assert actviz.load("relu").plot(2, ax=axes) is fig
    assert [len(a.lines) for a in axes] == [2, 2, 2]  # the curve and the kink's dotted line
    with pytest.raises(actviz.ActvizError, match="one Axes or 3"):
        actviz.load("relu").plot(2, ax=list(axes[:2]))


def test_explore_returns_the_page_of_that_function():
    pytest.importorskip("bokeh")
    page = actviz.load("elu", alpha=2).explore()
    assert page.keys == ["elu"] and page.data["initial"]["params"] == {"alpha": 2.0}
    frame = page._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and "&lt;script" in frame


def test_html_card_renders_any_result_dictionary():
    data = {"name": "x", "ok": True, "err": 1.23456789e-7, "inf": "inf", "none": None,
            "list": list(range(20)), "grid": [[0, 1], [2, 3], [4, 5]],
            "rows": [{"a": 1, "b": 2.5}, {"a": 3, "c": "<b>"}], "nested": {"deep": {"x": 1}}}
    card = html_card("A <title>", data, subtitle="sub")
    assert "A &lt;title&gt;" in card and "sub" in card
    assert "1.23457e-07" in card and "∞" in card and "—" in card and "yes" in card
    assert "… (20 in all)" in card and "3×2 array" in card and "&lt;b&gt;" in card
    assert card.count("<table") == 4  # data, rows, nested, deep


def test_every_analysis_result_has_a_card():
    from actviz.constraint import ConstraintResult
    from actviz.stability import StabilityResult
    from actviz.xor import XorConfig, XorResult, train_xor

    for cls in (XorResult, ConstraintResult, StabilityResult):
        assert issubclass(cls, HtmlRepr) and hasattr(cls, "to_dict")
    r = train_xor(["sigmoid", "hard_sigmoid"], XorConfig(seeds=2, epochs=20))
    card = r._repr_html_()
    assert "train-xor: sigmoid, hard_sigmoid" in card and "success_rate" in card
    s = StabilityResult("mish", "mish", 0, (-1.0, 1.0), 1e-3, "numpy", "mpmath")
    assert "stability: mish, order 0" in s._repr_html_()


def test_the_example_notebook_runs_top_to_bottom(monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("ipykernel")
    pytest.importorskip("bokeh")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's own (inline) backend
    nb = nbformat.read(os.path.join(ROOT, "examples", "tour.ipynb"), as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")  # committed clean
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": ROOT}}).execute()
    outputs = [c.outputs for c in nb.cells if c.cell_type == "code"]
    kinds = [{k for o in out for k in o.get("data", {})} for out in outputs]
    assert not any(o.output_type == "error" for out in outputs for o in out)
    assert "text/html" in kinds[0] and "text/latex" in kinds[1]
    pngs = [i for i, k in enumerate(kinds) if "image/png" in k]
    assert len(pngs) >= 3  # actviz's figure, then the user's own plot still shows
