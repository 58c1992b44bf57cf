"""Drawing the gallery: choose items, draw them as SVG, write the index ``README.md``."""

from __future__ import annotations

import fnmatch
import os

from actviz import catalog
from actviz.errors import ActvizError
from actviz.gallery.items import Item, items


def select(all_items: list[Item], patterns: tuple[str, ...]) -> list[Item]:
    """Items whose key or title matches any pattern (glob; a bare name matches its file)."""
    if not patterns:
        return all_items
    chosen = []
    for it in all_items:
        name = it.key.split("/")[-1]
        if any(fnmatch.fnmatch(it.key, p) or fnmatch.fnmatch(name, p) for p in patterns):
            chosen.append(it)
    if not chosen:
        raise ActvizError(f"no gallery picture matches {', '.join(patterns)} "
                          f"(keys look like functions/mish, overlays/*, xor/*)")
    return chosen


def build(out: str, chosen: list[Item], progress=None) -> list[str]:
    """Draw ``chosen`` into ``out``; returns the paths written."""
    from actviz.figures import save
    from actviz.files import check_writable

    paths = [os.path.join(out, it.path) for it in chosen]
    for path in paths:  # before any drawing: a folder in the way, or a read-only file
        folder = os.path.dirname(path)
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise ActvizError(f"cannot create {folder!r}: {exc.strerror or exc}") from None
        check_writable(path)
    written = []
    for it, path in zip(chosen, paths):
        written.append(save(it.draw(), path))
        if progress is not None:
            progress(it)
    return written


def write_index(out: str) -> str:
    """Describe every catalog entry and write ``out/README.md``; returns its path."""
    from actviz import symbolic
    from actviz.describe import describe
    from actviz.gallery import index

    descriptions = [describe(symbolic.load(name), 2) for name in catalog.names()]
    text = index.render(items(), descriptions)
    from actviz.files import atomic_write

    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)

    return atomic_write(os.path.join(out, "README.md"), write)
