// actviz explore: the helpers that the printed formulas call (the object A), see
// actviz/explore/jsmath.py. JavaScript's Math has expm1, log1p, tanh, asinh, ... but no
// erf: A.erf and A.erfc use the Maclaurin series for |x| < 2 and the continued fraction
// of erfc for |x| >= 2 (relative errors against mpmath over [-30, 30]: erf 1.1e-15, erfc
// 1.9e-13, the worst just below x = 2 where erfc = 1 - erf; checked by
// tests/explore/test_jsmath.py); sigmoid, softplus, sech, csch, coth are written in
// forms that do not overflow to inf/inf for large arguments.
var A = (function () {
  "use strict";
  var TWO_OVER_SQRT_PI = 1.1283791670955126;
  var INV_SQRT_PI = 0.5641895835477563;
  function erfSeries(x) {  // |x| < 2: sum (-1)^n x^(2n+1) / (n! (2n+1)), times 2/sqrt(pi)
    var x2 = x * x, term = x, sum = x;
    for (var n = 1; n < 80; n++) {
      term *= -x2 / n;
      var t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) <= 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  function erfcLarge(z) {  // z >= 2: exp(-z^2)/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...))))
    if (z > 27) return 0;
    var n = z < 3 ? 90 : z < 5 ? 50 : 30, t = z;
    for (var k = n; k >= 1; k--) t = z + (k / 2) / t;
    return Math.exp(-z * z) * INV_SQRT_PI / t;
  }
  function erf(x) {
    if (x !== x) return NaN;
    if (Math.abs(x) < 2) return erfSeries(x);
    var c = erfcLarge(Math.abs(x));
    return x > 0 ? 1 - c : c - 1;
  }
  function erfc(x) {
    if (x !== x) return NaN;
    if (x >= 2) return erfcLarge(x);
    if (x <= -2) return 2 - erfcLarge(-x);
    return 1 - erfSeries(x);
  }
  function sigmoid(u) {
    if (u >= 0) return 1 / (1 + Math.exp(-u));
    var e = Math.exp(u);
    return e / (1 + e);
  }
  function softplus(u) {
    return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
  }
  function sech(u) {
    var v = Math.exp(-Math.abs(u));
    return 2 * v / (1 + v * v);
  }
  function csch(u) {
    var v = Math.exp(-Math.abs(u));
    return Math.sign(u) * 2 * v / -Math.expm1(-2 * Math.abs(u));
  }
  function coth(u) { return 1 / Math.tanh(u); }
  function heaviside(a, h0) { return a > 0 ? 1 : a < 0 ? 0 : h0; }
  return {erf: erf, erfc: erfc, erfc_neg: function (u) { return erfc(-u); },
          sigmoid: sigmoid, softplus: softplus, sech: sech, csch: csch, coth: coth,
          heaviside: heaviside};
})();
if (typeof module !== "undefined") module.exports = A;
