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


def order_name(k: int, math: bool = False) -> str:
    """``f(x)``, ``f'(x)``, ``f''(x)``, ``f'''(x)``, ``f^(4)(x)``; with ``math`` as
    matplotlib mathtext for figures (``$f^{(4)}(x)$``)."""
    if k <= 3:
        name = "f" + "'" * k + "(x)"
    else:
        name = f"f^{{({k})}}(x)" if math else f"f^({k})(x)"
    return f"${name}$" if math else name


def yes(b) -> str:
    return "yes" if b else "no"


def pct(v) -> str:
    """A fraction as a percentage with one decimal; ``n/a`` for None."""
    return "n/a" if v is None else f"{100 * v:.1f}%"


def share(part: int, whole: int) -> str:
    """``part/whole (p%)``."""
    return f"{part}/{whole} ({part / whole:.1%})" if whole else "0/0"
