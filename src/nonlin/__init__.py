"""Helpers for the course "Why neural networks need nonlinear activation functions".

Modules:

* ``activations``: activations and derivatives matching PyTorch, with a registry; numpy code,
  or the same formulas as compiled loops (``_kernels``);
* ``affine``: stacks of affine layers, composed into one or run with an activation between;
* ``regions``: linear pieces and regions of ReLU networks, counted exactly; sawtooth and
  interpolating networks built by hand;
* ``derivatives``: central differences, and how their error depends on the step;
* ``backprop``: a two-layer ReLU network with its backward pass written by hand;
* ``circuits`` and ``schematics``: diodes and rectifiers, simulated and drawn;
* ``training``: networks by activation and initialisation, a deterministic training loop,
  per-layer gradient norms;
* ``plotting``: the book's figure style; ``interactive``: slider figures for the site and
  JupyterLab;
* ``exercises``: ``check(exercise, answer)`` for self-checking exercises;
* ``timing`` and ``benchmark``: timing with warm-up and repeats; ``python -m nonlin.benchmark``;
* ``notebook``: the reproducible setup every notebook starts with.
"""

from . import (
    activations, affine, backprop, circuits, derivatives, exercises, interactive, plotting, regions,
    schematics, training,
)
from .activations import ACTIVATIONS, Activation
from .notebook import setup_notebook

__all__ = [
    "ACTIVATIONS", "Activation", "activations", "affine", "backprop", "circuits", "derivatives",
    "exercises", "interactive", "plotting", "regions", "schematics", "training", "setup_notebook",
]
__version__ = "0.1.0"
