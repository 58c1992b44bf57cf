"""actviz list"""

import click

from actviz.cli.options import echo_json, json_option, no_cache_option, terminal_width

JSON_KEYS = """
JSON keys (--json): a list of entries {name, aliases, params ({name: default, exact
text}), variants [{name, summary, params, expr}], formula (the definition in x, parsable
by actviz), summary, onnx, convention}; with --properties a list of {name, properties}
(the properties of `actviz show --json`), filtered by --where.
"""


@click.command("list", epilog=JSON_KEYS)
@click.option("--properties", "with_properties", is_flag=True,
              help="The property table: bounded, monotonic, smoothness, range, zero-centred, "
                   "saturation (computed on first use, then cached).")
@click.option("--where", "where", multiple=True, metavar="PROPERTY",
              help="Keep the entries with these properties (repeatable or a comma list; "
                   "no-NAME negates): bounded, monotonic, increasing, zero-centred, "
                   "zero-at-origin, smooth, continuous, saturating, zero-gradient. "
                   "Implies --properties.")
@click.option("--variants", is_flag=True, help="Include every NAME:VARIANT in the table.")
@no_cache_option
@json_option
def command(with_properties, where, variants, no_cache, as_json):
    """List the catalog: names, parameters with defaults, variants with their own
    descriptions, aliases; or, with --properties, a table of the computed properties, which
    --where filters (e.g. which activations are bounded and monotonic).

    \b
    Examples:
      actviz list
      actviz list --properties
      actviz list --where bounded,monotonic
      actviz list --where no-continuous --variants --json
    """

    from actviz import listing
    from actviz.cli.options import split_list

    conditions = listing.parse_where(split_list(where))
    width = terminal_width()
    if not (with_properties or conditions):
        if as_json:
            echo_json(listing.records())
        else:
            click.echo(listing.format_text(width))
        return
    rows = _properties(listing.specs(variants), not no_cache)
    rows = listing.select(rows, conditions)
    if as_json:
        echo_json([{"name": s, "properties": p} for s, p in rows])
        return
    if rows:
        click.echo(listing.table(rows, width) + "\n")
    click.echo(f"{len(rows)} of {len(listing.specs(variants))} "
               f"{'entries and variants' if variants else 'activations'}"
               + (f" with {', '.join(split_list(where))}" if conditions else ""))


def _properties(specs, use_cache):
    from actviz import symbolic
    from actviz.cli.options import progress
    from actviz.describe import describe

    rows = []
    with progress(specs, label="properties", item_label=lambda s: s or "") as bar:
        for spec in bar:
            rows.append((spec, describe(symbolic.load(spec), 2, use_cache).properties.to_dict()))
    return rows
