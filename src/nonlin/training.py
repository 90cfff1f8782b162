"""Small networks and a short, deterministic training loop for the chapters' experiments."""

from __future__ import annotations

import math
import numbers

from .activations import ACTIVATIONS

LOSSES = ("mse",)
INITS = ("default", "xavier", "kaiming")


def matching_init(activation: str) -> str:
    """The initialisation that suits an activation: Xavier for sigmoid and tanh, else Kaiming.

    Glorot and Bengio (2010) derived their scaling for symmetric saturating units; He et al.
    (2015) derived theirs for rectifiers, which halve the variance of their input.
    """
    _check_activation(activation)
    return "xavier" if activation in ("sigmoid", "tanh") else "kaiming"


def _check_activation(activation) -> None:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")


def make_mlp(sizes, activation: str, init: str = "default"):
    """A ``torch.nn.Sequential`` of Linear layers of the given sizes with ``activation`` between.

    ``sizes`` lists the widths from input to output, e.g. [784, 256, 10]. ``activation`` is a
    name from ``nonlin.ACTIVATIONS``, used with its default parameters. ``init`` is "default"
    (PyTorch's own), "xavier" (normal, with ``calculate_gain`` for sigmoid and tanh) or
    "kaiming" (normal, fan-in, for ReLU or Leaky ReLU's slope); the last two zero the biases.
    """
    import torch
    from torch import nn

    _check_activation(activation)
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    if (
        isinstance(sizes, (str, bytes))
        or len(sizes) < 2
        or not all(isinstance(n, numbers.Integral) and not isinstance(n, bool) and n > 0 for n in sizes)
    ):
        raise ValueError(f"sizes must list at least two positive integers, got {sizes!r}")
    spec = ACTIVATIONS[activation]
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        linear = nn.Linear(n_in, n_out)
        if init == "xavier":
            gain = nn.init.calculate_gain(activation) if activation in ("sigmoid", "tanh") else 1.0
            nn.init.xavier_normal_(linear.weight, gain=gain)
            nn.init.zeros_(linear.bias)
        elif init == "kaiming":
            slope = spec.params.get("negative_slope", spec.params.get("weight", 0.0))
            nn.init.kaiming_normal_(linear.weight, a=slope, nonlinearity="leaky_relu")
            nn.init.zeros_(linear.bias)
        layers.append(linear)
        if i < len(sizes) - 2:
            module = getattr(nn, spec.torch_module)
            layers.append(module(**{k: v for k, v in spec.params.items() if k != "weight"}))
    return nn.Sequential(*layers)


def gradient_norms(model) -> list[float]:
    """The Frobenius norm of the gradient of each Linear layer's weight, input side first.

    Call it after ``loss.backward()``; a layer whose weight has no gradient yet raises.
    """
    from torch import nn

    norms = []
    for i, module in enumerate(m for m in model.modules() if isinstance(m, nn.Linear)):
        if module.weight.grad is None:
            raise ValueError(f"Linear layer {i} has no gradient: call backward() first")
        norms.append(module.weight.grad.norm().item())
    return norms


def train_full_batch(model, inputs, targets, *, steps: int, lr: float, loss: str = "mse") -> list[float]:
    """Train ``model`` on all of (inputs, targets) at once with Adam; return the loss per step.

    Full-batch training has no sampling noise, so with the seeds that ``setup_notebook`` sets
    the same call gives the same history. The returned list has the loss before each update.
    """
    import torch

    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive finite number, got {lr!r}")
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    if not isinstance(inputs, torch.Tensor) or not isinstance(targets, torch.Tensor):
        raise TypeError("inputs and targets must be torch tensors")
    if inputs.shape[0] != targets.shape[0]:
        raise ValueError(
            f"inputs has {inputs.shape[0]} examples but targets has {targets.shape[0]}"
        )
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    for _ in range(steps):
        optimizer.zero_grad()
        value = torch.nn.functional.mse_loss(model(inputs), targets)
        value.backward()
        optimizer.step()
        history.append(value.item())
    return history


def activation_outputs(model, inputs) -> list:
    """The output of every activation module of ``model`` for ``inputs``, input side first.

    An activation module is any leaf module that is not ``nn.Linear`` (ReLU, Tanh, ...).
    The outputs are recorded with forward hooks, detached, during one forward pass without
    gradients; the hooks are removed afterwards.
    """
    import torch
    from torch import nn

    captured = []
    hooks = [
        module.register_forward_hook(lambda _m, _i, out: captured.append(out.detach()))
        for module in model.modules()
        if not list(module.children()) and not isinstance(module, nn.Linear)
    ]
    if not hooks:
        raise ValueError("model has no activation modules to record")
    try:
        with torch.no_grad():
            model(inputs)
    finally:
        for hook in hooks:
            hook.remove()
    return captured
