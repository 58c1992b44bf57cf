"""The README's recorded outputs are what the current version prints (a terminal 100
columns wide). Blocks with ``...`` are excerpts: their lines must appear, in order; the
timings of ``bench`` are not compared."""

from __future__ import annotations

import os
import re
import shlex

import pytest

from conftest import run_cli

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")
SKIP = ("actviz bench",)  # timings of one machine
# where SLSQP ends on the smooth gate depends on the last bits of the kernels' sigmoid, so
# this block is the numba backend's (the README says what the NumPy fallback prints)
NUMBA_ONLY = ("actviz optimize-constraint",)
# lines whose numbers depend on the CPU's code paths in the libraries below actviz; there
# only the words are compared (seen on an AVX2-only CPU against the AVX-512 one recorded):
VARIES = {
    # where SLSQP's failed runs stop, and after how many iterations, follows OpenBLAS's
    # kernels for the CPU (OPENBLAS_CORETYPE=Haswell and Sandybridge differ as well)
    "actviz optimize-constraint": re.compile(r"^   (hard|smooth) +\("),
    # the naive float16 softplus runs through NumPy's float32 exp and log, whose SIMD
    # code differs by CPU: one point more or less lost
    "actviz stability": re.compile(r"\+\d+ more \(\d+ pts\)$"),
}
_NUMBER = re.compile(r"\d+(\.\d+)?(e[+-]\d+)?")


def _words(cmd: str, lines: list) -> list:
    """lines with the numbers of VARIES's lines of cmd masked (and their spacing, which
    follows the numbers' widths)."""
    pattern = next((v for k, v in VARIES.items() if cmd.startswith(k)), None)
    if pattern is None:
        return lines
    return [" ".join(_NUMBER.sub("#", ln).split()) if pattern.search(ln) else ln
            for ln in lines]


def _blocks():
    with open(README, encoding="utf-8") as fh:
        text = fh.read()
    out = []
    for body in re.findall(r"```\n(\$ actviz .*?)```", text, flags=re.S):
        lines = body.rstrip("\n").splitlines()
        cmd = lines[0][2:]
        if not any(cmd.startswith(s) for s in SKIP):
            out.append((cmd, lines[1:]))
    return out


BLOCKS = _blocks()


def test_readme_has_recorded_outputs():
    assert len(BLOCKS) >= 8


@pytest.mark.parametrize("cmd,want", BLOCKS, ids=[c for c, _ in BLOCKS])
def test_recorded_output_is_current(cmd, want, monkeypatch, tmp_path):
    from actviz import kernels

    if "numba" not in kernels.backends() and cmd.startswith(NUMBA_ONLY):
        pytest.skip("recorded with the numba backend; the NumPy fallback ends SLSQP elsewhere")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.chdir(tmp_path)
    r = run_cli(shlex.split(cmd)[1:])
    got = [ln.rstrip() for ln in r.output.splitlines()]
    want = [ln.rstrip() for ln in want]
    if "numba" not in kernels.backends():  # recorded with numba: the same numbers on NumPy
        want = [ln.replace("[numba]", "[numpy]") for ln in want]
    want, got = _words(cmd, want), _words(cmd, got)
    if not any(ln.strip() == "..." for ln in want):
        assert got == want
        return
    pos = 0
    for ln in want:
        if ln.strip() == "...":
            continue
        assert ln in got[pos:], f"not printed (in order): {ln!r}"
        pos = got.index(ln, pos) + 1
