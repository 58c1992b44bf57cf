"""What the figures show: legends, markers, hatches, panels (issue 12's figure items)."""

from __future__ import annotations

import pytest

pytest.importorskip("matplotlib")


def _load(*specs, params=None):
    from actviz import symbolic

    return symbolic.load_all(specs, params or {})


def _legend_labels(ax):
    leg = ax.get_legend()
    return [] if leg is None else [t.get_text() for t in leg.get_texts()]


def test_single_curve_has_no_curve_legend():
    from actviz.figures import functions

    fig = functions.plot(_load("silu"), orders=1, points=101)
    labels = _legend_labels(fig.axes[0])
    assert "silu" not in labels  # the title names it
    assert "minimum" in labels and "inflection point" in labels


def test_several_curves_are_named_in_a_legend_outside_the_axes():
    from actviz.figures import functions

    fig = functions.plot(_load("silu", params={"alpha": ["0.5", "1", "2"]}), orders=0,
                         points=101)
    labels = _legend_labels(fig.axes[0])
    assert labels[:3] == ["silu (alpha=0.5)", "silu (alpha=1)", "silu (alpha=2)"]
    anchor = fig.axes[0].get_legend().get_bbox_to_anchor()._bbox
    assert anchor.x0 > 1.0  # right of the panel: off the curves


def test_minimum_and_inflections_are_marked_where_they_are():
    import numpy as np

    from actviz.figures import functions
    from actviz.figures.functions import MARKERS

    (mish,) = _load("mish")
    fig = functions.plot([mish], orders=0, x_range=(-6, 4), points=101)
    marks = {}
    for line in fig.axes[0].lines:
        if line.get_marker() in MARKERS.values() and len(line.get_xdata()) == 1:
            marks.setdefault(line.get_marker(), []).append(float(line.get_xdata()[0]))
    assert marks[MARKERS["min"]] == [pytest.approx(-1.19237, abs=1e-4)]  # mish's minimum
    xs = np.array(sorted(marks[MARKERS["inflection"]]))
    assert len(xs) == 2 and xs[0] < -1.19237 < xs[1]


def test_overlapping_zero_gradient_regions_get_one_hatch_each():
    from matplotlib.patches import Polygon, Rectangle

    from actviz.figures import functions

    fig = functions.plot(_load("relu", "hard_sigmoid"), orders=0, points=101)
    spans = [p for p in fig.axes[0].patches if isinstance(p, (Polygon, Rectangle))
             and p.get_hatch()]
    hatches = {p.get_hatch() for p in spans}
    assert len(hatches) == 2  # relu's (-inf, 0] and hard_sigmoid's tails, told apart
    assert all(p.get_facecolor()[3] == 0 for p in spans)  # no blended fill


def test_vs_figure_has_an_error_panel_under_each_order():
    from actviz.figures import compare

    funcs, (ref,) = _load("gelu:tanh"), _load("gelu")
    fig, comparisons = compare.plot_vs(funcs, ref, 2, (-4, 4), points=201)
    main = [ax for ax in fig.axes if ax.get_ylabel() in ("error",)]
    assert len(main) == 3
    assert len(comparisons[0].errors) == 3
    assert comparisons[0].errors[0].max_abs == pytest.approx(4.73e-4, rel=0.01)


@pytest.mark.parametrize("acts", [("hard_sigmoid",), ("sigmoid", "hard_sigmoid")])
def test_xor_figure_no_empty_panel_and_title_clear_of_labels(acts):
    from actviz.figures import xor as xor_fig
    from actviz.xor import XorConfig, train_xor

    result = train_xor(list(acts), XorConfig(seeds=2, epochs=30), backend="numpy")
    fig = xor_fig.draw(result)
    fig.canvas.draw()
    assert len(fig.axes) - sum(1 for ax in fig.axes if ax.get_label() == "<colorbar>") \
        >= 2 + 2 * len(acts) - 0
    for ax in fig.axes:
        assert ax.has_data(), ax.get_title()  # no empty panel
    renderer = fig.canvas.get_renderer()
    title = fig._suptitle.get_window_extent(renderer)
    for ax in fig.axes:
        for text in (ax.title, ax.xaxis.label, ax.yaxis.label):
            if text.get_text():
                assert not title.overlaps(text.get_window_extent(renderer)), text.get_text()


def test_plot_labels_are_plain_text_without_mathtext():
    """The function panels' labels are Unicode text: matplotlib builds its mathtext parser
    (0.1 s) only for a "$...$" string, and ``actviz plot`` then never needs it."""
    import io

    from actviz.figures import functions

    fig = functions.plot(_load("hard_sigmoid"), orders=4, points=101)
    labels = [ax.get_ylabel() for ax in fig.axes] + [fig.axes[-1].get_xlabel()]
    assert labels == ["f(x)", "f′(x)", "f″(x)", "f‴(x)", "f⁽⁴⁾(x)", "x"]
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert "f′(x) = 0" in _legend_labels(fig.axes[0])
    assert not any("$" in t for t in texts), [t for t in texts if "$" in t]
    fig.savefig(io.BytesIO(), format="png")


def _figure(kind):
    """A small figure of each drawing module (the analyses at cheap settings)."""
    if kind == "functions":
        from actviz.figures import functions

        return functions.plot(_load("hard_sigmoid", "mish"), orders=2, points=101)
    if kind == "compare":
        from actviz.figures import compare

        return compare.plot_vs(_load("sigmoid"), _load("hard_sigmoid")[0], 2, (-8, 8),
                               points=201)[0]
    if kind == "xor":
        from actviz.figures import xor as xor_fig
        from actviz.xor import XorConfig, train_xor

        return xor_fig.draw(train_xor(["sigmoid", "hard_sigmoid"],
                                      XorConfig(seeds=2, epochs=30), backend="numpy"))
    if kind == "constraint":
        from actviz.constraint import analyse
        from actviz.figures import constraint

        return constraint.draw(analyse(grid=5, use_cache=False))
    if kind == "stability":
        from actviz import stability, symbolic
        from actviz.figures.stability import draw

        return draw(stability.scan(symbolic.load("softplus"), ["float16"], (-20, 20)))
    if kind == "signal":
        from actviz.figures import meanfield
        from actviz.meanfield import SignalConfig, figure_data, run_signal

        result = run_signal(["tanh"], SignalConfig(init="eoc", simulate=False))
        return meanfield.draw(result, [figure_data(r) for r in result.results])
    if kind == "approx":  # the figure draws a result's dict: three made-up rows
        from actviz.figures import approx

        rows = [{"label": f"poly{k}", "cost_ns": 0.2 * k, "operations": 4 * k,
                 "max_abs_error": 10.0 ** -k} for k in (1, 2, 3)]
        return approx.draw({"target": "sigmoid", "range": [-8, 8], "results": rows[:2],
                            "compare": rows[2:], "target_cost_ns": 0.5,
                            "target_operations": 4, "machine": "test"})
    if kind == "bench":
        import json

        from actviz.figures import bench
        from actviz.gallery.analyses import BENCH_JSON

        with open(BENCH_JSON, encoding="utf-8") as fh:
            return bench.draw(json.load(fh))
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["functions", "compare", "xor", "constraint", "stability",
                                  "signal", "approx", "bench"])
def test_figures_draw_no_mathtext(kind, monkeypatch):
    """Every figure's text, tick labels of log and symlog axes included, is plain Unicode
    (10⁻³, x², √5): the first mathtext string of a process builds matplotlib's mathtext
    parser (0.1 s), so no command should need it."""
    import io

    import matplotlib.mathtext

    def refuse(self, s, *args, **kwargs):
        raise AssertionError(f"mathtext drawn: {s!r}")

    monkeypatch.setattr(matplotlib.mathtext.MathTextParser, "parse", refuse)
    fig = _figure(kind)
    fig.savefig(io.BytesIO(), format="png", dpi=40)
    from matplotlib.text import Text

    texts = [t.get_text() for t in fig.findobj(Text)]
    assert not any("$" in t for t in texts), [t for t in texts if "$" in t]


def test_log_tick_labels_are_unicode_powers():
    from actviz.figures.ticks import power_label

    assert [power_label(v) for v in (1e-3, 2e-3, 1.0, 10.0, 300.0, -100.0, 0.0)] == [
        "10⁻³", "2×10⁻³", "10⁰", "10¹", "3×10²", "−10²", "0"]


def test_vs_a_reference_that_is_zero_has_no_relative_error():
    """hard_sigmoid'' is 0 on the range: the relative error of sigmoid'' against it is
    undefined, not 1e298 (an error divided by a floor of 1e-300)."""
    from actviz.compare import compare

    (func,), (ref,) = _load("sigmoid"), _load("hard_sigmoid")
    c = compare(func, ref, 2, (-8.0, 8.0))
    assert c.errors[1].max_rel == pytest.approx(0.6495, rel=1e-3)
    last = c.errors[2]
    assert last.max_rel is None and last.x_rel is None
    assert last.max_abs == pytest.approx(0.09623, rel=1e-3)
    assert c.to_dict()["errors"][2]["max_rel_error"] is None
    assert c.lines()[-1].endswith("no relative error (hard_sigmoid's f''(x) = 0)")


def test_a_flat_maximum_at_zero_is_reported_at_zero():
    """silu(alpha=0.5)'' - silu'' is largest at x = 0 (by symmetry) and flat there: the
    grid point 0 is reported, not Brent's last step 1e-9 away (which adds only rounding);
    where the refinement gains more, it is kept (gelu:tanh's ±2.699)."""
    from actviz.compare import compare

    (half,), (ref,) = _load("silu", params={"alpha": "0.5"}), _load("silu")
    last = compare(half, ref, 2, (-8.0, 8.0)).errors[2]
    assert last.x_abs == 0.0 and not last.symmetric
    assert last.max_abs == pytest.approx(0.25, rel=1e-12)
    (tanh_form,), (gelu,) = _load("gelu:tanh"), _load("gelu")
    first = compare(tanh_form, gelu, 0, (-8.0, 8.0)).errors[0]
    assert first.symmetric and abs(first.x_abs) == pytest.approx(2.699, abs=5e-4)
    import numpy as np

    assert abs(first.x_abs) not in set(np.linspace(-8.0, 8.0, 100_001).tolist())
