"""nonlin._checks: every check returns the checked value or names the argument it rejects."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from nonlin import _checks


def test_real_number_accepts_numbers_and_zero_d_arrays():
    assert _checks.real_number(3, "a") == 3.0 and isinstance(_checks.real_number(3, "a"), float)
    assert _checks.real_number(np.array(-0.5), "a") == -0.5
    assert _checks.real_number(math.inf, "a", allow_inf=True) == math.inf


@pytest.mark.parametrize(
    ("value", "kwargs", "error", "message"),
    [
        ("1", {}, TypeError, "alpha must be a real number, got str"),
        (True, {}, TypeError, "alpha must be a real number, got bool"),
        ([1.0], {}, TypeError, "alpha must be a real number, got list"),
        (math.nan, {"allow_inf": True}, ValueError, "alpha must be a number, got nan"),
        (-math.inf, {}, ValueError, "alpha must be finite, got -inf"),
    ],
)
def test_real_number_refuses(value, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        _checks.real_number(value, "alpha", **kwargs)


@pytest.mark.parametrize(
    ("value", "allow_zero", "message"),
    [
        (0.0, False, "lr must be a positive finite number, got 0.0"),
        (-1e-300, True, "lr must be a non-negative finite number, got -1e-300"),
        (math.inf, False, "lr must be a positive finite number, got inf"),
        (math.nan, True, "lr must be a non-negative finite number, got nan"),
    ],
)
def test_positive_number_refuses(value, allow_zero, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        _checks.positive_number(value, "lr", allow_zero=allow_zero)
    assert _checks.positive_number(0, "lr", allow_zero=True) == 0.0


def test_number_between_honours_open_and_closed_ends():
    assert _checks.number_between(0, "m", 0, 1) == 0.0
    with pytest.raises(ValueError, match=re.escape("m must be in [0, 1), got 1.0")):
        _checks.number_between(1, "m", 0, 1, include_high=False)
    with pytest.raises(ValueError, match=re.escape("m must be in (0, 1], got 0.0")):
        _checks.number_between(0, "m", 0, 1, include_low=False)


@pytest.mark.parametrize("value", [-1, 1.0, True, "2", None])
def test_integer_refuses_non_integers_and_small_ones(value):
    with pytest.raises(ValueError, match=re.escape(f"steps must be an integer >= 0, got {value!r}")):
        _checks.integer(value, "steps", 0)
    assert _checks.integer(np.int64(5), "steps", 0) == 5


def test_one_of_names_the_choices():
    assert _checks.one_of("sgd", "optimizer", ("adam", "sgd")) == "sgd"
    with pytest.raises(ValueError, match=re.escape("optimizer must be one of ('adam', 'sgd'), got 'SGD'")):
        _checks.one_of("SGD", "optimizer", ("adam", "sgd"))
    with pytest.raises(TypeError, match=re.escape("optimizer must be one of ('adam', 'sgd'), got int")):
        _checks.one_of(1, "optimizer", ("adam", "sgd"))


def test_arrays_keep_real_dtypes_and_refuse_the_rest():
    assert _checks.real_array(np.arange(3, dtype=np.int8), "x").dtype == np.int8
    with pytest.raises(TypeError, match="x must be a real-valued array, got complex128"):
        _checks.real_array([1j], "x")
    with pytest.raises(TypeError, match="x must be a real number or array"):
        _checks.real_array([[1], [1, 2]], "x")
    with pytest.raises(ValueError, match=re.escape("w must be finite (no nan or inf)")):
        _checks.finite_real_array([0.0, np.nan], "w")


def test_shapes_and_increasing_points():
    with pytest.raises(ValueError, match=re.escape("y has shape (2,), but x has shape (3,)")):
        _checks.same_shape(np.zeros(2), "y", np.zeros(3), "x")
    with pytest.raises(ValueError, match="knots must be strictly increasing"):
        _checks.increasing_points([0.0, 1.0, 1.0], "knots")
    with pytest.raises(ValueError, match="at least 2 points"):
        _checks.increasing_points([0.0], "knots")
