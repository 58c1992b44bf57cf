"""Options and helpers shared by the commands (defined once)."""

from __future__ import annotations

import json
import os
import sys

import click

from actviz.errors import ActvizError

MAX_FAMILY = 50  # values in one parameter family


class Assignment(click.ParamType):
    """``NAME=VALUE`` with an exact number as VALUE (``alpha=1/6``, ``beta=0.5``), or a family
    ``NAME=V1,V2,...`` / ``NAME=START:STOP:COUNT`` (evenly spaced, ends included): converted
    to ``(name, text)`` or ``(name, (text, ...))``; the one parser of ``-p`` for every
    command."""

    name = "NAME=VALUE"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        try:
            return self._convert(value)
        except ActvizError as exc:
            text = str(exc)
            raise ActvizError(text if text.startswith("-p ") or "NAME=VALUE" in text
                              else f"-p {str(value).strip()}: {text}") from None

    def _convert(self, value):
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
        if ":" in val:
            return key, _spaced(key, val)
        if "," in val:
            values = tuple(v.strip() for v in val.split(","))
            if len(values) > MAX_FAMILY:
                raise ActvizError(f"-p {key}: at most {MAX_FAMILY} values, got {len(values)}")
            for v in values:
                parse_number(v)
            return key, values
        parse_number(val)
        return key, val


def _spaced(key: str, val: str) -> tuple[str, ...]:
    """START:STOP:COUNT as exact texts (decimals where they terminate)."""
    from actviz.catalog import parse_number
    from actviz.text import exact

    parts = val.split(":")
    if len(parts) != 3 or not parts[2].strip().isdigit():
        raise ActvizError(f"-p {key}={val}: a range is START:STOP:COUNT, e.g. 0.5:2:4")
    lo, hi, n = parse_number(parts[0]), parse_number(parts[1]), int(parts[2])
    if not 2 <= n <= MAX_FAMILY:
        raise ActvizError(f"-p {key}={val}: COUNT must be from 2 to {MAX_FAMILY}, got {n}")
    return tuple(exact(lo + (hi - lo) * i / (n - 1)) for i in range(n))


def parse_params(pairs) -> dict[str, str | tuple[str, ...]]:
    """The ``-p`` pairs as a dict (a name given twice is an error)."""
    out: dict = {}
    for item in pairs:
        key, val = Assignment().convert(item, None, None)
        if key in out and out[key] != val:
            raise ActvizError(f"parameter {key!r} is given twice ({out[key]} and {val})")
        out[key] = val
    return out


def single_values(params: dict, command: str) -> dict[str, str]:
    """``params`` for a command that takes one function: families are refused."""
    for key, val in params.items():
        if isinstance(val, tuple):
            raise ActvizError(f"{command} takes one value per parameter; -p {key} has "
                              f"{len(val)}: draw a family with actviz plot")
    return params


param_option = click.option(
    "-p", "--param", "params", multiple=True, type=Assignment(), metavar="NAME=VALUE",
    help="Set a parameter (repeatable), e.g. -p alpha=1/6 (exact fractions are kept), or a "
         "family: -p alpha=0.5,1,2 or -p alpha=0.5:2:4 (START:STOP:COUNT); each goes to "
         "every NAME that takes it.",
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


quiet_option = click.option("-q", "--quiet", is_flag=True,
                            help="No progress bar or notes on stderr.")


def terminal_width() -> int:
    """Columns for text output: the terminal's ($COLUMNS first), 100 when not a terminal,
    never under 60."""
    import shutil

    return max(shutil.get_terminal_size((100, 24)).columns, 60)


def echo_text(text: str) -> None:
    """A report on stdout, its prose lines wrapped to the terminal width."""
    from actviz.text import fit

    click.echo(fit(text, terminal_width()))


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


def progress(iterable=None, *, length=None, label="", show=True, item_label=None):
    """click's progress bar on stderr, shown only when stderr is a terminal (and ``show``);
    use as ``with progress(items, label="auditing") as bar: for it in bar: ...``."""
    on = show and is_tty()
    kwargs = {"item_show_func": item_label} if item_label else {}
    return click.progressbar(iterable, length=length, label=label, file=progress_stream(on),
                             show_pos=length is not None, **kwargs)


def split_list(values) -> list[str]:
    """Repeatable options and comma lists alike: ``("a,b", "c")`` -> ``["a", "b", "c"]``,
    split only at top-level commas (``where(x > 0, x, 0)`` stays whole)."""
    out = []
    for value in values:
        depth, start = 0, 0
        for i, ch in enumerate(value):
            depth += ch in "([{"
            depth -= ch in ")]}"
            if ch == "," and depth == 0:
                out.append(value[start:i])
                start = i + 1
        out.append(value[start:])
    return [v.strip() for v in out if v.strip()]


def names_from(names, acts=()) -> list[str]:
    """Positional NAMEs and --act values (both repeatable or comma lists), in order."""
    return split_list(tuple(names) + tuple(acts))


MAX_DERIVATIVES = 6  # the same range for show, check and plot


def derivatives_option(default: int, minimum: int = 0, maximum: int = MAX_DERIVATIVES,
                       what: str = "Highest derivative order"):
    """``--derivatives/-d`` (``--order`` kept as an alias): one spelling for every command."""
    return click.option(
        "--derivatives", "-d", "--order", "derivatives", type=int, default=default,
        show_default=True, help=f"{what} ({minimum} to {maximum}).")


def check_derivatives(value: int, minimum: int = 0, maximum: int = MAX_DERIVATIVES) -> int:
    if not minimum <= value <= maximum:
        raise ActvizError(f"--derivatives (--order) must be from {minimum} to {maximum}, "
                          f"got {value}")
    return value


dpi_option = click.option("--dpi", type=click.FloatRange(10, 1200), default=None,
                          help="Resolution of a PNG figure (default 120).")
no_cache_option = click.option(
    "--no-cache", is_flag=True,
    help="Compute the symbolic analysis afresh instead of reading it from the cache.")


def numba_hint(what: str = "this") -> None:
    """One line on stderr where a command runs on the NumPy fallback, much slower."""
    from actviz import kernels

    if "numba" not in kernels.backends() and is_tty():
        click.echo(f"note: numba is not installed, so {what} runs on the NumPy fallback "
                   "(several times slower): pip install 'actviz[numba]'", err=True)


def compile_notice(seconds: float) -> None:
    """Say once, on a terminal, that numba compiles kernels for this install."""
    from actviz import kernels, numba_env

    if "numba" not in kernels.backends() or not is_tty():
        return
    if numba_env.first_compile(kernels.source_stamp()):
        click.echo(f"compiling the numba kernels once for this install (about {seconds:g} s; "
                   "later runs read them from the cache)", err=True)


def load_functions(specs, params, free: bool = False):
    """symbolic.Function for each NAME/expression (the one -p rule:
    :func:`actviz.symbolic.load_all`)."""
    from actviz import symbolic

    return symbolic.load_all(specs, params, free=free)
