"""Many copies of one small network, trained side by side as one batched computation.

An experiment over random seeds and learning rates trains the same network K times. Stacking
the K copies' weights into one tensor of shape (K, n_in, n_out) turns K small matrix products
into one batched product: layer l of copy k computes

    h_k = f(h_k W_k + b_k)        (torch.baddbmm over k)

Each copy has its own learning rate and optimiser state. The K losses are summed before the
backward pass; copy k's loss depends only on copy k's parameters, so the gradient of the sum
with respect to them is the gradient of its own loss, and copy k follows the path that
training it alone would follow (up to rounding: a batched product may add in another order).

``from_models`` stacks networks built by ``nonlin.training.make_mlp``, so a copy starts exactly
where that network starts; ``train`` runs full-batch gradient descent (with momentum) or Adam
with PyTorch's update rules and records, before every update and after the last, each copy's
loss, training error and number of dead units per hidden layer (input <= 0 on every example,
as ``nonlin.probes.dead_unit_fraction`` counts them). A copy whose loss reaches ``stop_loss``
or stops being finite leaves the batch; its later entries are nan (or -1 for dead counts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import integer, number_between, one_of, positive_number, real_number
from .activations import ACTIVATIONS

OPTIMIZERS = ("sgd", "adam")
ADAM_BETAS, ADAM_EPS = (0.9, 0.999), 1e-8  # torch.optim.Adam's defaults


@dataclass
class Stack:
    """K copies of a network: per layer, weights (K, n_in, n_out) and biases (K, 1, n_out);
    per hidden layer, PReLU's learned slope (K, 1, 1) if the activation is "prelu"."""

    weights: list
    biases: list
    slopes: list
    activation: str
    negative_slope: float = 0.01  # Leaky ReLU's fixed slope

    @property
    def copies(self) -> int:
        return self.weights[0].shape[0]

    def parameters(self) -> list:
        return self.weights + self.biases + self.slopes


def from_models(models, activation: str, *, negative_slope: float | None = None) -> Stack:
    """Stack K networks of equal shape (Linear, activation, Linear, ..., Linear) into one.

    Copy k's weight is the transpose of model k's ``Linear.weight`` (so that h W works on rows).
    ``negative_slope`` overrides Leaky ReLU's slope (the models' own modules are not used).
    """
    import torch
    from torch import nn

    one_of(activation, "activation", sorted(ACTIVATIONS))
    models = list(models)
    if not models or not all(isinstance(m, nn.Sequential) for m in models):
        raise TypeError("models must be a non-empty list of torch.nn.Sequential networks")
    linears = [[m for m in model if isinstance(m, nn.Linear)] for model in models]
    shapes = {tuple(tuple(layer.weight.shape) for layer in layers) for layers in linears}
    if len(shapes) != 1:
        raise ValueError(f"models must all have the same layer shapes, got {sorted(shapes)}")
    weights = [torch.stack([layers[i].weight.detach().T for layers in linears]).clone()
               for i in range(len(linears[0]))]
    biases = [torch.stack([layers[i].bias.detach()[None, :] for layers in linears]).clone()
              for i in range(len(linears[0]))]
    slopes = []
    if activation == "prelu":
        prelus = [[m for m in model if isinstance(m, nn.PReLU)] for model in models]
        slopes = [torch.stack([p[i].weight.detach().reshape(1, 1) for p in prelus]).clone()
                  for i in range(len(linears[0]) - 1)]
    if negative_slope is None:
        negative_slope = ACTIVATIONS["leaky_relu"].params["negative_slope"]
    negative_slope = positive_number(negative_slope, "negative_slope", allow_zero=True)
    return Stack(weights, biases, slopes, activation, negative_slope)


def _activate(z, stack: Stack, slope):
    """The hidden activation applied to a (K, n, width) tensor of inputs."""
    import torch

    if stack.activation == "prelu":
        return torch.where(z > 0, z, slope * z)
    if stack.activation == "leaky_relu":
        return torch.nn.functional.leaky_relu(z, stack.negative_slope)
    return ACTIVATIONS[stack.activation].torch_callable()(z)


def forward(stack: Stack, inputs, params=None):
    """The outputs (K, n, classes) of every copy for ``inputs`` (n, features), and the inputs
    of each hidden activation layer, (K, n, width) each. ``params`` replaces the stack's own
    parameters (same order as ``Stack.parameters``)."""
    import torch

    n_layers = len(stack.weights)
    if params is None:
        params = stack.parameters()
    weights, biases, slopes = params[:n_layers], params[n_layers:2 * n_layers], params[2 * n_layers:]
    h = inputs.expand(weights[0].shape[0], -1, -1)
    pre_activations = []
    for i, (W, b) in enumerate(zip(weights, biases)):
        z = torch.baddbmm(b, h, W)
        if i == n_layers - 1:
            return z, pre_activations
        pre_activations.append(z)
        h = _activate(z, stack, slopes[i] if slopes else None)


@dataclass
class Record:
    """What ``train`` measured: arrays indexed [t, k], t = number of updates made (0 ... steps).

    ``dead`` is indexed [t, k, hidden layer] and counts units dead on the training set;
    ``revived`` counts, with the same index, the units dead at t - 1 and alive at t."""

    loss: np.ndarray
    error: np.ndarray
    dead: np.ndarray
    revived: np.ndarray

    def steps_to(self, target: float, kind: str = "loss") -> np.ndarray:
        """Per copy, the first t at which ``loss`` (or ``error``) is <= target; nan if never."""
        target = real_number(target, "target")
        values = getattr(self, one_of(kind, "kind", ("loss", "error")))
        reached = values <= target
        first = reached.argmax(axis=0).astype(float)
        first[~reached.any(axis=0)] = np.nan
        return first


def round_significand(x, bits: int):
    """``x`` rounded to the nearest m 2^e with an integer |m| < 2^bits (ties to even).

    Rounding every parameter after every update to, say, 20 bits makes a run reproducible
    across CPUs even where training is chaotic: two code paths' float64 results (measured on one
    machine after one update: ``make chapter6-outside``, part two-paths, quoted in chapter 6)
    differ, where they differ, by a median of 2.2e-16 relative and at most 6.6e-10 (in small
    parameters), and rounding to 20 bits maps both to the same value unless the exact value lies
    within that distance of a rounding boundary (a chance of about 2.6e-9 per parameter and
    step, from the same run): likely, not certain, agreement.
    """
    import torch

    bits = integer(bits, "bits", 1)
    mantissa, exponent = torch.frexp(x)  # x = mantissa 2^exponent, 1/2 <= |mantissa| < 1
    return torch.ldexp(torch.round(mantissa * 2.0 ** bits) / 2.0 ** bits, exponent)


def train(stack: Stack, inputs, labels, *, steps: int, lr, optimizer: str = "sgd",
          momentum: float = 0.0, stop_loss: float | None = None,
          round_bits: int | None = None) -> Record:
    """Full-batch training of every copy on (inputs, labels) with the cross-entropy loss.

    ``lr`` is one learning rate or one per copy. "sgd": v <- momentum v + g, p <- p - lr v
    (v = g at the first step), as torch.optim.SGD. "adam": m <- b1 m + (1 - b1) g,
    s <- b2 s + (1 - b2) g^2, p <- p - lr m / (1 - b1^t) / (sqrt(s / (1 - b2^t)) + eps), as
    torch.optim.Adam. With ``round_bits``, every parameter is rounded to that many significant
    bits (``round_significand``) before the first step and after every update. The stack's
    parameters are updated in place.
    """
    import torch

    steps = integer(steps, "steps", 1)
    one_of(optimizer, "optimizer", OPTIMIZERS)
    momentum = number_between(momentum, "momentum", 0, 1, include_high=False)
    if stop_loss is not None:
        stop_loss = real_number(stop_loss, "stop_loss")
    K = stack.copies
    lr = np.array(lr, dtype=float).reshape(-1)
    if len(lr) == 1:
        lr = np.repeat(lr, K)
    if len(lr) != K or not np.all(np.isfinite(lr) & (lr > 0)):
        raise ValueError(f"lr must be one positive finite number or {K} of them")
    if inputs.shape[0] != labels.shape[0]:
        raise ValueError(f"inputs has {inputs.shape[0]} examples but labels has {labels.shape[0]}")
    dtype = stack.weights[0].dtype
    if inputs.dtype != dtype:
        raise ValueError(f"inputs must have the parameters' dtype {dtype}, got {inputs.dtype}")
    params = stack.parameters()
    if round_bits is not None:
        round_bits = integer(round_bits, "round_bits", 1)
        for p in params:
            p.copy_(round_significand(p, round_bits))
    state = [torch.zeros_like(p) for p in params]
    state2 = [torch.zeros_like(p) for p in params]
    widths = [W.shape[2] for W in stack.weights[:-1]]
    record = Record(np.full((steps + 1, K), np.nan), np.full((steps + 1, K), np.nan),
                    np.full((steps + 1, K, len(widths)), -1), np.full((steps + 1, K, len(widths)), -1))
    was_dead = [torch.zeros(K, width, dtype=torch.bool) for width in widths]
    live = torch.arange(K)
    n = inputs.shape[0]
    for t in range(steps + 1):
        leaves = [p[live].requires_grad_() for p in params]
        outputs, pre = forward(stack, inputs, leaves)
        losses = torch.nn.functional.cross_entropy(
            outputs.reshape(-1, outputs.shape[2]), labels.repeat(len(live)), reduction="none"
        ).reshape(len(live), n).mean(dim=1)
        errors = (outputs.argmax(dim=2) != labels).double().mean(dim=1)
        ids = live.numpy()
        record.loss[t, ids] = losses.detach().numpy()
        record.error[t, ids] = errors.numpy()
        for layer, z in enumerate(pre):
            dead = (z <= 0).all(dim=1)  # (live copies, width): input <= 0 on every example
            record.dead[t, ids, layer] = dead.sum(dim=1).numpy()
            record.revived[t, ids, layer] = (was_dead[layer][live] & ~dead).sum(dim=1).numpy()
            was_dead[layer][live] = dead
        keep = torch.isfinite(losses.detach())
        if stop_loss is not None:
            keep &= losses.detach() > stop_loss
        if t == steps or not keep.any():
            break
        grads = torch.autograd.grad(losses.sum(), leaves)
        live, grads = live[keep], [g[keep] for g in grads]
        rate = torch.tensor(lr[live.numpy()], dtype=dtype)
        with torch.no_grad():
            for p, g, v, s in zip(params, grads, state, state2):
                r = rate.reshape(-1, *[1] * (p.dim() - 1))
                if optimizer == "sgd":
                    v[live] = g if t == 0 or momentum == 0 else momentum * v[live] + g
                    p[live] -= r * v[live]
                else:
                    b1, b2 = ADAM_BETAS
                    v[live] = b1 * v[live] + (1 - b1) * g
                    s[live] = b2 * s[live] + (1 - b2) * g * g
                    denom = (s[live].sqrt() / np.sqrt(1 - b2 ** (t + 1))) + ADAM_EPS
                    p[live] -= (r / (1 - b1 ** (t + 1))) * v[live] / denom
                if round_bits is not None:
                    p[live] = round_significand(p[live], round_bits)
    return record


def to_models(stack: Stack) -> list:
    """The K copies as separate ``torch.nn.Sequential`` networks (Linear, activation, ...)."""
    import torch
    from torch import nn

    models = []
    for k in range(stack.copies):
        layers = []
        for i, (W, b) in enumerate(zip(stack.weights, stack.biases)):
            linear = nn.Linear(W.shape[1], W.shape[2], dtype=W.dtype)
            with torch.no_grad():
                linear.weight.copy_(W[k].T)
                linear.bias.copy_(b[k, 0])
            layers.append(linear)
            if i < len(stack.weights) - 1:
                if stack.activation == "prelu":
                    layers.append(nn.PReLU(init=float(stack.slopes[i][k]), dtype=W.dtype))
                elif stack.activation == "leaky_relu":
                    layers.append(nn.LeakyReLU(stack.negative_slope))
                else:
                    spec = ACTIVATIONS[stack.activation]
                    layers.append(getattr(nn, spec.torch_module)(**spec.params))
        models.append(nn.Sequential(*layers))
    return models


def predict(stack: Stack, inputs):
    """The predicted class of every copy for every input, (K, n)."""
    import torch

    with torch.no_grad():
        return forward(stack, inputs)[0].argmax(dim=2)
