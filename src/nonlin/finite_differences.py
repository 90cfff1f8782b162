"""Numerical derivatives, for checking the analytic ones.

The central difference (f(x + h) - f(x - h)) / (2h) has two errors that pull h in opposite
directions: truncation, about h^2 |f'''| / 6, shrinks with h; rounding, about eps |f| / h,
grows as h shrinks. Their sum is smallest near h = eps^(1/3) (times the scale of x).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ._checks import finite_real_array


def default_step(x: np.ndarray, dtype=np.float64) -> np.ndarray:
    """eps^(1/3) * max(1, |x|): the step that balances truncation and rounding error."""
    return np.cbrt(np.finfo(dtype).eps) * np.maximum(1.0, np.abs(x))


def central_difference(
    f: Callable[[np.ndarray], np.ndarray], x, h=None, *, dtype=np.float64
) -> np.ndarray:
    """Estimate f'(x) elementwise by (f(x + h) - f(x - h)) / (2h), computing f in ``dtype``.

    ``f`` must act elementwise on arrays. ``h`` is a positive number or array broadcastable
    to x; by default :func:`default_step`. The step actually used is (x + h) - (x - h)
    as represented in ``dtype``, so that rounding of x +- h does not bias the estimate.
    """
    x = finite_real_array(x, "x").astype(dtype)
    if h is None:
        h = default_step(x, dtype)
    h = finite_real_array(h, "h")
    if np.any(h <= 0):
        raise ValueError("h must be positive")
    upper = (x + h).astype(dtype)
    lower = (x - h).astype(dtype)
    width = upper.astype(np.float64) - lower.astype(np.float64)
    if np.any(width == 0):
        where = np.asarray(x)[np.broadcast_to(width == 0, np.shape(width))].ravel()[0]
        raise ValueError(f"h is below the resolution of {np.dtype(dtype).name} at x = {where}")
    values = np.asarray(f(upper), dtype=np.float64) - np.asarray(f(lower), dtype=np.float64)
    return values / width


def step_size_errors(
    f: Callable[[np.ndarray], np.ndarray],
    derivative: Callable[[np.ndarray], np.ndarray],
    x,
    steps,
    *,
    dtype=np.float64,
) -> np.ndarray:
    """For each step h in ``steps``: the largest |central difference - derivative| over x.

    ``derivative`` gives the exact values (computed in float64); the differences are taken
    in ``dtype``, so that the rounding error of that precision shows.
    """
    x = finite_real_array(x, "x")
    steps = finite_real_array(steps, "steps")
    if steps.ndim != 1 or np.any(steps <= 0):
        raise ValueError("steps must be a 1-d array of positive step sizes")
    exact = np.asarray(derivative(x), dtype=np.float64)
    return np.array(
        [np.max(np.abs(central_difference(f, x, h, dtype=dtype) - exact)) for h in steps]
    )
