"""actviz show"""

import click

from actviz.cli.options import echo_json, json_option, param_option, parse_params

MAX_SHOW_ORDER = 6


@click.command("show")
@click.argument("name")
@param_option
@click.option("--order", "-n", type=int, default=2, show_default=True,
              help=f"Highest derivative order shown (0 to {MAX_SHOW_ORDER}).")
@click.option("--format", "fmt", type=click.Choice(["unicode", "latex", "sympy"]),
              default="unicode", show_default=True, help="How formulas are written.")
@json_option
def command(name, params, order, fmt, as_json):
    """Formula, derivatives, kinks with conventions, and properties of NAME.

    NAME is a catalog name, alias or NAME:VARIANT (see `actviz list`), or an
    expression in x such as "x*tanh(softplus(x))".

    \b
    JSON (--json) keys:
      name, label, params, expr (sympy text), derivatives (sympy text, orders
      1..N), latex (f..f^(N)), kinks (list of {x, x_exact, kind, order,
      one_sided: [{order, left, right, value}]}; value is the kernels'
      convention at the point), convention, properties ({range {lo, hi,
      lo_closed, hi_closed, text}, bounded, monotonic, zero_centred,
      smoothness, lipschitz, extrema [{x, value, kind, at_kink}],
      inflection_points, zero_gradient [[lo, hi]], saturation [[lo, hi]],
      limits}). Infinite bounds are the strings "inf" and "-inf".

    \b
    Examples:
      actviz show mish
      actviz show hard_sigmoid:pytorch --order 1 --format latex
      actviz show elu -p alpha=2 --json
    """
    from actviz.cli.options import load_functions
    from actviz.describe import describe
    from actviz.errors import ActvizError

    if not 0 <= order <= MAX_SHOW_ORDER:
        raise ActvizError(f"--order must be from 0 to {MAX_SHOW_ORDER}, got {order}")
    (func,) = load_functions((name,), parse_params(params))
    desc = describe(func, order)
    if as_json:
        echo_json(desc.to_dict())
        return
    _print_text(desc, fmt)


def _print_text(desc, fmt):
    from actviz.figures.functions import order_label

    func = desc.func
    entry = func.entry
    head = func.label
    if entry is not None:
        head += f"  —  {entry.summary}"
        if entry.aliases:
            head += f"  (aliases: {', '.join(entry.aliases)})"
    click.echo(head)
    if func.params:
        click.echo("parameters: " + ", ".join(f"{k} = {v}" for k, v in func.params.items()))
    click.echo("")
    for k, text in enumerate(desc.formulas(fmt)):
        label = order_label(k).strip("$")
        lines = text.splitlines() or [""]
        if len(lines) == 1:
            click.echo(f"{label} = {lines[0]}")
        else:
            click.echo(f"{label} =")
            for line in lines:
                click.echo("    " + line)
    click.echo("")
    if desc.kinks:
        click.echo("kinks and discontinuities (left limit / right limit / value used):")
        for kink in desc.kinks:
            click.echo(f"  x = {kink.x_exact} ({kink.kind})")
            for j in kink.orders:
                if j.order > desc.order and j.order > 1:
                    continue
                mark = "   <- jumps" if j.jumps else ""
                click.echo(f"    {order_label(j.order).strip('$'):8s} {_g(j.left):>12s} / "
                           f"{_g(j.right):>12s} / {_g(j.value):>12s}{mark}")
    else:
        click.echo("kinks and discontinuities: none")
    if desc.convention:
        click.echo(f"convention: {desc.convention}")
    p = desc.properties.to_dict()
    click.echo("")
    click.echo("properties:")
    rows = [
        ("range", p["range"]["text"]),
        ("bounded", _yes(p["bounded"])),
        ("monotonic", p["monotonic"]),
        ("zero-centred", _yes(p["zero_centred"]) + "  (f(0) = 0)" * p["zero_centred"]),
        ("smoothness", p["smoothness"]),
        ("Lipschitz (max |f'|)", _g(p["lipschitz"])),
        ("extrema", "; ".join(f"{e['kind']} {_g(e['value'])} at x = {_g(e['x'])}"
                              for e in p["extrema"]) or "none"),
        ("inflection points", ", ".join(f"x = {_g(e['x'])}" + (" (kink)" if e["at_kink"] else "")
                                        for e in p["inflection_points"]) or "none"),
        ("f' = 0 exactly on", _intervals(p["zero_gradient"])),
        ("saturated (|f'| < 1e-3 max)", _intervals(p["saturation"])),
    ]
    width = max(len(r[0]) for r in rows)
    for key, val in rows:
        click.echo(f"  {key.ljust(width)}  {val}")


def _g(v) -> str:
    if v is None:
        return "nan"
    if isinstance(v, str):
        return {"inf": "∞", "-inf": "-∞"}.get(v, v)
    if v in (float("inf"), float("-inf")):
        return "∞" if v > 0 else "-∞"
    return f"{v:.6g}"


def _yes(b) -> str:
    return "yes" if b else "no"


def _intervals(ivs) -> str:
    if not ivs:
        return "nowhere"
    parts = []
    for lo, hi in ivs:
        left = "(" if lo == "-inf" else "["
        right = ")" if hi == "inf" else "]"
        parts.append(f"{left}{_g(lo)}, {_g(hi)}{right}")
    return " ∪ ".join(parts)
