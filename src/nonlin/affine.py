"""Stacks of affine maps x -> W x + b: checking them, composing them into one, running them.

A *layer* is a pair ``(W, b)`` with ``W`` of shape ``(outputs, inputs)`` and ``b`` of shape
``(outputs,)``, as in ``torch.nn.Linear``. A scalar ``W`` or ``b`` counts as a 1 x 1 layer, so
``[(3, 1), (2, 2)]`` is the two-layer scalar example x -> 3x + 1 -> 2(3x + 1) + 2.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

import numpy as np

from ._checks import finite_real_array

Layer = tuple[np.ndarray, np.ndarray]


def as_layers(layers: Iterable[Sequence[Any]]) -> list[Layer]:
    """Check that ``layers`` is a non-empty chain of (W, b) pairs; return them as float64.

    Raises ``TypeError`` or ``ValueError`` naming the offending ``layers[i]``: a pair that is
    not a pair, a W that is not 2-d, a b whose length is not W's number of rows, or a layer
    whose number of inputs differs from the previous layer's number of outputs.
    """
    if isinstance(layers, (str, bytes, np.ndarray)):
        raise TypeError("layers must be a sequence of (W, b) pairs")
    try:
        items = list(layers)
    except TypeError:
        raise TypeError("layers must be a sequence of (W, b) pairs") from None
    if not items:
        raise ValueError("layers must contain at least one (W, b) pair")
    checked: list[Layer] = []
    for i, layer in enumerate(items):
        if isinstance(layer, (str, bytes)) or not isinstance(layer, (tuple, list)) or len(layer) != 2:
            raise TypeError(f"layers[{i}] must be a (W, b) pair")
        W = finite_real_array(layer[0], f"layers[{i}] W")
        b = finite_real_array(layer[1], f"layers[{i}] b")
        if W.ndim == 0:
            W = W.reshape(1, 1)
        if b.ndim == 0:
            b = b.reshape(1)
        if W.ndim != 2:
            raise ValueError(f"layers[{i}] W must be 2-d (outputs, inputs), got shape {W.shape}")
        if b.ndim != 1 or b.shape[0] != W.shape[0]:
            raise ValueError(
                f"layers[{i}] b has shape {b.shape}, but W has {W.shape[0]} rows (outputs)"
            )
        if checked and W.shape[1] != checked[-1][0].shape[0]:
            raise ValueError(
                f"layers[{i}] takes {W.shape[1]} inputs, but layers[{i - 1}] gives "
                f"{checked[-1][0].shape[0]} outputs: the shapes do not chain"
            )
        checked.append((W, b))
    return checked


def compose_affine(layers: Iterable[Sequence[Any]]) -> Layer:
    """The single (W, b) equal to applying ``layers`` in order with nothing in between.

    W = W_L ... W_2 W_1 and b = W_L (... (W_2 b_1 + b_2) ...) + b_L.
    """
    checked = as_layers(layers)
    W, b = checked[0]
    for W_next, b_next in checked[1:]:
        W, b = W_next @ W, W_next @ b + b_next
    return W, b


def forward(
    layers: Iterable[Sequence[Any]],
    x: Any,
    activation: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """Run ``x`` through the layers, applying ``activation`` between them (not after the last).

    ``x`` has shape ``(inputs,)`` for one point or ``(n, inputs)`` for n points; a 1-d ``x``
    for a layer with one input is read as n points. ``activation=None`` runs the plain
    affine stack.
    """
    checked = as_layers(layers)
    inputs = checked[0][0].shape[1]
    X = finite_real_array(x, "x")
    single = X.ndim == 1 and inputs > 1
    if X.ndim == 0 or (X.ndim == 1 and inputs == 1):
        X = X.reshape(-1, 1)
    elif X.ndim == 1:
        X = X.reshape(1, -1)
    if X.ndim != 2 or X.shape[1] != inputs:
        raise ValueError(f"x has shape {np.shape(x)}, but layers[0] takes {inputs} inputs")
    for i, (W, b) in enumerate(checked):
        X = X @ W.T + b
        if activation is not None and i < len(checked) - 1:
            X = activation(X)
    return X[0] if single else X


def layers_from_torch(model, activation: type | None = None) -> list[Layer]:
    """The (W, b) pairs of the ``nn.Linear`` layers of an ``nn.Sequential``, as float64 arrays.

    ``activation`` is the module class expected between consecutive linear layers (for
    example ``torch.nn.ReLU``), or None for a plain stack; any other arrangement raises, so
    that the pairs mean what the caller thinks they mean.
    """
    import torch.nn as nn

    modules = list(model) if isinstance(model, nn.Sequential) else [model]
    expected = "Linear" if activation is None else f"Linear, {activation.__name__}, Linear, ..."
    layers: list[Layer] = []
    previous_was_linear = False
    for i, module in enumerate(modules):
        if isinstance(module, nn.Linear):
            if previous_was_linear and activation is not None:
                raise ValueError(f"module {i}: two Linear layers without {activation.__name__} between")
            W = module.weight.detach().cpu().double().numpy()
            b = (module.bias.detach().cpu().double().numpy() if module.bias is not None
                 else np.zeros(W.shape[0]))
            layers.append((W, b))
            previous_was_linear = True
        elif activation is not None and isinstance(module, activation) and previous_was_linear:
            previous_was_linear = False
        else:
            raise ValueError(
                f"module {i} ({type(module).__name__}) does not fit the pattern {expected}"
            )
    if not layers or not previous_was_linear:
        raise ValueError(f"the model must follow the pattern {expected} and end with Linear")
    return as_layers(layers)
