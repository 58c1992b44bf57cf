"""Signal propagation at initialization (mean-field theory) for any activation.

The public face of the analysis (the rest of actviz uses only these names):

- :func:`run_signal` (``specs``, :class:`SignalConfig`) -> :class:`SignalResult`
  (``to_dict()`` is the JSON of ``actviz signal``); :func:`format_text`, the text report;
- :func:`load` (activations as :class:`Phi`), :func:`point` (the maps at one
  (sigma_w, sigma_b)), :func:`edge_of_chaos`, :func:`gains`, :func:`simulate` /
  :class:`SimConfig` (a random deep net through actviz.kernels), :func:`landscape`,
  :func:`predicted_layers`, :func:`expect` / :func:`expect_pair` (exact Gaussian integrals),
  :func:`figure_data` / :func:`phase_grid` (what the figure draws), ``DEFAULT_SIGMA_B``.

Inside: :mod:`.quadrature` (Gauss-Legendre panels split at the kinks), :mod:`.act`,
:mod:`.maps` (length and correlation maps, fixed points, depth scales, phase), :mod:`.eoc`
(edge of chaos, gains), :mod:`.simulate`, :mod:`.phase` (figure data), :mod:`.run`,
:mod:`.report`.

The package is ``meanfield`` rather than ``signal`` (DESIGN.md's name): a ``tests/signal``
folder would shadow the standard library's ``signal`` module under pytest.
"""

from actviz.meanfield.act import Phi, load
from actviz.meanfield.eoc import DEFAULT_SIGMA_B, EdgeOfChaos, edge_of_chaos, gains
from actviz.meanfield.maps import Point, point, predicted_layers
from actviz.meanfield.phase import figure_data, phase_grid
from actviz.meanfield.quadrature import expect, expect_pair
from actviz.meanfield.report import format_text
from actviz.meanfield.run import INITS, SignalConfig, SignalResult, run_signal
from actviz.meanfield.simulate import SimConfig, landscape, simulate

__all__ = ["run_signal", "SignalConfig", "SignalResult", "format_text", "load", "Phi",
           "point", "Point", "edge_of_chaos", "EdgeOfChaos", "gains", "simulate", "SimConfig",
           "landscape", "predicted_layers", "expect", "expect_pair", "INITS",
           "DEFAULT_SIGMA_B", "figure_data", "phase_grid"]
