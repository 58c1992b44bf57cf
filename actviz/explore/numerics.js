// actviz explore: the page's numerics (see page.js): numbers as text, kinks with one-sided
// limits, the curves with gaps at jumps, the f' = 0 runs and the extrema, all from the
// compiled formulas of an entry (e.fn: f, f', f''; e.kinkFns: kink points and the values
// the declared expression gives there).
var actvizMath = (function () {
  "use strict";
  // ------------------------------------------------------------------ numbers
  function num(v, digits) {
    if (v === null || v === undefined || isNaN(v)) return "nan";
    if (v === Infinity) return "\u221e";
    if (v === -Infinity) return "-\u221e";
    var s = String(Number(v.toPrecision(digits || 6)));
    return s.replace("e+", "e");
  }
  function close(a, b) {
    if (a === b) return true;
    if (!isFinite(a) || !isFinite(b)) return false;
    return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  function close9(a, b) {
    return isFinite(a) && isFinite(b) && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c];
    });
  }

  // ------------------------------------------------------------------ the mathematics
  function kinksOf(e, p, lo, hi) {
    // one-sided limits by linear extrapolation from x -/+ h and 2h (error O(h^2)); the
    // value at the point from the symbolic f^(k)(c): the kernels' convention
    var out = [];
    e.kinkFns.forEach(function (k) {
      var c = k.x(0, p);
      if (!isFinite(c) || c <= lo || c >= hi) return;
      if (out.some(function (o) { return o.x === c; })) return;
      var h = 1e-6 * Math.max(1, Math.abs(c)), orders = [], jumps = false;
      for (var j = 0; j < 3; j++) {
        var g = e.fn[j];
        var left = 2 * g(c - h, p) - g(c - 2 * h, p);
        var right = 2 * g(c + h, p) - g(c + 2 * h, p);
        var value = k.value[j](c, p);
        if (isNaN(value)) value = g(c, p);
        if (close9(left, value)) left = value;  // within the extrapolation's error: the value
        if (close9(right, value)) right = value;
        var jump = !close(left, right);
        jumps = jumps || jump || !close(value, left);
        orders.push({left: left, right: right, value: value, jumps: jump});
      }
      if (jumps) {
        var first = orders.findIndex(function (o) { return o.jumps; });
        var kind = first === 0 ? "jump" : first === 1 ? "kink" : first === 2 ? "jump in f''" : "value";
        out.push({x: c, latex: k.latex, orders: orders, kind: kind});
      }
    });
    return out.sort(function (a, b) { return a.x - b.x; });
  }

  function curves(e, p, xs, kinks) {
    var out = {};
    for (var j = 0; j < 3; j++) {
      var g = e.fn[j], X = [], Y = [], ki = 0;
      for (var i = 0; i < xs.length; i++) {
        while (ki < kinks.length && kinks[ki].x <= xs[i]) {
          var o = kinks[ki].orders[j], c = kinks[ki].x;
          if (o.jumps) { X.push(c, c, c); Y.push(o.left, NaN, o.right); }
          else { X.push(c); Y.push(o.left); }
          ki++;
        }
        if (ki > 0 && kinks[ki - 1].x === xs[i]) continue;
        var y = g(xs[i], p);
        X.push(xs[i]);
        Y.push(isFinite(y) ? y : NaN);
      }
      for (; ki < kinks.length; ki++) { X.push(kinks[ki].x); Y.push(kinks[ki].orders[j].left); }
      out[j] = {x: X, y: Y};
    }
    return out;
  }

  function flatRuns(e, p, xs, kinks) {  // where f' == 0 exactly on the grid, ends snapped to kinks
    var runs = [], start = null, step = xs[1] - xs[0];
    var d = xs.map(function (x) { return e.fn[1](x, p); });
    for (var i = 0; i <= xs.length; i++) {
      var zero = i < xs.length && d[i] === 0;
      if (zero && start === null) start = i;
      if (!zero && start !== null) {
        if (i - start >= 2) runs.push([snap(xs[start], -1), snap(xs[i - 1], 1)]);
        start = null;
      }
    }
    function snap(x, side) {
      for (var k = 0; k < kinks.length; k++) {
        var c = kinks[k].x;
        if (Math.abs(c - x) <= step * 1.0001 && (side < 0 ? c <= x : c >= x)) return c;
      }
      if (side < 0 && x === xs[0]) return -1e300;
      if (side > 0 && x === xs[xs.length - 1]) return 1e300;
      return x;
    }
    return runs;
  }

  function extrema(e, p, xs) {
    var out = [], d = xs.map(function (x) { return e.fn[1](x, p); });
    for (var i = 0; i + 1 < xs.length; i++) {
      var a = d[i], b = d[i + 1];
      if (!(isFinite(a) && isFinite(b)) || a === 0 || b === 0 || (a > 0) === (b > 0)) continue;
      var lo = xs[i], hi = xs[i + 1];
      for (var it = 0; it < 60; it++) {
        var mid = 0.5 * (lo + hi), m = e.fn[1](mid, p);
        if ((m > 0) === (a > 0)) lo = mid; else hi = mid;
      }
      var x = 0.5 * (lo + hi);
      out.push({x: x, y: e.fn[0](x, p), kind: a < 0 ? "min" : "max"});
    }
    return out;
  }

  return {num: num, close: close, esc: esc, kinksOf: kinksOf, curves: curves,
          flatRuns: flatRuns, extrema: extrema};
})();
