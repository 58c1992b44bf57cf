"""What ``actviz list`` says about the catalog: one record per entry (JSON), the text listing
(entries with their variants' own descriptions, fitted to a width), and the property table
with its filters."""

from __future__ import annotations

import textwrap

from actviz import catalog
from actviz.errors import ActvizError

# --where NAME (or no-NAME): which entries a filter keeps, from a properties dict
FILTERS = {
    "bounded": lambda p: p["bounded"],
    "monotonic": lambda p: p["monotonic"] != "no",
    "increasing": lambda p: p["monotonic"] in ("increasing", "non-decreasing"),
    "zero-centred": lambda p: p["zero_centred"],
    "zero-at-origin": lambda p: p["zero_at_origin"],
    "smooth": lambda p: p["smoothness"] == "C∞",
    "continuous": lambda p: p["smoothness"] != "discontinuous",
    "saturating": lambda p: bool(p["saturation"]),
    "zero-gradient": lambda p: bool(p["zero_gradient"]),
}
COLUMNS = ("name", "bounded", "monotonic", "smooth", "range", "zero-centred", "saturates")


def records() -> list[dict]:
    """One dict per catalog entry (the JSON of ``actviz list``)."""
    return [
        {
            "name": e.name,
            "aliases": list(e.aliases),
            "params": e.defaults(),
            "variants": [{"name": v.name, "summary": v.summary, "params": dict(v.params),
                          "expr": v.expr} for v in e.variants],
            "formula": e.expr,
            "summary": e.summary,
            "onnx": e.onnx,
            "convention": e.convention,
        }
        for e in catalog.ENTRIES
    ]


def format_text(width: int = 100) -> str:
    """Each entry on its lines: name, parameters, summary, aliases; its variants below with
    their own descriptions; wrapped at ``width`` columns."""
    out = []
    namew = max(len(e.name) for e in catalog.ENTRIES) + 2
    for e in catalog.ENTRIES:
        params = ", ".join(f"{p.name}={_short(p.default)}" for p in e.params)
        head = f"{e.name.ljust(namew)}{e.summary}" + (f"  [{params}]" if params else "")
        out += textwrap.wrap(head, width, subsequent_indent=" " * namew) or [head]
        if e.aliases:
            out += textwrap.wrap(f"{'':{namew}}aliases: {', '.join(e.aliases)}", width,
                                 subsequent_indent=" " * (namew + 2))
        for v in e.variants:
            out += textwrap.wrap(f"{'':{namew}}:{v.name}  {v.summary}", width,
                                 subsequent_indent=" " * (namew + 4))
    tail = (f"{len(catalog.ENTRIES)} activations; NAME:VARIANT selects a variant, -p "
            "NAME=VALUE sets a parameter; any other text is read as an expression in x. "
            "actviz list --properties: the property table.")
    return "\n".join(out + [""] + textwrap.wrap(tail, width))


def specs(variants: bool = False) -> list[str]:
    """Catalog names, and their variants with ``variants``."""
    out = []
    for e in catalog.ENTRIES:
        out.append(e.name)
        if variants:
            out += [f"{e.name}:{v.name}" for v in e.variants]
    return out


def parse_where(values) -> list[tuple[str, bool]]:
    """``["bounded", "no-smooth"]`` -> ``[("bounded", True), ("smooth", False)]``."""
    out = []
    for v in values:
        v = v.strip().lower().replace("_", "-")
        want = not (v.startswith("no-") or v.startswith("not-"))
        name = v.split("-", 1)[1] if not want else v
        if name not in FILTERS:
            raise ActvizError(f"unknown property {v!r} for --where (use "
                              f"{', '.join(FILTERS)}, or no-NAME)")
        out.append((name, want))
    return out


def select(rows: list[tuple[str, dict]], where) -> list[tuple[str, dict]]:
    """The (spec, properties dict) rows that pass every filter."""
    return [(s, p) for s, p in rows if all(FILTERS[n](p) == want for n, want in where)]


def table(rows: list[tuple[str, dict]], width: int | None = 100) -> str:
    """The property table (one row per function; values to 4 significant digits, saturation
    as ``|x| ≥ a`` where it is both tails; ``show`` has them to 6). Where the columns would
    not fit ``width``, each function is one wrapped line of the same facts instead."""
    from actviz.text import region, span, table, yes

    cells = [COLUMNS]
    facts = []
    for spec, p in rows:
        r = p["range"]
        rng = span(r["lo"], r["hi"], r["lo_closed"], r["hi_closed"])
        sat = region(p["saturation"]) if p["saturation"] else "no"
        cells.append((spec, yes(p["bounded"]), p["monotonic"], p["smoothness"], rng,
                      yes(p["zero_centred"]), sat))
        facts.append((spec, ", ".join([
            "bounded" if p["bounded"] else "unbounded",
            p["monotonic"] if p["monotonic"] != "no" else "not monotonic",
            p["smoothness"], f"range {rng}",
            "zero-centred" if p["zero_centred"] else "not zero-centred",
            f"saturates for {sat}" if p["saturation"] else "does not saturate"])))
    natural = sum(max(len(c[i]) for c in cells) for i in range(len(COLUMNS)))
    if width is None or natural + 2 * (len(COLUMNS) - 1) <= width:
        return table(cells, None)
    namew = max(len(s) for s, _ in facts) + 2
    out = []
    for spec, text in facts:
        out += textwrap.wrap(spec.ljust(namew) + text, width, subsequent_indent=" " * namew,
                             break_on_hyphens=False)
    return "\n".join(out)


def _short(text: str) -> str:
    return text if len(text) <= 10 else f"{float(text):.8g}"
