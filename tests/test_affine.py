"""nonlin.affine: checking, composing and running stacks of affine layers."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from nonlin import affine
from nonlin.activations import relu


def random_layers(rng, sizes):
    return [(rng.standard_normal((m, n)), rng.standard_normal(m)) for n, m in zip(sizes, sizes[1:])]


def test_the_scalar_example_collapses_to_6x_plus_4():
    W, b = affine.compose_affine([(3, 1), (2, 2)])
    assert W.tolist() == [[6.0]] and b.tolist() == [4.0]


@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=6),
    seed=st.integers(0, 2**32 - 1),
)
def test_composed_layer_equals_the_stack(sizes, seed):
    rng = np.random.default_rng(seed)
    layers = random_layers(rng, sizes)
    x = rng.standard_normal((7, sizes[0]))
    W, b = affine.compose_affine(layers)
    assert W.shape == (sizes[-1], sizes[0])
    np.testing.assert_allclose(x @ W.T + b, affine.forward(layers, x), rtol=1e-10, atol=1e-10)


def test_forward_applies_the_activation_between_layers_only():
    layers = [(np.array([[1.0], [-1.0]]), np.zeros(2)), (np.array([[1.0, 1.0]]), np.array([-5.0]))]
    x = np.array([-2.0, 3.0])
    np.testing.assert_array_equal(affine.forward(layers, x, relu)[:, 0], [-3.0, -2.0])  # |x| - 5
    np.testing.assert_array_equal(affine.forward(layers, x)[:, 0], [-5.0, -5.0])


def test_forward_shapes():
    layers = random_layers(np.random.default_rng(0), [3, 4, 2])
    assert affine.forward(layers, np.zeros(3)).shape == (2,)
    assert affine.forward(layers, np.zeros((5, 3))).shape == (5, 2)
    with pytest.raises(ValueError, match=r"x has shape \(4,\), but layers\[0\] takes 3 inputs"):
        affine.forward(layers, np.zeros(4))


@pytest.mark.parametrize(
    ("layers", "error", "message"),
    [
        ([], ValueError, "at least one"),
        ("layers", TypeError, "sequence of"),
        (5, TypeError, "sequence of"),
        ([(1, 2, 3)], TypeError, r"layers\[0\] must be a \(W, b\) pair"),
        ([(np.ones((2, 3)), np.ones(2)), (np.ones((1, 4)), np.ones(1))], ValueError,
         r"layers\[1\] takes 4 inputs, but layers\[0\] gives 2 outputs"),
        ([(np.ones((2, 3)), np.ones(3))], ValueError, r"layers\[0\] b has shape \(3,\)"),
        ([(np.ones((2, 3, 1)), np.ones(2))], ValueError, r"layers\[0\] W must be 2-d"),
        ([(np.ones((1, 1)) * 1j, np.ones(1))], TypeError, r"layers\[0\] W must be a real-valued array, got complex128"),
        ([(np.ones((1, 1)), np.array([np.nan]))], ValueError, r"layers\[0\] b must be finite"),
        ([("a", 1)], TypeError, r"layers\[0\] W must be a real number or array, got str"),
    ],
)
def test_bad_layers_are_refused_naming_the_layer(layers, error, message):
    with pytest.raises(error, match=message):
        affine.compose_affine(layers)


def test_layers_from_torch_reads_linear_stacks_and_relu_networks():
    torch.manual_seed(0)
    stack = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 2, bias=False))
    layers = affine.layers_from_torch(stack)
    assert [W.shape for W, _ in layers] == [(4, 3), (2, 4)]
    assert layers[1][1].tolist() == [0.0, 0.0]
    x = torch.randn(5, 3, dtype=torch.float64)
    np.testing.assert_allclose(affine.forward(layers, x.numpy()), stack.double()(x).detach().numpy())
    net = torch.nn.Sequential(torch.nn.Linear(1, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1)).double()
    layers = affine.layers_from_torch(net, activation=torch.nn.ReLU)
    x = torch.linspace(-3, 3, 50, dtype=torch.float64).reshape(-1, 1)
    np.testing.assert_allclose(affine.forward(layers, x.numpy(), relu), net(x).detach().numpy())


@pytest.mark.parametrize(
    ("modules", "activation"),
    [
        ([torch.nn.Linear(1, 2), torch.nn.Tanh(), torch.nn.Linear(2, 1)], torch.nn.ReLU),
        ([torch.nn.Linear(1, 2), torch.nn.Linear(2, 1)], torch.nn.ReLU),
        ([torch.nn.Linear(1, 2), torch.nn.ReLU()], torch.nn.ReLU),
        ([torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1)], None),
    ],
)
def test_layers_from_torch_refuses_other_patterns(modules, activation):
    with pytest.raises(ValueError, match="pattern|without"):
        affine.layers_from_torch(torch.nn.Sequential(*modules), activation=activation)

