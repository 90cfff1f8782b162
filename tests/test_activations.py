"""nonlin.activations against PyTorch, against exact values (mpmath), and on bad input."""

from __future__ import annotations

import inspect
import math
import re

import mpmath
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nonlin import ACTIVATIONS
from nonlin import activations as act

FLOATS = (np.float16, np.float32, np.float64)
NAMES = sorted(ACTIVATIONS)

# Parameter sets beyond the defaults, each passed to the function and to torch.
PARAM_CASES = [(name, {}) for name in NAMES] + [
    ("leaky_relu", {"negative_slope": 0.0}),
    ("leaky_relu", {"negative_slope": 0.2}),
    ("leaky_relu", {"negative_slope": -0.5}),
    ("leaky_relu", {"negative_slope": 1.5}),
    ("prelu", {"weight": 0.0}),
    ("prelu", {"weight": 0.1}),
    ("elu", {"alpha": 0.5}),
    ("elu", {"alpha": 2.0}),
    ("softplus", {"beta": 2.0}),
    ("softplus", {"beta": 0.5, "threshold": 5.0}),
    ("gelu", {"approximate": "tanh"}),
]
CASE_IDS = [f"{name}-{params}" if params else name for name, params in PARAM_CASES]


def wide_grid(dtype) -> np.ndarray:
    """Signed zeros, tiny and huge magnitudes, and a dense stretch near the kinks."""
    info = np.finfo(dtype)
    powers = np.ldexp(1.0, np.arange(info.minexp, info.maxexp))  # 2**e over the whole range
    mags = np.concatenate(
        [
            powers,
            (powers * 1.37)[:-1],
            np.linspace(0, 30, 301)[1:],
            [float(info.smallest_subnormal), float(info.max)],
        ]
    )
    mags = np.sort(mags).astype(dtype)
    return np.concatenate([-mags[::-1], np.array([-0.0, 0.0], dtype), mags])


def close(ours, theirs, dtype, ulps=32):
    """|ours - theirs| <= ulps * eps * (1 + |theirs|) elementwise. Where torch gives +-inf, ours
    must have the same sign and be inf or above a quarter of the largest float (torch's GELU
    computes x (1 + erf(x / sqrt 2)) / 2, whose intermediate 2x overflows first).

    The tolerance is absolute below 1 because torch is not accurate there: it computes the
    sigmoid's and tanh's derivatives from their rounded outputs and flushes GELU's lower tail
    to 0. Accuracy is tested against mpmath below. Where torch returns nan for a finite input
    (x**2 overflowing inside its gelu backward at |x| > 1e154, say) there is nothing to
    compare with; other tests check that ours is finite.
    """
    ours, theirs = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
    eps = float(np.finfo(dtype).eps)
    with np.errstate(invalid="ignore"):
        diff_ok = np.abs(ours - theirs) <= ulps * eps * (1 + np.abs(theirs))
    huge = (np.sign(ours) == np.sign(theirs)) & (np.abs(ours) >= np.finfo(dtype).max / 4)
    return np.where(np.isinf(theirs), huge, diff_ok | np.isnan(theirs))


# ---------------------------------------------------------------------------------------------
# Agreement with torch
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: d.__name__)
@pytest.mark.parametrize(("name", "params"), PARAM_CASES, ids=CASE_IDS)
def test_value_and_derivative_match_torch_on_a_wide_grid(name, params, dtype):
    a = ACTIVATIONS[name]
    x = wide_grid(dtype)
    y, dy = a(x, **params), a.grad(x, **params)
    ty, tdy = a.torch_value_and_grad(x, **params)
    assert y.dtype == dtype and dy.dtype == dtype
    bad = ~close(y, ty, dtype)
    assert not bad.any(), f"values differ at x={x[bad][:4]}: {y[bad][:4]} vs torch {ty[bad][:4]}"
    bad = ~close(dy, tdy, dtype)
    assert not bad.any(), f"derivatives differ at x={x[bad][:4]}: {dy[bad][:4]} vs {tdy[bad][:4]}"


@pytest.mark.parametrize(("name", "params"), PARAM_CASES, ids=CASE_IDS)
def test_derivative_at_zero_is_torchs_exactly(name, params):
    a = ACTIVATIONS[name]
    x = np.array([-0.0, 0.0])
    _, torch_grad = a.torch_value_and_grad(x, **params)
    np.testing.assert_array_equal(a.grad(x, **params), torch_grad)


def test_the_documented_conventions_at_zero():
    assert act.relu_grad(0.0) == 0.0
    assert act.leaky_relu_grad(0.0, negative_slope=0.3) == 0.3
    assert act.prelu_grad(0.0, 0.25) == 0.25
    assert act.elu_grad(0.0, alpha=2.0) == 2.0
    assert act.sigmoid_grad(0.0) == 0.25
    assert act.tanh_grad(0.0) == 1.0


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: d.__name__)
def test_prelu_per_channel_weights_match_torch(dtype):
    rng = np.random.default_rng(1)
    x = (rng.standard_normal((2, 3, 4)) * 5).astype(dtype)
    x[0, :, 0] = [-np.inf, 0.0, np.inf]
    weight = np.array([0.0, 0.25, -1.5])
    ty, tg = ACTIVATIONS["prelu"].torch_value_and_grad(x, weight=weight)
    finite = np.isfinite(x)
    assert close(act.prelu(x, weight)[finite], ty[finite], dtype).all()
    assert close(act.prelu_grad(x, weight), tg, dtype).all()
    # At -inf with slope 0 the limit is 0 (torch computes 0 * -inf = nan).
    assert act.prelu(x, weight)[0, 0, 0] == 0.0


RELU_FAMILY = [(name, params) for name, params in PARAM_CASES if name in ("relu", "leaky_relu", "prelu")]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda d: d.__name__)
@pytest.mark.parametrize(("name", "params"), RELU_FAMILY, ids=[f"{n}-{p}" for n, p in RELU_FAMILY])
def test_the_relu_family_equals_torch_exactly(name, params, dtype):
    """One comparison and one product per element: no rounding beyond torch's own. (Only the
    sign of a zero may differ: relu(-0.0) is +0.0 here and -0.0 in torch.)"""
    a = ACTIVATIONS[name]
    x = wide_grid(dtype)
    x = x[np.isfinite(x)]  # torch gives nan at -inf with slope 0, where the limit is 0
    ty, tdy = a.torch_value_and_grad(x, **params)
    np.testing.assert_array_equal(a(x, **params), ty)
    np.testing.assert_array_equal(a.grad(x, **params), tdy)


def test_prelu_per_channel_weights_equal_torch_exactly_in_float32():
    x = (np.random.default_rng(3).standard_normal((50, 3, 7)) * 3).astype(np.float32)
    weight = np.array([0.1, 0.3, -0.7])  # not exact in float32: rounded as torch rounds them
    ty, tg = ACTIVATIONS["prelu"].torch_value_and_grad(x, weight=weight)
    np.testing.assert_array_equal(act.prelu(x, weight), ty)
    np.testing.assert_array_equal(act.prelu_grad(x, weight), tg)


ALL_FLOAT16 = np.arange(2**16, dtype=np.uint16).view(np.float16)
ALL_FLOAT16 = ALL_FLOAT16[np.isfinite(ALL_FLOAT16)]


@pytest.mark.parametrize(("name", "params"), PARAM_CASES, ids=CASE_IDS)
def test_every_float16_value_is_rounded_once_from_the_float64_value(name, params):
    """Computed in float32 and rounded once, a float16 result is within 0.55 float16 ulp of the
    true value (0.5 for the rounding, the rest for float32's own errors; the reference is
    torch's float64 function and autograd). Parameters rounded to float16, or a derivative
    computed from a rounded output as torch's is, would be further off."""
    a = ACTIVATIONS[name]
    x = ALL_FLOAT16
    reference = a.torch_value_and_grad(x.astype(np.float64), **params)
    for ours, exact in zip((a(x, **params), a.grad(x, **params)), reference):
        assert ours.dtype == np.float16
        with np.errstate(over="ignore"):
            nearest = exact.astype(np.float16)
        with np.errstate(over="ignore", invalid="ignore"):  # spacing(65504) and spacing(inf)
            ulp = np.minimum(np.spacing(np.abs(nearest)).astype(np.float64), 32.0)
        with np.errstate(invalid="ignore"):
            ok = np.where(np.isinf(nearest), ours == nearest,
                          np.abs(ours.astype(np.float64) - exact) <= 0.55 * ulp)
        assert ok.all(), f"x={x[~ok][:4]}: {ours[~ok][:4]} vs {exact[~ok][:4]}"


# ---------------------------------------------------------------------------------------------
# Limits, nan, warnings
# ---------------------------------------------------------------------------------------------

# (f(-inf), f(+inf), f'(-inf), f'(+inf)) with the default parameters.
LIMITS = {
    "sigmoid": (0, 1, 0, 0),
    "tanh": (-1, 1, 0, 0),
    "relu": (0, np.inf, 0, 1),
    "leaky_relu": (-np.inf, np.inf, 0.01, 1),
    "prelu": (-np.inf, np.inf, 0.25, 1),
    "elu": (-1, np.inf, 0, 1),
    "softplus": (0, np.inf, 0, 1),
    "gelu": (0, np.inf, 0, 1),
    "silu": (0, np.inf, 0, 1),
}


def test_every_activation_has_its_limits_listed():
    assert set(LIMITS) == set(ACTIVATIONS)


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: d.__name__)
@pytest.mark.parametrize("name", NAMES)
def test_infinities_give_the_mathematical_limit(name, dtype):
    a = ACTIVATIONS[name]
    x = np.array([-np.inf, np.inf], dtype)
    f_lo, f_hi, d_lo, d_hi = LIMITS[name]
    np.testing.assert_array_equal(a(x), np.array([f_lo, f_hi], dtype))
    np.testing.assert_array_equal(a.grad(x), np.array([d_lo, d_hi], dtype))


# (parameters, f(-inf), f(+inf), f'(-inf), f'(+inf)) beyond the defaults.
LIMITS_WITH_PARAMETERS = [
    ("leaky_relu", {"negative_slope": -0.5}, np.inf, np.inf, -0.5, 1),
    ("leaky_relu", {"negative_slope": 0.0}, 0, np.inf, 0, 1),
    ("leaky_relu", {"negative_slope": 1.5}, -np.inf, np.inf, 1.5, 1),
    ("prelu", {"weight": 0.0}, 0, np.inf, 0, 1),
    ("elu", {"alpha": 2.0}, -2, np.inf, 0, 1),
    ("elu", {"alpha": -0.5}, 0.5, np.inf, 0, 1),
    ("softplus", {"beta": 2.0, "threshold": np.inf}, 0, np.inf, 0, 1),
    ("gelu", {"approximate": "tanh"}, 0, np.inf, 0, 1),
]


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: d.__name__)
@pytest.mark.parametrize(("name", "params", "f_lo", "f_hi", "d_lo", "d_hi"), LIMITS_WITH_PARAMETERS,
                         ids=[f"{c[0]}-{c[1]}" for c in LIMITS_WITH_PARAMETERS])
def test_infinities_give_the_limit_for_other_parameters(name, params, f_lo, f_hi, d_lo, d_hi, dtype):
    a, x = ACTIVATIONS[name], np.array([-np.inf, np.inf], dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        np.testing.assert_array_equal(a(x, **params), np.array([f_lo, f_hi], dtype))
        np.testing.assert_array_equal(a.grad(x, **params), np.array([d_lo, d_hi], dtype))


def test_limits_where_torch_returns_nan():
    """torch gives nan for silu(-inf), gelu(-inf) and leaky_relu(-inf, 0); the limits are 0."""
    minus_inf = torch.tensor([-np.inf])
    assert torch.isnan(torch.nn.functional.silu(minus_inf)).all()
    assert torch.isnan(torch.nn.functional.gelu(minus_inf)).all()
    assert torch.isnan(torch.nn.functional.leaky_relu(minus_inf, 0.0)).all()
    assert act.silu(-np.inf) == 0 and act.gelu(-np.inf) == 0
    assert act.leaky_relu(-np.inf, negative_slope=0.0) == 0


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: d.__name__)
@pytest.mark.parametrize(("name", "params"), PARAM_CASES, ids=CASE_IDS)
def test_nan_gives_nan_for_function_and_derivative(name, params, dtype):
    a = ACTIVATIONS[name]
    x = np.array([np.nan, 1.0, np.nan], dtype)
    y, dy = a(x, **params), a.grad(x, **params)
    assert np.isnan(y[[0, 2]]).all() and np.isnan(dy[[0, 2]]).all()
    assert np.isfinite(y[1]) and np.isfinite(dy[1])


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: d.__name__)
@pytest.mark.parametrize(("name", "params"), PARAM_CASES, ids=CASE_IDS)
def test_finite_input_never_overflows_or_warns(name, params, dtype):
    a = ACTIVATIONS[name]
    x = wide_grid(dtype)
    # Overflow, invalid operations and division by zero raise here; underflow to 0 is fine.
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y, dy = a(x, **params), a.grad(x, **params)
    assert np.isfinite(dy).all()
    slope = params.get("negative_slope", params.get("weight", 0.0))
    if abs(slope) <= 1:
        assert np.isfinite(y).all()
    else:  # the true value slope * x lies beyond the largest float only there
        with np.errstate(over="ignore"):
            beyond = (x < 0) & (np.abs(x.astype(np.float64) * slope) > np.finfo(dtype).max)
        assert np.array_equal(~np.isfinite(y), beyond)


def test_huge_beta_saturates_quietly():
    big = np.finfo(np.float64).max
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = act.softplus(np.array([-big, big]), beta=10.0)
    np.testing.assert_array_equal(y, [0.0, big])


# ---------------------------------------------------------------------------------------------
# Exact values (mpmath, 40 digits) for inputs nobody picked by hand
# ---------------------------------------------------------------------------------------------

mpmath.mp.dps = 40


def _exact(name, x, params):
    """The exact f(x) and f'(x) as mpmath numbers (torch's threshold rule for softplus)."""
    mp = mpmath
    x = mp.mpf(x)
    p = {**ACTIVATIONS[name].params, **params}

    def sig(z):
        return 1 / (1 + mp.exp(-z))

    # Written without 1 - sigma or 1 + tanh, which cancel in the tails even at 40 digits.
    s, s_minus = sig(x), sig(-x)
    if name == "sigmoid":
        return s, s * s_minus
    if name == "tanh":
        return mp.tanh(x), mp.sech(x) ** 2
    if name == "relu":
        return max(x, 0), mp.mpf(x > 0)
    if name in ("leaky_relu", "prelu"):
        slope = mp.mpf(p.get("negative_slope", p.get("weight")))
        return (x, mp.mpf(1)) if x > 0 else (slope * x, slope)
    if name == "elu":
        alpha = mp.mpf(p["alpha"])
        return (x, mp.mpf(1)) if x > 0 else (alpha * mp.expm1(x), alpha * mp.exp(x))
    if name == "softplus":
        beta = mp.mpf(p["beta"])
        if beta * x > p["threshold"]:
            return x, mp.mpf(1)
        return mp.log1p(mp.exp(beta * x)) / beta, sig(beta * x)
    if name == "gelu" and p["approximate"] == "none":
        cdf = mp.erfc(-x / mp.sqrt(2)) / 2
        return x * cdf, cdf + x * mp.npdf(x)
    if name == "gelu":
        k = mp.sqrt(2 / mp.pi)
        u = k * (x + mp.mpf("0.044715") * x**3)
        du = k * (1 + 3 * mp.mpf("0.044715") * x**2)
        half_one_plus_tanh = sig(2 * u)
        return x * half_one_plus_tanh, half_one_plus_tanh + x * mp.sech(u) ** 2 * du / 2
    if name == "silu":
        return x * s, s * (1 + x * s_minus)
    raise KeyError(name)


SMOOTH = {"sigmoid", "tanh", "softplus", "gelu", "silu"}


# The error allowed, in units of eps times the condition number. Measured: most results are
# within 1; the worst, up to 4.6, are the derivatives of SiLU and GELU near their minimum,
# where their two terms cancel (the condition number of the sum does not see that).
ACCURACY = 5


def _assert_accurate(name, params, x, dtype):
    """Error within ACCURACY eps of what rounding x's neighbourhood allows (the condition number).

    For a smooth f the bound is ACCURACY eps (|f(x)| + |x f'(x)|): any method that rounds its
    intermediate results makes errors of that size. Values in the subnormal range carry fewer
    bits, hence the small absolute allowance.
    """
    eps = float(np.finfo(dtype).eps)
    atol = 1e3 * float(np.finfo(dtype).smallest_subnormal)
    a = ACTIVATIONS[name]
    y = a(np.asarray(x, dtype), **params)
    dy = a.grad(np.asarray(x, dtype), **params)
    xv = float(np.asarray(x, dtype))
    f, df = _exact(name, xv, params)
    cond_f = abs(f) + abs(xv * df)
    assert abs(float(y) - f) <= ACCURACY * eps * cond_f + atol, (name, params, xv, float(y), f)
    if name in SMOOTH:
        d2 = mpmath.diff(lambda t: _exact(name, t, params)[1], xv)
        cond_df = abs(df) + abs(xv * d2)
    else:
        cond_df = abs(df)
    assert abs(float(dy) - df) <= ACCURACY * eps * cond_df + atol, (name, params, xv, float(dy), df)


@given(
    case=st.sampled_from(PARAM_CASES),
    dtype=st.sampled_from([np.float32, np.float64]),
    x=st.floats(min_value=-750, max_value=750, allow_nan=False),
)
def test_accurate_to_a_few_ulps_of_the_exact_value(case, dtype, x):
    name, params = case
    _assert_accurate(name, params, x, dtype)


# Both signs of 40 magnitudes from 1e-8 to 740; a dense stretch of GELU's lower tail, where
# the normal CDF becomes subnormal; and of 16 < x < 40, where 1 - sigmoid(x) is below eps, so
# that a formula written with it (as SiLU's derivative often is) loses up to x ulps.
SWEEP = np.concatenate([np.geomspace(1e-8, 740, 40), -np.geomspace(1e-8, 740, 40),
                        np.linspace(-39, -36, 13), np.linspace(16, 40, 97), [19.9, 20.1],
                        np.linspace(-2.5, -1.3, 49)])  # around the minima of SiLU' and GELU'



@pytest.mark.parametrize(("name", "params"), PARAM_CASES, ids=CASE_IDS)
def test_accurate_on_a_fixed_sweep_including_the_tails(name, params):
    for dtype in (np.float32, np.float64):
        for x in SWEEP:
            _assert_accurate(name, params, x, dtype)


# ---------------------------------------------------------------------------------------------
# Properties, on arrays hypothesis draws (nan and inf included)
# ---------------------------------------------------------------------------------------------

any_float_array = st.sampled_from(FLOATS).flatmap(
    lambda dtype: hnp.arrays(
        dtype,
        hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
        elements=st.floats(width=np.finfo(dtype).bits, allow_nan=True, allow_infinity=True),
    )
)


@given(x=any_float_array, case=st.sampled_from(PARAM_CASES))
def test_any_array_keeps_shape_and_dtype_and_matches_torch(x, case):
    name, params = case
    a = ACTIVATIONS[name]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y, dy = a(x, **params), a.grad(x, **params)
    for result in (y, dy):
        assert np.shape(result) == x.shape and result.dtype == x.dtype
        assert np.array_equal(np.isnan(result), np.isnan(x))
    if x.ndim == 0:
        assert isinstance(y, np.generic) and isinstance(dy, np.generic)
    finite = np.isfinite(x)
    ty, tdy = a.torch_value_and_grad(x, **params)
    assert close(np.asarray(y)[finite], ty[finite], x.dtype).all()
    assert close(np.asarray(dy)[finite], tdy[finite], x.dtype).all()


finite64 = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(x=finite64)
def test_symmetries(x):
    eps = np.finfo(np.float64).eps
    assert act.relu(x) - act.relu(-x) == x
    assert act.tanh(-x) == -act.tanh(x)
    assert abs(act.sigmoid(x) + act.sigmoid(-x) - 1) <= 2 * eps
    # softplus without torch's switch to the identity above `threshold` (20), where these
    # identities of log(1 + e^x) hold only to within e^-20
    exact = {"threshold": math.inf}
    assert abs(act.softplus(x, **exact) - act.softplus(-x, **exact) - x) <= 4 * eps * (1 + abs(x))
    assert abs(2 * act.sigmoid(2 * x) - 1 - act.tanh(x)) <= 4 * eps
    assert 0 <= act.softplus(x) - act.relu(x) <= math.log(2) + eps


MONOTONE = [
    ("sigmoid", {}), ("tanh", {}), ("relu", {}), ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 1.5}), ("prelu", {}), ("elu", {}),
    ("elu", {"alpha": 2.0}), ("softplus", {}), ("softplus", {"beta": 3.0}),
]


@given(
    x=hnp.arrays(np.float64, st.integers(2, 50), elements=finite64),
    case=st.sampled_from(MONOTONE),
)
def test_monotone_activations_keep_order_and_have_nonnegative_slope(x, case):
    name, params = case
    a = ACTIVATIONS[name]
    xs = np.sort(x)
    assert np.all(np.diff(a(xs, **params)) >= 0)
    assert np.all(a.grad(xs, **params) >= 0)


@given(x=st.floats(min_value=-30, max_value=30), case=st.sampled_from(PARAM_CASES))
def test_derivative_matches_central_differences(x, case):
    name, params = case
    a = ACTIVATIONS[name]
    h = 1e-6
    if name not in SMOOTH and abs(x) < 2 * h:
        return  # the kink of a piecewise function: no derivative to approximate
    if name == "softplus" and abs(x * params.get("beta", 1.0) - params.get("threshold", 20.0)) < 1e-3:
        return  # torch's switch to the identity is a (tiny) jump
    fd = (a(x + h, **params) - a(x - h, **params)) / (2 * h)
    assert a.grad(x, **params) == pytest.approx(fd, rel=1e-6, abs=1e-7)


# ---------------------------------------------------------------------------------------------
# Shapes, dtypes, out=
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [a.function for a in ACTIVATIONS.values()]
                         + [a.derivative for a in ACTIVATIONS.values()],
                         ids=lambda f: f.__name__)
def test_scalars_lists_integers_empty_and_strided_input(fn):
    kwargs = {"weight": 0.25} if fn.__name__.startswith("prelu") else {}
    assert isinstance(fn(1, **kwargs), np.float64)
    assert isinstance(fn(np.float32(1), **kwargs), np.float32)
    assert fn([[1, -2], [3, 4]], **kwargs).dtype == np.float64
    assert fn(np.array([True, False]), **kwargs).dtype == np.float64
    assert fn(np.empty((0, 3), np.float32), **kwargs).shape == (0, 3)
    base = np.linspace(-3, 3, 24).reshape(4, 6)
    strided = base[::2, ::-3]
    np.testing.assert_array_equal(fn(strided, **kwargs), fn(strided.copy(), **kwargs))


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: d.__name__)
@pytest.mark.parametrize(("name", "params"), PARAM_CASES, ids=CASE_IDS)
def test_out_argument_including_in_place(name, params, dtype):
    a = ACTIVATIONS[name]
    x = np.linspace(-5, 5, 12, dtype=dtype).reshape(3, 4)
    for method in (a, a.grad):
        expected = method(x, **params)
        out = np.empty_like(x)
        assert method(x, **params, out=out) is out
        np.testing.assert_array_equal(out, expected)
        inplace = x.copy()
        assert method(inplace, **params, out=inplace) is inplace
        np.testing.assert_array_equal(inplace, expected)
        zero_d = np.empty((), dtype)
        assert method(x[1, 1], **params, out=zero_d) is zero_d
        assert zero_d == expected[1, 1]


def test_out_argument_errors_name_out():
    x = np.zeros(4)
    with pytest.raises(ValueError, match="out has shape"):
        act.relu(x, out=np.zeros(5))
    with pytest.raises(TypeError, match="out has dtype float32"):
        act.relu(x, out=np.zeros(4, np.float32))
    with pytest.raises(TypeError, match="out must be a numpy array"):
        act.relu(x, out=[0, 0, 0, 0])
    frozen = np.zeros(4)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="out is read-only"):
        act.relu(x, out=frozen)


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------

BAD_X = [
    ("string", "1.0", TypeError, "x must be a real number or array, got str"),
    ("complex", np.array([1 + 2j]), TypeError, "x must be a real-valued array, got complex128"),
    ("object", np.array([1.0, None], dtype=object), TypeError, "x must be a real-valued array, got object"),
    ("strings", ["a", "b"], TypeError, "x must be a real-valued array, got <U1"),
    ("ragged", [[1.0], [1.0, 2.0]], TypeError, "x must be a real number or array"),
    ("datetime", np.array(["2020-01-01"], dtype="datetime64[D]"), TypeError, "datetime64"),
    ("longdouble", np.zeros(2, np.longdouble), TypeError, "use float16, float32 or float64"),
]


@pytest.mark.parametrize(("label", "x", "error", "message"), BAD_X, ids=[b[0] for b in BAD_X])
@pytest.mark.parametrize("name", NAMES)
def test_bad_x_is_refused_with_a_message_naming_x(name, label, x, error, message):
    if label == "longdouble" and np.dtype(np.longdouble) == np.dtype(np.float64):
        pytest.skip("on this platform long double is float64")
    a = ACTIVATIONS[name]
    for method in (a, a.grad):
        with pytest.raises(error, match=re.escape(message)):
            method(x)


BAD_PARAMS = [
    ("leaky_relu", {"negative_slope": float("nan")}, ValueError, "negative_slope must be a number, got nan"),
    ("leaky_relu", {"negative_slope": "0.1"}, TypeError, "negative_slope must be a real number, got str"),
    ("leaky_relu", {"negative_slope": float("inf")}, ValueError, "negative_slope must be finite"),
    ("leaky_relu", {"negative_slope": True}, TypeError, "negative_slope must be a real number, got bool"),
    ("leaky_relu", {"negative_slope": None}, TypeError, "negative_slope must be a real number, got NoneType"),
    ("elu", {"alpha": float("nan")}, ValueError, "alpha must be a number, got nan"),
    ("elu", {"alpha": [1.0]}, TypeError, "alpha must be a real number, got list"),
    ("softplus", {"beta": 0.0}, ValueError, "beta must be a positive finite number"),
    ("softplus", {"beta": -1.0}, ValueError, "beta must be a positive finite number"),
    ("softplus", {"threshold": float("nan")}, ValueError, "threshold must be a number, got nan"),
    ("gelu", {"approximate": "erf"}, ValueError, "approximate must be one of ('none', 'tanh'), got 'erf'"),
    ("gelu", {"approximate": None}, TypeError, "approximate must be one of ('none', 'tanh'), got NoneType"),
    ("prelu", {"weight": float("nan")}, ValueError, "weight must be finite"),
    ("prelu", {"weight": "a"}, TypeError, "weight must be a real number or array, got str"),
    ("prelu", {"weight": np.ones((2, 2))}, ValueError, "weight must be a scalar or 1-d array"),
    ("prelu", {"weight": np.ones(3)}, ValueError, "x has no channel axis"),
    ("prelu", {"weight": 1j}, TypeError, "weight must be a real-valued array, got complex128"),
]


@pytest.mark.parametrize(("name", "params", "error", "message"), BAD_PARAMS,
                         ids=[f"{b[0]}-{b[1]}" for b in BAD_PARAMS])
def test_bad_parameters_are_refused_with_a_message_naming_them(name, params, error, message):
    a = ACTIVATIONS[name]
    for method in (a, a.grad):
        with pytest.raises(error, match=re.escape(message)):
            method(np.linspace(-1, 1, 5), **params)


def test_parameters_that_do_not_fit_the_dtype_of_x_are_refused():
    x32 = np.array([-1.0, 0.0, 1.0], np.float32)
    for call, message in [
        (lambda: act.leaky_relu(x32, 1e39), "negative_slope=1e+39 does not fit in float32"),
        (lambda: act.leaky_relu_grad(x32, 1e-50), "negative_slope=1e-50 does not fit in float32"),
        (lambda: act.elu(x32, alpha=-1e39), "alpha=-1e+39 does not fit in float32"),
        (lambda: act.softplus(x32, beta=1e-50), "beta=1e-50 does not fit in float32"),
        (lambda: act.softplus_grad(x32.astype(np.float16), threshold=1e39), "threshold=1e+39 does not fit"),
        (lambda: act.prelu(x32.reshape(1, 3), np.array([0.1, 1e39, 0.2])), "weight=1e+39 does not fit"),
    ]:
        with pytest.raises(ValueError, match=re.escape(message)):
            call()
    assert act.leaky_relu(-1.0, 1e39) == -1e39  # float64 holds it


def test_a_tiny_beta_gives_inf_quietly_where_the_true_value_is_beyond_the_range():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert act.softplus(np.float32(0.0), beta=1e-39) == np.inf  # log(2) / 1e-39
        assert act.softplus(0.0, beta=1e-310) == np.inf
        assert act.softplus_grad(np.float32(0.0), beta=1e-39) == 0.5


def test_non_native_byte_order_is_accepted():
    big_endian = np.array([-2.0, 0.5, 3.0], dtype=">f8")
    np.testing.assert_array_equal(act.relu(big_endian), [0.0, 0.5, 3.0])
    np.testing.assert_array_equal(act.sigmoid(big_endian), act.sigmoid(big_endian.astype("<f8")))


def test_inputs_that_would_lose_information_are_refused():
    with pytest.raises(TypeError, match="x must not be a masked array"):
        act.relu(np.ma.array([1.0, -5.0], mask=[0, 1]))
    with pytest.raises(TypeError, match="x must be a real number or array: Can't call numpy"):
        act.relu(torch.ones(2, requires_grad=True))
    with pytest.raises(TypeError, match="weight must be a real number or array, got bool"):
        act.prelu(np.ones(2), True)


def test_prelu_weight_must_match_the_channel_axis():
    with pytest.raises(ValueError, match="weight has 2 entries but x has 3 channels"):
        act.prelu(np.zeros((4, 3)), np.ones(2))


def test_infinite_threshold_and_zero_d_parameters_are_accepted():
    assert act.softplus(30.0, threshold=np.inf) == pytest.approx(30.0)
    assert act.leaky_relu(-2.0, negative_slope=np.array(0.5)) == -1.0


# ---------------------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------------------


def test_registry_names_and_torch_counterparts():
    assert NAMES == sorted(
        ["sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "softplus", "gelu", "silu"]
    )
    for name, a in ACTIVATIONS.items():
        assert a.name == name
        assert a.function.__name__ == name and a.derivative.__name__ == f"{name}_grad"
        assert isinstance(getattr(torch.nn, a.torch_module)(), torch.nn.Module)


def test_registry_defaults_are_torchs_defaults():
    for name, a in ACTIVATIONS.items():
        module = getattr(torch.nn, a.torch_module)()  # holds torch's defaults as attributes
        numpy_defaults = {
            k: v.default for k, v in inspect.signature(a.function).parameters.items()
            if v.default is not inspect.Parameter.empty and k != "out"
        }
        if name == "prelu":  # no default in the functional form; nn.PReLU starts at 0.25
            assert numpy_defaults == {} and module.weight.item() == a.params["weight"]
        else:
            assert numpy_defaults == dict(a.params)
            for key, value in a.params.items():
                assert getattr(module, key) == value, (name, key)
        # The derivative takes the same arguments as the function, with the same defaults.
        signatures = [inspect.signature(f).parameters for f in (a.function, a.derivative)]
        assert [(k, v.default) for k, v in signatures[0].items()] == [
            (k, v.default) for k, v in signatures[1].items()]


def test_registry_is_read_only():
    with pytest.raises(TypeError):
        ACTIVATIONS["relu"] = None  # type: ignore[index]
    with pytest.raises(TypeError):
        ACTIVATIONS["elu"].params["alpha"] = 3.0  # type: ignore[index]


def test_a_value_does_not_depend_on_the_array_around_it():
    """Each element goes through the same operations whatever its position, the array's length
    or whether it came alone (numpy computes some operations on a lone scalar another way)."""
    rng = np.random.default_rng(1)
    for dtype in (np.float32, np.float64):
        x = (rng.standard_normal(203) * 6).astype(dtype)
        for name, params in PARAM_CASES:
            a = ACTIVATIONS[name]
            for method in (a, a.grad):
                whole = method(x, **params)
                one_by_one = np.array([method(v, **params) for v in x])
                np.testing.assert_array_equal(whole, one_by_one, err_msg=f"{name} {params}")
                np.testing.assert_array_equal(method(x[5:], **params), whole[5:])
