"""Helpers for the course "Why neural networks need nonlinear activation functions".

Modules: ``activations`` (numpy activations and derivatives matching PyTorch, with a
registry), ``plotting`` (the book's figure style) and ``notebook`` (the reproducible setup
every notebook starts with).
"""

from . import activations, plotting
from .activations import ACTIVATIONS, Activation
from .notebook import setup_notebook

__all__ = ["ACTIVATIONS", "Activation", "activations", "plotting", "setup_notebook"]
__version__ = "0.1.0"
