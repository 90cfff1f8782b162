"""nonlin.reproducible: seeds, threads and the pinned environment."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from nonlin import reproducible


def test_run_seeds_repeats_exactly_and_refuses_no_seeds():
    draw = lambda seed: (seed, torch.rand(1).item(), np.random.rand())
    first, second = reproducible.run_seeds(draw, 3), reproducible.run_seeds(draw, [0, 1, 2])
    assert first == second and [r[0] for r in first] == [0, 1, 2]
    for bad in (0, -2, []):
        with pytest.raises(ValueError, match="seeds"):
            reproducible.run_seeds(draw, bad)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        reproducible.seed_everything(-1)



def test_pin_environment_sets_one_thread_and_the_hash_seed(monkeypatch):
    for name in reproducible.PINNED_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYTHONHASHSEED", "random")
    reproducible.pin_environment()
    assert os.environ["PYTHONHASHSEED"] == "0"
    assert [os.environ[f"{lib}_NUM_THREADS"] for lib in ("OMP", "MKL", "OPENBLAS")] == ["1"] * 3


def test_a_child_process_started_through_the_module_gets_the_pinned_environment():
    env = {k: v for k, v in os.environ.items() if k not in reproducible.PINNED_ENVIRONMENT}
    code = "import os; print(os.environ['PYTHONHASHSEED'], hash('abc'))"
    runs = [subprocess.run([sys.executable, "-m", "nonlin.reproducible", sys.executable, "-c", code],
                           env=env, capture_output=True, text=True, check=True).stdout for _ in range(2)]
    assert runs[0] == runs[1] and runs[0].startswith("0 ")  # the same string hash in both runs
    failed = subprocess.run([sys.executable, "-m", "nonlin.reproducible"], capture_output=True, text=True)
    assert failed.returncode != 0 and "usage" in failed.stderr


def test_one_thread_limits_torch_and_the_blas():
    from threadpoolctl import threadpool_info

    threads = torch.get_num_threads()
    try:
        reproducible.one_thread()
        assert torch.get_num_threads() == 1
        assert all(pool["num_threads"] == 1 for pool in threadpool_info())
    finally:
        torch.set_num_threads(threads)
