"""The page: a Bokeh document (widgets, three panels f, f', f'') whose CustomJS callbacks
run ``mathlib.js``, ``numerics.js`` and ``page.js`` over the data of :mod:`.spec`, saved as
one standalone HTML file with every script inlined (``bokeh.resources.INLINE``), so it works
from ``file://`` with no network.

Bokeh (not Plotly) because its standalone output is a documented, maintained path with
CustomJS callbacks that can set any model property (slider bounds, legend items, panel
visibility), its own math rendering (MathJax, bundled) for the formulas, and glyphs for
exactly what the figures show (VSpan for kinks, VStrip for f' = 0 regions); the inlined
page is about 3.6 MB (measured by the tests).
"""

from __future__ import annotations

import json
import os

MAX_OVERLAYS = 7  # curves drawn besides the current one
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
          "#17becf"]
HATCHES = ["/", "\\", ".", "x", "+", "-", "|", "o"]
ORDER_TITLES = ["f(x)", "f\u2032(x)", "f\u2033(x)"]
CSS = """
<style>
body { font-family: system-ui, sans-serif; margin: 12px; }
.actviz-table { border-collapse: collapse; font-size: 12px; }
.actviz-table td, .actviz-table th { border-bottom: 1px solid #ddd; padding: 2px 8px;
  text-align: left; vertical-align: top; }
.actviz-formula { font-size: 13px; overflow-x: auto; }
</style>
"""


def script(name: str) -> str:
    with open(os.path.join(os.path.dirname(__file__), name), encoding="utf-8") as fh:
        return fh.read()


def document(data: dict):
    """The Bokeh Document of the page for ``data`` (entries and the initial state)."""
    from bokeh.document import Document
    from bokeh.layouts import column, row
    from bokeh.models import (
        Button,
        CheckboxButtonGroup,
        ColumnDataSource,
        CustomJS,
        DataRange1d,
        Div,
        HoverTool,
        Legend,
        LegendItem,
        MultiChoice,
        Range1d,
        Select,
        Slider,
    )
    from bokeh.plotting import figure

    entries = data["entries"]
    first = next(e for e in entries if e["key"] == data["initial"]["act"])
    n_sliders = max([len(e["params"]) for e in entries] + [1])
    keys = [e["key"] for e in entries]
    select = Select(name="act", title="activation", value=first["key"], options=keys)
    sliders = [Slider(name=f"param{i}", title="", start=0, end=1, value=0, step=0.01,
                      format="0[.]0[000]", visible=False, sizing_mode="stretch_width")
               for i in range(n_sliders)]
    reset = Button(name="reset", label="reset parameters")
    show = CheckboxButtonGroup(name="show", labels=["f", "f\u2032", "f\u2033"], active=[0, 1, 2])
    overlay = MultiChoice(name="with", title="overlays (at their defaults, or pinned)",
                          options=keys, value=[], sizing_mode="stretch_width")
    pin = Button(name="pin", label="pin the current curve as an overlay")
    title = Div(name="title", text="")
    status = Div(name="status", text="")
    formula = Div(name="formula", text=_formulas(first), sizing_mode="stretch_width")
    kinks_div = Div(name="kinks", text="", sizing_mode="stretch_width")
    props = Div(name="props", text="", sizing_mode="stretch_width")
    view = data["initial"].get("x") or first["view"]
    x_range = Range1d(*view, name="x_range")
    # one source per curve and order (a jump adds 3 points to one order, 1 to another)
    curves = [[ColumnDataSource({"x": [], "y": []}, name=f"curve{i}_{k}") for k in range(3)]
              for i in range(MAX_OVERLAYS + 1)]
    spans = ColumnDataSource({"x": [], "color": []}, name="spans")
    flat = ColumnDataSource({"x0": [], "x1": [], "color": [], "hatch": []}, name="flat")
    opens = [ColumnDataSource({"x": [], "y": [], "c": []}, name=f"open{k}") for k in range(3)]
    values = [ColumnDataSource({"x": [], "y": [], "c": []}, name=f"value{k}") for k in range(3)]
    crit = ColumnDataSource({"x": [], "y": [], "marker": []}, name="crit")
    panels, renderers = [], [[] for _ in curves]
    for k in range(3):
        lines = []
        p = figure(name=f"panel{k}", x_range=x_range, height=230, sizing_mode="stretch_width",
                   tools="pan,wheel_zoom,box_zoom,reset,save", active_scroll="wheel_zoom",
                   y_axis_label=ORDER_TITLES[k], x_axis_label="x" if k == 2 else None)
        p.vstrip(x0="x0", x1="x1", source=flat, fill_color="color", fill_alpha=0.05,
                 hatch_pattern="hatch", hatch_color="color", hatch_alpha=0.25, hatch_scale=14,
                 hatch_weight=0.7, line_alpha=0)
        p.vspan(x="x", source=spans, line_color="#595959", line_dash="dotted", line_width=1)
        for i, srcs in enumerate(curves):
            r = p.line("x", "y", source=srcs[k], color=COLORS[i % len(COLORS)],
                       line_width=2 if i == 0 else 1.6, line_dash="solid" if i == 0 else "dashed")
            renderers[i].append(r)
            lines.append(r)
        dots = [p.scatter("x", "y", source=opens[k], size=8, fill_color="white",
                          line_color="c", line_width=1.5),
                p.scatter("x", "y", source=values[k], size=6, color="c")]
        if k == 0:
            dots.append(p.scatter("x", "y", source=crit, marker="marker", size=9,
                                  fill_color="white", line_color="black"))
        p.y_range = DataRange1d(renderers=lines + dots, range_padding=0.08)
        p.add_tools(HoverTool(renderers=lines, tooltips=[("x", "$x"), (ORDER_TITLES[k], "$y")]))
        p.toolbar.logo = None
        panels.append(p)
    legend = Legend(items=[LegendItem(label="", renderers=[renderers[i][0]], visible=False)
                           for i in range(len(curves))], location="top_left",
                    background_fill_alpha=0.7, click_policy="hide")
    panels[0].add_layout(legend)
    ui = {"select": select, "sliders": sliders, "reset": reset, "show": show,
          "overlay": overlay, "pin": pin, "title": title, "status": status,
          "formula": formula, "kinks": kinks_div, "props": props, "x_range": x_range,
          "curves": curves, "spans": spans, "flat": flat, "opens": opens, "values": values,
          "crit": crit,
          "panels": panels, "renderers": renderers, "legend": legend}
    payload = dict(data, colors=COLORS, hatches=HATCHES, max_overlays=MAX_OVERLAYS)
    lib = script("mathlib.js").replace("if (typeof module", "if (false && typeof module")
    code = (lib + "\n" + script("numerics.js") + "\n" + script("page.js")
            + "\nwindow.actvizExplore = actvizExplore;"
            "\nactvizExplore.init(ui, text);")
    boot = CustomJS(args={"ui": ui, "text": json.dumps(payload, allow_nan=False)}, code=code,
                    module=False)

    def call(what):
        return CustomJS(code=f"if (window.actvizExplore) window.actvizExplore.on({what!r}, "
                             "cb_obj);", module=False)

    select.js_on_change("value", call("select"))
    for s in sliders:
        s.js_on_change("value", call("slider"))
    reset.js_on_event("button_click", call("reset"))
    show.js_on_change("active", call("show"))
    overlay.js_on_change("value", call("overlay"))
    pin.js_on_event("button_click", call("pin"))
    x_range.js_on_change("start", call("range"))
    x_range.js_on_change("end", call("range"))
    controls = column(select, *sliders, reset, show, overlay, pin, status, width=330)
    main = column(title, *panels, formula, kinks_div, props, sizing_mode="stretch_width")
    doc = Document()
    doc.add_root(row(controls, main, sizing_mode="stretch_width"))
    doc.js_on_event("document_ready", boot)
    doc.title = "actviz explore"
    return doc


def _formulas(e: dict) -> str:
    names = ["f(x)", "f'(x)", "f''(x)"]
    return "<div class='actviz-formula'>" + "".join(
        f"<div>$${n} = {t}$$</div>" for n, t in zip(names, e["latex"])) + "</div>"


def html(data: dict) -> str:
    """The standalone HTML text of the page (every script inlined)."""
    from bokeh.embed import file_html
    from bokeh.resources import INLINE

    text = file_html(document(data), INLINE, title="actviz explore")
    head, sep, body = text.rpartition("</head>")  # the last: the inlined scripts have one
    return head + CSS + sep + body


__all__ = ["document", "html", "MAX_OVERLAYS"]
