"""Figures: matplotlib, deterministic output, atomic writes.

Each analysis has its own drawing module here (``functions``, ``xor``, ``constraint``,
``stability``, ``bench``); they share :func:`pyplot`, :func:`styled`, :func:`save` and the
style. Figures are ``matplotlib.figure.Figure`` objects made without pyplot: no backend is
chosen, no global figure manager or rcParams are touched, so drawing from a notebook leaves
the user's own plotting session as it was (the figure displays, or saves, by itself). The
style applies while a drawing function runs (``@styled``) and while a figure is saved.
"""

from __future__ import annotations

import contextlib
import functools
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


@functools.cache
def figure_class():
    """``matplotlib.figure.Figure`` that a notebook displays by itself (``_repr_png_``),
    whether or not pyplot and an inline backend were ever loaded."""
    from matplotlib.figure import Figure

    class ActvizFigure(Figure):
        def _repr_png_(self):
            import io

            buf = io.BytesIO()
            with style():
                self.savefig(buf, format="png", bbox_inches="tight")
            return buf.getvalue()

    return ActvizFigure


class _Figures:
    """The two pyplot calls the drawing modules use, without pyplot's global state."""

    @staticmethod
    def figure(**kwargs):
        """A Figure on an Agg canvas of its own (as pyplot's Agg backend gave it: a renderer
        for measuring text), attached directly: no backend is selected."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig = figure_class()(**kwargs)
        FigureCanvasAgg(fig)
        return fig

    @staticmethod
    def subplots(nrows=1, ncols=1, *, figsize=None, layout=None, **kwargs):
        fig = _Figures.figure(figsize=figsize, layout=layout)
        return fig, fig.subplots(nrows, ncols, **kwargs)

    @staticmethod
    def close(fig):
        """Nothing to release: no figure manager holds the figure."""


def pyplot():
    """``figure`` and ``subplots`` as pyplot has them, making pyplot-free Figures (call it
    within :func:`styled` for actviz's style)."""
    return _Figures


@contextlib.contextmanager
def style():
    """actviz's style (rcParams) for the duration of a block, restored afterwards."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        yield


def styled(draw):
    """Decorator: run a drawing function under :func:`style`."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with style():
            return draw(*args, **kwargs)

    return wrapper


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
    with style():
        return atomic_write(path, lambda tmp: fig.savefig(
            tmp, format=ext, metadata=metadata, bbox_inches="tight",
            dpi=dpi or STYLE["savefig.dpi"]))
