"""Small networks, their initialisation, and a short, deterministic training loop.

``make_mlp`` builds a stack of ``nn.Linear`` layers with an activation from
``nonlin.ACTIVATIONS`` between them, initialised the way the activation calls for
(``matching_init``); ``train_full_batch`` trains it on the whole data set at every step, so
that, with the same seed, the same call gives the same loss history.
"""

from __future__ import annotations

from typing import Callable, Sequence

from ._checks import integer, number_between, one_of, positive_number
from .activations import ACTIVATIONS

LOSSES = ("mse", "cross_entropy")
OPTIMIZERS = ("adam", "sgd")
INITS = ("default", "xavier", "kaiming")


def matching_init(activation: str) -> str:
    """The initialisation that suits an activation: Xavier for sigmoid and tanh, else Kaiming.

    Glorot and Bengio (2010) derived their scaling for symmetric saturating units; He et al.
    (2015) derived theirs for rectifiers, which halve the second moment of their input.
    """
    one_of(activation, "activation", sorted(ACTIVATIONS))
    return "xavier" if activation in ("sigmoid", "tanh") else "kaiming"


def make_mlp(sizes: Sequence[int], activation: str, init: str = "default", *,
             gain: float | None = None, dtype=None):
    """A ``torch.nn.Sequential`` of Linear layers of the given sizes with ``activation`` between.

    ``sizes`` lists the widths from input to output, e.g. [784, 256, 10]. ``activation`` is a
    name from ``nonlin.ACTIVATIONS``, used with its default parameters. ``init`` is "default"
    (PyTorch's own), "xavier" (normal, with ``calculate_gain`` for sigmoid and tanh, or
    ``gain`` if given: std = gain sqrt(2 / (fan_in + fan_out))) or "kaiming" (normal, fan-in,
    for ReLU or Leaky ReLU's slope); the last two zero the biases. ``dtype`` (default: torch's
    default dtype) is the parameters' dtype from the start: drawn in float64, the initial
    weights are the same on every CPU, which float32 draws are not (torch's AVX2 normal
    sampler rounds differently from its generic one).
    """
    import torch
    from torch import nn

    one_of(activation, "activation", sorted(ACTIVATIONS))
    one_of(init, "init", INITS)
    if gain is not None:
        gain = positive_number(gain, "gain")
        if init != "xavier":
            raise ValueError(f"gain applies to init='xavier' only, got init={init!r}")
    if dtype is None:
        dtype = torch.get_default_dtype()
    if dtype not in (torch.float32, torch.float64):
        raise ValueError(f"dtype must be torch.float32 or torch.float64, got {dtype}")
    if isinstance(sizes, (str, bytes)) or len(sizes) < 2:
        raise ValueError(f"sizes must list at least two positive integers, got {sizes!r}")
    sizes = [integer(n, "each entry of sizes", 1) for n in sizes]
    spec = ACTIVATIONS[activation]
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        linear = nn.Linear(n_in, n_out, dtype=dtype)
        if init == "xavier":
            if gain is None:
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
            kwargs = {k: v for k, v in spec.params.items() if k != "weight"}
            if activation == "prelu":
                kwargs["dtype"] = dtype
            layers.append(module(**kwargs))
    return nn.Sequential(*layers)


def train_full_batch(
    model, inputs, targets, *, steps: int, lr: float, loss: str = "mse",
    optimizer: str = "adam", momentum: float = 0.0,
    monitor: Callable | None = None, monitor_every: int = 1,
) -> list[float]:
    """Train ``model`` on all of (inputs, targets) at once; return the loss before each update.

    ``loss`` is "mse" or "cross_entropy" (targets are then class indices); ``optimizer`` is
    "adam" or "sgd" (with ``momentum``). ``monitor(step, model)``, if given, is called before
    updates number 0, ``monitor_every``, 2 ``monitor_every``, ... and after the last one
    (with step = ``steps``). Full-batch training has no sampling noise, so with the same seed
    the same call gives the same history.
    """
    import torch

    steps = integer(steps, "steps", 1)
    lr = positive_number(lr, "lr")
    one_of(loss, "loss", LOSSES)
    one_of(optimizer, "optimizer", OPTIMIZERS)
    momentum = number_between(momentum, "momentum", 0, 1, include_high=False)
    monitor_every = integer(monitor_every, "monitor_every", 1)
    if not isinstance(inputs, torch.Tensor) or not isinstance(targets, torch.Tensor):
        raise TypeError("inputs and targets must be torch tensors")
    if inputs.shape[0] != targets.shape[0]:
        raise ValueError(
            f"inputs has {inputs.shape[0]} examples but targets has {targets.shape[0]}"
        )
    if optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=lr)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    loss_fn = torch.nn.functional.mse_loss if loss == "mse" else torch.nn.functional.cross_entropy
    history = []
    for step in range(steps):
        if monitor is not None and step % monitor_every == 0:
            monitor(step, model)
        opt.zero_grad()
        value = loss_fn(model(inputs), targets)
        value.backward()
        opt.step()
        history.append(value.item())
    if monitor is not None:
        monitor(steps, model)
    return history
