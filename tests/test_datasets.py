"""nonlin.datasets: the digits and the two spirals."""

from __future__ import annotations

import pytest
import torch

from nonlin import datasets


def test_digits_are_standardised_stratified_and_repeatable():
    X_train, X_test, y_train, y_test = datasets.digits()
    assert X_train.shape == (1347, 64) and X_test.shape == (450, 64)
    assert X_train.dtype == torch.float32 and y_train.dtype == torch.int64
    assert torch.allclose(X_train.mean(0), torch.zeros(64), atol=1e-5)
    assert set(y_test.tolist()) == set(range(10)) and torch.bincount(y_test).min() >= 43
    again = datasets.digits()
    assert torch.equal(again[0], X_train) and torch.equal(again[3], y_test)
    with pytest.raises(ValueError, match=r"test_fraction must be in \(0, 1\), got 1.5"):
        datasets.digits(test_fraction=1.5)


def test_two_spirals_shapes_labels_and_arguments():
    X, y = datasets.two_spirals(50, noise=0.0, seed=1)
    assert X.shape == (100, 2) and y.tolist() == [0] * 50 + [1] * 50
    radius = X.norm(dim=1)
    assert radius.min() >= 0.5 - 1e-6 and radius.max() <= 3.0 + 1e-6  # noise-free: on the spirals
    assert torch.allclose(X[:50], -X[50:])  # the second spiral is the first turned by pi
    with pytest.raises(ValueError, match="n_per_class must be an integer >= 1"):
        datasets.two_spirals(0)
    with pytest.raises(ValueError, match="noise must be a non-negative finite number"):
        datasets.two_spirals(10, noise=-1)



def test_digits_in_float64_are_the_same_numbers_more_precisely():
    X32, X_test32, _, _ = datasets.digits()
    X64, X_test64, y64, _ = datasets.digits(dtype=torch.float64)
    assert X64.dtype == torch.float64 and y64.dtype == torch.int64
    torch.testing.assert_close(X64.float(), X32, rtol=0, atol=0)  # float32 is float64 rounded
    assert not torch.equal(X64, X32.double())  # ... and float64 keeps the digits float32 drops
    with pytest.raises(ValueError, match="dtype must be torch.float32 or torch.float64"):
        datasets.digits(dtype=torch.int64)
