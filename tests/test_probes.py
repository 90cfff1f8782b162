"""nonlin.probes: accuracy, steps to a target, gradient norms, activation outputs, dead units."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nonlin import probes
from nonlin.probes import activation_outputs, gradient_norms
from nonlin.training import make_mlp


def test_steps_to_target_and_accuracy():
    assert probes.steps_to_target([3.0, 2.0, 0.5, 0.1], 0.5) == 2
    assert probes.steps_to_target([3.0, 2.0], 0.5) is None
    model = torch.nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.copy_(torch.eye(2))
        model.bias.zero_()
    assert probes.accuracy(model, torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.tensor([0, 0])) == 0.5


def test_gradient_norms_per_layer_match_the_closed_form():
    torch.manual_seed(0)
    model = make_mlp([4, 8, 8, 1], "relu", "kaiming")
    with pytest.raises(ValueError, match="Linear layer 0 has no gradient"):
        gradient_norms(model)
    # Two linear layers, no activation: for L = mean((W2 (W1 x + b1) + b2)^2) over n rows,
    # dL/dW2 = (2/n) sum r h^T and dL/dW1 = W2^T (2/n) sum r x^T, with r the output, h = W1 x + b1.
    linear = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Linear(2, 1)).double()
    x = torch.randn(5, 3, dtype=torch.float64)
    linear(x).pow(2).mean().backward()
    W1, b1 = linear[0].weight.detach().numpy(), linear[0].bias.detach().numpy()
    W2, b2 = linear[1].weight.detach().numpy(), linear[1].bias.detach().numpy()
    h = x.numpy() @ W1.T + b1
    r = h @ W2.T + b2
    grad_W2 = 2 / len(r) * r.T @ h
    grad_W1 = W2.T @ (2 / len(r) * r.T @ x.numpy())
    expected = [np.linalg.norm(grad_W1), np.linalg.norm(grad_W2)]
    np.testing.assert_allclose(gradient_norms(linear), expected, rtol=1e-12)


def test_activation_outputs_records_each_activation_in_order():

    torch.manual_seed(0)
    model = make_mlp([3, 4, 5, 2], "relu", "kaiming")
    x = torch.randn(6, 3)
    outputs = activation_outputs(model, x)
    assert [o.shape for o in outputs] == [(6, 4), (6, 5)]
    assert torch.equal(outputs[0], torch.relu(model[0](x)))
    assert not any(m._forward_hooks for m in model.modules())  # hooks removed
    with pytest.raises(ValueError, match="no activation modules"):
        activation_outputs(torch.nn.Sequential(torch.nn.Linear(3, 2)), x)


def test_dead_unit_fraction_counts_units_never_active():
    model = make_mlp([2, 4, 1], "relu", "kaiming")
    with torch.no_grad():
        model[0].weight.zero_()
        model[0].bias.copy_(torch.tensor([-1.0, -0.5, 0.0, 1.0]))  # 3 of 4 never positive
    X = torch.randn(50, 2)
    assert probes.dead_unit_fraction(model, X) == [0.75]
    with pytest.raises(ValueError, match="no activation modules"):
        probes.dead_unit_fraction(torch.nn.Linear(2, 2), X)



def test_only_activation_modules_are_recorded_not_batchnorm_or_dropout():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(),
                                torch.nn.Dropout(0.5), torch.nn.Linear(8, 2))
    x = torch.randn(16, 4)
    outputs = activation_outputs(model, x)
    assert len(outputs) == 1
    model.eval()
    with torch.no_grad():  # in evaluation mode, by hand: BatchNorm with its running statistics
        expected = torch.relu(model[1](model[0](x)))
    assert torch.equal(outputs[0], expected)
    assert len(activation_outputs(model, x, kinds=(torch.nn.ReLU, torch.nn.BatchNorm1d))) == 2
    with pytest.raises(TypeError, match="kinds must be a non-empty tuple"):
        activation_outputs(model, x, kinds=[torch.nn.ReLU])
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        activation_outputs(lambda t: t, x)


def test_measuring_changes_nothing_in_the_model():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.RReLU(),
                                torch.nn.Dropout(0.5), torch.nn.Linear(8, 2))
    model[4].eval()  # a mixed state, as when part of a model is frozen
    flags = [m.training for m in model.modules()]
    state = {k: v.clone() for k, v in model.state_dict().items()}
    x = torch.randn(16, 4) + 3.0  # a batch mean far from the running mean 0
    rng = torch.get_rng_state()
    activation_outputs(model, x)
    probes.dead_unit_fraction(model, x)
    assert [m.training for m in model.modules()] == flags
    assert all(torch.equal(v, state[k]) for k, v in model.state_dict().items())  # running stats
    assert torch.equal(torch.get_rng_state(), rng)  # Dropout and RReLU drew nothing


def test_an_inplace_activation_is_recorded_before_it_overwrites_its_input():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.LeakyReLU(0.1, inplace=True),
                                torch.nn.Hardtanh(-1.0, 0.5, inplace=True), torch.nn.Linear(8, 2))
    x = torch.randn(32, 4)
    with torch.no_grad():
        z = model[0](x)
    leaky = torch.nn.functional.leaky_relu(z, 0.1)
    assert (z < 0).any() and (leaky > 0.5).any()  # both in-place layers change something
    inputs = probes._record_activations(model, x, "input")
    outputs = activation_outputs(model, x)
    assert torch.equal(inputs[0], z) and torch.equal(inputs[1], leaky)
    assert torch.equal(outputs[0], leaky) and torch.equal(outputs[1], leaky.clamp(-1.0, 0.5))
