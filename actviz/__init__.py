"""actviz: analysis and visualization of neural-network activation functions.

Importing the package is cheap: numpy, sympy, scipy and matplotlib are imported only
by the modules that need them.
"""

__version__ = "0.1.0"

from actviz.errors import ActvizError  # noqa: E402


def load(spec: str, /, **params):
    """``actviz.load("elu", alpha=2)``: an activation (a catalog name, alias,
    ``NAME:VARIANT`` or an expression in x) that a notebook displays well (see
    :mod:`actviz.notebook`)."""
    from actviz.notebook import load as _load

    return _load(spec, **params)


__all__ = ["ActvizError", "__version__", "load"]
