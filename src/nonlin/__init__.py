"""Helpers for the course "Why neural networks need nonlinear activation functions".

Plain Python on numpy, scipy and torch, one topic per module:

* ``activations``: activations and derivatives matching PyTorch, stable for every input,
  with the registry ``ACTIVATIONS``;
* ``affine``: stacks of affine layers, composed into one or run with an activation between;
* ``regions``: linear pieces and regions of ReLU networks, counted exactly; sawtooth and
  interpolating networks built by hand;
* ``finite_differences``: central and fourth-order differences, the complex step, and how their
  error depends on the step;
* ``backprop``: a two-layer ReLU network with its backward pass written by hand;
* ``circuits`` and ``schematics``: diodes and rectifiers, simulated and drawn;
* ``datasets``: the digits and two spirals; ``training``: networks by activation and
  initialisation, a deterministic training loop; ``ensembles``: many copies of a network
  trained side by side as one batched computation; ``probes``: measurements of a network and
  its training (accuracy, gradient norms per layer, activation outputs, dead units);
* ``saved_tensors``: what autograd keeps for the backward pass, counted by storage;
* ``reproducible``: seeds, one thread, the hash seed; ``notebook``: ``setup_notebook``, the
  reproducible start of every notebook;
* ``plotting``: the book's figure style; ``interactive``: slider figures for the site and
  JupyterLab; ``exercises``: ``check(exercise, answer)`` for self-checking exercises;
* ``timing`` and ``benchmark``: timing with warm-up and repeats; ``python -m nonlin.benchmark``;
* ``caches``: cache sizes and glibc's non-temporal threshold; ``kernels``: fused loops compiled
  by Numba (imported on its own: ``from nonlin import kernels``, not by ``import nonlin``).
"""

from . import (
    activations,
    affine,
    backprop,
    circuits,
    datasets,
    exercises,
    finite_differences,
    interactive,
    plotting,
    probes,
    regions,
    reproducible,
    saved_tensors,
    schematics,
    training,
)
from .activations import ACTIVATIONS, Activation
from .notebook import setup_notebook

__all__ = [
    "ACTIVATIONS", "Activation", "activations", "affine", "backprop", "circuits", "datasets",
    "exercises", "finite_differences", "interactive", "plotting", "probes", "regions",
    "reproducible", "saved_tensors", "schematics", "training", "setup_notebook",
]
__version__ = "0.1.0"
