"""`make bench`: some of chapter 7's timings, as tables for your own machine (not all: see below).

    python -m nonlin.benchmark [--sizes 1000 10000 100000 1000000 10000000] [--repeats 7]

On one thread, at each size, in float32 and float64, it prints the time per element (the
median of the repeats, the contenders of a table taking turns on fresh data, timed by
``time.thread_time``: ``nonlin.timing.turns``; each contender runs once untimed right before
the fresh data of each of its timed runs are written, ``warm_each_run``, so that the timed
call follows a call of its own: on chapter 7's machine a call costs more after about a
millisecond of any other work, whose cause the chapter does not measure) of:

1. the machine: its data caches and glibc's non-temporal threshold (``nonlin.caches``), and
   ``np.copyto`` from DRAM with and without non-temporal stores;
2. the ReLU ladder of chapter 7: Python loops (up to 10^5 elements), ``np.where``,
   ``x * (x > 0)``, ``np.maximum`` with the scalar 0 and with an array of zeros, ``torch.relu``
   ``torch.clamp_min(out=)`` and ``torch.relu_``, the fused loop of ``nonlin.kernels`` (Numba)
   out of place and in place, and the copy (all with data in whatever cache holds them: the
   chapter measures from DRAM separately);
3. the sigmoid: the naive numpy formula, ``nonlin``'s numpy chain, the fused loop, its
   exponential alone, torch;
4. every function of ``nonlin.ACTIVATIONS`` and its derivative against torch and the copy:

   * ``nonlin``: the numpy function, allocating its result;
   * ``torch``: for a function, its functional form; for a derivative, the forward and the
     backward pass of autograd (``torch.autograd.grad`` with ones as the upstream gradient),
     since nonlin's derivatives, too, start from x;
   * ``copy``: ``np.copyto`` of the same array into a preallocated one;

   and the ratio nonlin / torch. nonlin's functions are written to be read, as chains of
   numpy operations, so the ratio is usually above 1.

What it does not do, which the chapter does: it empties no cache before a run, so its large
sizes sit in whatever cache holds them (10^7 float32, 2 x 40 MB, can sit in a large
last-level cache), and it has no place "beyond L2" with an eviction, no ratio in cache over
beyond L2, no labels of what limits a row, no roof with vector stores, no random-vs-sorted
table, no ``np.maximum(x, 0, out=x)`` or "out is x" rows, and its arrays start where numpy
puts them, not at a cache line's start (where ``out`` starts in its line changes how fast a
loop writes into it; the chapter aligns its arrays). It cannot tell whether a row is
memory-bound; the chapter's test per place can.

This is a measurement, not a test: there is no target, and the numbers depend on the machine
and on its load.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np

from . import caches
from .activations import ACTIVATIONS, sigmoid
from .reproducible import one_thread
from .timing import spread, turns

PYTHON_UP_TO = 100_000  # the Python loops are timed up to this size only (seconds beyond)


def _relu_if(values):
    result = []
    for v in values:
        if v > 0:
            result.append(v)
        else:
            result.append(0.0)
    return result


def _relu_comprehension(values):
    return [v if v > 0 else 0.0 for v in values]


def _naive_sigmoid(x, out):
    with np.errstate(over="ignore"):
        np.exp(np.negative(x, out=out), out=out)
    out += 1
    return np.reciprocal(out, out=out)


def _ladder(x, out, zeros, t, t_out, torch, kernels):
    """The contenders of the ReLU table, as functions of no argument."""
    return {
        "Python loop with if": lambda: _relu_if(x.tolist()),
        "list comprehension": lambda: _relu_comprehension(x.tolist()),
        "np.where(x > 0, x, 0)": lambda: np.where(x > 0, x, 0),
        "x * (x > 0)": lambda: x * (x > 0),
        "np.maximum(x, 0)": lambda: np.maximum(x, 0),
        "np.maximum(x, 0, out=out)": lambda: np.maximum(x, 0, out=out),
        "np.maximum(x, zeros, out=out)": lambda: np.maximum(x, zeros, out=out),
        "torch.relu(t)": lambda: torch.relu(t),
        "torch.relu_(t)": lambda: torch.relu_(t),
        "torch.clamp_min(t, 0, out=t_out)": lambda: torch.clamp_min(t, 0, out=t_out),
        "fused loop (Numba)": lambda: kernels.relu(x, out=out),
        "fused loop in place (Numba)": lambda: kernels.relu_(x),
        "copy": lambda: np.copyto(out, x),
    }


def _sigmoids(x, out, t, t_out, torch, kernels):
    return {
        "naive numpy 1 / (1 + exp(-x))": lambda: _naive_sigmoid(x, out),
        "nonlin sigmoid (numpy chain)": lambda: sigmoid(x, out=out),
        "fused sigmoid (Numba)": lambda: kernels.sigmoid(x, out=out),
        "fused loop of exp(-|x|) only (Numba)": lambda: kernels.exp_neg_abs(x, out=out),
        "torch.sigmoid(t, out=t_out)": lambda: torch.sigmoid(t, out=t_out),
        "copy": lambda: np.copyto(out, x),
    }


def timed_rows(table, sizes, dtypes=(np.float32, np.float64), repeats: int = 7):
    """Measure the "relu" or "sigmoid" table; yield one dict per (dtype, size) with the median
    time per element (s) of each contender, which take turns on fresh data."""
    if table not in ("relu", "sigmoid"):
        raise ValueError(f"table must be 'relu' or 'sigmoid', got {table!r}")
    import torch

    from . import kernels

    one_thread()
    rng = np.random.default_rng(0)
    for dtype in dtypes:
        for n in sizes:
            pool = rng.standard_normal((4, n)).astype(dtype)
            x, out, zeros = np.empty(n, dtype), np.empty(n, dtype), np.zeros(n, dtype)
            t, t_out = torch.from_numpy(x), torch.from_numpy(out)
            if table == "relu":
                fns = _ladder(x, out, zeros, t, t_out, torch, kernels)
                if n > PYTHON_UP_TO:
                    del fns["Python loop with if"], fns["list comprehension"]
            else:
                fns = _sigmoids(x, out, t, t_out, torch, kernels)
            rounds = itertools.count()
            runs = turns(fns, repeats=repeats, clock=time.thread_time, warm_each_run=True,
                         setup=lambda: np.copyto(x, pool[next(rounds) % len(pool)]))
            yield {"dtype": np.dtype(dtype).name, "n": n,
                   **{name: spread(r)[1] / n for name, r in runs.items()}}


def rows(sizes, dtypes=(np.float32, np.float64), repeats: int = 15):
    """Measure everything; yield one dict per (function or derivative, dtype, size), with
    the median time per element in seconds of nonlin, torch and the copy, which take turns on
    fresh data (the chapter's method: ``turns`` with ``time.thread_time``)."""
    import torch

    one_thread()
    rng = np.random.default_rng(0)
    for n in sizes:
        for dtype in dtypes:
            pool = rng.standard_normal((4, n)).astype(dtype)
            x, copy_out = np.empty(n, dtype), np.empty(n, dtype)
            t = torch.from_numpy(x)  # shares x's memory: fresh data for both
            ones = torch.ones_like(t)
            for name, a in ACTIVATIONS.items():
                torch_fn = a.torch_callable()
                for kind, ours in (("f", a.function), ("f'", a.derivative)):
                    fns = {"nonlin": lambda: ours(x, **a.params),
                           "copy": lambda: np.copyto(copy_out, x)}
                    if kind == "f":
                        fns["torch"] = lambda: torch_fn(t)
                    else:
                        def forward_backward():
                            leaf = t.detach().requires_grad_(True)
                            return torch.autograd.grad(torch_fn(leaf), leaf, ones)
                        fns["torch"] = forward_backward
                    rounds = itertools.count()
                    runs = turns(fns, repeats=repeats, clock=time.thread_time, warm_each_run=True,
                                 setup=lambda: np.copyto(x, pool[next(rounds) % len(pool)]))
                    yield {"function": f"{name} {kind}", "dtype": np.dtype(dtype).name, "n": n,
                           **{k: spread(r)[1] / n for k, r in runs.items()}}


def _print_timed(table, sizes, repeats):
    rows = list(timed_rows(table, sizes, repeats=repeats))
    names = list(dict.fromkeys(name for row in rows for name in row if name not in ("dtype", "n")))
    print(f"\n{table}: ns per element (median of {repeats} runs taking turns on fresh data, one thread; the "
          "fresh data are written just before each run, after an untimed call, so they start in whatever "
          "cache holds them)")
    print(f"{'':<32}" + "".join(f"{row['dtype'][-2:] + ' ' + format(row['n'], '.0e'):>10}" for row in rows))
    for name in names:
        cells = "".join(f"{row[name] * 1e9:10.3f}" if name in row else f"{'':>10}" for row in rows)
        print(f"{name:<32}{cells}")


def _print_machine():
    sizes = caches.cache_sizes()
    print("data caches:", ", ".join(f"{level} {size // 1024} KiB" for level, size in sizes.items()) or "unknown")
    threshold = caches.nontemporal_threshold()
    if threshold is None:
        print("glibc's non-temporal threshold: not available here")
        return
    print(f"glibc's non-temporal threshold: {threshold / 2**20:.0f} MiB")
    llc = sizes[max(sizes)] if sizes else 32 * 2**20
    n = min(2**27, caches.power_of_two_elements(1.5 * llc, at_least=True))
    for nontemporal in (False, True):
        seconds = spread(caches.memcpy_seconds(n, nontemporal=nontemporal, repeats=3))[1]
        movsb = " (rep movsb)" if caches.rep_movsb_copies(4 * n) else ""  # Intel, erms, above glibc's threshold
        kind = "non-temporal" if nontemporal else f"cached{movsb}"
        print(f"np.copyto of {n:,} float32 from DRAM with {kind} stores: {8 * n / seconds / 1e9:.1f} GB/s "
              "(at 8 bytes per element)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**3, 10**4, 10**5, 10**6, 10**7])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.sizes) or args.repeats < 1:
        parser.error("--sizes and --repeats must be positive")
    print("make bench: time per element at each size, the data in whatever cache holds them (no eviction);\n"
          "not chapter 7's test of what limits a row (no place beyond L2, no ratios, labels, roof or in-place rows)")
    _print_machine()
    _print_timed("relu", args.sizes, args.repeats)
    _print_timed("sigmoid", args.sizes, args.repeats)
    header = (f"{'function':<15}{'dtype':<9}{'n':>10}  {'nonlin':>8}{'torch':>8}{'copy':>7}"
              f"{'nonlin/torch':>14}")
    print(f"\nactivations: ns per element (median of {args.repeats} runs taking turns on fresh data, one thread)")
    print(header)
    print("-" * len(header))
    for row in rows(args.sizes, repeats=args.repeats):
        print(f"{row['function']:<15}{row['dtype']:<9}{row['n']:>10}  "
              f"{row['nonlin'] * 1e9:8.2f}{row['torch'] * 1e9:8.2f}{row['copy'] * 1e9:7.2f}"
              f"{row['nonlin'] / row['torch']:14.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
