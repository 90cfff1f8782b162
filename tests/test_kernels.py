"""nonlin.kernels: the fused loops agree with torch, everywhere, and refuse bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nonlin import kernels

SPECIAL = [np.nan, -np.inf, -1.0, -0.0, 0.0, 1e-45, 2.0, np.inf]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_matches_torch_bit_for_bit_including_nan_inf_and_signed_zero(dtype):
    x = np.array(SPECIAL, dtype=dtype)
    expected = torch.relu(torch.from_numpy(x)).numpy()
    got = kernels.relu(x)
    # same values and same sign bits (torch.relu(-0.0) is -0.0); nan where torch gives nan
    assert np.array_equal(got, expected, equal_nan=True)
    assert np.array_equal(np.signbit(got), np.signbit(expected))
    assert got.dtype == dtype


@given(arrays(np.float32, st.integers(1, 300), elements=st.floats(width=32, allow_nan=True)))
def test_relu_and_relu_in_place_agree_with_torch_for_any_float32(x):
    expected = torch.relu(torch.from_numpy(x.copy())).numpy()
    assert np.array_equal(kernels.relu(x), expected, equal_nan=True)
    y = x.copy()
    assert kernels.relu_(y) is y and np.array_equal(y, expected, equal_nan=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_matches_torch_within_two_eps_relative_and_never_overflows(dtype):
    x = np.concatenate([np.array(SPECIAL, dtype=dtype), np.linspace(-800, 800, 4001, dtype=dtype)])
    expected = torch.sigmoid(torch.from_numpy(x)).numpy()
    got = kernels.sigmoid(x)
    finfo = np.finfo(dtype)
    # a relative error of 2 eps: 2 to 4 units in the last place, by where the value lies between two powers of two;
    # below the smallest normal number torch may flush to 0
    assert np.allclose(got, expected, rtol=2 * finfo.eps, atol=finfo.tiny, equal_nan=True)
    finite = ~np.isnan(x)
    assert np.all((got[finite] >= 0) & (got[finite] <= 1))  # no overflow to inf or nan
    assert got[1] == 0.0 and got[-1] == 1.0  # sigma(-inf) = 0, sigma(800) = 1 exactly


def test_kernels_write_into_out_and_keep_the_shape():
    x = np.arange(-6.0, 6.0).reshape(3, 4)
    out = np.full_like(x, 7.0)
    assert kernels.relu(x, out=out) is out
    assert np.array_equal(out, np.maximum(x, 0))
    assert kernels.sigmoid(x).shape == (3, 4)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: kernels.relu([1.0, 2.0]), TypeError, "x must be a float32 or float64 numpy array, got list"),
        (lambda: kernels.relu(np.arange(3)), TypeError, "x must be a float32 or float64 numpy array, got int64"),
        (lambda: kernels.relu(np.ones((4, 4))[:, 0]), ValueError, "x must be C-contiguous"),
        (lambda: kernels.relu(np.ones(3), out=np.ones(4)), TypeError, "out must be a numpy array of x's shape"),
        (lambda: kernels.sigmoid(np.ones(3), out=np.ones(3, np.float32)), TypeError, "dtype float64"),
    ],
)
def test_kernels_refuse_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_relu_in_place_refuses_a_read_only_array():
    x = np.ones(3)
    x.setflags(write=False)
    with pytest.raises(ValueError, match="x must be writeable"):
        kernels.relu_(x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_loop_computes_in_the_dtype_of_its_input(dtype):
    kernels.sigmoid(np.zeros(3, dtype))
    # Numba's types of the loop's variables: a bare 1 would make 1 / (1 + e) float64 for float32
    typemap = next(o for sig, o in kernels._sigmoid_loop.overloads.items()
                   if sig[0].dtype.name == np.dtype(dtype).name).type_annotation.typemap
    assert {typemap["e"].name, typemap["s"].name} == {np.dtype(dtype).name}


def test_relu_in_place_runs_its_own_loop_over_one_array():
    x = np.array([-1.0, 2.0], np.float32)
    kernels.relu_(x)
    assert kernels._relu_loop_inplace.signatures  # compiled: relu_ did not call the two-array loop
    assert np.array_equal(x, [0.0, 2.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_exp_neg_abs_is_the_exponential_of_minus_abs_x(dtype):
    x = np.array([-3.0, -0.5, 0.0, 0.5, 3.0, -np.inf], dtype)
    expected = np.exp(-np.abs(x.astype(np.float64)))  # float64: exact to the tested precision
    got = kernels.exp_neg_abs(x)
    assert got.dtype == dtype
    assert np.allclose(got, expected, rtol=2 * np.finfo(dtype).eps, atol=0)
    with pytest.raises(TypeError, match="x must be a float32 or float64"):
        kernels.exp_neg_abs([1.0])
