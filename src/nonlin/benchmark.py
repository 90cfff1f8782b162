"""`make bench`: nonlin's activations and derivatives against torch and a memory copy.

    python -m nonlin.benchmark [--sizes 1000000 10000000] [--repeats 7]

For every function of ``nonlin.ACTIVATIONS`` and its derivative, at each size, in float32 and
float64, on one thread, it prints the time per element (minimum of the repeats, after a
warm-up) of:

* ``nonlin``: the function allocating its result; ``nonlin out=``: writing into an array;
* ``torch``: the functional form for values; for derivatives, autograd's backward pass
  (``torch.autograd.grad`` with ones as the upstream gradient, the forward graph kept);
* ``copy``: ``np.copyto`` of the same array into a preallocated one, the practical speed
  limit of an operation that reads one array and writes one.

The targets (issue 8) are judged per row: ReLU and Leaky ReLU with ``out=`` at no less than
0.8 times the copy's speed; every other function and derivative no slower than torch.
This is a measurement script, not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse

import numpy as np

from .activations import ACTIVATIONS
from .timing import one_thread, seconds

COPY_BOUND = ("relu", "leaky_relu")
COPY_FRACTION = 0.8


def judge(function: str, allocating: float, into: float, torch: float, copy: float):
    """The target of one row ("relu f", say) and whether the times (per element) meet it."""
    if function in (f"{name} f" for name in COPY_BOUND):
        return f"out= >= {COPY_FRACTION} x copy speed", into <= copy / COPY_FRACTION
    return "<= torch", min(allocating, into) <= torch


def rows(sizes, dtypes=(np.float32, np.float64), repeats: int = 7):
    """Measure everything; yield one dict per (function or derivative, dtype, size)."""
    import torch

    one_thread()
    rng = np.random.default_rng(0)
    for n in sizes:
        for dtype in dtypes:
            x = rng.standard_normal(n).astype(dtype)
            out = np.empty_like(x)
            copy = seconds(lambda: np.copyto(out, x), repeats=repeats) / n
            t = torch.from_numpy(x.copy())
            t_grad = t.clone().requires_grad_(True)
            ones = torch.ones_like(t)
            for name, a in ACTIVATIONS.items():
                torch_fn = a.torch_callable()
                graph = torch_fn(t_grad)
                for kind, ours in (("f", a.function), ("f'", a.derivative)):
                    params = dict(a.params)
                    allocating = seconds(lambda: ours(x, **params), repeats=repeats) / n
                    into = seconds(lambda: ours(x, **params, out=out), repeats=repeats) / n
                    if kind == "f":
                        reference = seconds(lambda: torch_fn(t), repeats=repeats) / n
                    else:
                        reference = seconds(
                            lambda: torch.autograd.grad(graph, t_grad, ones, retain_graph=True),
                            repeats=repeats) / n
                    target, met = judge(f"{name} {kind}", allocating, into, reference, copy)
                    yield {"function": f"{name} {kind}", "dtype": np.dtype(dtype).name, "n": n,
                           "nonlin": allocating, "nonlin out=": into, "torch": reference,
                           "copy": copy, "target": target, "met": met}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.sizes):
        parser.error("--sizes must be positive")
    header = f"{'function':<15}{'dtype':<9}{'n':>10}  {'nonlin':>8}{'out=':>8}{'torch':>8}{'copy':>8}   target"
    print("time per element in ns (minimum of", args.repeats, "runs, one thread)")
    print(header)
    print("-" * len(header))
    met = total = 0
    for row in rows(args.sizes, repeats=args.repeats):
        total += 1
        met += row["met"]
        print(f"{row['function']:<15}{row['dtype']:<9}{row['n']:>10}  "
              f"{row['nonlin'] * 1e9:8.2f}{row['nonlin out='] * 1e9:8.2f}{row['torch'] * 1e9:8.2f}"
              f"{row['copy'] * 1e9:8.2f}   {row['target']}: {'met' if row['met'] else 'NOT MET'}")
    print(f"\ntargets met: {met} of {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
