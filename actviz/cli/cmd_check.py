"""actviz check"""

import click

from actviz.cli.options import echo_json, json_option, param_option, parse_params

MAX_CHECK_ORDER = 4


@click.command("check")
@click.argument("names", nargs=-1, metavar="[NAME ...]")
@click.option("--order", "-n", type=int, default=None,
              help="Audit orders 1..N (default 2); with --claim, the order of the claim "
                   "(default 1).")
@click.option("--points", type=int, default=200, show_default=True,
              help="Audit points per function and order.")
@click.option("--claim", type=str, default=None, metavar="EXPR",
              help="A formula for the --order derivative of NAME to audit.")
@param_option
@json_option
def command(names, order, points, claim, params, as_json):
    """Audit symbolic derivatives against high-precision numeric differentiation.

    Compares actviz's sympy derivatives (evaluated in float64) with mpmath.diff of f
    at 50 digits, at --points points clear of kinks, for every NAME (default: the
    whole catalog and its variants) and orders 1..N. With --claim, audits a formula
    someone wrote for f^(N) of one NAME instead. Exit code 1 if anything fails.

    \b
    JSON (--json) keys:
      ok, results: [{name, order, max_abs_err, max_rel_err, points, ok, worst_x}]
      (max_rel_err over points where the reference is at least 1e-8 in size;
      a point passes when |error| <= 1e-12 + 1e-9 |reference|)

    \b
    Examples:
      actviz check
      actviz check mish gelu:tanh --order 3
      actviz check mish --order 1 --claim "tanh(log(1+exp(x))) + x*sech(x)**2"
    """
    from actviz import catalog
    from actviz.check import audit, audit_claim, audit_points, format_claim, format_table
    from actviz.cli.options import is_tty, load_functions, progress_stream
    from actviz.errors import ActvizError

    if order is None:
        order = 1 if claim else 2
    if not 1 <= order <= MAX_CHECK_ORDER:
        raise ActvizError(f"--order must be from 1 to {MAX_CHECK_ORDER}, got {order}")
    pvals = parse_params(params)
    if claim is not None:
        if len(names) != 1:
            raise ActvizError("--claim needs exactly one NAME (the function it differentiates)")
        (func,) = load_functions(names, pvals)
        result = audit_claim(func, order, claim, points, pvals)
        truth = func.render(order, "sympy")
        if as_json:
            echo_json({"ok": result.ok, "results": [result.to_dict()],
                       "claim": claim, "derivative": truth})
        else:
            click.echo(format_claim(func, order, result, truth))
        raise SystemExit(0 if result.ok else 1)

    specs = names or tuple(catalog.names() + [f"{e.name}:{v.name}" for e in catalog.ENTRIES
                                               for v in e.variants])
    funcs = load_functions(specs, pvals) if names else [load_functions((s,), {})[0]
                                                        for s in specs]
    audit_points(funcs[0], points)  # validates --points before the long run
    results = []
    show_progress = is_tty() and not as_json and len(funcs) > 3
    with click.progressbar(funcs, label="auditing",
                           file=progress_stream(show_progress),
                           item_show_func=lambda f: f.label if f else "") as bar:
        for func in bar:
            results += [audit(func, k, points) for k in range(1, order + 1)]
    ok = all(r.ok for r in results)
    if as_json:
        echo_json({"ok": ok, "results": [r.to_dict() for r in results]})
    else:
        click.echo(format_table(results, ok))
    raise SystemExit(0 if ok else 1)
