"""`make bench`: nonlin's activations and derivatives against torch and a memory copy.

    python -m nonlin.benchmark [--sizes 1000000 10000000] [--repeats 15] [--back-to-back]

For every function of ``nonlin.ACTIVATIONS`` and its derivative, at each size, in float32 and
float64, on one thread, it prints the time per element (minimum of the repeats, after a
warm-up; the contenders of a row take turns, ``nonlin.timing.interleaved``) of:

* ``nonlin``: the function allocating its result; ``nonlin out=``: writing into an array;
* ``torch``: for a function, its functional form; for a derivative, autograd's backward pass
  (``torch.autograd.grad`` with ones as the upstream gradient, the forward graph kept);
* ``fwd+bwd``: for the derivatives whose backward formula in torch reads the forward's result
  rather than x (sigmoid, tanh and ReLU, whose graph nodes save ``_saved_result``), the
  forward and the backward pass together: what torch needs to compute them from x, as nonlin
  does. Shown, not judged: the targets compare with the backward pass alone, the stricter;
* ``copy``: ``np.copyto`` of the same array into a preallocated one, the practical speed
  limit of an operation that reads one array and writes one.

The targets (issue 8) are judged per row: ReLU and Leaky ReLU with ``out=`` at no less than
0.8 times the copy's speed; every other function and derivative no slower than torch.
This is a measurement script, not a test: timings depend on the machine and its load.

``--back-to-back`` times each contender on its own, its repeats one after the other. The
method matters for memory-bound kernels, torch's backward passes and its float32 GELU
(oneDNN's) among them: repeated back to back they find their arrays in the caches as they
left them, and ran up to twice as fast (on the machine of issue 8) as when other work has
run in between, even right after an untimed run of their own. Compute-bound kernels, as
nonlin's transcendental ones, hardly change.
"""

from __future__ import annotations

import argparse

import numpy as np

from .activations import ACTIVATIONS
from .timing import interleaved, one_thread, seconds

COPY_BOUND = ("relu", "leaky_relu")
COPY_FRACTION = 0.8


def judge(function: str, allocating: float, into: float, torch: float, copy: float):
    """The target of one row ("relu f", say) and whether the times (per element) meet it."""
    if function in (f"{name} f" for name in COPY_BOUND):
        return f"out= >= {COPY_FRACTION} x copy speed", into <= copy / COPY_FRACTION
    return "<= torch", min(allocating, into) <= torch


def rows(sizes, dtypes=(np.float32, np.float64), repeats: int = 15, taking_turns: bool = True):
    """Measure everything; yield one dict per (function or derivative, dtype, size).

    The contenders of a row (nonlin allocating and with out=, torch, the copy) are timed
    taking turns (``timing.interleaved``), so that a change in the machine's state during the
    row affects all of them alike; or, with ``taking_turns=False``, one after the other, each
    repeated back to back (``timing.seconds``)."""
    import torch

    one_thread()
    rng = np.random.default_rng(0)
    for n in sizes:
        for dtype in dtypes:
            x = rng.standard_normal(n).astype(dtype)
            out, copy_out = np.empty_like(x), np.empty_like(x)
            t = torch.from_numpy(x.copy())
            t_grad = t.clone().requires_grad_(True)
            ones = torch.ones_like(t)
            for name, a in ACTIVATIONS.items():
                torch_fn = a.torch_callable()
                graph = torch_fn(t_grad)
                reads_result = hasattr(graph.grad_fn, "_saved_result")
                for kind, ours in (("f", a.function), ("f'", a.derivative)):
                    params = dict(a.params)
                    fns = {"nonlin": lambda: ours(x, **params),
                           "nonlin out=": lambda: ours(x, **params, out=out),
                           "copy": lambda: np.copyto(copy_out, x)}
                    if kind == "f":
                        fns["torch"] = lambda: torch_fn(t)
                    else:
                        fns["torch"] = lambda: torch.autograd.grad(graph, t_grad, ones,
                                                                   retain_graph=True)
                        if reads_result:
                            fns["torch fwd+bwd"] = lambda: torch.autograd.grad(
                                torch_fn(t_grad), t_grad, ones)
                    if taking_turns:
                        times = interleaved(fns, repeats=repeats)
                    else:
                        times = {k: seconds(fn, repeats=repeats) for k, fn in fns.items()}
                    times = {k: v / n for k, v in times.items()}
                    target, met = judge(f"{name} {kind}", times["nonlin"], times["nonlin out="],
                                        times["torch"], times["copy"])
                    yield {"function": f"{name} {kind}", "dtype": np.dtype(dtype).name, "n": n,
                           "nonlin": times["nonlin"], "nonlin out=": times["nonlin out="],
                           "torch": times["torch"], "torch fwd+bwd": times.get("torch fwd+bwd"),
                           "copy": times["copy"], "target": target, "met": met}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--back-to-back", action="store_true",
                        help="time each contender on its own, repeated back to back, instead of "
                             "taking turns")
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.sizes):
        parser.error("--sizes must be positive")
    header = (f"{'function':<15}{'dtype':<9}{'n':>10}  {'nonlin':>8}{'out=':>8}{'torch':>8}"
              f"{'fwd+bwd':>9}{'copy':>7}   target")
    method = "back to back" if args.back_to_back else "taking turns"
    print(f"time per element in ns (minimum of {args.repeats} runs {method}, one thread)")
    print(header)
    print("-" * len(header))
    met = total = 0
    for row in rows(args.sizes, repeats=args.repeats, taking_turns=not args.back_to_back):
        total += 1
        met += row["met"]
        both = "" if row["torch fwd+bwd"] is None else f"{row['torch fwd+bwd'] * 1e9:.2f}"
        print(f"{row['function']:<15}{row['dtype']:<9}{row['n']:>10}  "
              f"{row['nonlin'] * 1e9:8.2f}{row['nonlin out='] * 1e9:8.2f}{row['torch'] * 1e9:8.2f}"
              f"{both:>9}{row['copy'] * 1e9:7.2f}   "
              f"{row['target']}: {'met' if row['met'] else 'NOT MET'}")
    print("\nfwd+bwd: torch's forward and backward pass, for the derivatives whose backward reads "
          "the forward's result\n(shown, not judged: the targets compare with the backward alone)")
    print(f"\ntargets met: {met} of {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
