"""The small data sets of the chapters' experiments, loaded or generated without downloads."""

from __future__ import annotations

import numpy as np

from ._checks import integer, number_between, positive_number


def digits(test_fraction: float = 0.25, seed: int = 0, dtype=None):
    """scikit-learn's 8 x 8 handwritten digits (1797 images, shipped with the package).

    Returns tensors X_train, X_test of ``dtype`` (default float32; 64 features, standardised
    with the training set's mean and standard deviation) and int64 tensors y_train, y_test,
    split with a stratified shuffle seeded with ``seed``.
    """
    import torch
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    test_fraction = number_between(test_fraction, "test_fraction", 0, 1,
                                   include_low=False, include_high=False)
    seed = integer(seed, "seed", 0)
    if dtype is None:
        dtype = torch.float32
    if dtype not in (torch.float32, torch.float64):
        raise ValueError(f"dtype must be torch.float32 or torch.float64, got {dtype}")
    data = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=test_fraction, random_state=seed, stratify=data.target
    )
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)  # a few corner pixels are always 0

    def features(a):
        return torch.tensor((a - mean) / std, dtype=dtype)

    def labels(a):
        return torch.tensor(a, dtype=torch.int64)

    return features(X_train), features(X_test), labels(y_train), labels(y_test)


def two_spirals(n_per_class: int = 200, noise: float = 0.2, turns: float = 1.5, seed: int = 0):
    """Two interleaved spirals in the plane: float32 points (2n, 2) and int64 labels (2n,).

    Spiral k is r (cos(t + k pi), sin(t + k pi)) with r growing from 0.5 to 3 as t runs
    through ``turns`` turns; Gaussian noise of standard deviation ``noise`` is added.
    """
    import torch

    n_per_class = integer(n_per_class, "n_per_class", 1)
    noise = positive_number(noise, "noise", allow_zero=True)
    turns = positive_number(turns, "turns")
    rng = np.random.default_rng(integer(seed, "seed", 0))
    t = np.sqrt(rng.uniform(0, 1, n_per_class)) * turns * 2 * np.pi
    r = 0.5 + 2.5 * t / (turns * 2 * np.pi)
    points, labels = [], []
    for k in (0, 1):
        xy = np.stack([r * np.cos(t + k * np.pi), r * np.sin(t + k * np.pi)], axis=1)
        points.append(xy + rng.normal(0, noise, xy.shape))
        labels.append(np.full(n_per_class, k))
    return (torch.tensor(np.concatenate(points), dtype=torch.float32),
            torch.tensor(np.concatenate(labels), dtype=torch.int64))
