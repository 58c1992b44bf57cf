"""What ``actviz list`` says about the catalog: one record per entry (JSON) and the table."""

from __future__ import annotations

from actviz import catalog


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


def format_text() -> str:
    """The table: name, aliases, parameters, variants, summary."""
    rows = [("name", "aliases", "parameters", "variants", "formula")]
    for e in catalog.ENTRIES:
        rows.append((
            e.name,
            ", ".join(e.aliases[:3]) + (" ..." if len(e.aliases) > 3 else ""),
            ", ".join(f"{p.name}={_short(p.default)}" for p in e.params) or "-",
            ", ".join(v.name for v in e.variants) or "-",
            e.summary,
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    out = ["  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4] for r in rows]
    out.append(f"\n{len(catalog.ENTRIES)} activations; NAME:VARIANT selects a variant, "
               "-p NAME=VALUE sets a parameter; any other text is read as an expression in x.")
    return "\n".join(out)


def _short(text: str) -> str:
    return text if len(text) <= 10 else f"{float(text):.8g}"
