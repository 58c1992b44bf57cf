"""The explore page in a real browser (headless Chromium, every network request blocked):
it loads from file:// with no console error; every catalog entry and variant draws, and its
plotted f, f', f'' agree with actviz.kernels; kinks carry the one-sided values of
actviz.kinks; sliders move f' as the formula says; the URL hash round-trips; a screenshot
is not blank."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest

from actviz import kernels, symbolic
from actviz.explore import build, catalog_keys

from conftest import ALL_SPECS

pytest.importorskip("bokeh")

TOL = 1e-12  # JS (sympy-printed stable forms) vs the NumPy kernels, relative to max(1, |y|)
#              (measured: 1.2e-15 at most, gelu's f)


@pytest.fixture(scope="module")
def full_page(tmp_path_factory):
    """The default page (every catalog entry and variant), without the properties of the
    defaults (the sympy analysis, tested on the small page) to keep the test fast."""
    path = tmp_path_factory.mktemp("explore") / "explore.html"
    build(properties=False).write(str(path))
    return path


@pytest.fixture(scope="module")
def small_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("explore") / "small.html"
    build(["elu", "hard_sigmoid", "x*sigmoid(b*x)"], {"b": "1.702"}, only=True).write(str(path))
    return path


@pytest.fixture(scope="module")
def small(browser, small_page, opened_class):
    """One load of the small page, shared by the tests that go from state to state through
    the hash (a load costs seconds: 3.6 MB of script)."""
    page = opened_class(browser, str(small_page))
    yield page
    page.close()


@pytest.fixture(scope="module")
def drawn(browser, full_page, opened_class):
    """Every entry chosen in the picker in turn: what was plotted and the kinks found."""
    page = opened_class(browser, str(full_page))
    out = page.js("""async keys => { const out = [], ui = actvizExplore.ui();
        for (const k of keys) {
          ui.select.value = k;  // Bokeh runs the callback soon after, not at once
          for (let i = 0; i < 100 && actvizExplore.state().act !== k; i++)
            await new Promise(r => setTimeout(r, 5));
          out.push({key: actvizExplore.state().act, data: actvizExplore.curve(0),
                    kinks: actvizExplore.last().kinks});
        }
        return out; }""", catalog_keys())
    errors = list(page.errors) + [f"blocked: {u}" for u in page.blocked]
    errors += [w for w in page.warnings if "inconsistent lengths" in w]
    page.close()
    return {d["key"]: d for d in out}, errors


def _arrays(data, order):
    x = np.array(data[f"x{order}"], dtype=float)
    y = np.array([np.nan if v is None else v for v in data[f"y{order}"]], dtype=float)
    return x, y


def test_page_is_one_self_contained_file_of_a_few_mb(full_page):
    text = full_page.read_text(encoding="utf-8")
    assert len(text.encode()) < 4_500_000  # measured 3.58 MB
    assert not re.search(r"<script[^>]+src=", text) and "<link" not in text
    assert "bokeh-mathjax" in text  # the formulas' renderer is inlined too


def test_page_loads_offline_without_errors(drawn):
    _, errors = drawn
    assert errors == []


@pytest.mark.parametrize("key", ALL_SPECS)
def test_every_entry_draws_and_agrees_with_the_kernels(drawn, key):
    by_key, _ = drawn
    d = by_key[key]
    assert d["key"] == key
    kink_xs = [k["x"] for k in d["kinks"]]
    for order in range(3):
        x, y = _arrays(d["data"], order)
        keep = ~np.isin(x, kink_xs)
        assert np.isfinite(y[keep]).all(), f"{key}: f^({order}) not finite where it should be"
        ref = (kernels.forward(key, x[keep], backend="numpy") if order == 0 else
               kernels.derivative(key, x[keep], order=order, backend="numpy"))
        err = np.abs(y[keep] - ref) / np.maximum(1.0, np.abs(ref))
        worst = x[keep][err.argmax()]
        assert err.max() <= TOL, f"{key} order {order}: {err.max():.3g} at x = {worst}"
        assert len(x) >= 801 and x[0] <= -5 and x[-1] >= 5


@pytest.mark.parametrize("key", ["hard_sigmoid", "hard_sigmoid:pytorch", "thresholded_relu",
                                 "ultra_fast_sigmoid", "softsign", "elu", "relu6",
                                 "hardshrink"])
def test_kinks_have_the_one_sided_values_of_actviz_kinks(drawn, key):
    from actviz import kinks as kinks_mod

    by_key, _ = drawn
    expected = kinks_mod.find(symbolic.load(key), 2)
    got = by_key[key]["kinks"]
    assert [k["x"] for k in got] == pytest.approx([k.x for k in expected], abs=1e-12)
    for g, e in zip(got, expected):
        assert g["kind"] == e.kind
        for go, eo in zip(g["orders"], e.orders):
            for side in ("left", "right", "value"):
                assert go[side] == pytest.approx(getattr(eo, side), rel=1e-9, abs=1e-9), (
                    f"{key} at {e.x_exact}, order {eo.order}, {side}")
            assert go["jumps"] == eo.jumps


def test_a_jump_is_drawn_with_a_gap(drawn):
    by_key, _ = drawn
    x, y = _arrays(by_key["thresholded_relu"]["data"], 0)
    at = np.flatnonzero(x == 1.0)
    assert len(at) == 3 and y[at[0]] == 0 and np.isnan(y[at[1]])
    assert y[at[2]] == pytest.approx(1, rel=1e-12)  # one-sided limits by extrapolation


def test_slider_changes_fprime_as_the_formula_says(small):
    page = small
    page.show("act=elu&alpha=1")
    assert page.state()["act"] == "elu"
    page.set("slider0", 2.5)
    x, y = _arrays(page.curve(0), 1)
    keep = x != 0
    ref = kernels.derivative("elu", x[keep], alpha="2.5", backend="numpy")
    assert np.abs(y[keep] - ref).max() <= 1e-12
    assert y[(x < 0)][-1] == pytest.approx(2.5 * np.exp(x[x < 0][-1]), rel=1e-12)
    (kink,) = page.js("actvizExplore.last().kinks")
    assert kink["orders"][1] == {"left": pytest.approx(2.5), "right": 1, "value": 2.5,
                                 "jumps": True}  # f'(0) = alpha: the convention
    assert "alpha=2.5" in page.hash()
    # hard_sigmoid: alpha moves the kinks and the f' = 0 regions with them
    page.set("select", "hard_sigmoid")
    page.set("slider0", 0.25)
    last = page.js("actvizExplore.last()")
    assert [k["x"] for k in last["kinks"]] == [-2, 2]
    assert last["flat"] == [[-1e300, -2], [2, 1e300]]
    x, y = _arrays(page.curve(0), 1)
    assert set(y[(x > -2) & (x < 2)]) == {0.25}
    assert page.errors == [] and page.blocked == []


def test_url_state_round_trips(opened, small_page):
    page = opened(str(small_page), "act=elu&alpha=2&show=f,df&with=hard_sigmoid")
    st = page.state()
    assert st["act"] == "elu" and st["params"] == {"alpha": 2} and st["show"] == [0, 1]
    assert st["with"] == ["hard_sigmoid"]
    assert page.js("actvizExplore.ui().sliders[0].value") == 2
    assert page.js("actvizExplore.ui().panels.map(p => p.visible)") == [True, True, False]
    x, y = _arrays(page.curve(1), 0)  # the overlay
    assert np.abs(y - kernels.forward("hard_sigmoid", x, backend="numpy")).max() <= 1e-12
    # moving controls writes the hash; opening that link shows the same state
    page.set("slider0", 0.5)
    page.set("show", [0, 2])
    page.js("actvizExplore.on('pin', null)")
    link = page.hash()
    assert link == "#act=elu&alpha=0.5&show=f,d2f&with=hard_sigmoid,elu(alpha=0.5)"
    again = opened(str(small_page), link[1:])
    assert again.state() == page.state()
    assert again.js("actvizExplore.ui().panels.map(p => p.visible)") == [True, False, True]
    # editing the hash in place (hashchange) applies it too
    again.js("window.location.hash = '#act=hard_sigmoid&alpha=1&beta=0.5'")
    again.page.wait_for_function("actvizExplore.state().act === 'hard_sigmoid'")
    assert [k["x"] for k in again.js("actvizExplore.last().kinks")] == [-0.5, 0.5]
    assert page.errors == [] and again.errors == []


def test_a_bad_link_says_so_and_shows_the_default(small):
    page = small
    page.show("act=nope&with=zzz,elu(alpha=3)&x=4,1")
    st = page.state()
    assert st["act"] == "elu" and st["with"] == ["elu(alpha=3)"] and st["x"] is None
    status = page.js("actvizExplore.ui().status.text")
    assert "unknown activation 'nope'" in status and "unknown overlay 'zzz'" in status
    assert page.errors == []


def test_an_expression_gets_a_slider_and_draws_like_the_kernels(small):
    page = small
    page.show("act=x*sigmoid(b*x)")
    assert page.state()["params"] == {"b": 1.702}
    assert page.js("actvizExplore.ui().sliders[0].title").startswith("b (default 1.702)")
    x, y = _arrays(page.curve(0), 1)
    ref = kernels.derivative("x*sigmoid(b*x)", x, b="1.702", backend="numpy")
    assert np.abs(y - ref).max() <= 1e-12


def test_properties_are_labelled_live_or_defaults(small):
    page = small
    page.show("act=elu&alpha=1")
    props = page.js("actvizExplore.ui().props.text")
    assert "recomputed live on the view" in props and "the catalog defaults" in props
    assert "not the current parameters" not in props
    assert "Lipschitz constant" in props  # from actviz's analysis of the defaults
    page.set("slider0", 2)
    props = page.js("actvizExplore.ui().props.text")
    assert "not the current parameters" in props
    assert re.search(r"max \|f′\| on the view</td><td>2<", props)
    kinks = page.js("actvizExplore.ui().kinks.text")
    assert "convention" in kinks and "f'(0) = alpha" in kinks


def test_formulas_are_typeset_and_the_screenshot_is_not_blank(small):
    import matplotlib.image

    page = small
    page.show("act=hard_sigmoid&alpha=0.2&beta=0.5&show=f,df,d2f")
    page.page.wait_for_timeout(300)
    png = page.page.screenshot()
    img = matplotlib.image.imread(io.BytesIO(png), format="png")[..., :3]
    blue = np.all(np.abs(img - np.array([0x1F, 0x77, 0xB4]) / 255) < 0.02, axis=-1)
    assert blue.sum() > 500  # the current curve, drawn in its colour
    assert len(np.unique((img * 255).astype(int).reshape(-1, 3), axis=0)) > 50
    typeset = page.js("""() => { const seen = [];
        const walk = n => { if (!n) return; if (n.tagName && n.tagName.toLowerCase()
          .startsWith('mjx')) seen.push(n.tagName); n.shadowRoot && walk(n.shadowRoot);
          for (const c of n.children || []) walk(c); };
        walk(document.body); return seen.length; }""")
    assert typeset > 0  # MathJax rendered the formulas
    assert page.errors == []


def test_the_notebook_display_is_one_page_in_a_frame(browser, tmp_path):
    """In a notebook the page sits in an iframe (srcdoc): it draws there and never navigates
    (about:srcdoc has no URL to share; a hash navigation would load the notebook into it)."""
    page = build(["elu"], only=True)
    parent = tmp_path / "notebook.html"
    parent.write_text("<html><body><h1>notebook</h1>" + page._repr_html_() + "</body></html>",
                      encoding="utf-8")
    tab = browser.new_page()
    errors = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "about:"))
              else r.abort())
    tab.goto(f"file://{parent}")
    tab.wait_for_function("document.querySelector('iframe').contentWindow.actvizExplore"
                          " && document.querySelector('iframe').contentWindow.actvizExplore.last()",
                          timeout=30000)
    frame = tab.frames[1]
    frame.evaluate("actvizExplore.ui().sliders[0].value = 3")
    frame.wait_for_function("actvizExplore.state().params.alpha === 3")
    assert len(tab.frames) == 2 and frame.url == "about:srcdoc"
    x = np.array(frame.evaluate("actvizExplore.curve(0).x1"))
    y = np.array(frame.evaluate("actvizExplore.curve(0).y1"))
    assert np.abs(y[x != 0] - kernels.derivative("elu", x[x != 0], alpha="3",
                                                  backend="numpy")).max() <= 1e-12
    assert errors == []
    tab.close()
