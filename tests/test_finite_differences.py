"""nonlin.finite_differences: central, fourth-order and complex-step derivatives and their error
against the step."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from nonlin import ACTIVATIONS
from nonlin import activations as act
from nonlin.finite_differences import (
    central_difference,
    complex_step,
    default_step,
    fourth_order_difference,
    step_size_errors,
)


def naive_sigmoid(z):
    """1 / (1 + e^-z), written with operations that accept complex z (for the complex step)."""
    return 1 / (1 + np.exp(-z))


def sigmoid_derivative_mpmath(x):
    """sigma'(x) = e^-x / (1 + e^-x)^2 to 40 digits, rounded once to float64."""
    with mpmath.workdps(40):
        return np.array([float(mpmath.exp(-mpmath.mpf(v)) / (1 + mpmath.exp(-mpmath.mpf(v))) ** 2) for v in x])


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
    assert default_step(np.array([2.0]), order=4)[0] == pytest.approx(2 * np.finfo(float).eps ** 0.2)
    with pytest.raises(ValueError, match="order must be 2 or 4"):
        default_step(np.array([1.0]), order=3)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softplus", "gelu", "silu"])
def test_fourth_order_difference_is_far_closer_than_central(name):
    a = ACTIVATIONS[name]
    x = np.linspace(-6, 6, 121)
    # central difference at its default step: errors near 1e-11; fourth order: near 1e-13
    np.testing.assert_allclose(fourth_order_difference(a, x), a.grad(x), rtol=0, atol=1e-12)


def test_fourth_order_difference_is_exact_for_quartics_and_central_is_not():
    x = np.linspace(-3, 3, 13)
    quartic, derivative = (lambda t: t**4 - 2 * t**3 + t), 4 * x**3 - 6 * x**2 + 1
    np.testing.assert_allclose(fourth_order_difference(quartic, x, 0.5), derivative, rtol=0, atol=1e-12)
    # the central difference's error for this quartic is h^2 f'''(x) / 6 = 0.25 (24 x - 12) / 6
    np.testing.assert_allclose(central_difference(quartic, x, 0.5) - derivative, x - 0.5, atol=1e-12)


def test_complex_step_is_within_a_few_ulp_of_the_exact_derivative():
    x = np.linspace(-20, 20, 401)
    exact = sigmoid_derivative_mpmath(x)
    for h in (1e-8, 1e-20, 1e-200):  # no cancellation: any small h does as well
        error_in_ulp = np.abs(complex_step(naive_sigmoid, x, h) - exact) / np.spacing(exact)
        assert error_in_ulp.max() <= 8, (h, error_in_ulp.max())


def test_complex_step_in_float32_is_within_a_few_float32_ulp():
    x = np.linspace(-8, 8, 161)
    exact = sigmoid_derivative_mpmath(x)
    relative = np.abs(complex_step(naive_sigmoid, x, 1e-20, dtype=np.float32) - exact) / exact
    assert relative.max() < 8 * np.finfo(np.float32).eps


def test_complex_step_refuses_functions_that_are_not_written_for_complex_input():
    with pytest.raises(TypeError, match="f returned real values for complex input"):
        complex_step(lambda z: np.real(z) ** 2, [1.0])
    with pytest.raises(TypeError, match="x must be a real-valued array, got complex128"):
        complex_step(act.sigmoid, [1.0])  # nonlin refuses complex x itself
    with pytest.raises(ValueError, match="h must be a positive finite number"):
        complex_step(naive_sigmoid, [1.0], -1e-20)
    with pytest.raises(ValueError, match="h=1e-50 is below the smallest float32"):
        complex_step(naive_sigmoid, [1.0], 1e-50, dtype=np.float32)


def test_each_stencil_reaches_its_own_floor():
    x = np.linspace(-2, 2, 41)
    eps = np.finfo(float).eps
    steps = np.logspace(-13, -1, 49)
    fourth = step_size_errors(act.sigmoid, act.sigmoid_grad, x, steps, stencil="fourth-order")
    assert eps ** 0.2 / 10 < steps[np.argmin(fourth)] < eps ** 0.2 * 10  # h near eps^(1/5)
    assert fourth.min() < eps ** 0.8  # about eps^(4/5) = 3e-13
    central = step_size_errors(act.sigmoid, act.sigmoid_grad, x, steps)
    assert fourth.min() < central.min() / 30
    complex_errors = step_size_errors(naive_sigmoid, act.sigmoid_grad, x, np.logspace(-30, -8, 23),
                                      stencil="complex-step")
    assert complex_errors.max() < 4 * eps  # flat at rounding level for every small h


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
    with pytest.raises(error, match=message):
        fourth_order_difference(np.sin, **kwargs)


def test_step_size_errors_refuses_bad_steps():
    with pytest.raises(ValueError, match="steps must be a 1-d array of positive step sizes"):
        step_size_errors(np.sin, np.cos, [0.0], [1e-3, 0.0])
    with pytest.raises(ValueError, match="stencil must be one of"):
        step_size_errors(np.sin, np.cos, [0.0], [1e-3], stencil="forward")
