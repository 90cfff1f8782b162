"""nonlin.training: networks by activation and initialisation, and the training loop."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nonlin import ACTIVATIONS, datasets, probes, reproducible, training
from nonlin.training import make_mlp, matching_init


def small_problem(seed):
    torch.manual_seed(seed)
    x = torch.linspace(-1, 1, 32).reshape(-1, 1)
    model = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    return model, x, x.abs()


def test_training_lowers_the_loss_and_repeats_exactly():
    runs = []
    for _ in range(2):
        model, x, y = small_problem(0)
        runs.append(training.train_full_batch(model, x, y, steps=200, lr=0.02))
    assert runs[0] == runs[1]
    assert len(runs[0]) == 200 and runs[0][-1] < runs[0][0] / 10


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": 0, "lr": 0.1}, "steps must be an integer >= 1"),
        ({"steps": 2.5, "lr": 0.1}, "steps must be an integer >= 1"),
        ({"steps": 10, "lr": 0.0}, "lr must be a positive finite number"),
        ({"steps": 10, "lr": float("nan")}, "lr must be a positive finite number"),
        ({"steps": 10, "lr": 0.1, "loss": "hinge"}, "loss must be one of"),
    ],
)
def test_training_refuses_bad_settings(kwargs, message):
    model, x, y = small_problem(0)
    with pytest.raises(ValueError, match=message):
        training.train_full_batch(model, x, y, **kwargs)


def test_training_refuses_mismatched_data():
    model, x, y = small_problem(0)
    with pytest.raises(ValueError, match="inputs has 32 examples but targets has 31"):
        training.train_full_batch(model, x, y[:-1], steps=1, lr=0.1)
    with pytest.raises(TypeError, match="torch tensors"):
        training.train_full_batch(model, x.numpy(), y, steps=1, lr=0.1)


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_classification_training_learns_and_calls_the_monitor(optimizer):
    X, y = datasets.two_spirals(40, noise=0.05, seed=0)
    reproducible.seed_everything(0)
    model = training.make_mlp([2, 32, 32, 2], "relu", "kaiming")
    seen = []
    history = training.train_full_batch(
        model, X, y, steps=300, lr=0.01 if optimizer == "adam" else 0.1, loss="cross_entropy",
        optimizer=optimizer, momentum=0.9 if optimizer == "sgd" else 0.0,
        monitor=lambda step, m: seen.append(step), monitor_every=100,
    )
    assert seen == [0, 100, 200, 300]
    assert history[-1] < history[0] / 2 and probes.accuracy(model, X, y) > 0.7


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"optimizer": "rmsprop"}, "optimizer must be one of"),
        ({"momentum": 1.0}, "momentum must be in"),
        ({"monitor_every": 0}, "monitor_every must be an integer >= 1"),
    ],
)
def test_training_refuses_bad_options(kwargs, message):
    X, y = datasets.two_spirals(5)
    with pytest.raises(ValueError, match=message):
        training.train_full_batch(torch.nn.Linear(2, 2), X, y, steps=1, lr=0.1, loss="cross_entropy", **kwargs)


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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([3, 2], "swish"), "activation must be one of"),
        (([3, 2], "relu", "he"), "init must be one of"),
        (([3], "relu"), "sizes must list at least two positive integers"),
        (([3, 0], "relu"), "each entry of sizes must be an integer >= 1, got 0"),
        (("32", "relu"), "sizes must list at least two positive integers"),
    ],
)
def test_make_mlp_refuses_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        make_mlp(*args)



def test_xavier_gain_scales_the_weights_and_float64_draws_are_float64():
    torch.manual_seed(0)
    net = make_mlp([1000, 1000, 1], "sigmoid", "xavier", gain=4.0, dtype=torch.float64)
    assert net[0].weight.dtype == torch.float64 and net[0].bias.dtype == torch.float64
    assert net[0].weight.std().item() == pytest.approx(4 * np.sqrt(2 / 2000), rel=0.02)
    torch.manual_seed(0)
    unit_gain = make_mlp([1000, 1000, 1], "sigmoid", "xavier", gain=1.0, dtype=torch.float64)
    torch.testing.assert_close(net[0].weight, 4 * unit_gain[0].weight, rtol=1e-15, atol=0)
    prelu = make_mlp([3, 4, 2], "prelu", "kaiming", dtype=torch.float64)
    assert prelu[1].weight.dtype == torch.float64 and prelu[1].weight.item() == 0.25


def test_float64_initialisation_is_drawn_in_float64_not_rounded_from_float32():
    # torch's float32 normal sampler has an AVX2 path that rounds differently from the generic one;
    # a float64 draw must not pass through float32 (then every weight would be a float32 value).
    torch.manual_seed(0)
    net = make_mlp([64, 32, 10], "relu", "kaiming", dtype=torch.float64)
    weight = net[0].weight.detach()
    assert not torch.equal(weight, weight.float().double())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"gain": 0.0}, "gain must be a positive finite number"),
        ({"gain": 2.0, "init": "kaiming"}, "gain applies to init='xavier' only"),
        ({"dtype": torch.float16}, "dtype must be torch.float32 or torch.float64"),
    ],
)
def test_make_mlp_refuses_bad_gain_and_dtype(kwargs, message):
    init = kwargs.pop("init", "xavier")
    with pytest.raises(ValueError, match=message):
        make_mlp([3, 4, 2], "tanh", init, **kwargs)
