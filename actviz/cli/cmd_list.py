"""actviz list"""

import click

from actviz.cli.options import echo_json, json_option


@click.command("list")
@json_option
def command(as_json):
    """List the catalog: names, aliases, parameters with defaults, variants, formula.

    \b
    JSON (--json): a list of objects with keys
      name, aliases, params ({name: default, exact text}), variants
      ([{name, summary, params, expr}]), formula (definition in x, parsable
      by actviz), summary, onnx, convention.

    \b
    Example:
      actviz list
      actviz list --json
    """
    from actviz import catalog

    if as_json:
        echo_json([
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
        ])
        return
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
    for r in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4])
    click.echo(f"\n{len(catalog.ENTRIES)} activations; NAME:VARIANT selects a variant, "
               "-p NAME=VALUE sets a parameter; any other text is read as an expression in x.")


def _short(text: str) -> str:
    return text if len(text) <= 10 else f"{float(text):.8g}"
