"""Numerical derivatives, for checking the analytic ones.

The central difference (f(x + h) - f(x - h)) / (2h) has two errors that pull h in opposite
directions: truncation, about h^2 |f'''| / 6, shrinks with h; rounding, about eps |f| / h,
grows as h shrinks. Their sum is smallest near h = eps^(1/3) (times the scale of x), where
it is of order eps^(2/3). Two ways past that floor: a fourth-order difference, whose
truncation error is O(h^4), so that h = eps^(1/5) gives an error of order eps^(4/5); and the
complex step Im f(x + ih) / h, which subtracts nothing, so h can be tiny and the error is
that of evaluating f, a few eps (it needs f written with complex arithmetic).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ._checks import finite_real_array, one_of, positive_number

STENCILS = ("central", "fourth-order", "complex-step")


def default_step(x: np.ndarray, dtype=np.float64, *, order: int = 2) -> np.ndarray:
    """eps^(1/(order + 1)) * max(1, |x|): the step that balances truncation and rounding error
    of a difference whose truncation error is O(h^order) (2 for central, 4 for fourth-order)."""
    if order not in (2, 4):
        raise ValueError(f"order must be 2 or 4, got {order!r}")
    return np.finfo(dtype).eps ** (1 / (order + 1)) * np.maximum(1.0, np.abs(x))


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


def fourth_order_difference(
    f: Callable[[np.ndarray], np.ndarray], x, h=None, *, dtype=np.float64
) -> np.ndarray:
    """Estimate f'(x) by (4 D(h) - D(2h)) / 3, with D the :func:`central_difference`.

    D(h) = f' + h^2 f'''/6 + O(h^4), so the combination (Richardson's extrapolation) cancels
    the h^2 term; it is the stencil (8 [f(x+h) - f(x-h)] - [f(x+2h) - f(x-2h)]) / (12h), with
    truncation error about h^4 |f^(5)| / 30. ``h`` defaults to :func:`default_step` with
    ``order=4``, eps^(1/5) * max(1, |x|).
    """
    x = finite_real_array(x, "x").astype(dtype)
    if h is None:
        h = default_step(x, dtype, order=4)
    h = finite_real_array(h, "h")
    return (4 * central_difference(f, x, h, dtype=dtype) - central_difference(f, x, 2 * h, dtype=dtype)) / 3


def complex_step(f: Callable[[np.ndarray], np.ndarray], x, h: float = 1e-20, *, dtype=np.float64) -> np.ndarray:
    """Estimate f'(x) by Im f(x + ih) / h (Squire and Trapp, 1998).

    Taylor's theorem gives f(x + ih) = f(x) + ih f'(x) - h^2 f''(x)/2 - ih^3 f'''(x)/6 + ...,
    so the imaginary part divided by h is f'(x) - h^2 f'''(x)/6 + ...: no difference of two
    nearly equal numbers, hence no cancellation, and with h = 1e-20 the truncation is far
    below rounding. ``f`` must accept complex arrays and be analytic (a formula such as
    1 / (1 + np.exp(-z)); not one built on abs, max or comparisons). ``dtype`` is the real
    precision: float64 evaluates f in complex128, float32 in complex64.
    """
    x = finite_real_array(x, "x")
    h = positive_number(h, "h")
    complex_dtype = np.result_type(np.dtype(dtype), np.complex64)
    z = x.astype(complex_dtype) + complex_dtype.type(1j * h)
    if np.any(z.imag == 0):
        raise ValueError(f"h={h} is below the smallest {np.dtype(dtype).name}")
    values = np.asarray(f(z))
    if not np.iscomplexobj(values):
        raise TypeError("f returned real values for complex input: the complex step needs f written "
                        "with complex arithmetic, e.g. lambda z: 1 / (1 + np.exp(-z))")
    return values.imag.astype(np.float64) / z.imag.astype(np.float64)


def step_size_errors(
    f: Callable[[np.ndarray], np.ndarray],
    derivative: Callable[[np.ndarray], np.ndarray],
    x,
    steps,
    *,
    dtype=np.float64,
    stencil: str = "central",
) -> np.ndarray:
    """For each step h in ``steps``: the largest |estimate - derivative| over x.

    ``derivative`` gives the exact values (computed in float64); the estimates are computed
    in ``dtype``, so that the rounding error of that precision shows. ``stencil`` is one of
    "central" (:func:`central_difference`), "fourth-order" (:func:`fourth_order_difference`)
    or "complex-step" (:func:`complex_step`, for which ``f`` must accept complex input).
    """
    x = finite_real_array(x, "x")
    steps = finite_real_array(steps, "steps")
    if steps.ndim != 1 or np.any(steps <= 0):
        raise ValueError("steps must be a 1-d array of positive step sizes")
    estimate = {"central": central_difference, "fourth-order": fourth_order_difference,
                "complex-step": complex_step}[one_of(stencil, "stencil", STENCILS)]
    exact = np.asarray(derivative(x), dtype=np.float64)
    return np.array([np.max(np.abs(estimate(f, x, h, dtype=dtype) - exact)) for h in steps])
