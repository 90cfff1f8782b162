"""Reproducible runs: threads, the hash seed and the random seeds.

A notebook prints the same numbers on every machine only if nothing varies between runs
that the numbers depend on: the random seeds, the number of threads (a parallel sum adds in
another order), and Python's hash seed (the order of a set of strings). The threads and the
hash seed must be fixed before a process starts, so they are set in the environment, which
the processes started from it (notebook kernels) inherit; the seeds are set in the process.

This module is the one place that says how many threads and which hash seed: it is used by
``setup_notebook`` (every notebook's first cell), by ``conftest.py`` (the tests and nbval's
kernels), by ``tools/execute_notebooks.py`` and, through ``python -m nonlin.reproducible
COMMAND``, by the Makefile. ``seed_everything`` seeds all three random generators at once; a
notebook may still reseed torch alone before building a model, to make that cell repeatable
on its own.
"""

from __future__ import annotations

import numbers
import os
import random
import sys
from typing import Callable, Iterable

import numpy as np

from ._checks import integer

# One thread for every math library, and a fixed hash seed.
PINNED_ENVIRONMENT = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
}


def pin_environment() -> None:
    """Set :data:`PINNED_ENVIRONMENT` in ``os.environ``, for the processes started from now on
    (a value set before, such as another hash seed, is replaced: the saved outputs need these)."""
    os.environ.update(PINNED_ENVIRONMENT)


def one_thread() -> None:
    """Make torch, and numpy's BLAS through threadpoolctl, use one thread in this process."""
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    threadpool_limits(1)


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, numpy's global generator and torch with ``seed``."""
    import torch

    seed = integer(seed, "seed", 0)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def run_seeds(experiment: Callable[[int], object], seeds: int | Iterable[int]) -> list:
    """Run ``experiment(seed)`` once per seed, after :func:`seed_everything`; return the results.

    ``seeds`` is a number of seeds n (then the seeds are 0, 1, ..., n - 1) or the seeds.
    """
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        seeds = range(integer(seeds, "seeds", 1))
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must not be empty")
    results = []
    for seed in seeds:
        seed_everything(seed)
        results.append(experiment(seed))
    return results


def main(argv: list[str]) -> None:
    """``python -m nonlin.reproducible COMMAND ...``: run COMMAND in the pinned environment."""
    if not argv:
        sys.exit("usage: python -m nonlin.reproducible COMMAND [ARGUMENTS ...]")
    pin_environment()
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main(sys.argv[1:])
