"""The experiment helpers of nonlin.training: data, seeds, the loop's options, dead units."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nonlin import training


def test_digits_are_standardised_stratified_and_repeatable():
    X_train, X_test, y_train, y_test = training.digits()
    assert X_train.shape == (1347, 64) and X_test.shape == (450, 64)
    assert X_train.dtype == torch.float32 and y_train.dtype == torch.int64
    assert torch.allclose(X_train.mean(0), torch.zeros(64), atol=1e-5)
    assert set(y_test.tolist()) == set(range(10)) and torch.bincount(y_test).min() >= 43
    again = training.digits()
    assert torch.equal(again[0], X_train) and torch.equal(again[3], y_test)
    with pytest.raises(ValueError, match="test_fraction must be between 0 and 1"):
        training.digits(test_fraction=1.5)


def test_two_spirals_shapes_labels_and_arguments():
    X, y = training.two_spirals(50, noise=0.0, seed=1)
    assert X.shape == (100, 2) and y.tolist() == [0] * 50 + [1] * 50
    radius = X.norm(dim=1)
    assert radius.min() >= 0.5 - 1e-6 and radius.max() <= 3.0 + 1e-6  # noise-free: on the spirals
    assert torch.allclose(X[:50], -X[50:])  # the second spiral is the first turned by pi
    with pytest.raises(ValueError, match="n_per_class must be an integer >= 1"):
        training.two_spirals(0)
    with pytest.raises(ValueError, match="noise must be a non-negative finite number"):
        training.two_spirals(10, noise=-1)


def test_run_seeds_repeats_exactly_and_refuses_no_seeds():
    draw = lambda seed: (seed, torch.rand(1).item(), np.random.rand())
    first, second = training.run_seeds(draw, 3), training.run_seeds(draw, [0, 1, 2])
    assert first == second and [r[0] for r in first] == [0, 1, 2]
    for bad in (0, -2, []):
        with pytest.raises(ValueError, match="seeds"):
            training.run_seeds(draw, bad)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        training.set_seed(-1)


def test_steps_to_target_and_accuracy():
    assert training.steps_to_target([3.0, 2.0, 0.5, 0.1], 0.5) == 2
    assert training.steps_to_target([3.0, 2.0], 0.5) is None
    model = torch.nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.copy_(torch.eye(2))
        model.bias.zero_()
    assert training.accuracy(model, torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.tensor([0, 0])) == 0.5


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_classification_training_learns_and_calls_the_monitor(optimizer):
    X, y = training.two_spirals(40, noise=0.05, seed=0)
    training.set_seed(0)
    model = training.make_mlp([2, 32, 32, 2], "relu", "kaiming")
    seen = []
    history = training.train_full_batch(
        model, X, y, steps=300, lr=0.01 if optimizer == "adam" else 0.1, loss="cross_entropy",
        optimizer=optimizer, momentum=0.9 if optimizer == "sgd" else 0.0,
        monitor=lambda step, m: seen.append(step), monitor_every=100,
    )
    assert seen == [0, 100, 200, 300]
    assert history[-1] < history[0] / 2 and training.accuracy(model, X, y) > 0.7


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"optimizer": "rmsprop"}, "optimizer must be one of"),
        ({"momentum": 1.0}, "momentum must be in"),
        ({"monitor_every": 0}, "monitor_every must be an integer >= 1"),
    ],
)
def test_training_refuses_bad_options(kwargs, message):
    X, y = training.two_spirals(5)
    with pytest.raises(ValueError, match=message):
        training.train_full_batch(torch.nn.Linear(2, 2), X, y, steps=1, lr=0.1, loss="cross_entropy", **kwargs)


def test_dead_unit_fraction_counts_units_never_active():
    model = training.make_mlp([2, 4, 1], "relu", "kaiming")
    with torch.no_grad():
        model[0].weight.zero_()
        model[0].bias.copy_(torch.tensor([-1.0, -0.5, 0.0, 1.0]))  # 3 of 4 never positive
    X = torch.randn(50, 2)
    assert training.dead_unit_fraction(model, X) == [0.75]
    with pytest.raises(ValueError, match="no activation modules"):
        training.dead_unit_fraction(torch.nn.Linear(2, 2), X)
