"""Faults around the commands: signals during a save, stale temporary files, concurrent
writers, an unwritable numba cache, Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from actviz import files, numba_env

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _python(code: str, **env):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env={**os.environ, **env},
                          preexec_fn=_default_signals)


def _default_signals():
    """In the child before exec: the default action for the signals these tests send. A
    shell without job control starts background jobs with SIGINT ignored (``pytest &``,
    ``nohup``), and an ignored signal stays ignored across exec: the child would not see it."""
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_a_save_leaves_no_file(tmp_path, sig):
    target = tmp_path / "fig.png"
    r = _python(f"""
        import os, signal
        from actviz.files import atomic_write
        def write(tmp):
            open(tmp, "wb").write(b"half")
            os.kill(os.getpid(), signal.{sig})
        atomic_write({str(target)!r}, write)
    """)
    assert r.returncode == -getattr(signal, sig)  # the signal's own effect, after cleaning
    assert os.listdir(tmp_path) == []


def test_a_save_under_nohup_survives_a_hang_up(tmp_path):
    target = tmp_path / "fig.png"
    r = _python(f"""
        import os, signal
        from actviz.files import atomic_write
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # what nohup does
        def write(tmp):
            open(tmp, "wb").write(b"whole")
            os.kill(os.getpid(), signal.SIGHUP)
        atomic_write({str(target)!r}, write)
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    """)
    assert r.returncode == 0, r.stderr
    assert os.listdir(tmp_path) == ["fig.png"] and target.read_bytes() == b"whole"


def test_stale_temporary_files_are_removed_and_live_ones_kept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid that no longer runs
    stale = tmp_path / f".fig.png.actviz-{dead.pid}-deadbeef.tmp"
    live = tmp_path / f".fig.png.actviz-{os.getppid()}-cafebabe.tmp"
    stale.write_bytes(b"")
    live.write_bytes(b"")
    files.atomic_write(str(tmp_path / "other.svg"), lambda tmp: open(tmp, "w").write("<svg/>"))
    assert not stale.exists() and live.exists()
    assert (tmp_path / "other.svg").read_text() == "<svg/>"


def test_concurrent_writers_each_use_their_own_temporary_file(tmp_path):
    target = str(tmp_path / "README.md")
    errors = []

    def write(i):
        try:
            for _ in range(20):
                files.atomic_write(target, lambda tmp: open(tmp, "w").write(f"{i}\n" * 1000))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    lines = open(target).read().splitlines()
    assert len(lines) == 1000 and len(set(lines)) == 1  # one writer's whole file
    assert os.listdir(tmp_path) == ["README.md"]


def test_cache_folder_choice(tmp_path):
    ok = str(tmp_path / "ok")
    bad = "/proc/no-such-folder/numba"
    assert numba_env.choose(None, str(tmp_path), bad, ok) == (None, True, "")
    assert numba_env.choose(bad, str(tmp_path), bad, ok) == (ok, True, "")
    folder, enabled, note = numba_env.choose(None, "/proc", bad, bad)
    if os.access("/proc", os.W_OK):
        pytest.skip("root may write /proc's entries")
    assert (folder, enabled) == (None, False) and "without a cache" in note


def test_an_unwritable_numba_cache_falls_back_to_a_private_folder():
    pytest.importorskip("numba")
    r = _python("""
        import numpy as np, os
        from actviz import kernels
        print(kernels.forward("mish", np.linspace(-1, 1, 5)).sum())
        print(os.environ["NUMBA_CACHE_DIR"])
    """, NUMBA_CACHE_DIR="/proc/actviz-not-writable")
    assert r.returncode == 0, r.stderr
    assert "actviz-numba-cache" in r.stdout and r.stderr == ""


def test_ctrl_c_exits_130():
    p = subprocess.Popen([sys.executable, "-m", "actviz", "train-xor", "--seeds", "20000",
                          "--epochs", "200000", "--backend", "numpy", "-q"], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=_default_signals)
    try:
        time.sleep(4)
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=60)
    finally:
        p.kill()  # never left training for hours when the signal did not stop it
        p.wait()
    assert p.returncode == 130, err
    assert "Traceback" not in err
