"""Log and symlog axes with plain-text tick labels: 10⁻³, 2×10⁻³, −10², 0.

matplotlib labels these axes with mathtext (``$\\mathdefault{10^{-3}}$``), and the first
mathtext string a process draws builds matplotlib's mathtext parser (about 0.1 s, a fifth of
a small figure's save). Every figure of actviz writes its text as Unicode instead (the
function panels' f′(x), f⁽⁴⁾(x); these ticks), so that no command pays for that parser.
"""

from __future__ import annotations

import functools
import math

from actviz.text import superscript


def power_label(v: float) -> str:
    """``v`` as m×10ᵉ in Unicode (``10⁻³``, ``2×10⁻³``, ``−10²``, ``0``), m to 3 digits."""
    if v == 0 or not math.isfinite(v):
        return "0" if v == 0 else str(v)
    sign = "\u2212" if v < 0 else ""
    a = abs(v)
    e = math.floor(math.log10(a) + 1e-9)
    m = a / 10.0 ** e
    power = "10" + superscript(str(e))
    if math.isclose(m, 1.0, rel_tol=1e-9):
        return sign + power
    return f"{sign}{m:.3g}\u00d7{power}"


@functools.cache
def _formatter_class():
    from matplotlib.ticker import LogFormatter

    class PowerFormatter(LogFormatter):
        """matplotlib's LogFormatter (which ticks get a label: decades, and the minor
        ticks of a short range) with :func:`power_label`'s text, the sign kept (symlog)."""

        def __call__(self, x, pos=None):
            if x == 0.0:
                return "0"
            text = super().__call__(abs(x), pos)
            return "" if not text else power_label(-abs(x) if x < 0 else abs(x))

        def _num_to_string(self, x, vmin, vmax):
            return power_label(x)

    return PowerFormatter


def log_scale(ax, axis: str = "y", scale: str = "log", **kw) -> None:
    """``ax.set_{axis}scale(scale, **kw)`` (``log`` or ``symlog``) with plain-text ticks
    where matplotlib would put its own (both of log's tick kinds, symlog's major ones)."""
    getattr(ax, f"set_{axis}scale")(scale, **kw)
    plain_ticks(ax.yaxis if axis == "y" else ax.xaxis, scale, kw.get("base", 10))


def plain_ticks(axis, scale: str = "log", base: float = 10) -> None:
    """Plain-text formatters on a matplotlib Axis already on a log or symlog scale (a
    colorbar's of a LogNorm, say)."""
    cls = _formatter_class()
    axis.set_major_formatter(cls(base=base))
    if scale == "log":
        axis.set_minor_formatter(cls(base=base, labelOnlyBase=False))
