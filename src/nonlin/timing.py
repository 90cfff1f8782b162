"""Timing small array operations properly: warm-up, repeats, a robust statistic, one thread.

A single ``time.perf_counter()`` around one call measures noise as much as work: the first
call pays for page faults and caches, and any call can be interrupted. ``measure`` runs the
function a few times first, then times each of ``repeats`` runs; ``seconds`` reports the
minimum (the run least disturbed) or the median.
"""

from __future__ import annotations

import statistics
import time
from typing import Callable

from ._checks import integer


def measure(fn: Callable[[], object], *, repeats: int = 7, warmup: int = 2) -> list[float]:
    """Run ``fn`` ``warmup`` times untimed, then ``repeats`` times timed; return the times (s)."""
    repeats, warmup = integer(repeats, "repeats", 1), integer(warmup, "warmup", 0)
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def seconds(fn: Callable[[], object], *, repeats: int = 7, warmup: int = 2, statistic: str = "min") -> float:
    """One number for the time of ``fn``: the minimum or the median of ``measure``'s runs."""
    if statistic not in ("min", "median"):
        raise ValueError(f"statistic must be 'min' or 'median', got {statistic!r}")
    times = measure(fn, repeats=repeats, warmup=warmup)
    return min(times) if statistic == "min" else statistics.median(times)


def throughput(bytes_moved: float, elapsed: float) -> float:
    """Gigabytes per second for ``bytes_moved`` bytes in ``elapsed`` seconds."""
    if not elapsed > 0:
        raise ValueError(f"elapsed must be positive, got {elapsed!r}")
    return bytes_moved / elapsed / 1e9


def one_thread() -> None:
    """Make torch (and numpy's BLAS, if threadpoolctl is installed) use a single thread."""
    import torch

    torch.set_num_threads(1)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # not installed: element-wise numpy code is single-threaded anyway
        return
    threadpool_limits(1)
