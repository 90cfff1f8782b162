"""What autograd keeps for the backward pass: the tensors the forward pass saved, by storage.

Every operation whose derivative needs a value saves it in the graph: ReLU its output, Leaky
ReLU its input, ``nn.Linear`` its input (for the weight's gradient). Two operations can save
the same memory, as when ReLU's output is the next Linear's input, so the memory kept for
backward is the sum over *unique storages*, not over saved tensors. Two independent ways to
see them:

* ``saved_during``: ``torch.autograd.graph.saved_tensors_hooks`` is called with every tensor
  an operation saves, also by a custom ``autograd.Function``'s ``save_for_backward``;
* ``saved_in_graph``: walk the graph from an output and read what each node holds
  (``_saved_self``, ``_saved_result``, ... on built-in nodes, ``saved_tensors`` on custom ones).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable


def saved_during(fn: Callable, *args: Any, exclude: Iterable = ()) -> tuple[Any, list]:
    """(``fn(*args)``, one tensor per storage autograd saved for backward during the call).

    Storages shared with a tensor in ``exclude`` (typically ``model.parameters()``) are left
    out. The tensors come in the order they were first saved; each keeps its storage alive,
    so two saved tensors never share an address by reuse of freed memory.
    """
    import torch

    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    excluded = _storage_keys(exclude)
    seen: dict[tuple, Any] = {}

    def pack(tensor):
        key = _storage_key(tensor)
        if key not in excluded and key not in seen:
            seen[key] = tensor
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        output = fn(*args)
    return output, list(seen.values())


def saved_in_graph(output, exclude: Iterable = ()) -> list:
    """One tensor per storage held by the backward graph of ``output``, ``exclude`` left out.

    Call it before ``backward()``, which frees what the graph held.
    """
    import torch

    if not isinstance(output, torch.Tensor):
        raise TypeError(f"output must be a tensor, got {type(output).__name__}")
    if output.grad_fn is None:
        raise ValueError("output has no grad_fn: it was not computed from a tensor that requires grad")
    excluded = _storage_keys(exclude)
    seen: dict[tuple, Any] = {}
    visited, stack = set(), [output.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or node in visited:
            continue
        visited.add(node)
        for tensor in _node_saved_tensors(node):
            key = _storage_key(tensor)
            if key not in excluded and key not in seen:
                seen[key] = tensor
        stack.extend(next_node for next_node, _ in node.next_functions)
    return list(seen.values())


def storage_bytes(tensors: Iterable) -> int:
    """The bytes of the distinct storages behind ``tensors`` (a storage shared is counted once)."""
    import torch

    storages = {}
    for tensor in tensors:
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(f"tensors must hold tensors, got {type(tensor).__name__}")
        storages[_storage_key(tensor)] = tensor.untyped_storage().nbytes()
    return sum(storages.values())


def _node_saved_tensors(node) -> list:
    """The tensors a graph node holds for its backward: ``_saved_*`` attributes of built-in
    nodes (a tensor or a list of them), ``saved_tensors`` of a custom Function's node."""
    import torch

    values = [getattr(node, name) for name in dir(node) if name.startswith("_saved_")]
    if not values and hasattr(node, "saved_tensors"):
        values = list(node.saved_tensors)
    tensors = []
    for value in values:
        items = value if isinstance(value, (tuple, list)) else [value]
        tensors += [item for item in items if isinstance(item, torch.Tensor)]
    return tensors


def _storage_keys(tensors: Iterable) -> set:
    import torch

    keys = set()
    for tensor in tensors:
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(f"exclude must hold tensors, got {type(tensor).__name__}")
        keys.add(_storage_key(tensor))
    return keys


def _storage_key(tensor) -> tuple:
    """What identifies the memory behind a tensor: its storage's device and address."""
    return (str(tensor.device), tensor.untyped_storage().data_ptr())
