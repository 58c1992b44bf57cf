"""Where numba caches what actviz compiles, decided once, before numba is imported.

numba caches next to the source (``__pycache__`` in the install folder) or in the user's
cache folder; where neither can be written (an install folder and a ``$HOME`` an
unprivileged container user cannot write) every cached function fails with "cannot cache
function ... no locator available". :func:`cache_enabled` prevents that: it keeps numba's
choice where it works, points ``NUMBA_CACHE_DIR`` at a private folder under the system's
temporary folder otherwise, and where even that cannot be written it switches caching off
(compiling in every process) with a one-line notice on stderr.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile


def _writable_dir(path: str) -> bool:
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return False
    return os.path.isdir(path) and os.access(path, os.W_OK | os.X_OK)


def _user_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "numba")


def choose(user_dir: str | None, package_dir: str, user_cache: str,
           tmp_dir: str) -> tuple[str | None, bool, str]:
    """(NUMBA_CACHE_DIR to set or None, caching on, notice) for these folders."""
    if user_dir:  # the user's own choice, where it works
        if _writable_dir(user_dir):
            return None, True, ""
    elif os.access(package_dir, os.W_OK) or _writable_dir(user_cache):
        return None, True, ""
    if _writable_dir(tmp_dir):
        return tmp_dir, True, ""
    return None, False, ("note: numba's cache cannot be written here; compiling without a "
                         "cache (each run compiles what it uses)")


@functools.lru_cache(maxsize=1)
def cache_enabled() -> bool:
    """Decide (once per process) and return whether compiled functions may be cached."""
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    tmp = os.path.join(tempfile.gettempdir(), f"actviz-numba-cache-{uid}")
    folder, enabled, notice = choose(os.environ.get("NUMBA_CACHE_DIR"),
                                     os.path.dirname(os.path.abspath(__file__)),
                                     _user_cache_dir(), tmp)
    if folder is not None:
        os.environ["NUMBA_CACHE_DIR"] = folder
        if "numba" in sys.modules:  # imported before actviz: its config is read already
            sys.modules["numba"].config.CACHE_DIR = folder
    if notice:
        print(notice, file=sys.stderr)
    return enabled


def first_compile(stamp) -> bool:
    """True the first time kernels of this source (``stamp``, the formulas' hash) are
    compiled into the cache: a marker file there, written when this is first asked."""
    if not cache_enabled():
        return False
    here = os.path.dirname(os.path.abspath(__file__))
    folder = os.environ.get("NUMBA_CACHE_DIR") or (
        os.path.join(here, "kernels", "numba_", "__pycache__") if os.access(here, os.W_OK)
        else _user_cache_dir())
    marker = os.path.join(folder, f"actviz-compiled-{stamp}")
    if os.path.exists(marker):
        return False
    try:
        os.makedirs(folder, exist_ok=True)
        with open(marker, "w", encoding="ascii") as fh:
            fh.write("numba kernels compiled for this source\n")
    except OSError:
        pass
    return True


def _scipy_blas_present() -> bool:
    """Whether scipy's BLAS wrappers (``scipy.linalg.cython_blas``) are installed, found by
    file name without importing scipy."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("scipy")
    except (ImportError, ValueError):
        return False
    for folder in (spec.submodule_search_locations or []) if spec else []:
        linalg = os.path.join(folder, "linalg")
        if os.path.isdir(linalg) and any(n.startswith("cython_blas.")
                                         for n in os.listdir(linalg)):
            return True
    return False


def skip_blas_probe() -> None:
    """Keep numba from importing scipy.linalg when it first compiles or loads anything.

    numba's ``numba.np.arraymath`` asks at import (inside the first compile or cache load of
    a process) whether BLAS is available by importing ``scipy.linalg.cython_blas``, that is
    all of scipy.linalg: 0.3-1 s that no actviz loop needs (none calls BLAS). Here that
    module is imported first, its question answered by whether the wrapper file is
    installed, and numba's own check put back, so a loop that does use BLAS (``np.dot``)
    still gets the full check when it compiles. Does nothing where numba's layout differs
    or the module is already imported."""
    if "numba.np.arraymath" in sys.modules:
        return
    try:
        from numba.np import linalg
    except ImportError:
        return
    probe = getattr(linalg, "ensure_blas", None)
    if probe is None:
        return
    have = _scipy_blas_present()

    def answer() -> None:
        if not have:
            raise ImportError("scipy's BLAS is not installed")

    linalg.ensure_blas = answer
    try:
        from numba.np import arraymath
    finally:
        linalg.ensure_blas = probe
    if getattr(arraymath, "ensure_blas", None) is answer:
        arraymath.ensure_blas = probe
