"""nonlin.saved_tensors: the storages autograd keeps for backward, by hooks and by the graph."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from nonlin.saved_tensors import saved_during, saved_in_graph, storage_bytes


def mlp(activation, inplace):
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 5), activation(inplace=inplace), nn.Linear(5, 5),
                         activation(inplace=inplace), nn.Linear(5, 2))


# (activation, inplace) -> storages kept besides the parameters, for an input of 4 rows:
# the input (saved by the first Linear), then per activation layer its output (saved by the
# next Linear) and, if the activation needs its input rather than its output, that too.
EXPECTED = {
    (nn.ReLU, False): 1 + 2 * 1, (nn.ReLU, True): 1 + 2 * 1,  # ReLU saves its output
    (nn.LeakyReLU, False): 1 + 2 * 2, (nn.LeakyReLU, True): 1 + 2 * 1,  # input; in place, output
    (nn.ELU, False): 1 + 2 * 2, (nn.ELU, True): 1 + 2 * 1,
    (nn.SiLU, False): 1 + 2 * 2, (nn.SiLU, True): 1 + 2 * 2,  # in place it saves a copy of its input
}


@pytest.mark.parametrize(("activation", "inplace"), list(EXPECTED), ids=lambda v: getattr(v, "__name__", str(v)))
def test_unique_storages_saved_by_a_small_mlp(activation, inplace):
    model = mlp(activation, inplace)
    x = torch.randn(4, 6)
    out, by_hooks = saved_during(model, x, exclude=model.parameters())
    in_graph = saved_in_graph(out, exclude=model.parameters())
    assert len(by_hooks) == len(in_graph) == EXPECTED[(activation, inplace)]
    assert storage_bytes(by_hooks) == storage_bytes(in_graph) == 4 * (4 * 6 + (len(by_hooks) - 1) * 4 * 5)
    assert by_hooks[0] is x  # the first Linear saves its input itself, not a copy


def test_a_storage_saved_twice_is_counted_once():
    x = torch.randn(3, 4, requires_grad=True)
    w = torch.randn(4, 4, requires_grad=True)
    # relu saves its output r; r @ w saves r (for w's gradient) and w (for r's): r counted once.
    out, saved = saved_during(lambda: torch.relu(x) @ w)
    assert len(saved) == 2 and storage_bytes(saved) == 4 * (12 + 16)
    assert len(saved_in_graph(out)) == 2
    assert storage_bytes([w, w.t(), w[0]]) == 64  # views share their base's storage


def test_saved_tensors_outlive_their_graphs_so_no_address_is_reused():
    # Each graph dies at once; the helper keeps what it saw alive (so that freed memory cannot
    # come back at the same address and make three storages look like one), with its values.
    def three_graphs():
        for value in (1.0, 2.0, 3.0):
            torch.relu(torch.full((1000,), value, requires_grad=True))

    _, saved = saved_during(three_graphs)
    assert [t[0].item() for t in saved] == [1.0, 2.0, 3.0] and storage_bytes(saved) == 3 * 4000


def test_custom_function_saved_tensors_are_seen_and_ctx_attributes_are_not():
    class Saved(torch.autograd.Function):
        @staticmethod
        def forward(x):
            return x * 2

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0] > 0)  # a bool mask, 1 byte per element
            ctx.hidden = inputs[0].clone()  # an attribute: neither hooks nor graph see it

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    x = torch.randn(10, requires_grad=True)
    out, saved = saved_during(Saved.apply, x)
    assert [t.dtype for t in saved] == [torch.bool] and storage_bytes(saved) == 10
    assert storage_bytes(saved_in_graph(out)) == 10


def test_bad_input_is_named():
    with pytest.raises(TypeError, match="fn must be callable"):
        saved_during(3)
    with pytest.raises(TypeError, match="exclude must hold tensors"):
        saved_during(torch.relu, torch.randn(2), exclude=[1.0])
    with pytest.raises(TypeError, match="output must be a tensor"):
        saved_in_graph([1.0])
    with pytest.raises(ValueError, match="output has no grad_fn"):
        saved_in_graph(torch.randn(2))
    with pytest.raises(TypeError, match="tensors must hold tensors"):
        storage_bytes([torch.randn(2), "x"])
