"""Options and helpers shared by the commands (defined once)."""

from __future__ import annotations

import json
import os
import sys

import click

from actviz.errors import ActvizError


class Assignment(click.ParamType):
    """``NAME=VALUE`` with an exact number as VALUE (``alpha=1/6``, ``beta=0.5``): converted
    to ``(name, text)``; the one parser of ``-p`` for every command."""

    name = "NAME=VALUE"

    def convert(self, value, param, ctx):
        from actviz.catalog import parse_number

        if isinstance(value, tuple):
            return value
        key, sep, val = str(value).partition("=")
        key, val = key.strip(), val.strip()
        if not sep or not key or not val:
            raise ActvizError(f"parameters are given as NAME=VALUE, got {value!r}")
        if not key.isidentifier() or key == "x":
            why = "x is the variable" if key == "x" else "not an identifier"
            raise ActvizError(f"not a parameter name: {key!r} in {value!r} ({why})")
        parse_number(val)
        return key, val


def parse_params(pairs) -> dict[str, str]:
    """The ``-p`` pairs as a dict (a name given twice is an error)."""
    out: dict[str, str] = {}
    for item in pairs:
        key, val = Assignment().convert(item, None, None)
        if key in out and out[key] != val:
            raise ActvizError(f"parameter {key!r} is given twice ({out[key]} and {val})")
        out[key] = val
    return out


param_option = click.option(
    "-p", "--param", "params", multiple=True, type=Assignment(), metavar="NAME=VALUE",
    help="Set a parameter (repeatable), e.g. -p alpha=1/6. Exact fractions are kept; each "
         "goes to every NAME that takes it.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def echo_json(obj) -> None:
    click.echo(json.dumps(obj, indent=2, allow_nan=False))


FIGURE_FORMATS = ("png", "svg", "pdf")


def check_output_path(path: str) -> str:
    """Validate an output file path before any work: known extension, writable folder."""
    from actviz.files import check_writable

    if not str(path).strip():
        raise ActvizError("the output path is empty")
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in FIGURE_FORMATS:
        raise ActvizError(
            f"unknown file extension {'.' + ext if ext else '(none)'} for {path!r} "
            f"(use {', '.join('.' + f for f in FIGURE_FORMATS)})"
        )
    check_writable(path)
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


def load_functions(specs, params: dict[str, str]):
    """symbolic.Function for each NAME/expression (the one -p rule:
    :func:`actviz.symbolic.load_all`)."""
    from actviz import symbolic

    return symbolic.load_all(specs, params)
