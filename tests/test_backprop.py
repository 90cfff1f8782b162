"""nonlin.backprop: the hand-written backward pass against autograd."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from nonlin.backprop import TwoLayerNet, gradient_factors, mse_loss, relu_backward


@given(
    seed=st.integers(0, 2**32 - 1),
    inputs=st.integers(1, 5),
    hidden=st.integers(1, 8),
    outputs=st.integers(1, 3),
    batch=st.integers(1, 6),
)
def test_hand_written_backward_equals_autograd(seed, inputs, hidden, outputs, batch):
    rng = np.random.default_rng(seed)
    net = TwoLayerNet.random(rng, inputs, hidden, outputs)
    X, T = rng.standard_normal((batch, inputs)), rng.standard_normal((batch, outputs))
    Y, cache = net.forward(X)
    loss, grad_Y = mse_loss(Y, T)
    grads = net.backward(cache, grad_Y)

    model = net.to_torch()
    X_t = torch.tensor(X, requires_grad=True)
    loss_t = torch.nn.functional.mse_loss(model(X_t), torch.tensor(T))
    loss_t.backward()
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    expected = dict(zip(TwoLayerNet.PARAMETERS, (p.grad.numpy() for p in model.parameters())))
    expected["X"] = X_t.grad.numpy()
    for name, value in expected.items():
        np.testing.assert_allclose(grads[name], value, rtol=1e-10, atol=1e-12, err_msg=name)


def test_a_broken_relu_backward_is_caught():
    rng = np.random.default_rng(0)
    net = TwoLayerNet.random(rng, 3, 16, 2)
    X, T = rng.standard_normal((20, 3)), rng.standard_normal((20, 2))
    Y, cache = net.forward(X)
    _, grad_Y = mse_loss(Y, T)
    good = net.backward(cache, grad_Y)
    bad = net.backward(cache, grad_Y, relu_backward=lambda up, z: up * (up > 0))
    assert not np.allclose(good["W1"], bad["W1"])
    np.testing.assert_array_equal(good["W2"], bad["W2"])  # the layer above the ReLU is unaffected


def test_relu_backward_leaves_the_upstream_gradient_alone():
    upstream = np.array([1.0, -2.0, 3.0])
    result = relu_backward(upstream, np.array([1.0, 0.0, -1.0]))
    assert result.tolist() == [1.0, -0.0, -0.0] and upstream.tolist() == [1.0, -2.0, 3.0]
    with pytest.raises(ValueError, match="upstream has shape"):
        relu_backward(np.ones(2), np.ones(3))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"W1": np.ones(3)}, "W1 must be 2-d"),
        ({"b1": np.ones(4)}, r"b1 must have shape \(2,\)"),
        ({"W2": np.ones((1, 3))}, r"W2 must have shape \(outputs, 2\)"),
        ({"b2": np.ones(2)}, r"b2 must have shape \(1,\)"),
        ({"W1": np.full((2, 3), np.nan)}, "W1 must be finite"),
    ],
)
def test_two_layer_net_refuses_inconsistent_parameters(params, message):
    base = {"W1": np.ones((2, 3)), "b1": np.ones(2), "W2": np.ones((1, 2)), "b2": np.ones(1)}
    with pytest.raises(ValueError, match=message):
        TwoLayerNet(**{**base, **params})


def test_forward_and_loss_refuse_wrong_shapes():
    net = TwoLayerNet.random(np.random.default_rng(0), 3, 4, 1)
    with pytest.raises(ValueError, match=r"X must have shape \(n, 3\)"):
        net.forward(np.ones((2, 2)))
    with pytest.raises(ValueError, match="prediction has shape"):
        mse_loss(np.ones((2, 1)), np.ones((3, 1)))



def _sigmoid_mlp(seed, depth=6, width=8):
    from nonlin.training import make_mlp

    torch.manual_seed(seed)
    model = make_mlp([width] * (depth + 1) + [1], "sigmoid", "xavier").double()
    X = torch.randn(16, width, dtype=torch.float64)
    T = torch.randn(16, 1, dtype=torch.float64)
    return model, X, T


def test_gradient_factors_multiply_to_the_ratio_of_the_weight_gradients():
    from nonlin.probes import gradient_norms

    model, X, T = _sigmoid_mlp(0)
    parts = gradient_factors(model, X, T)
    norms = gradient_norms(model)  # from the .grad autograd stored in each weight
    assert parts["ratio"] == pytest.approx(norms[0] / norms[-1], rel=1e-15)
    product = np.prod(parts["weights"]) * np.prod(parts["slopes"]) * parts["inputs"]
    assert product == pytest.approx(norms[0] / norms[-1], rel=1e-12)
    assert len(parts["weights"]) == len(parts["slopes"]) == 6


def test_gradient_factors_of_the_sigmoid_are_at_most_a_quarter_and_weights_match_numpy():
    model, X, T = _sigmoid_mlp(1)
    parts = gradient_factors(model, X, T)
    assert np.all(parts["slopes"] <= 0.25) and np.all(parts["slopes"] > 0.1)
    # the first step's weight factor, recomputed in numpy from the output error 2 (Y - T) / N
    Y = model(X).detach().numpy()
    delta = 2 * (Y - T.numpy()) / Y.size
    W = model[-1].weight.detach().numpy()
    assert parts["weights"][0] == pytest.approx(np.linalg.norm(delta @ W) / np.linalg.norm(delta), rel=1e-12)


def _numpy_backward(model, X, T, activation):
    """Delta_l of every Linear layer, by Delta_(l-1) = f'(Z_(l-1)) * (Delta_l W_l) in numpy."""
    from nonlin import ACTIVATIONS

    f = ACTIVATIONS[activation]
    linears = list(model)[::2]
    H, Z = [X.numpy()], []
    for linear in linears:
        Z.append(H[-1] @ linear.weight.detach().numpy().T + linear.bias.detach().numpy())
        H.append(f(Z[-1]))
    deltas = [2 * (Z[-1] - T.numpy()) / Z[-1].size]
    for linear, z in zip(linears[:0:-1], Z[-2::-1]):
        deltas.insert(0, f.grad(z) * (deltas[0] @ linear.weight.detach().numpy()))
    return linears, H, deltas


@pytest.mark.parametrize(("activation", "init"), [("sigmoid", "xavier"), ("tanh", "default"), ("relu", "kaiming")])
def test_gradient_factors_match_a_backward_pass_written_in_numpy(activation, init):
    from nonlin.training import make_mlp

    torch.manual_seed(3)
    model = make_mlp([8] * 7 + [1], activation, init).double()
    X, T = torch.randn(16, 8, dtype=torch.float64), torch.randn(16, 1, dtype=torch.float64)
    parts = gradient_factors(model, X, T)
    linears, H, deltas = _numpy_backward(model, X, T, activation)
    norm = np.linalg.norm
    np.testing.assert_allclose(parts["errors"], [norm(d) for d in deltas], rtol=1e-13)
    pulled = [d @ linear.weight.detach().numpy() for d, linear in zip(deltas[1:], linears[1:])][::-1]
    np.testing.assert_allclose(parts["weights"], [norm(p) / norm(d) for p, d in zip(pulled, deltas[:0:-1])],
                               rtol=1e-13)
    np.testing.assert_allclose(parts["slopes"], [norm(d) / norm(p) for d, p in zip(deltas[-2::-1], pulled)],
                               rtol=1e-13)
    weight_grads = [norm(d.T @ h) for d, h in zip(deltas, H)]
    assert parts["ratio"] == pytest.approx(weight_grads[0] / weight_grads[-1], rel=1e-12)
    inputs = (weight_grads[0] / norm(deltas[0])) / (weight_grads[-1] / norm(deltas[-1]))
    assert parts["inputs"] == pytest.approx(inputs, rel=1e-12)


def test_gradient_factors_refuses_other_models():
    from torch import nn

    X, T = torch.zeros(2, 3, dtype=torch.float64), torch.zeros(2, 1, dtype=torch.float64)
    for model in (nn.Linear(3, 1), nn.Sequential(nn.Linear(3, 1)), nn.Sequential(nn.ReLU(), nn.Linear(3, 1)),
                  nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 1), nn.ReLU())):
        with pytest.raises(ValueError, match="model must be an nn.Sequential alternating Linear"):
            gradient_factors(model, X, T)
    with pytest.raises(TypeError, match="inputs and targets must be torch tensors"):
        gradient_factors(nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1)), np.zeros((2, 3)), T)
