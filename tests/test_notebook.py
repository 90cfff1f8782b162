"""nonlin.notebook: setup_notebook, the first call of every notebook."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

import nonlin


def test_setup_notebook_seeds_everything_and_pins_one_thread():
    threads = torch.get_num_threads()
    try:
        rng = nonlin.setup_notebook(seed=7)
        first = (random.random(), np.random.rand(), torch.rand(1).item(), rng.random())
        rng = nonlin.setup_notebook(seed=7)
        second = (random.random(), np.random.rand(), torch.rand(1).item(), rng.random())
        assert first == second
        assert torch.get_num_threads() == 1
        assert torch.are_deterministic_algorithms_enabled()
        assert np.get_printoptions()["precision"] == 4
    finally:
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(False)
        np.set_printoptions(precision=8, suppress=False)
        torch.set_printoptions(profile="default")


def test_setup_notebook_can_leave_deterministic_algorithms_off():
    threads = torch.get_num_threads()
    try:
        torch.use_deterministic_algorithms(True)  # a previous notebook's setting is replaced, not kept
        nonlin.setup_notebook(seed=0, deterministic=False)
        assert not torch.are_deterministic_algorithms_enabled()
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(False)
        np.set_printoptions(precision=8, suppress=False)
        torch.set_printoptions(profile="default")


@pytest.mark.parametrize("deterministic", [1, 0, "yes", None])
def test_setup_notebook_refuses_a_deterministic_that_is_not_a_bool(deterministic):
    with pytest.raises(ValueError, match="deterministic must be True or False"):
        nonlin.setup_notebook(seed=0, deterministic=deterministic)


@pytest.mark.parametrize("seed", [-1, 1.5, "0", None, True])
def test_setup_notebook_refuses_a_bad_seed(seed):
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        nonlin.setup_notebook(seed=seed)

