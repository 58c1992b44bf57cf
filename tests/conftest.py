"""Shared fixtures: the catalog as test parameters, so a new activation is tested everywhere."""

import os
import tempfile

import pytest

from actviz import catalog

os.environ.setdefault("MPLBACKEND", "Agg")
# the symbolic-analysis cache of this run starts empty and is left behind nowhere else
os.environ["ACTVIZ_CACHE_DIR"] = tempfile.mkdtemp(prefix="actviz-test-cache-")

NAMES = catalog.names()
VARIANTS = [f"{e.name}:{v.name}" for e in catalog.ENTRIES for v in e.variants]
ALL_SPECS = NAMES + VARIANTS


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
