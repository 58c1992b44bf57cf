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
    from actviz import listing

    if as_json:
        echo_json(listing.records())
        return
    click.echo(listing.format_text())
