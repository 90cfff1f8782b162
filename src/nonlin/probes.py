"""Measurements of a network and its training: accuracy, steps to a target loss, the gradient
norm of each layer, and what the activation layers receive and emit (dead units among it).

The activation layers are observed with forward hooks during one forward pass without
gradients, so that measuring changes nothing in the model.
"""

from __future__ import annotations

from ._checks import real_number


def accuracy(model, inputs, labels) -> float:
    """The fraction of examples whose largest output is the label."""
    import torch

    with torch.no_grad():
        return (model(inputs).argmax(dim=1) == labels).float().mean().item()


def steps_to_target(history, target: float) -> int | None:
    """The first step whose loss is at most ``target``, or None if the run never got there."""
    target = real_number(target, "target")
    for step, value in enumerate(history):
        if value <= target:
            return step
    return None


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


def activation_outputs(model, inputs) -> list:
    """The output of every activation module of ``model`` for ``inputs``, input side first.

    An activation module is any leaf module that is not ``nn.Linear`` (ReLU, Tanh, ...).
    """
    return _record_activations(model, inputs, "output")


def dead_unit_fraction(model, inputs) -> list[float]:
    """Per activation layer: the fraction of units whose input is <= 0 for every example.

    For ReLU such a unit outputs 0 and passes no gradient to its weights on this data: it
    is dead as long as its inputs stay as they are. In the first layer they always do (the
    data are fixed); in later layers, earlier layers that keep learning can bring the unit
    back. For Leaky ReLU, PReLU or ELU the same condition means "never active", but the unit
    still passes a gradient.
    """
    return [(z <= 0).all(dim=0).float().mean().item()
            for z in _record_activations(model, inputs, "input")]


def _record_activations(model, inputs, which: str) -> list:
    """The inputs or outputs of every activation module during one forward pass, detached."""
    import torch
    from torch import nn

    modules = [m for m in model.modules() if not list(m.children()) and not isinstance(m, nn.Linear)]
    if not modules:
        raise ValueError("model has no activation modules to record")
    captured = []
    if which == "input":
        hooks = [m.register_forward_pre_hook(lambda _m, args: captured.append(args[0].detach()))
                 for m in modules]
    else:
        hooks = [m.register_forward_hook(lambda _m, _i, out: captured.append(out.detach()))
                 for m in modules]
    try:
        with torch.no_grad():
            model(inputs)
    finally:
        for hook in hooks:
            hook.remove()
    return captured
