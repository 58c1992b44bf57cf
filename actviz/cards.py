"""Result objects as compact HTML cards, for notebooks: one renderer for every analysis.

:func:`html_card` turns a title and a ``to_dict()``-style dictionary (the ``--json`` output
of a command) into a small self-contained HTML block: scalars as a two-column table, a list
of records with the same keys as a table with one row per record, nested dictionaries as
nested tables, long lists and big arrays summarised (``41×41 array``), numbers with 6
significant digits (:func:`actviz.text.num`). :class:`HtmlRepr` gives any class with a
``to_dict()`` a ``_repr_html_`` made by it (title from ``_card_title()`` where defined).
"""

from __future__ import annotations

import html
import json

from actviz import text

MAX_ROWS = 40  # rows of a list shown before "... N more"
MAX_ITEMS = 12  # items of a list of scalars written out
MAX_DEPTH = 4  # deeper structures are shown as JSON
STYLE = ("font-size:12px;border-collapse:collapse;margin:2px 0;"
         "font-family:system-ui,sans-serif")
CELL = "border-bottom:1px solid #e5e5e5;padding:1px 6px;text-align:left;vertical-align:top"


def html_card(title: str, data: dict, *, subtitle: str = "", extra_html: str = "") -> str:
    """An HTML card: ``title`` in bold, ``subtitle`` under it, ``extra_html`` (already HTML:
    formulas, a figure) and the table of ``data``."""
    head = f"<div style='font-weight:bold;font-size:13px'>{html.escape(title)}</div>"
    if subtitle:
        head += f"<div style='color:#555;font-size:12px'>{html.escape(subtitle)}</div>"
    return (f"<div class='actviz-card' style='border:1px solid #ddd;border-radius:4px;"
            f"padding:6px 10px;max-width:1000px'>{head}{extra_html}"
            f"{_value(data, 0)}</div>")


def _scalar(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return text.yes(v)
    if isinstance(v, float):
        return html.escape(text.num(v))
    if isinstance(v, str) and v in ("inf", "-inf"):
        return html.escape(text.num(v))
    return html.escape(str(v))


def _is_scalar(v) -> bool:
    return v is None or isinstance(v, (bool, int, float, str))


def _value(v, depth: int) -> str:
    if _is_scalar(v):
        return _scalar(v)
    if depth >= MAX_DEPTH:
        return f"<code>{html.escape(json.dumps(v, default=str)[:200])}</code>"
    if isinstance(v, dict):
        if not v:
            return "—"
        rows = "".join(f"<tr><th style='{CELL}'>{html.escape(str(k))}</th>"
                       f"<td style='{CELL}'>{_value(x, depth + 1)}</td></tr>"
                       for k, x in v.items())
        return f"<table style='{STYLE}'>{rows}</table>"
    if isinstance(v, (list, tuple)):
        return _sequence(list(v), depth)
    return _scalar(str(v))


def _shape(v) -> tuple[int, ...] | None:
    """The shape of a rectangular nested list of scalars (an array), else None."""
    if not isinstance(v, (list, tuple)):
        return () if _is_scalar(v) else None
    if not v:
        return (0,)
    inner = {_shape(x) for x in v}
    if len(inner) != 1 or None in inner:
        return None
    return (len(v),) + inner.pop()


def _sequence(v: list, depth: int) -> str:
    if not v:
        return "—"
    shape = _shape(v)
    if shape is not None and len(shape) >= 2:
        return f"{'×'.join(map(str, shape))} array"
    if all(_is_scalar(x) for x in v):
        shown = ", ".join(_scalar(x) for x in v[:MAX_ITEMS])
        more = f", … ({len(v)} in all)" if len(v) > MAX_ITEMS else ""
        return shown + more
    if all(isinstance(x, dict) for x in v):
        keys = list(dict.fromkeys(k for x in v for k in x))
        head = "".join(f"<th style='{CELL}'>{html.escape(str(k))}</th>" for k in keys)
        body = "".join("<tr>" + "".join(f"<td style='{CELL}'>{_value(x.get(k), depth + 1)}</td>"
                                        for k in keys) + "</tr>" for x in v[:MAX_ROWS])
        more = (f"<tr><td colspan={len(keys)} style='{CELL}'>… {len(v) - MAX_ROWS} more</td></tr>"
                if len(v) > MAX_ROWS else "")
        return f"<table style='{STYLE}'><tr>{head}</tr>{body}{more}</table>"
    items = "".join(f"<li>{_value(x, depth + 1)}</li>" for x in v[:MAX_ROWS])
    more = f"<li>… {len(v) - MAX_ROWS} more</li>" if len(v) > MAX_ROWS else ""
    return f"<ol style='margin:0;padding-left:18px'>{items}{more}</ol>"


class HtmlRepr:
    """Mixin: ``_repr_html_`` as :func:`html_card` of ``self.to_dict()``; the title is
    ``self._card_title()`` where the class defines it, else the class name."""

    def _card_title(self) -> str:
        return type(self).__name__

    def _repr_html_(self) -> str:
        return html_card(self._card_title(), self.to_dict())


__all__ = ["html_card", "HtmlRepr"]
