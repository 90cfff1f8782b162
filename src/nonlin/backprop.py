"""Backpropagation written out by hand, in numpy, to compare with PyTorch's autograd.

``TwoLayerNet`` is x -> W1 x + b1 -> ReLU -> W2 h + b2, with its backward pass spelled out
one line per rule of the chain rule. Its ``backward`` takes the ReLU step as an argument so
that a notebook can swap in a broken version and watch the comparison with autograd fail.

``gradient_factors`` follows a deep network's gradient down its layers and splits each step
into what the weight matrix does and what the activation's slope does, which is how a
vanishing gradient is taken apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, ClassVar

import numpy as np

from ._checks import finite_real_array, same_shape


def relu_backward(upstream: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The gradient with respect to x of e(ReLU(x)), given upstream = de/dReLU(x).

    dReLU(x)/dx is the diagonal matrix diag(1[x > 0]), so the vector-Jacobian product is the
    element-wise product upstream * 1[x > 0]. It is computed as a selection, as PyTorch does,
    so masked entries are +0.0 even where upstream is negative or nan. Returns a new array;
    ``upstream`` is untouched.
    """
    upstream = np.asarray(upstream)
    x = np.asarray(x)
    same_shape(upstream, "upstream", x, "x")
    return np.where(x > 0, upstream, 0.0)


def mse_loss(prediction: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error over all entries, and its gradient with respect to ``prediction``."""
    prediction, target = np.asarray(prediction, float), np.asarray(target, float)
    same_shape(prediction, "prediction", target, "target")
    diff = prediction - target
    return float(np.mean(diff**2)), 2.0 * diff / diff.size


@dataclass
class TwoLayerNet:
    """y = W2 ReLU(W1 x + b1) + b2 for a batch of rows x, with a hand-written backward pass."""

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    PARAMETERS: ClassVar[tuple[str, ...]] = ("W1", "b1", "W2", "b2")

    def __post_init__(self):
        for name in self.PARAMETERS:
            setattr(self, name, finite_real_array(getattr(self, name), name))
        if self.W1.ndim != 2:
            raise ValueError(f"W1 must be 2-d (hidden, inputs), got shape {self.W1.shape}")
        hidden = self.W1.shape[0]
        if self.b1.shape != (hidden,):
            raise ValueError(f"b1 must have shape ({hidden},), got {self.b1.shape}")
        if self.W2.ndim != 2 or self.W2.shape[1] != hidden:
            raise ValueError(f"W2 must have shape (outputs, {hidden}), got {self.W2.shape}")
        if self.b2.shape != (self.W2.shape[0],):
            raise ValueError(f"b2 must have shape ({self.W2.shape[0]},), got {self.b2.shape}")

    @classmethod
    def random(cls, rng: np.random.Generator, inputs: int, hidden: int, outputs: int) -> "TwoLayerNet":
        """Weights drawn with He scaling (std sqrt(2 / fan_in)) and small random biases."""
        return cls(
            W1=rng.standard_normal((hidden, inputs)) * np.sqrt(2 / inputs),
            b1=rng.standard_normal(hidden) * 0.1,
            W2=rng.standard_normal((outputs, hidden)) * np.sqrt(2 / hidden),
            b2=rng.standard_normal(outputs) * 0.1,
        )

    def forward(self, X: np.ndarray) -> tuple[np.ndarray, dict]:
        """The outputs for the rows of X, and what the backward pass needs."""
        X = finite_real_array(X, "X")
        if X.ndim != 2 or X.shape[1] != self.W1.shape[1]:
            raise ValueError(f"X must have shape (n, {self.W1.shape[1]}), got {X.shape}")
        Z = X @ self.W1.T + self.b1  # pre-activations
        H = np.maximum(Z, 0)  # ReLU
        Y = H @ self.W2.T + self.b2
        return Y, {"X": X, "Z": Z, "H": H}

    def backward(
        self,
        cache: dict,
        grad_Y: np.ndarray,
        relu_backward: Callable[[np.ndarray, np.ndarray], np.ndarray] = relu_backward,
    ) -> dict[str, np.ndarray]:
        """Gradients of a loss with respect to every parameter and to X, given dloss/dY."""
        X, Z, H = cache["X"], cache["Z"], cache["H"]
        grad_Y = np.asarray(grad_Y, dtype=float)
        grads = {
            "W2": grad_Y.T @ H,  # dY/dW2: each output row times the hidden activations
            "b2": grad_Y.sum(axis=0),
        }
        grad_H = grad_Y @ self.W2
        grad_Z = relu_backward(grad_H, Z)  # upstream * 1[Z > 0]
        grads["W1"] = grad_Z.T @ X
        grads["b1"] = grad_Z.sum(axis=0)
        grads["X"] = grad_Z @ self.W1
        return grads

    def to_torch(self):
        """An equal ``torch.nn.Sequential`` in float64, for comparison with autograd."""
        import torch

        model = torch.nn.Sequential(
            torch.nn.Linear(self.W1.shape[1], self.W1.shape[0]),
            torch.nn.ReLU(),
            torch.nn.Linear(self.W2.shape[1], self.W2.shape[0]),
        ).double()
        with torch.no_grad():
            for parameter, value in zip(model.parameters(), (self.W1, self.b1, self.W2, self.b2)):
                parameter.copy_(torch.from_numpy(value))
        return model


def gradient_factors(model, inputs, targets) -> dict:
    """Split the first layer's weight gradient, relative to the last layer's, into three parts.

    ``model`` is a ``torch.nn.Sequential`` of Linear layers with one activation module between
    each two (as ``nonlin.training.make_mlp`` builds it); the loss is the mean squared error of
    its output against ``targets``. With Z_l the pre-activations of Linear layer l (rows: the
    examples), Delta_l = dL/dZ_l, H_l the activations and f' the activation's slope,
    backpropagation steps down one layer by

        Delta_(l-1) = f'(Z_(l-1)) * (Delta_l W_l),        dL/dW_l = Delta_l^T H_(l-1).

    So, with Frobenius norms, each step multiplies ||Delta|| by a weight factor
    ||Delta_l W_l|| / ||Delta_l|| and a slope factor ||Delta_(l-1)|| / ||Delta_l W_l||, which
    is at most max |f'(Z_(l-1))|. Returns a dict of numpy arrays and floats:

    * ``"errors"``: ||Delta_l|| for each Linear layer, the input side first, from the
      gradients autograd computes for the pre-activations;
    * ``"weights"``, ``"slopes"``: the factor of each step, the output side first; their
      product is errors[0] / errors[-1], the error ratio ||Delta_1|| / ||Delta_L||;
    * ``"inputs"``: (||dL/dW_1|| / ||Delta_1||) / (||dL/dW_L|| / ||Delta_L||), what the layers'
      inputs (X for the first, H_(L-1) for the last) contribute;
    * ``"ratio"``: ||dL/dW_1|| / ||dL/dW_L||, from the gradients autograd stores in the
      weights; it equals prod(weights) * prod(slopes) * inputs up to rounding.
    """
    import torch
    from torch import nn

    modules = list(model) if isinstance(model, nn.Sequential) else None
    if not modules or len(modules) < 3 or len(modules) % 2 == 0 or not all(
        isinstance(m, nn.Linear) == (i % 2 == 0) for i, m in enumerate(modules)
    ):
        raise ValueError("model must be an nn.Sequential alternating Linear and activation modules, "
                         "Linear first and last, with at least one activation")
    if not isinstance(inputs, torch.Tensor) or not isinstance(targets, torch.Tensor):
        raise TypeError("inputs and targets must be torch tensors")
    model.zero_grad()
    h, pre_activations = inputs, []
    for module in modules:
        h = module(h)
        if isinstance(module, nn.Linear):
            h.retain_grad()
            pre_activations.append(h)
    torch.nn.functional.mse_loss(h, targets).backward()
    linears = modules[::2]
    deltas = [z.grad for z in pre_activations]
    weights, slopes = [], []
    for layer in range(len(linears) - 1, 0, -1):
        pulled_back = deltas[layer] @ linears[layer].weight  # Delta_l W_l
        weights.append((pulled_back.norm() / deltas[layer].norm()).item())
        slopes.append((deltas[layer - 1].norm() / pulled_back.norm()).item())
    first, last = linears[0].weight.grad.norm().item(), linears[-1].weight.grad.norm().item()
    inputs_part = (first / deltas[0].norm().item()) / (last / deltas[-1].norm().item())
    return {"errors": np.array([delta.norm().item() for delta in deltas]), "weights": np.array(weights),
            "slopes": np.array(slopes), "inputs": inputs_part, "ratio": first / last}
