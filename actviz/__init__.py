"""actviz: analysis and visualization of neural-network activation functions.

Importing the package is cheap: numpy, sympy, scipy and matplotlib are imported only
by the modules that need them.
"""

__version__ = "0.1.0"

from actviz.errors import ActvizError  # noqa: E402

__all__ = ["ActvizError", "__version__"]
