"""Input checks shared by the nonlin modules: each names the argument it rejects.

Every public function of nonlin checks its arguments once, through these, so that bad input
gets one kind of message everywhere (``negative_slope must be finite, got inf``) and never a
silent wrong answer.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Sequence

import numpy as np


def _real(value: Any, name: str) -> float:
    """``value`` as a float, if it is a real number (a 0-d array counts), else a TypeError."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    try:
        return float(value)
    except OverflowError:  # an int such as 10**400
        raise ValueError(f"{name} is too large for a float, got {value:.3e}") from None


def real_number(value: Any, name: str, *, allow_inf: bool = False) -> float:
    """``value`` as a float, if it is a real number, not nan, and finite unless ``allow_inf``."""
    value = _real(value, name)
    if math.isnan(value):
        raise ValueError(f"{name} must be a number, got nan")
    if math.isinf(value) and not allow_inf:
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def positive_number(value: Any, name: str, *, allow_zero: bool = False) -> float:
    """``value`` as a float, if it is a finite real number above 0 (or at least 0)."""
    value = _real(value, name)
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must be a {bound} finite number, got {value}")
    return value


def number_between(value: Any, name: str, low: float, high: float, *,
                   include_low: bool = True, include_high: bool = True) -> float:
    """``value`` as a float, if it is a finite real number in the interval from low to high."""
    value = real_number(value, name)
    above = value >= low if include_low else value > low
    below = value <= high if include_high else value < high
    if not (above and below):
        interval = f"{'[' if include_low else '('}{low}, {high}{']' if include_high else ')'}"
        raise ValueError(f"{name} must be in {interval}, got {value}")
    return value


def integer(value: Any, name: str, minimum: int) -> int:
    """``value`` as an int, if it is an integer (not a bool) of at least ``minimum``."""
    if (isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral)
            or value < minimum):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def one_of(value: Any, name: str, choices: Sequence[str]) -> str:
    """``value``, if it is one of the strings ``choices``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {tuple(choices)}, got {type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}")
    return value


def real_array(value: Any, name: str) -> np.ndarray:
    """``value`` as a numpy array of booleans, integers or floats (its dtype kept).

    Strings, complex, object or date data and ragged lists raise a TypeError naming ``name``.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a real number or array, got {type(value).__name__}")
    if isinstance(value, np.ma.MaskedArray):  # its mask would be silently dropped
        raise TypeError(f"{name} must not be a masked array; use {name}.filled(...) or {name}.compressed()")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError, RuntimeError) as exc:  # ragged lists, tensors that need grad
        raise TypeError(f"{name} must be a real number or array: {exc}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real-valued array, got {arr.dtype}")
    return arr


def finite_real_array(value: Any, name: str) -> np.ndarray:
    """``value`` as a float64 array with no nan or inf, or an error naming ``name``."""
    arr = real_array(value, name).astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no nan or inf)")
    return arr


def same_shape(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    """Raise a ValueError naming both arguments unless the arrays ``a`` and ``b`` have one shape."""
    if np.shape(a) != np.shape(b):
        raise ValueError(f"{a_name} has shape {np.shape(a)}, but {b_name} has shape {np.shape(b)}")


def points(value: Any, name: str) -> np.ndarray:
    """``value`` as a finite 1-d float64 array of at least 2 points (the x values of a curve)."""
    arr = finite_real_array(value, name)
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"{name} must be a 1-d array of at least 2 points, got shape {arr.shape}")
    return arr


def increasing_points(value: Any, name: str) -> np.ndarray:
    """``value`` as a finite, strictly increasing 1-d float64 array of at least 2 points."""
    arr = points(value, name)
    if np.any(np.diff(arr) <= 0):
        raise ValueError(f"{name} must be strictly increasing")
    return arr
