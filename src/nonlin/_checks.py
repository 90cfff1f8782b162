"""Input checks shared by the nonlin modules: each names the argument it rejects."""

from __future__ import annotations

from typing import Any

import numpy as np


def real_array(value: Any, name: str) -> np.ndarray:
    """``value`` as a numpy array of booleans, integers or floats (its dtype kept).

    Strings, complex, object or date data and ragged lists raise a TypeError naming ``name``.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a real number or array, got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists, objects numpy rejects
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


def increasing_points(value: Any, name: str) -> np.ndarray:
    """``value`` as a finite, strictly increasing 1-d float64 array of at least 2 points."""
    arr = finite_real_array(value, name)
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"{name} must be a 1-d array of at least 2 points, got shape {arr.shape}")
    if np.any(np.diff(arr) <= 0):
        raise ValueError(f"{name} must be strictly increasing")
    return arr
