"""Tiny XOR nets: train many seeds per activation, measure where gradients die, explain.

The public face of the analysis (the rest of actviz uses only these names):

- :func:`train_xor` (``acts``, :class:`XorConfig`) -> :class:`XorResult` (``to_dict()`` is
  the JSON of ``actviz train-xor``), :func:`load_acts`, :class:`Act`, :class:`Trainer`;
- :func:`format_text` (the text report), :func:`forward` (a trained net's outputs),
  ``INPUTS``, ``TARGETS``.

Inside: :mod:`.problem` (data, configuration, initialization, losses), :mod:`.net` (the nets
and the NumPy loops), :mod:`.compiled` (the numba loop), :mod:`.run` (training and records),
:mod:`.report` (summary, diagnosis, text).
"""

from actviz.xor.net import Act, batch_eval, forward
from actviz.xor.problem import INPUTS, TARGETS, XorConfig, init_weights
from actviz.xor.report import format_text, wilson
from actviz.xor.run import ActRun, Trainer, XorResult, load_acts, train_xor, trainer_backends

__all__ = ["train_xor", "load_acts", "XorConfig", "XorResult", "ActRun", "Act", "Trainer",
           "trainer_backends", "format_text", "forward", "batch_eval", "init_weights",
           "wilson", "INPUTS", "TARGETS"]
