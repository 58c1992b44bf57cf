"""Writing output files atomically: never a half-written file under the name asked for.

:func:`atomic_write` writes into a temporary file next to the target, named
``.NAME.actviz-PID-RANDOM.tmp``, and renames it over the target when complete (the usual
permissions, not mkstemp's 0600). If the process is stopped by SIGTERM or SIGHUP meanwhile,
the temporary file is removed before the signal takes its usual effect; after a SIGKILL
(which nothing can catch) the next write into the same folder removes the stale temporary
files of processes that no longer run. Concurrent writers of the same target each use their
own temporary file; the last rename wins, and a reader never sees a partial file.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading

from actviz.errors import ActvizError

_PATTERN = re.compile(r"^\.(?P<name>.+)\.actviz-(?P<pid>\d+)-[0-9a-f]{8}\.tmp$")
_SIGNALS = [getattr(signal, s) for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s)]
_live: set[str] = set()  # temporary files being written by this process


def temp_name(path: str) -> str:
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".{name}.actviz-{os.getpid()}-{os.urandom(4).hex()}.tmp")


def remove_stale(folder: str) -> None:
    """Remove the temporary files left in ``folder`` by actviz processes that are gone."""
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        m = _PATTERN.match(entry)
        if m is None or _alive(int(m.group("pid"))):
            continue
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(folder, entry))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True


def _on_signal(signum, frame):
    for tmp in list(_live):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _live.clear()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


@contextlib.contextmanager
def _cleanup_on_signals():
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    # a signal this process ignores (``nohup`` ignores SIGHUP) stays ignored: catching it
    # here would turn a hang-up the user asked to survive into the end of the run
    old = {s: signal.signal(s, _on_signal) for s in _SIGNALS
           if signal.getsignal(s) is not signal.SIG_IGN}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def check_writable(path: str) -> None:
    """ActvizError unless ``path`` can be (over)written: its folder exists and is writable,
    and an existing file there is writable too (a read-only file is not replaced)."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ActvizError(f"cannot write {path!r}: folder {folder!r} does not exist")
    if os.path.isdir(path):
        raise ActvizError(f"cannot write {path!r}: it is a folder")
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise ActvizError(f"cannot write {path!r}: permission denied")


def atomic_write(path: str, write) -> str:
    """Call ``write(tmp_path)`` to produce the file, then rename it to ``path``."""
    check_writable(path)
    folder = os.path.dirname(os.path.abspath(path))
    remove_stale(folder)
    tmp = temp_name(path)
    try:
        with _cleanup_on_signals():
            _live.add(tmp)
            write(tmp)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, path)
    except OSError as exc:
        raise ActvizError(f"cannot write {path!r}: {exc.strerror or exc}") from None
    finally:
        _live.discard(tmp)
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
