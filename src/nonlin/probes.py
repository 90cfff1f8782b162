"""Measurements of a network and its training: accuracy, steps to a target loss, the gradient
norm of each layer, and what the activation layers receive and emit (dead units among it).

The activation layers (modules such as ``nn.ReLU`` or ``nn.Tanh``, not ``nn.Linear``,
``nn.BatchNorm1d`` or ``nn.Dropout``) are observed with forward hooks during one forward pass
without gradients, in evaluation mode: Dropout is off, BatchNorm normalises with its running
statistics and does not update them, and neither Dropout nor RReLU draws random numbers. Each
module's training flag is restored afterwards, so measuring changes nothing in the model. What
is recorded is a copy, so that an in-place activation (``inplace=True``) or a later in-place
operation cannot overwrite it.
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


def activation_types() -> tuple:
    """The element-wise activation modules of ``torch.nn`` that the probes record by default."""
    from torch import nn

    return (nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.RReLU, nn.ELU, nn.SELU, nn.CELU,
            nn.GELU, nn.SiLU, nn.Mish, nn.Sigmoid, nn.Tanh, nn.Softplus, nn.Softsign,
            nn.Hardtanh, nn.Hardsigmoid, nn.Hardswish, nn.LogSigmoid, nn.Tanhshrink,
            nn.Softshrink, nn.Hardshrink, nn.Threshold)


def activation_outputs(model, inputs, *, kinds=None) -> list:
    """The output of every activation module of ``model`` for ``inputs``, input side first.

    An activation module is an instance of one of ``kinds``, by default ``activation_types()``
    (ReLU, Tanh, GELU, ...; not Linear, BatchNorm, Dropout or Softmax). Pass ``kinds`` to
    record your own modules as well.
    """
    return _record_activations(model, inputs, "output", kinds)


def dead_unit_fraction(model, inputs, *, kinds=None) -> list[float]:
    """Per activation layer: the fraction of units whose input is <= 0 for every example.

    For ReLU such a unit outputs 0 and passes no gradient to its weights on this data: it
    is dead as long as its inputs stay as they are. In the first layer they always do (the
    data are fixed); in later layers, earlier layers that keep learning can bring the unit
    back. For Leaky ReLU, PReLU or ELU the same condition means "never active", but the unit
    still passes a gradient. Activation layers are found as in ``activation_outputs``.
    """
    return [(z <= 0).all(dim=0).float().mean().item()
            for z in _record_activations(model, inputs, "input", kinds)]


def _record_activations(model, inputs, which: str, kinds=None) -> list:
    """Copies of the inputs or outputs of every activation module during one forward pass,
    run without gradients and in evaluation mode; the training flags are restored after."""
    import torch
    from torch import nn

    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if kinds is None:
        kinds = activation_types()
    if (not isinstance(kinds, tuple) or not kinds
            or not all(isinstance(k, type) and issubclass(k, nn.Module) for k in kinds)):
        raise TypeError(f"kinds must be a non-empty tuple of torch.nn.Module classes, got {kinds!r}")
    modules = [m for m in model.modules() if isinstance(m, kinds)]
    if not modules:
        raise ValueError("model has no activation modules to record")
    captured = []
    # The copy (clone) matters: with inplace=True the input is overwritten by the output.
    if which == "input":
        hooks = [m.register_forward_pre_hook(lambda _m, args: captured.append(args[0].detach().clone()))
                 for m in modules]
    else:
        hooks = [m.register_forward_hook(lambda _m, _i, out: captured.append(out.detach().clone()))
                 for m in modules]
    training = {m: m.training for m in model.modules()}
    try:
        model.eval()
        with torch.no_grad():
            model(inputs)
    finally:
        for hook in hooks:
            hook.remove()
        for m, flag in training.items():
            m.training = flag
    return captured
