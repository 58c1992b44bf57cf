"""actviz explore"""

import click

from actviz.cli.options import no_cache_option, param_option, parse_params, quiet_option


@click.command("explore", epilog="""
Output: the path of the page written. The page (one HTML file, every script inlined, about
3.6 MB) works offline from file://. Its state is in the URL hash, e.g.
#act=elu&alpha=2&show=f,df&with=relu,elu(alpha=1)&x=-6,6 (act: the activation; one key
per parameter; show: f, df, d2f; with: overlays, NAME or NAME(k=v,...); x: the view).
Needs the explore extra: pip install 'actviz[explore]'.
""")
@click.argument("names", nargs=-1, metavar="[NAME ...]")
@param_option
@click.option("-o", "--output", type=str, default=None,
              help="Output file (.html). Default: explore.html, or NAME[_PARAMS].html.")
@click.option("--only", is_flag=True,
              help="Only the NAMEs given in the picker (a smaller page), not the catalog.")
@no_cache_option
@quiet_option
def command(names, params, output, only, no_cache, quiet):
    """Write an interactive page: pick an activation (every catalog entry and variant, and
    the NAMEs given, expressions included), move a slider per parameter, and f, f', f''
    are recomputed live in the browser from the symbolic derivatives (printed to
    JavaScript by sympy); toggles for f, f', f''; overlays; kinks marked with their
    one-sided values and the convention; f' = 0 regions shaded; the formulas; the
    properties (live on the view, and those actviz computes for the defaults). The first
    NAME is shown, the others overlaid; -p sets start values (a family overlays one curve
    per value); a name of an expression without -p gets a slider starting at 1.

    \b
    Examples:
      actviz explore
      actviz explore elu -p alpha=2 -o elu.html
      actviz explore hard_sigmoid hard_sigmoid:pytorch sigmoid
      actviz explore "x*sigmoid(b*x)" -p b=1.702 --only
    """
    import os

    from actviz.cli.options import is_tty, names_from
    from actviz.errors import ActvizError
    from actviz.explore import build, require_bokeh
    from actviz.files import check_writable

    require_bokeh()
    names = names_from(names)
    pvals = parse_params(params)
    if output is None:
        from actviz.cli.cmd_plot import default_filename

        output = default_filename(names, pvals)[:-4] + ".html" if names else "explore.html"
    if os.path.splitext(output)[1].lower() not in (".html", ".htm"):
        raise ActvizError(f"the page is HTML: use a .html file name, not {output!r}")
    check_writable(output)
    if not quiet and not only and is_tty():
        click.echo("preparing every catalog entry (cached after the first run)...", err=True)
    page = build(names, pvals, only=only, use_cache=not no_cache)
    click.echo(f"wrote {page.write(output)}")
