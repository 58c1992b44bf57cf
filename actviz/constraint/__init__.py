"""``optimize-constraint``: the hard-sigmoid constrained-optimization example, run and explained.

The public face (the rest of actviz uses only these names): :func:`analyse` ->
:class:`ConstraintResult` (``to_dict()``: the JSON), :func:`format_text` (the text report),
:class:`Gate`, :func:`formulation`, :func:`solve`, :func:`basin`, :func:`run_text`,
:func:`run_code`, and the problem's constants.

Inside: :mod:`.problem` (the problems and the solver run), :mod:`.gate` (the activation as a
constraint gate, through ``actviz.kernels``), :mod:`.given` (section 1, the example as given),
:mod:`.basin` (section 3, basin maps and the lesson), :mod:`.slsqp` (the maps' SLSQP runs,
scipy's without ``minimize``'s overhead), :mod:`.analysis` (all sections), :mod:`.report`
(text).
"""

from actviz.constraint.analysis import ConstraintResult, FormulationResult, analyse
from actviz.constraint.basin import basin
from actviz.constraint.gate import Gate, hard_band
from actviz.constraint.given import run_code, run_given, run_text
from actviz.constraint.problem import (
    BOX,
    DEFAULT_FORMULATIONS,
    FORMULATIONS,
    METHODS,
    OPTIMUM,
    OPTIMUM_VALUE,
    OPTIONS,
    REACH_TOL,
    formulation,
    solve,
)
from actviz.constraint.report import format_text

__all__ = ["analyse", "ConstraintResult", "FormulationResult", "format_text", "Gate",
           "hard_band", "formulation", "solve", "basin", "run_text", "run_code", "run_given",
           "BOX", "DEFAULT_FORMULATIONS", "FORMULATIONS", "METHODS", "OPTIMUM", "OPTIMUM_VALUE",
           "OPTIONS", "REACH_TOL"]
