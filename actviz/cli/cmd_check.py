"""actviz check"""

import click

from actviz.cli.options import (
    derivatives_option,
    echo_json,
    echo_text,
    json_option,
    param_option,
    parse_params,
    quiet_option,
)

MAX_CHECK_ORDER = 4  # 50-digit numeric differentiation of order 5+ costs seconds a point

JSON_KEYS = """
JSON keys (--json): ok, results: [{name, order, max_abs_err, max_rel_err, points, ok, worst_x,
skipped_undefined, skipped_beyond_float64}]; with --claim also claim and derivative
(the true formula). max_rel_err counts points where the reference is at least 1e-8 in
size; a point passes when |error| <= 1e-12 + 1e-9 |reference|.
"""


@click.command("check", epilog=JSON_KEYS)
@click.argument("names", nargs=-1, metavar="[NAME ...]")
@derivatives_option(None, 0, MAX_CHECK_ORDER,
                    "Audit orders 1..N (default 2); with --claim the order of the claim "
                    "(default 1, 0: a claim for f itself)")
@click.option("--points", type=int, default=200, show_default=True,
              help="Audit points per function and order.")
@click.option("--claim", type=str, default=None, metavar="EXPR",
              help="A formula for f (--derivatives 0) or for its N-th derivative, to audit.")
@param_option
@quiet_option
@json_option
def command(names, derivatives, points, claim, params, quiet, as_json):
    """Audit actviz's symbolic derivatives against 50-digit numeric differentiation of f
    (mpmath.diff) at --points points clear of kinks, for every NAME (default: the whole
    catalog and its variants) and orders 1..N; or, with --claim, audit a formula someone
    wrote for f or one of its derivatives. Exit code 1 if anything disagrees.

    \b
    Examples:
      actviz check
      actviz check mish gelu:tanh --derivatives 3
      actviz check mish -d 1 --claim "tanh(softplus(x)) + x*sech(x)**2"
      actviz check thresholded_relu --derivatives 0 --claim "max(0, x - 1)"
    """
    from actviz import catalog
    from actviz.check import audit, audit_claim, audit_points, format_claim, format_table
    from actviz.cli.options import check_derivatives, load_functions, names_from, progress
    from actviz.errors import ActvizError

    order = derivatives if derivatives is not None else (1 if claim else 2)
    check_derivatives(order, 0 if claim else 1, MAX_CHECK_ORDER)
    pvals = parse_params(params)
    names = names_from(names)
    if claim is not None:
        if len(names) != 1:
            raise ActvizError("--claim needs exactly one NAME (the function it differentiates)")
        funcs = load_functions(names, pvals)
        if len(funcs) != 1:
            raise ActvizError("--claim audits one function; a -p family gives several")
        func = funcs[0]
        result = audit_claim(func, order, claim, points, pvals)
        truth = func.render(order, "sympy")
        if as_json:
            echo_json({"ok": result.ok, "results": [result.to_dict()],
                       "claim": claim, "derivative": truth})
        else:
            from actviz.render import line

            echo_text(format_claim(func, order, result, line(func.derivative(order))))
        raise SystemExit(0 if result.ok else 1)

    specs = names or catalog.names() + [f"{e.name}:{v.name}" for e in catalog.ENTRIES
                                        for v in e.variants]
    funcs = load_functions(specs, pvals) if names else [load_functions((s,), {})[0]
                                                        for s in specs]
    audit_points(funcs[0], points)  # validates --points before the long run
    results = []
    with progress(funcs, label="auditing", show=not quiet,
                  item_label=lambda f: f.label if f else "") as bar:
        for func in bar:
            results += [audit(func, k, points) for k in range(1, order + 1)]
    ok = all(r.ok for r in results)
    if as_json:
        echo_json({"ok": ok, "results": [r.to_dict() for r in results]})
    else:
        echo_text(format_table(results, ok))
    raise SystemExit(0 if ok else 1)
