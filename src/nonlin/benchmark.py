"""`make bench`: how long nonlin's numpy activations take, next to torch and a memory copy.

    python -m nonlin.benchmark [--sizes 1000000 10000000] [--repeats 15]

For every function of ``nonlin.ACTIVATIONS`` and its derivative, at each size, in float32 and
float64, on one thread, it prints the time per element (the minimum of the repeats after a
warm-up, the contenders of a row taking turns: ``nonlin.timing.interleaved``) of:

* ``nonlin``: the numpy function, allocating its result;
* ``torch``: for a function, its functional form; for a derivative, the forward and the
  backward pass of autograd (``torch.autograd.grad`` with ones as the upstream gradient),
  since nonlin's derivatives, too, start from x;
* ``copy``: ``np.copyto`` of the same array into a preallocated one: the time any function
  that reads one array and writes another needs at least, to move the bytes;

and the ratio nonlin / torch. nonlin's functions are written to be read, as chains of numpy
operations; each operation is a pass over memory with a temporary array, where torch runs
one fused loop, so the ratio is above 1. This is a measurement, not a test: the numbers
depend on the machine and on its load.
"""

from __future__ import annotations

import argparse

import numpy as np

from .activations import ACTIVATIONS
from .reproducible import one_thread
from .timing import interleaved


def rows(sizes, dtypes=(np.float32, np.float64), repeats: int = 15):
    """Measure everything; yield one dict per (function or derivative, dtype, size), with
    times per element in seconds."""
    import torch

    one_thread()
    rng = np.random.default_rng(0)
    for n in sizes:
        for dtype in dtypes:
            x = rng.standard_normal(n).astype(dtype)
            copy_out = np.empty_like(x)
            t = torch.from_numpy(x.copy())
            t_grad = t.clone().requires_grad_(True)
            ones = torch.ones_like(t)
            for name, a in ACTIVATIONS.items():
                torch_fn = a.torch_callable()
                for kind, ours in (("f", a.function), ("f'", a.derivative)):
                    fns = {"nonlin": lambda: ours(x, **a.params),
                           "copy": lambda: np.copyto(copy_out, x)}
                    if kind == "f":
                        fns["torch"] = lambda: torch_fn(t)
                    else:
                        fns["torch"] = lambda: torch.autograd.grad(torch_fn(t_grad), t_grad, ones)
                    times = {k: v / n for k, v in interleaved(fns, repeats=repeats).items()}
                    yield {"function": f"{name} {kind}", "dtype": np.dtype(dtype).name, "n": n,
                           **times}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.sizes) or args.repeats < 1:
        parser.error("--sizes and --repeats must be positive")
    header = (f"{'function':<15}{'dtype':<9}{'n':>10}  {'nonlin':>8}{'torch':>8}{'copy':>7}"
              f"{'nonlin/torch':>14}")
    print(f"time per element in ns (minimum of {args.repeats} runs taking turns, one thread)")
    print(header)
    print("-" * len(header))
    for row in rows(args.sizes, repeats=args.repeats):
        print(f"{row['function']:<15}{row['dtype']:<9}{row['n']:>10}  "
              f"{row['nonlin'] * 1e9:8.2f}{row['torch'] * 1e9:8.2f}{row['copy'] * 1e9:7.2f}"
              f"{row['nonlin'] / row['torch']:14.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
