// actviz explore: the page's logic (see actviz/explore/page.py). Every curve is recomputed
// here from the formulas that sympy printed as JavaScript (entry.js: f, f', f'' as
// functions of x and the parameters); nothing is precomputed. The state lives in the URL
// hash: #act=elu&alpha=2&show=f,df&with=relu,elu(alpha=1)&x=-6,6
var actvizExplore = (function () {
  "use strict";
  var ORDERS = ["f", "df", "d2f"];
  var ORDER_LABEL = ["f", "f\u2032", "f\u2033"];
  var N = 801;  // grid points over the visible x range
  var S = {ui: null, data: null, byKey: {}, state: null, busy: false, queued: false,
           note: "", formulaKey: null};

  function compile(src) { return new Function("A", "return " + src)(A); }

  function init(ui, text) {
    S.ui = ui;
    S.data = JSON.parse(text);
    S.data.entries.forEach(function (e) {
      e.fn = e.js.map(compile);
      e.kinkFns = e.kinks.map(function (k) {
        return {x: compile(k.x), value: k.value.map(compile), latex: k.x_latex};
      });
      S.byKey[e.key] = e;
    });
    var fromHash = parseHash(window.location.hash);
    S.state = normalise(fromHash || S.data.initial);
    apply();
    render();
    writeHash();
    window.addEventListener("hashchange", function () {
      if (window.location.hash.slice(1) === hashOf(S.state)) return;
      var st = parseHash(window.location.hash);
      if (st) { S.state = normalise(st); apply(); render(); }
    });
  }

  // ------------------------------------------------------------------ state and hash
  function enc(s) {
    return String(s).replace(/[^A-Za-z0-9_.:()*+\-\/!~=^]/g, function (c) {
      return encodeURIComponent(c);
    });
  }
  function splitTop(s) {  // split at commas outside parentheses
    var out = [], depth = 0, start = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s[i];
      if (c === "(" || c === "[") depth++;
      if (c === ")" || c === "]") depth--;
      if (c === "," && depth === 0) { out.push(s.slice(start, i)); start = i + 1; }
    }
    out.push(s.slice(start));
    return out.map(function (t) { return t.trim(); }).filter(function (t) { return t; });
  }
  function parseHash(hash) {
    var h = (hash || "").replace(/^#/, "");
    if (!h) return null;
    var st = {act: null, params: {}, show: null, with: [], x: null};
    h.split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i < 0) return;
      var k, v;
      try { k = decodeURIComponent(part.slice(0, i)); v = decodeURIComponent(part.slice(i + 1)); }
      catch (err) { return; }
      if (k === "act") st.act = v;
      else if (k === "show") st.show = v.split(",").map(function (t) { return ORDERS.indexOf(t.trim()); });
      else if (k === "with") st.with = splitTop(v);
      else if (k === "x") st.x = v.split(",").map(Number);
      else st.params[k] = Number(v);
    });
    return st;
  }
  function overlaySpec(e, params) {  // "elu" or "elu(alpha=2)"
    var changed = e.params.filter(function (p) { return params[p.name] !== p.default; });
    if (!changed.length) return e.key;
    return e.key + "(" + e.params.map(function (p) { return p.name + "=" + num(params[p.name], 12); }).join(",") + ")";
  }
  function parseOverlay(spec) {  // -> {entry, params} or null
    var e = S.byKey[spec], params = {};
    if (!e) {
      var m = /^(.*)\(([^()]*)\)$/.exec(spec);
      if (!m || !S.byKey[m[1]]) return null;
      e = S.byKey[m[1]];
      splitTop(m[2]).forEach(function (kv) {
        var i = kv.indexOf("=");
        if (i > 0) params[kv.slice(0, i).trim()] = Number(kv.slice(i + 1));
      });
    }
    var out = {};
    e.params.forEach(function (p) {
      out[p.name] = isFinite(params[p.name]) ? params[p.name] : p.default;
    });
    return {entry: e, params: out, spec: spec};
  }
  function normalise(st) {
    var note = "";
    var act = st.act;
    if (!S.byKey[act]) {
      if (act) note = "unknown activation '" + act + "' in the link; showing " + S.data.initial.act;
      act = S.data.initial.act;
    }
    var e = S.byKey[act], params = {};
    var given = (act === st.act) ? st.params || {} : S.data.initial.params;
    e.params.forEach(function (p) {
      var v = given[p.name];
      params[p.name] = (typeof v === "number" && isFinite(v)) ? v : p.default;
    });
    var show = (st.show || [0, 1, 2]).filter(function (i) { return i >= 0; });
    var withs = (st.with || []).filter(function (w) {
      var ok = parseOverlay(w) !== null;
      if (!ok) note += (note ? "; " : "") + "unknown overlay '" + w + "' ignored";
      return ok;
    }).slice(0, S.data.max_overlays);
    var x = st.x;
    if (!x || x.length !== 2 || !isFinite(x[0]) || !isFinite(x[1]) || !(x[0] < x[1])) x = null;
    S.note = note;
    return {act: act, params: params, show: show, with: withs, x: x};
  }
  function hashOf(st) {
    var e = S.byKey[st.act];
    var parts = ["act=" + enc(st.act)];
    e.params.forEach(function (p) { parts.push(enc(p.name) + "=" + num(st.params[p.name], 12)); });
    parts.push("show=" + st.show.map(function (i) { return ORDERS[i]; }).join(","));
    if (st.with.length) parts.push("with=" + st.with.map(enc).join(","));
    if (st.x) parts.push("x=" + num(st.x[0], 6) + "," + num(st.x[1], 6));
    return parts.join("&");
  }
  function writeHash() {
    var h = "#" + hashOf(S.state);
    // no URL to share inside a notebook's iframe (about:srcdoc): navigating there would load
    // the notebook's own page into the frame
    if (window.location.protocol === "about:" || window.location.hash === h) return;
    try { window.history.replaceState(null, "", h); } catch (err) { /* not shareable here */ }
  }

  // ------------------------------------------------------------------ widgets
  function apply() {
    var ui = S.ui, st = S.state, e = S.byKey[st.act];
    S.busy = true;
    try {
      ui.select.value = st.act;
      ui.sliders.forEach(function (s, i) {
        var p = e.params[i];
        if (!p) { s.visible = false; return; }
        var v = st.params[p.name];
        s.visible = true;
        s.title = p.name + " (default " + num(p.default) + ")";
        s.start = Math.min(p.start, v);
        s.end = Math.max(p.end, v);
        s.step = p.step;
        s.value = v;
      });
      ui.reset.visible = e.params.length > 0;
      ui.show.active = st.show.slice();
      var opts = ui.overlay.options.slice();
      st.with.forEach(function (w) { if (opts.indexOf(w) < 0) opts.push(w); });
      if (opts.length !== ui.overlay.options.length) ui.overlay.options = opts;
      ui.overlay.value = st.with.slice();
      var view = st.x || e.view;
      ui.x_range.start = view[0];
      ui.x_range.end = view[1];
    } finally { S.busy = false; }
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function on(what, obj) {
    // Bokeh runs these callbacks after the change, also after apply() set the widgets
    // from the state: a value equal to the state's is no change
    if (S.busy || !S.state) return;
    var st = S.state, e = S.byKey[st.act];
    if (what === "select") {
      if (obj.value === st.act) return;
      S.state = normalise({act: obj.value, params: {}, show: st.show, with: st.with, x: null});
      apply();
    } else if (what === "slider") {
      var i = S.ui.sliders.indexOf(obj);
      if (i < 0 || !e.params[i] || st.params[e.params[i].name] === obj.value) return;
      st.params[e.params[i].name] = obj.value;
    } else if (what === "reset") {
      e.params.forEach(function (p) { st.params[p.name] = p.default; });
      apply();
    } else if (what === "show") {
      var show = obj.active.slice().sort();
      if (same(show, st.show)) return;
      st.show = show;
    } else if (what === "overlay") {
      var withs = obj.value.slice(0, S.data.max_overlays);
      if (same(withs, st.with)) return;
      st.with = withs;
    } else if (what === "pin") {
      var spec = overlaySpec(e, st.params);
      if (st.with.indexOf(spec) < 0 && st.with.length < S.data.max_overlays) st.with.push(spec);
      apply();
    } else if (what === "range") {
      var r = [S.ui.x_range.start, S.ui.x_range.end];
      var x = (r[0] === e.view[0] && r[1] === e.view[1]) ? null : r;
      if (same(x, st.x) && S.last && same(S.last.view, r)) return;
      st.x = x;
      if (!S.queued) {
        S.queued = true;
        window.requestAnimationFrame(function () { S.queued = false; render(); writeHash(); });
      }
      return;
    }
    S.note = "";
    render();
    writeHash();
  }

  var M = actvizMath, num = M.num, close = M.close, esc = M.esc, kinksOf = M.kinksOf,
      curves = M.curves, flatRuns = M.flatRuns, extrema = M.extrema;

  // ------------------------------------------------------------------ drawing
  function slots() {
    var st = S.state, e = S.byKey[st.act];
    var out = [{entry: e, params: st.params, label: label(e, st.params), current: true}];
    st.with.forEach(function (w) {
      var o = parseOverlay(w);
      if (o) out.push({entry: o.entry, params: o.params, label: label(o.entry, o.params)});
    });
    return out.slice(0, S.ui.curves.length);  // one slot per curve
  }
  function label(e, p) {
    var changed = e.params.filter(function (q) { return p[q.name] !== q.default; });
    if (!changed.length) return e.label;
    return e.label + " (" + changed.map(function (q) { return q.name + "=" + num(p[q.name]); }).join(", ") + ")";
  }

  function render() {
    var ui = S.ui, st = S.state, e = S.byKey[st.act];
    var lo = ui.x_range.start, hi = ui.x_range.end;
    var xs = [];
    for (var i = 0; i < N; i++) xs.push(lo + (hi - lo) * i / (N - 1));
    var colors = S.data.colors, hatches = S.data.hatches, all = slots();
    var spans = {x: [], color: []}, flat = {x0: [], x1: [], color: [], hatch: []};
    var opens = [0, 1, 2].map(function () { return {x: [], y: [], c: []}; });
    var values = [0, 1, 2].map(function () { return {x: [], y: [], c: []}; });
    var current = null;
    ui.curves.forEach(function (srcs, s) {
      var slot = all[s];
      if (!slot) {
        srcs.forEach(function (src) { src.data = {x: [], y: []}; });
        ui.legend.items[s].visible = false;
        ui.renderers[s].forEach(function (r) { r.visible = false; });
        return;
      }
      var color = colors[s % colors.length];
      var ks = kinksOf(slot.entry, slot.params, lo, hi);
      var cs = curves(slot.entry, slot.params, xs, ks);
      srcs.forEach(function (src, j) { src.data = cs[j]; });
      ui.renderers[s].forEach(function (r) { r.visible = true; });
      ui.legend.items[s].label = {value: slot.label};
      ui.legend.items[s].visible = all.length > 1;
      ks.forEach(function (k) {
        spans.x.push(k.x); spans.color.push(color);
        k.orders.forEach(function (o, j) {
          if (!o.jumps) return;
          opens[j].x.push(k.x, k.x); opens[j].y.push(o.left, o.right); opens[j].c.push(color, color);
          values[j].x.push(k.x); values[j].y.push(o.value); values[j].c.push(color);
        });
      });
      var pad = hi - lo;  // unbounded runs drawn to just beyond the view (canvas-safe)
      flatRuns(slot.entry, slot.params, xs, ks).forEach(function (r) {
        flat.x0.push(Math.max(r[0], lo - pad)); flat.x1.push(Math.min(r[1], hi + pad));
        flat.color.push(color);
        flat.hatch.push(hatches[s % hatches.length]);
      });
      if (s === 0) current = {kinks: ks, xs: xs, ys: {y0: cs[0].y, y1: cs[1].y}, flat: flatRuns(slot.entry, slot.params, xs, ks)};
    });
    ui.spans.data = spans;
    ui.flat.data = flat;
    ui.opens.forEach(function (m, j) { m.data = opens[j]; });
    ui.values.forEach(function (m, j) { m.data = values[j]; });
    var ex = extrema(e, st.params, xs);
    ui.crit.data = {x: ex.map(function (o) { return o.x; }), y: ex.map(function (o) { return o.y; }),
                    marker: ex.map(function (o) { return o.kind === "min" ? "inverted_triangle" : "triangle"; })};
    ui.panels.forEach(function (p, j) { p.visible = st.show.indexOf(j) >= 0; });
    ui.title.text = "<b>" + esc(label(e, st.params)) + "</b>" + (e.summary ? " \u2014 " + esc(e.summary) : "");
    ui.status.text = S.note ? "<span style='color:#b00'>" + esc(S.note) + "</span>" : "";
    if (S.formulaKey !== e.key) { ui.formula.text = formulaHtml(e); S.formulaKey = e.key; }
    ui.kinks.text = kinksHtml(e, current.kinks);
    ui.props.text = propsHtml(e, st.params, current, ex, current.flat, lo, hi);
    S.last = {kinks: current.kinks, flat: current.flat, extrema: ex, view: [lo, hi]};
  }

  function formulaHtml(e) {
    var names = ["f(x)", "f'(x)", "f''(x)"];
    var out = e.latex.map(function (t, j) { return "<div>$$" + names[j] + " = " + t + "$$</div>"; });
    return "<div class='actviz-formula'>" + out.join("") + "</div>";
  }

  function kinksHtml(e, kinks) {
    var h = "<h4>Kinks and jumps in view</h4>";
    if (!kinks.length) h += "<p>none in view</p>";
    else {
      h += "<table class='actviz-table'><tr><th>x</th><th></th><th>left limit</th><th>right limit</th><th>value used</th><th></th></tr>";
      kinks.forEach(function (k) {
        k.orders.forEach(function (o, j) {
          h += "<tr><td>" + (j === 0 ? num(k.x) + " (" + k.kind + ")" : "") + "</td><td>" + ORDER_LABEL[j] +
               "</td><td>" + num(o.left) + "</td><td>" + num(o.right) + "</td><td>" + num(o.value) +
               "</td><td>" + (o.jumps ? "\u2190 jumps" : "") + "</td></tr>";
        });
      });
      h += "</table>";
    }
    if (e.convention) h += "<p><b>convention:</b> " + esc(e.convention) + "</p>";
    return h;
  }

  function intervals(runs) {
    if (!runs.length) return "none in view";
    return runs.map(function (r) {
      var a = r[0] <= -1e300 ? "(-\u221e" : "[" + num(r[0]), b = r[1] >= 1e300 ? "\u221e)" : num(r[1]) + "]";
      return a + ", " + b;
    }).join(" \u222a ");
  }

  function propsHtml(e, p, cur, ex, runs, lo, hi) {
    var y0 = cur.ys.y0.filter(isFinite), y1 = cur.ys.y1.filter(isFinite);
    var jumps = cur.kinks.some(function (k) { return k.orders[0].jumps; });
    var maxd = y1.reduce(function (m, v) { return Math.max(m, Math.abs(v)); }, 0);
    var sat = [], start = null, xs = cur.xs, d1 = xs.map(function (x) { return Math.abs(e.fn[1](x, p)); });
    for (var i = 0; i <= xs.length; i++) {
      var s = i < xs.length && d1[i] < 1e-3 * maxd;
      if (s && start === null) start = i;
      if (!s && start !== null) { sat.push([start === 0 ? -1e300 : xs[start], i === xs.length ? 1e300 : xs[i - 1]]); start = null; }
    }
    var rows = [
      ["f(0)", num(e.fn[0](0, p))],
      ["f on the view", y0.length ? "from " + num(Math.min.apply(null, y0)) + " to " + num(Math.max.apply(null, y0)) : "not defined"],
      ["max |f\u2032| on the view", num(maxd)],
      ["Lipschitz on the view", jumps ? "\u221e (f jumps)" : num(maxd)],
      ["extrema", ex.length ? ex.map(function (o) { return o.kind + " " + num(o.y) + " at x = " + num(o.x); }).join("; ") : "none in view"],
      ["f\u2032 = 0 exactly on", intervals(runs)],
      ["saturated (|f\u2032| < 1e-3 max)", intervals(sat)]
    ];
    var h = "<h4>Properties</h4><table class='actviz-table'><tr><th colspan=2>current parameters" +
            (e.params.length ? " (" + e.params.map(function (q) { return q.name + " = " + num(p[q.name]); }).join(", ") + ")" : "") +
            ", recomputed live on the view x \u2208 [" + num(lo) + ", " + num(hi) + "]</th></tr>";
    rows.forEach(function (r) { h += "<tr><td>" + r[0] + "</td><td>" + esc(r[1]) + "</td></tr>"; });
    var d = e.defaults, same = e.params.every(function (q) { return close(p[q.name], Number(d.params_float[q.name])); });
    var at = Object.keys(d.params).map(function (k) { return k + " = " + d.params[k]; }).join(", ");
    h += "<tr><th colspan=2>computed by actviz (as <code>actviz show</code>) for " +
         (d.given ? "the parameters given" : "the catalog defaults") + (at ? " (" + esc(at) + ")" : "") +
         (same ? "" : "; not the current parameters") + "</th></tr>";
    d.rows.forEach(function (r) { h += "<tr><td>" + esc(r[0]) + "</td><td>" + esc(r[1]) + "</td></tr>"; });
    if (!d.rows.length) h += "<tr><td colspan=2>not computed for this page</td></tr>";
    return h + "</table>";
  }

  // for scripts and tests: the widgets, the state, and what the last render computed
  return {init: init, on: on, state: function () { return S.state; }, hashOf: hashOf,
          entry: function (k) { return S.byKey[k]; }, ui: function () { return S.ui; },
          curve: function (s) {  // slot s as {x0, y0, x1, y1, x2, y2}
            var out = {};
            S.ui.curves[s].forEach(function (src, j) { out["x" + j] = src.data.x; out["y" + j] = src.data.y; });
            return out;
          },
          last: function () { return S.last; }};
})();
