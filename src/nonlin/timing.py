"""Timing small array operations properly: warm-up, repeats, a robust statistic, one thread.

A single ``time.perf_counter()`` around one call measures noise as much as work: the first
call pays for page faults and caches, and any call can be interrupted. ``turns`` warms each
function up, then times several functions taking turns, so that a change in the machine's
state during the measurement affects all, in a new shuffled order each round, so that no
function always runs first, last or just after the same neighbour; it returns every run, optionally preparing fresh
input before each timed run (so that no function is timed on data it has just seen: a branch predictor learns
the data it sees again), and ``spread`` summarises runs as the median and quartiles.
``aligned_empty`` makes arrays that start at the start of a cache line, so that where an array
happens to start does not change a timing.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Callable

import numpy as np

from ._checks import integer, positive_number


def _checked_fns(fns) -> None:
    if not isinstance(fns, dict) or not fns:
        raise TypeError("fns must be a non-empty dict of name: function")
    for name, fn in fns.items():
        if not callable(fn):
            raise TypeError(f"fns[{name!r}] must be callable, got {type(fn).__name__}")


def turns(fns: dict[str, Callable[[], object]], *, repeats: int = 7, warmup: int = 1,
          setup: Callable[[], object] | dict[str, Callable[[], object]] | None = None,
          clock: Callable[[], float] | None = None,
          each_round: Callable[[], object] | None = None, seed: int = 0,
          warm_each_run: bool = False) -> dict[str, list[float]]:
    """Time several functions taking turns; return every timed run of each (s).

    Each function first runs ``warmup`` times untimed. Then, for ``repeats`` rounds:
    ``each_round()`` runs untimed once (e.g. empties the caches), then each function in turn,
    in an order shuffled anew each round (``random.Random(seed)``: the same orders every
    call): ``setup()`` runs untimed (e.g. copies fresh values into the input, which
    also brings the input into the cache; a dict gives each function its own), then the
    function runs once, timed by ``clock`` (default ``time.perf_counter``, the wall clock;
    ``time.thread_time`` counts only the time this thread ran, not the time the operating
    system gave the core to another process). With ``warm_each_run``, each function also runs
    once untimed right before its ``setup()`` in every round, so that its timed call follows a call
    of its own within the setup's time (a call can cost more after a millisecond of other work,
    whatever the cause), and only then are its fresh data written.
    """
    repeats, warmup = integer(repeats, "repeats", 1), integer(warmup, "warmup", 0)
    orders = random.Random(integer(seed, "seed", 0))
    _checked_fns(fns)
    if isinstance(setup, dict):
        if set(setup) != set(fns):
            raise ValueError("setup, as a dict, must have the same names as fns")
        setups = setup
    elif setup is None or callable(setup):
        setups = dict.fromkeys(fns, setup)
    else:
        raise TypeError(f"setup must be callable, a dict or None, got {type(setup).__name__}")
    for name, prepare in setups.items():
        if prepare is not None and not callable(prepare):
            raise TypeError(f"setup[{name!r}] must be callable, got {type(prepare).__name__}")
    if clock is not None and not callable(clock):
        raise TypeError(f"clock must be callable, got {type(clock).__name__}")
    if each_round is not None and not callable(each_round):
        raise TypeError(f"each_round must be callable or None, got {type(each_round).__name__}")
    if not isinstance(warm_each_run, bool):
        raise TypeError(f"warm_each_run must be True or False, got {type(warm_each_run).__name__}")
    now = clock if clock is not None else time.perf_counter
    for name, fn in fns.items():
        for _ in range(warmup):
            if setups[name] is not None:
                setups[name]()
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    names = list(fns)
    for _ in range(repeats):
        if each_round is not None:
            each_round()
        orders.shuffle(names)  # the order of this round
        for name in names:
            fn = fns[name]
            if warm_each_run:
                fn()
            if setups[name] is not None:
                setups[name]()
            start = now()
            fn()
            times[name].append(now() - start)
    return times


def aligned_empty(shape: int | tuple[int, ...], dtype=np.float32, alignment: int = 64) -> np.ndarray:
    """An uninitialised C-contiguous array whose first element sits at a multiple of ``alignment`` bytes.

    numpy leaves an array's address to the allocator, which promises 16 bytes on x86-64: an
    array can start anywhere in a cache line of 64 bytes, and the same loop can run at different
    speeds depending on where its arrays start (a vector store that straddles two lines costs
    more). Timed arrays should therefore all start at the same place in a line. The rule: a
    buffer ``alignment`` bytes longer than needed is allocated, and the array is the slice of it
    that starts at the first multiple of ``alignment``. ``alignment`` must be a power of two that
    is a multiple of the dtype's size, so that the slice falls on whole elements. The rows of a 2-d
    array start at multiples of ``alignment`` too only if a row's bytes are a multiple of it.
    """
    dtype = np.dtype(dtype)
    alignment = integer(alignment, "alignment", 1)
    if alignment & (alignment - 1) or alignment % dtype.itemsize:
        raise ValueError(f"alignment must be a power of two and a multiple of the dtype's {dtype.itemsize} bytes, "
                         f"got {alignment}")
    shape = (shape,) if isinstance(shape, (int, np.integer)) and not isinstance(shape, (bool, np.bool_)) else shape
    if not isinstance(shape, tuple) or not shape:
        raise TypeError(f"shape must be an int or a non-empty tuple of ints, got {shape!r}")
    shape = tuple(integer(size, "shape[i]", 0) for size in shape)
    size = int(np.prod(shape))
    buffer = np.empty(size * dtype.itemsize + alignment, np.uint8)
    start = -buffer.ctypes.data % alignment  # bytes to the first multiple of alignment
    return buffer[start:start + size * dtype.itemsize].view(dtype).reshape(shape)


def spread(runs: list[float]) -> tuple[float, float, float]:
    """(first quartile, median, third quartile) of the timed runs: the median and its spread."""
    if not isinstance(runs, (list, tuple)) or not runs:
        raise TypeError("runs must be a non-empty list of times")
    runs = [positive_number(t, "runs[i]", allow_zero=True) for t in runs]
    if len(runs) == 1:
        return runs[0], runs[0], runs[0]
    q1, median, q3 = statistics.quantiles(runs, n=4, method="inclusive")
    return q1, median, q3
