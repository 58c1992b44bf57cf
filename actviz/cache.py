"""A disk cache of the symbolic analysis of a resolved function: kinks and properties
(``actviz show``), the marks of a plot (kinks, f' = 0 intervals, extrema).

Computing the properties of a function takes sympy seconds (limits, solving conditions, the
high-precision checks); the answer depends only on the function and on the code and
libraries that compute it. So :func:`actviz.describe.describe` and
:mod:`actviz.figures.marks` store it in a cache folder
(``$ACTVIZ_CACHE_DIR``, else ``$XDG_CACHE_HOME/actviz`` or ``~/.cache/actviz``; a private
folder under the system's temporary folder where that cannot be written; nothing where
neither can), keyed by a hash of the function's identity (:func:`identity`), the versions of
actviz, sympy, mpmath, numpy and scipy, and the source of the modules that compute the
analysis, so a changed install never reads an old answer. Entries hold plain records
(floats, strings, :mod:`actviz.kink_records`), so reading one imports no sympy.
``use=False`` (the commands' ``--no-cache``) bypasses it. Entries are written atomically;
a damaged entry is recomputed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile

from actviz import __version__

_SOURCES = ("catalog/entries.py", "catalog/records.py", "catalog/__init__.py", "expr.py",
            "symbolic.py", "numeric.py", "pieces.py", "kinks.py", "kink_records.py",
            "properties.py", "domain.py", "critical.py", "gauss.py", "sym_functions.py",
            "describe.py", "render.py", "figures/marks.py", "xor/net.py")


def _versions() -> tuple:
    """The versions of the libraries the analysis runs on, read from their installed
    metadata (no import: a cached plot does not import sympy)."""
    from importlib import metadata

    out = []
    for dist in ("sympy", "mpmath", "numpy", "scipy"):
        try:
            out.append(metadata.version(dist))
        except metadata.PackageNotFoundError:
            out.append(None)
    return tuple(out)


def _hash_sources(h, sources) -> None:
    root = os.path.dirname(os.path.abspath(__file__))
    for rel in sources:
        with open(os.path.join(root, rel), "rb") as fh:
            h.update(fh.read())


@functools.lru_cache(maxsize=1)
def _stamp() -> str:
    h = hashlib.sha256()
    h.update(repr((__version__,) + _versions()).encode())
    _hash_sources(h, _SOURCES)
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


def identity(func) -> tuple:
    """What determines a function's analysis: a catalog entry by its resolved name,
    parameter values and expression text (no sympy needed); an expression by its sympy
    tree and parameters."""
    res = getattr(func, "resolved", None)
    if res is not None:
        return ("catalog", res.name, tuple(sorted(res.params.items())), res.expr)
    import sympy

    return ("expr", sympy.srepr(func.expr), func.name, tuple(sorted(func.params.items())))


def key(func, *what) -> str:
    """The cache key of the analysis ``what`` (a tuple of plain values) of ``func``."""
    text = repr((_stamp(), identity(func)) + what)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def key_of(what: tuple, sources: tuple[str, ...] = ()) -> str:
    """The cache key of a computation that is not a function's analysis: ``what`` (plain
    values naming its inputs) under the stamp of the symbolic cache and the source of the
    modules ``sources`` (paths inside the package) that compute it."""
    h = hashlib.sha256(_stamp().encode())
    _hash_sources(h, sources)
    h.update(repr(what).encode())
    return h.hexdigest()[:40]


def through(k: str, compute, keep=None):
    """The entry ``k``, or ``compute()`` stored under it (unless ``keep(value)`` is false:
    an answer cut short by a budget is not kept)."""
    hit = load(k)
    if hit is not None:
        return hit
    value = compute()
    if keep is None or keep(value):
        store(k, value)
    return value


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
