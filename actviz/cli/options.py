"""Options and helpers shared by the commands (defined once)."""

from __future__ import annotations

import json
import os
import sys

import click

from actviz.errors import ActvizError


def parse_params(items: tuple[str, ...]) -> dict[str, str]:
    """``("alpha=0.2", "beta=1/2")`` -> ``{"alpha": "0.2", "beta": "1/2"}`` (values checked)."""
    from actviz.catalog import parse_number

    out: dict[str, str] = {}
    for item in items:
        key, sep, val = item.partition("=")
        key, val = key.strip(), val.strip()
        if not sep or not key or not val:
            raise ActvizError(f"parameters are given as NAME=VALUE, got {item!r}")
        parse_number(val)
        out[key] = val
    return out


param_option = click.option(
    "-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
    help="Set a parameter (repeatable), e.g. -p alpha=1/6. Exact fractions are kept.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def echo_json(obj) -> None:
    click.echo(json.dumps(obj, indent=2, allow_nan=False))


FIGURE_FORMATS = ("png", "svg", "pdf")


def check_output_path(path: str) -> str:
    """Validate an output file path before any work: known extension, writable folder."""
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in FIGURE_FORMATS:
        raise ActvizError(
            f"unknown file extension {'.' + ext if ext else '(none)'} for {path!r} "
            f"(use {', '.join('.' + f for f in FIGURE_FORMATS)})"
        )
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ActvizError(f"cannot write {path!r}: folder {folder!r} does not exist")
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise ActvizError(f"cannot write {path!r}: permission denied")
    if os.path.isdir(path):
        raise ActvizError(f"cannot write {path!r}: it is a folder")
    return path


def is_tty() -> bool:
    return sys.stderr.isatty()


class _NullStream:
    def write(self, *_):
        pass

    def flush(self):
        pass

    def isatty(self):
        return False


def progress_stream(show: bool):
    """Where a click.progressbar writes: stderr when shown, nowhere otherwise."""
    return click.get_text_stream("stderr") if show else _NullStream()


def load_functions(specs: tuple[str, ...], params: dict[str, str]):
    """symbolic.Function for each NAME/expression; each -p goes to every name that has it.

    A catalog name gets the parameters it declares; an expression gets them all (they name
    symbols in it). A parameter that no name accepts is an error.
    """
    from actviz import catalog, symbolic

    used: set[str] = set()
    funcs = []
    for spec in specs:
        if catalog.is_catalog_name(spec):
            entry = catalog.get(spec.split(":", 1)[0])
            mine = {k: v for k, v in params.items() if k in entry.param_names}
        else:
            mine = dict(params)
        used |= set(mine)
        funcs.append(symbolic.load(spec, mine))
    unused = sorted(set(params) - used)
    if unused:
        names = ", ".join(f.name for f in funcs)
        raise ActvizError(f"unknown parameter {unused[0]!r} for {names}")
    return funcs
