"""Shared fixtures: the catalog as test parameters, so a new activation is tested everywhere."""

import os
import shutil
import tempfile

import pytest

from actviz import catalog

os.environ.setdefault("MPLBACKEND", "Agg")
# the symbolic-analysis cache of this run starts empty and is removed at its end (by the
# process that made it); the pytest-xdist workers share the one their controller made
# (entries are written atomically)
_CACHE_PREFIX = "actviz-test-cache-"
_own = os.environ.get("ACTVIZ_CACHE_DIR", "")
_MADE = None
if not (os.environ.get("PYTEST_XDIST_WORKER")
        and os.path.basename(_own).startswith(_CACHE_PREFIX) and os.path.isdir(_own)):
    _MADE = os.environ["ACTVIZ_CACHE_DIR"] = tempfile.mkdtemp(prefix=_CACHE_PREFIX)
# GNU readline (which pytest's capture imports) writes the terminal's size, or 80x24, into the
# C environment, where os.environ does not see it but every subprocess inherits it: the
# xdist workers would then wrap the reports at 80 columns instead of the 100 of "not a terminal"
for _name in ("COLUMNS", "LINES"):
    if _name not in os.environ:
        os.unsetenv(_name)

NAMES = catalog.names()
VARIANTS = [f"{e.name}:{v.name}" for e in catalog.ENTRIES for v in e.variants]
ALL_SPECS = NAMES + VARIANTS

# pytest-xdist (--dist loadgroup, pyproject's addopts) runs the tests of a module that share
# expensive work on one worker instead of repeating the work on each: those that use a
# module- or session-scoped fixture of this suite (the browser, a page, a fit, a compiled
# library), and, in the modules listed here, those of one spec (they memoize the 50-digit
# references of each spec).
MEMOIZED_PER_SPEC = ("tests/kernels/test_formulas.py",)


def xdist_group(item) -> str | None:
    """The group of a test for ``--dist loadgroup``; None: it runs wherever."""
    module = item.nodeid.split("::")[0]
    info = getattr(item, "_fixtureinfo", None)
    if any(fd.scope != "function" and fd.baseid  # baseid "": pytest's and plugins' own
           for defs in (info.name2fixturedefs.values() if info else ()) for fd in defs):
        return module
    spec = getattr(item, "callspec", None) and item.callspec.params.get("spec")
    if module in MEMOIZED_PER_SPEC and spec:
        return f"{module}[{spec}]"
    return None


def pytest_unconfigure(config):
    if _MADE is not None:
        shutil.rmtree(_MADE, ignore_errors=True)


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the marks
def pytest_collection_modifyitems(config, items):
    for item in items:
        group = xdist_group(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(params=ALL_SPECS)
def spec(request):
    """Every catalog entry and every variant."""
    return request.param


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


def run_cli(args, runner=None):
    """Invoke the CLI in-process; returns the click Result (stdout and stderr separate)."""
    from click.testing import CliRunner

    from actviz.cli import main

    runner = runner or CliRunner()
    return runner.invoke(main, args, catch_exceptions=False, prog_name="actviz")
