"""nonlin.derivatives, nonlin.backprop and the network helpers of nonlin.training."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from nonlin import ACTIVATIONS, activations as act
from nonlin.backprop import TwoLayerNet, mse_loss, relu_backward
from nonlin.derivatives import central_difference, default_step, step_size_errors
from nonlin.training import gradient_norms, make_mlp, matching_init

# ---------------------------------------------------------------------------------------------
# finite differences
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softplus", "gelu", "silu"])
def test_central_difference_matches_smooth_derivatives(name):
    a = ACTIVATIONS[name]
    x = np.linspace(-6, 6, 121)
    np.testing.assert_allclose(central_difference(a, x), a.grad(x), rtol=1e-8, atol=1e-9)


def test_central_difference_is_exact_for_quadratics_up_to_rounding():
    x = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(central_difference(lambda t: 3 * t**2 - t, x, 0.5), 6 * x - 1, atol=1e-12)


def test_step_size_trade_off_has_its_minimum_near_the_cube_root_of_eps():
    x = np.linspace(-2, 2, 9)
    for dtype, steps in ((np.float64, np.logspace(-12, -1, 45)), (np.float32, np.logspace(-6, -0.5, 45))):
        errors = step_size_errors(act.sigmoid, act.sigmoid_grad, x, steps, dtype=dtype)
        best = steps[np.argmin(errors)]
        eps = np.finfo(dtype).eps
        assert np.cbrt(eps) / 30 < best < np.cbrt(eps) * 30
        assert errors.min() < 10 * eps ** (2 / 3)
        assert errors[0] > 100 * errors.min() and errors[-1] > 100 * errors.min()  # a V shape


def test_default_step_scales_with_x():
    assert default_step(np.array([0.0, 1e6]))[1] == pytest.approx(1e6 * np.cbrt(np.finfo(float).eps))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"x": [1.0], "h": 0.0}, ValueError, "h must be positive"),
        ({"x": [1.0], "h": -1e-3}, ValueError, "h must be positive"),
        ({"x": [np.nan]}, ValueError, "x must be finite"),
        ({"x": "a"}, TypeError, "x must be a real number or array"),
        ({"x": [1.0], "h": 1e-12, "dtype": np.float32}, ValueError, "h is below the resolution of float32"),
    ],
)
def test_central_difference_refuses_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        central_difference(np.sin, **kwargs)


def test_step_size_errors_refuses_bad_steps():
    with pytest.raises(ValueError, match="steps must be a 1-d array of positive step sizes"):
        step_size_errors(np.sin, np.cos, [0.0], [1e-3, 0.0])


# ---------------------------------------------------------------------------------------------
# the hand-written network
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# networks by activation and initialisation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_make_mlp_places_the_activation_between_linear_layers(activation):
    model = make_mlp([3, 5, 4, 2], activation, matching_init(activation))
    kinds = [type(m).__name__ for m in model]
    module = ACTIVATIONS[activation].torch_module
    assert kinds == ["Linear", module, "Linear", module, "Linear"]
    assert model(torch.zeros(7, 3)).shape == (7, 2)


def test_initialisations_have_the_documented_scale():
    torch.manual_seed(0)
    relu_net = make_mlp([1000, 1000, 1], "relu", "kaiming")
    assert relu_net[0].weight.std().item() == pytest.approx(np.sqrt(2 / 1000), rel=0.02)
    assert relu_net[0].bias.abs().max().item() == 0
    tanh_net = make_mlp([1000, 1000, 1], "tanh", "xavier")
    assert tanh_net[0].weight.std().item() == pytest.approx(5 / 3 * np.sqrt(2 / 2000), rel=0.02)
    assert matching_init("sigmoid") == "xavier" and matching_init("gelu") == "kaiming"


def test_gradient_norms_per_layer():
    torch.manual_seed(0)
    model = make_mlp([4, 8, 8, 1], "relu", "kaiming")
    with pytest.raises(ValueError, match="Linear layer 0 has no gradient"):
        gradient_norms(model)
    model(torch.randn(5, 4)).pow(2).mean().backward()
    norms = gradient_norms(model)
    assert len(norms) == 3 and norms == [m.weight.grad.norm().item() for m in model[::2]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([3, 2], "swish"), "activation must be one of"),
        (([3, 2], "relu", "he"), "init must be one of"),
        (([3], "relu"), "sizes must list at least two positive integers"),
        (([3, 0], "relu"), "sizes must list at least two positive integers"),
        (("32", "relu"), "sizes must list at least two positive integers"),
    ],
)
def test_make_mlp_refuses_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        make_mlp(*args)


def test_activation_outputs_records_each_activation_in_order():
    from nonlin.training import activation_outputs

    torch.manual_seed(0)
    model = make_mlp([3, 4, 5, 2], "relu", "kaiming")
    x = torch.randn(6, 3)
    outputs = activation_outputs(model, x)
    assert [o.shape for o in outputs] == [(6, 4), (6, 5)]
    assert torch.equal(outputs[0], torch.relu(model[0](x)))
    assert not any(m._forward_hooks for m in model.modules())  # hooks removed
    with pytest.raises(ValueError, match="no activation modules"):
        activation_outputs(torch.nn.Sequential(torch.nn.Linear(3, 2)), x)
