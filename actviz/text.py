"""Number and interval formatting, written once for every report and for JSON.

- :func:`json_number`: a float for JSON (``None`` for NaN, ``"inf"``/``"-inf"``);
  :func:`json_round`: the same rounded to a number of significant digits.
- :func:`num`: a number for text, 6 significant digits, ``∞`` for infinities (JSON's
  strings ``"inf"``/``"-inf"`` too); :func:`fixed`: a format spec, ``n/a`` for None.
- :func:`x_value`: an x coordinate (6 digits in [1e-4, 1e6), 4 outside).
- :func:`intervals`: ``(-∞, -2.5] ∪ [2.5, ∞)``, closed at finite ends.
- :func:`order_name`: ``f''(x)``; :func:`yes`, :func:`pct`, :func:`share`.
"""

from __future__ import annotations

import math

INF, MINUS = "∞", "-"


def json_number(v):
    """float for JSON: None for NaN, the strings "inf"/"-inf" for infinities."""
    v = float(v)
    if math.isnan(v):
        return None
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def json_round(v, digits: int = 6):
    """A JSON-safe float (None for nan/inf), rounded to ``digits`` significant digits."""
    v = float(v)
    return float(f"{v:.{digits}g}") if math.isfinite(v) else None


def num(v, minus: str = MINUS, digits: int = 6) -> str:
    """``digits`` significant digits; ``∞``/``-∞`` for infinities (floats or JSON's strings),
    ``nan`` for None; ``minus`` is the sign written before ∞ (the gallery uses U+2212)."""
    if v is None:
        return "nan"
    if isinstance(v, str):
        return {"inf": INF, "-inf": minus + INF}.get(v, v)
    if v in (math.inf, -math.inf):
        return INF if v > 0 else minus + INF
    return f"{v:.{digits}g}"


def fixed(v, spec: str = ".4g") -> str:
    """``format(v, spec)``, ``n/a`` for None."""
    return "n/a" if v is None else format(v, spec)


def x_value(v: float) -> str:
    """An x coordinate: 6 digits where that is short, 4 for tiny and huge values."""
    if v == 0:
        return "0"
    a = abs(v)
    return f"{v:.6g}" if 1e-4 <= a < 1e6 else f"{v:.4g}"


def intervals(ivs, minus: str = MINUS, closed=None) -> str:
    """``[[lo, hi], ...]`` (floats or JSON numbers) as ``(-∞, a] ∪ [b, ∞)``; ``nowhere``.
    Finite ends are closed unless ``closed`` (one ``[lo, hi]`` pair of booleans per
    interval) says otherwise."""
    if not ivs:
        return "nowhere"
    parts = []
    for i, (lo, hi) in enumerate(ivs):
        if lo == hi and lo not in ("inf", "-inf", math.inf, -math.inf):
            parts.append("{" + num(lo, minus) + "}")  # a single point
            continue
        cl, ch = closed[i] if closed else (True, True)
        left = "(" if lo in ("-inf", -math.inf) or not cl else "["
        right = ")" if hi in ("inf", math.inf) or not ch else "]"
        parts.append(f"{left}{num(lo, minus)}, {num(hi, minus)}{right}")
    return " ∪ ".join(parts)


def region(ivs, digits: int = 4) -> str:
    """A set of x intervals said briefly: ``x ≤ a``, ``x ≥ b``, ``|x| ≥ a`` (both tails),
    ``|x| ≤ a``; otherwise as :func:`intervals` with ``digits`` significant digits."""
    inf = (math.inf, "inf")
    ninf = (-math.inf, "-inf")
    if not ivs:
        return "nowhere"

    def n(v):
        return num(v, digits=digits)

    if len(ivs) == 1:
        lo, hi = ivs[0]
        if lo in ninf and hi in inf:
            return "everywhere"
        if lo in ninf:
            return f"x ≤ {n(hi)}"
        if hi in inf:
            return f"x ≥ {n(lo)}"
        if lo == -hi and lo != hi:
            return f"|x| ≤ {n(hi)}"
    if len(ivs) == 2 and ivs[0][0] in ninf and ivs[1][1] in inf:
        a, b = ivs[0][1], ivs[1][0]
        return f"|x| ≥ {n(b)}" if a == -b else f"x ≤ {n(a)} or x ≥ {n(b)}"
    return " ∪ ".join(span(lo, hi, digits=digits) for lo, hi in ivs)


def span(lo, hi, lo_closed: bool = True, hi_closed: bool = True, digits: int = 4) -> str:
    """An interval of values with ``digits`` significant digits: ``[-0.3088, ∞)``."""
    left = "(" if lo in (-math.inf, "-inf") or not lo_closed else "["
    right = ")" if hi in (math.inf, "inf") or not hi_closed else "]"
    return f"{left}{num(lo, digits=digits)}, {num(hi, digits=digits)}{right}"


def exact(q) -> str:
    """An exact number (a Fraction) as text: its decimal where that terminates (0.5, 1.25,
    -3), else p/q."""
    from fractions import Fraction

    q = Fraction(q)
    if q.denominator == 1:
        return str(q.numerator)
    d, twos, fives = q.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        return f"{q.numerator}/{q.denominator}"
    digits = max(twos, fives)
    scaled = abs(q.numerator) * 10**digits // q.denominator
    whole, frac = divmod(scaled, 10**digits)
    sign = "-" if q < 0 else ""
    return f"{sign}{whole}.{str(frac).rjust(digits, '0').rstrip('0')}"


def order_name(k: int, pretty: bool = False) -> str:
    """``f(x)``, ``f'(x)``, ``f''(x)``, ``f'''(x)``, ``f^(4)(x)``; ``pretty`` for figures:
    ``f′(x)``, ``f″(x)``, ``f‴(x)``, ``f⁽⁴⁾(x)`` (Unicode primes and superscripts: plain
    text, which matplotlib draws without building its mathtext parser, 0.1 s a process)."""
    if not pretty:
        return "f" + "'" * k + "(x)" if k <= 3 else f"f^({k})(x)"
    if k <= 3:
        return "f" + ("", "\u2032", "\u2033", "\u2034")[k] + "(x)"
    return "f" + superscript(f"({k})") + "(x)"


_SUPERSCRIPT = str.maketrans("0123456789()-", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076"
                             "\u2077\u2078\u2079\u207d\u207e\u207b")


def superscript(text: str) -> str:
    """Digits, parentheses and minus signs of ``text`` as Unicode superscripts (⁽⁴⁾, ⁻³)."""
    return text.translate(_SUPERSCRIPT)


def yes(b) -> str:
    return "yes" if b else "no"


def pct(v) -> str:
    """A fraction as a percentage with one decimal; ``n/a`` for None."""
    return "n/a" if v is None else f"{100 * v:.1f}%"


def share(part: int, whole: int) -> str:
    """``part/whole (p%)``."""
    return f"{part}/{whole} ({part / whole:.1%})" if whole else "0/0"


def table(rows, width: int | None = None, gap: int = 2) -> str:
    """Rows of cells (the first row the header) as aligned columns; where they would exceed
    ``width`` columns, the widest columns are narrowed and their cells wrapped at spaces and
    hyphens onto continuation lines (nothing is cut off)."""
    import textwrap

    rows = [[str(c) for c in r] for r in rows]
    n = len(rows[0])
    widths = [max(len(r[i]) for r in rows) for i in range(n)]
    # a column narrows no further than its longest word (or 6 columns)
    floor = [max(6, max(len(w) for r in rows for w in r[i].replace("-", "- ").split() or [""]))
             for i in range(n)]
    if width is not None:
        while sum(widths) + gap * (n - 1) > width:
            room = [i for i in range(1, n) if widths[i] > floor[i]]  # the name column stays
            if not room:
                break
            i = max(room, key=lambda k: widths[k])
            widths[i] -= 1
    out = []
    for r in rows:
        parts = [textwrap.wrap(c, w, break_on_hyphens=True, break_long_words=False) or [""]
                 for c, w in zip(r, widths)]
        for k in range(max(len(p) for p in parts)):
            cells = [(p[k] if k < len(p) else "").ljust(w) for p, w in zip(parts, widths)]
            out.append((" " * gap).join(cells).rstrip())
    return "\n".join(out)


def fit(text: str, width: int | None) -> str:
    """Prose fitted to ``width`` columns: each longer line wrapped at spaces, its
    continuation lines indented 4 past the line's own indentation (2, under the text, for a
    bullet; tables fit themselves)."""
    import textwrap

    if width is None:
        return text
    out = []
    for line in text.splitlines():
        if len(line) <= width:
            out.append(line)
            continue
        lead = " " * (len(line) - len(line.lstrip()))
        more = "  " if line.lstrip().startswith(("- ", "* ")) else "    "  # bullets align
        out += textwrap.wrap(line, width, initial_indent="", subsequent_indent=lead + more,
                             break_long_words=False, break_on_hyphens=False) or [line]
    return "\n".join(out)
