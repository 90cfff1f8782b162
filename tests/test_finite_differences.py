"""nonlin.finite_differences: central differences and their error against the step."""

from __future__ import annotations

import numpy as np
import pytest

from nonlin import ACTIVATIONS
from nonlin import activations as act
from nonlin.finite_differences import central_difference, default_step, step_size_errors


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softplus", "gelu", "silu"])
def test_central_difference_matches_smooth_derivatives(name):
    a = ACTIVATIONS[name]
    x = np.linspace(-6, 6, 121)
    np.testing.assert_allclose(central_difference(a, x), a.grad(x), rtol=1e-8, atol=1e-9)


def test_central_difference_is_exact_for_quadratics_up_to_rounding():
    x = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(central_difference(lambda t: 3 * t**2 - t, x, 0.5), 6 * x - 1, atol=1e-12)


def test_step_size_trade_off_has_its_minimum_near_the_cube_root_of_eps():
    x = np.linspace(-2, 2, 9)
    for dtype, steps in ((np.float64, np.logspace(-12, -1, 45)), (np.float32, np.logspace(-6, -0.5, 45))):
        errors = step_size_errors(act.sigmoid, act.sigmoid_grad, x, steps, dtype=dtype)
        best = steps[np.argmin(errors)]
        eps = np.finfo(dtype).eps
        assert np.cbrt(eps) / 30 < best < np.cbrt(eps) * 30
        assert errors.min() < 10 * eps ** (2 / 3)
        assert errors[0] > 100 * errors.min() and errors[-1] > 100 * errors.min()  # a V shape


def test_default_step_scales_with_x():
    assert default_step(np.array([0.0, 1e6]))[1] == pytest.approx(1e6 * np.cbrt(np.finfo(float).eps))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"x": [1.0], "h": 0.0}, ValueError, "h must be positive"),
        ({"x": [1.0], "h": -1e-3}, ValueError, "h must be positive"),
        ({"x": [np.nan]}, ValueError, "x must be finite"),
        ({"x": "a"}, TypeError, "x must be a real number or array"),
        ({"x": [1.0], "h": 1e-12, "dtype": np.float32}, ValueError, "h is below the resolution of float32"),
    ],
)
def test_central_difference_refuses_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        central_difference(np.sin, **kwargs)


def test_step_size_errors_refuses_bad_steps():
    with pytest.raises(ValueError, match="steps must be a 1-d array of positive step sizes"):
        step_size_errors(np.sin, np.cos, [0.0], [1e-3, 0.0])

