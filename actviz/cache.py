"""A disk cache of the symbolic analysis: kinks and properties of a resolved function.

Computing the properties of a function takes sympy seconds (limits, solving conditions, the
high-precision checks); the answer depends only on the function and on the code and
libraries that compute it. So :func:`describe` stores it in a cache folder
(``$ACTVIZ_CACHE_DIR``, else ``$XDG_CACHE_HOME/actviz`` or ``~/.cache/actviz``; a private
folder under the system's temporary folder where that cannot be written; nothing where
neither can), keyed by a hash of the function's expression and parameters, the versions of
actviz, sympy, mpmath, numpy and scipy, and the source of the modules that compute the
analysis, so a changed install never reads an old answer. ``use=False`` (the commands'
``--no-cache``) bypasses it. Entries are written atomically; a damaged entry is recomputed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile

from actviz import __version__

_SOURCES = ("catalog/entries.py", "expr.py", "symbolic.py", "numeric.py", "pieces.py",
            "kinks.py", "properties.py", "domain.py", "critical.py", "gauss.py",
            "sym_functions.py", "describe.py")


@functools.lru_cache(maxsize=1)
def _stamp() -> str:
    import mpmath
    import numpy
    import scipy
    import sympy

    h = hashlib.sha256()
    h.update(repr((__version__, sympy.__version__, mpmath.__version__, numpy.__version__,
                   scipy.__version__)).encode())
    root = os.path.dirname(os.path.abspath(__file__))
    for rel in _SOURCES:
        with open(os.path.join(root, rel), "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def folder() -> str | None:
    """The cache folder, created; None where none can be written."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    own = os.environ.get("ACTVIZ_CACHE_DIR")
    for path in ((own,) if own else ()) + (os.path.join(base, "actviz"),
                 os.path.join(tempfile.gettempdir(), f"actviz-cache-{uid}")):
        try:
            os.makedirs(path, exist_ok=True)
        except OSError:
            continue
        if os.access(path, os.W_OK | os.X_OK):
            return path
    return None


def key(func, order: int) -> str:
    import sympy

    text = repr((_stamp(), sympy.srepr(func.expr), func.name, sorted(func.params.items()),
                 order))
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def load(k: str):
    path = folder()
    if path is None:
        return None
    try:
        with open(os.path.join(path, k + ".pickle"), "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return None


def store(k: str, value) -> None:
    path = folder()
    if path is None:
        return
    from actviz.files import atomic_write

    def write(tmp):
        with open(tmp, "wb") as fh:
            pickle.dump(value, fh, protocol=4)

    try:
        atomic_write(os.path.join(path, k + ".pickle"), write)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache
        pass
