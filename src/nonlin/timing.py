"""Timing small array operations properly: warm-up, repeats, a robust statistic, one thread.

A single ``time.perf_counter()`` around one call measures noise as much as work: the first
call pays for page faults and caches, and any call can be interrupted. ``measure`` runs the
function a few times first, then times each of ``repeats`` runs; ``seconds`` reports the
minimum (the run least disturbed) or the median. ``interleaved`` compares several functions
taking turns, so that a change in the machine's state during the measurement affects all.
"""

from __future__ import annotations

import statistics
import time
from typing import Callable

from ._checks import integer, one_of, positive_number


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
    one_of(statistic, "statistic", ("min", "median"))
    times = measure(fn, repeats=repeats, warmup=warmup)
    return min(times) if statistic == "min" else statistics.median(times)


def interleaved(fns: dict[str, Callable[[], object]], *, repeats: int = 7, warmup: int = 2,
                statistic: str = "min") -> dict[str, float]:
    """Time several functions side by side: warm each up, then take turns for ``repeats``
    rounds; return each one's minimum or median time (s).

    In a round, each function runs once untimed and then once timed, so that its timed run
    follows a run of its own, as when it is timed on its own. (A memory-bound function can
    still run slower than when repeated back to back: the others, run in between, have
    replaced its data in the caches.) Taking turns spreads a change in the machine's state (another
    process, the clock speed) over all the functions, where timing them one after the other
    would charge it to whichever ran at the time.
    """
    repeats, warmup = integer(repeats, "repeats", 1), integer(warmup, "warmup", 0)
    one_of(statistic, "statistic", ("min", "median"))
    if not isinstance(fns, dict) or not fns:
        raise TypeError("fns must be a non-empty dict of name: function")
    for name, fn in fns.items():
        if not callable(fn):
            raise TypeError(f"fns[{name!r}] must be callable, got {type(fn).__name__}")
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            fn()  # untimed: the timed run below then starts from this run's caches
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    pick = min if statistic == "min" else statistics.median
    return {name: pick(runs) for name, runs in times.items()}


def throughput(bytes_moved: float, elapsed: float) -> float:
    """Gigabytes per second for ``bytes_moved`` bytes in ``elapsed`` seconds."""
    bytes_moved = positive_number(bytes_moved, "bytes_moved", allow_zero=True)
    return bytes_moved / positive_number(elapsed, "elapsed") / 1e9
