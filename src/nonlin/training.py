"""A short, deterministic training loop for the chapters' small experiments."""

from __future__ import annotations

import math
import numbers

LOSSES = ("mse",)


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
