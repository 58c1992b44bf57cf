"""The gallery: every picture actviz makes, regenerated deterministically by one command.

The public face: :func:`items` (every picture, in index order), :func:`select`,
:func:`build` (draw as SVG), :func:`write_index` (``README.md`` with each picture, the
formulas of f, f', f'' in LaTeX, the computed properties and the kink convention), and
:class:`Item`.

Inside: :mod:`.items` (the activations' pictures), :mod:`.analyses` (the analyses'
pictures), :mod:`.build` (drawing and the index file), :mod:`.index` (the index's Markdown).
"""

from actviz.gallery.build import build, select, write_index
from actviz.gallery.items import Item, items

__all__ = ["items", "select", "build", "write_index", "Item"]
