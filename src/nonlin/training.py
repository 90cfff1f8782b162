"""Small networks and a short, deterministic training loop for the chapters' experiments."""

from __future__ import annotations

import numbers

from ._checks import integer, positive_number
from .activations import ACTIVATIONS

LOSSES = ("mse", "cross_entropy")
OPTIMIZERS = ("adam", "sgd")
INITS = ("default", "xavier", "kaiming")


def set_seed(seed: int) -> None:
    """Seed Python's random, numpy's global generator and torch."""
    import random

    import numpy as np
    import torch

    seed = integer(seed, "seed", 0)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def run_seeds(experiment, seeds):
    """Run ``experiment(seed)`` once per seed, after :func:`set_seed`; return the results.

    ``seeds`` is a number of seeds (0, 1, ..., n - 1) or a sequence of seeds.
    """
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        if seeds < 1:
            raise ValueError(f"the number of seeds must be positive, got {seeds}")
        seeds = range(int(seeds))
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must not be empty")
    results = []
    for seed in seeds:
        set_seed(seed)
        results.append(experiment(seed))
    return results


def digits(test_fraction: float = 0.25, seed: int = 0):
    """scikit-learn's 8 x 8 handwritten digits (1797 images, shipped with the package).

    Returns float32 tensors X_train, X_test (64 features, standardised with the training
    set's mean and standard deviation) and int64 tensors y_train, y_test, split with a
    stratified, seeded shuffle.
    """
    import numpy as np
    import torch
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    if not (isinstance(test_fraction, numbers.Real) and 0 < test_fraction < 1):
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction!r}")
    data = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=test_fraction, random_state=seed, stratify=data.target
    )
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)  # a few corner pixels are always 0
    as_x = lambda a: torch.tensor((a - mean) / std, dtype=torch.float32)
    as_y = lambda a: torch.tensor(a, dtype=torch.int64)
    return as_x(X_train), as_x(X_test), as_y(y_train), as_y(y_test)


def two_spirals(n_per_class: int = 200, noise: float = 0.2, turns: float = 1.5, seed: int = 0):
    """Two interleaved spirals in the plane: float32 points (2n, 2) and int64 labels (2n,).

    Spiral k is r (cos(t + k pi), sin(t + k pi)) with r growing from 0.5 to 3 as t runs
    through ``turns`` turns; Gaussian noise of standard deviation ``noise`` is added.
    """
    import numpy as np
    import torch

    n_per_class = integer(n_per_class, "n_per_class", 1)
    noise = positive_number(noise, "noise", allow_zero=True)
    rng = np.random.default_rng(seed)
    t = np.sqrt(rng.uniform(0, 1, n_per_class)) * turns * 2 * np.pi
    r = 0.5 + 2.5 * t / (turns * 2 * np.pi)
    points, labels = [], []
    for k in (0, 1):
        xy = np.stack([r * np.cos(t + k * np.pi), r * np.sin(t + k * np.pi)], axis=1)
        points.append(xy + rng.normal(0, noise, xy.shape))
        labels.append(np.full(n_per_class, k))
    return (torch.tensor(np.concatenate(points), dtype=torch.float32),
            torch.tensor(np.concatenate(labels), dtype=torch.int64))


def steps_to_target(history, target: float):
    """The first step whose loss is at most ``target``, or None if the run never got there."""
    for step, value in enumerate(history):
        if value <= target:
            return step
    return None


def accuracy(model, inputs, labels) -> float:
    """Fraction of examples whose largest output is the label."""
    import torch

    with torch.no_grad():
        return (model(inputs).argmax(dim=1) == labels).float().mean().item()


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


def train_full_batch(
    model, inputs, targets, *, steps: int, lr: float, loss: str = "mse",
    optimizer: str = "adam", momentum: float = 0.0, monitor=None, monitor_every: int = 1,
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
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    if not (isinstance(momentum, numbers.Real) and 0 <= momentum < 1):
        raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
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


def activation_outputs(model, inputs) -> list:
    """The output of every activation module of ``model`` for ``inputs``, input side first.

    An activation module is any leaf module that is not ``nn.Linear`` (ReLU, Tanh, ...).
    The outputs are recorded with forward hooks, detached, during one forward pass without
    gradients; the hooks are removed afterwards.
    """
    return _record_activations(model, inputs, "output")


def dead_unit_fraction(model, inputs) -> list[float]:
    """Per activation layer: the fraction of units whose input is <= 0 for every example.

    For ReLU such a unit outputs 0 and gets a zero gradient on the whole data set: it is dead,
    and gradient descent on this data cannot revive it. For Leaky ReLU, PReLU or ELU the same
    condition means "never active", but the unit still receives a gradient.
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
