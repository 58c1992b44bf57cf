"""Figures: matplotlib with the Agg backend, deterministic output, atomic writes.

Each analysis has its own drawing module here (``functions``, ``xor``, ``constraint``,
``stability``, ``bench``); they share :func:`new_figure`, :func:`save` and the style.
"""

from __future__ import annotations

import os

from actviz.errors import ActvizError

STYLE = {
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": 120,
    "font.size": 9,
    "legend.fontsize": 8,
    "svg.hashsalt": "actviz",  # deterministic SVG ids
    "svg.fonttype": "path",
    "path.simplify": True,
}
# zero-gradient shading and kink markers, shared by every figure
ZERO_GRAD_COLOR = "#d62728"
ZERO_GRAD_ALPHA = 0.08
KINK_COLOR = "0.35"


def pyplot():
    """matplotlib.pyplot on the Agg backend with actviz's style."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update(STYLE)
    return plt


def save(fig, path: str, dpi: float | None = None) -> str:
    """Write ``fig`` to ``path`` atomically (:func:`actviz.files.atomic_write`); format from
    the extension; ``dpi`` for raster output (default 120). No timestamps or
    software-version metadata, so the same input gives the same bytes."""
    from actviz.files import atomic_write

    ext = os.path.splitext(path)[1].lower().lstrip(".")
    metadata = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
                "pdf": {"CreationDate": None, "ModDate": None, "Producer": None,
                        "Creator": None}}.get(ext)
    if metadata is None:
        raise ActvizError(f"unknown figure format {ext!r} (png, svg, pdf)")
    try:
        return atomic_write(path, lambda tmp: fig.savefig(
            tmp, format=ext, metadata=metadata, bbox_inches="tight",
            dpi=dpi or STYLE["savefig.dpi"]))
    finally:
        pyplot().close(fig)
