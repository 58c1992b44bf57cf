"""The CuPy backend: ElementwiseKernels traced from the shared formulas (:mod:`.runner`,
:mod:`.csource`). Importing this package does not import CuPy."""

from actviz.kernels.cupy_.runner import run

__all__ = ["run"]
