"""Fused loops: ReLU and the sigmoid written as Python loops and compiled by Numba's JIT.

A chain of numpy operations makes one pass over memory per operation. A fused loop reads each
element once, does all the arithmetic on it in registers and writes the result once. Numba
compiles the Python loop below to machine code the first time it is called with a new dtype
(just-in-time: the first call pays for the compilation), using LLVM, which also vectorises it
where it can (Lam, Pitrou and Seibert 2015). The loops are written to be read; the public
functions check their input and hand flat arrays to them.

``import nonlin`` does not import this module (importing Numba takes a moment): use
``from nonlin import kernels``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit
def _relu_loop(x, out):
    for i in range(x.size):
        v = x[i]
        out[i] = 0 if v < 0 else v  # nan < 0 is False: nan stays nan, as in torch.relu


@njit
def _relu_loop_inplace(x):
    for i in range(x.size):  # one array: no check whether two arrays overlap
        v = x[i]
        x[i] = 0 if v < 0 else v


@njit(error_model="numpy")  # 1 / (1 + e) with 1 + e >= 1: no division-by-zero check needed
def _sigmoid_loop(x, out):
    one = np.float32(1)  # a float32 constant: float32 input stays float32 (float64 stays float64)
    for i in range(x.size):
        v = x[i]
        e = math.exp(-abs(v))  # e^-|x| <= 1: never overflows
        s = one / (one + e)
        out[i] = s if v >= 0 else e * s  # 1 / (1 + e^-x), or e^x / (1 + e^x) for x < 0


@njit
def _exp_loop(x, out):
    for i in range(x.size):  # the sigmoid's exponential alone, to time it
        out[i] = math.exp(-abs(x[i]))


def _checked(x, out, name="x"):
    """x (and out, allocated if None) as C-contiguous float32 or float64 arrays of one shape."""
    if not isinstance(x, np.ndarray) or x.dtype.char not in "fd":  # float32, float64
        got = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"{name} must be a float32 or float64 numpy array, got {got}")
    if not x.flags.c_contiguous:
        raise ValueError(f"{name} must be C-contiguous (np.ascontiguousarray makes it so)")
    if out is None:
        return x, np.empty_like(x)
    if out is x:
        return x, out
    if not isinstance(out, np.ndarray) or out.dtype != x.dtype or out.shape != x.shape:
        raise TypeError(f"out must be a numpy array of x's shape {x.shape} and dtype {x.dtype}")
    if not out.flags.c_contiguous or not out.flags.writeable:
        raise ValueError("out must be C-contiguous and writeable")
    return x, out


def _flat(x):
    return x if x.ndim == 1 else x.reshape(-1)  # a view: the loops see one dimension


def relu(x, *, out=None):
    r"""ReLU as one fused loop: :math:`\max(x, 0)` per element, like ``torch.relu``
    (nan stays nan, and -0.0 stays -0.0)."""
    x, out = _checked(x, out)
    _relu_loop(_flat(x), _flat(out))
    return out


def relu_(x):
    r"""ReLU in place, :math:`x \leftarrow \max(x, 0)`, like ``torch.relu_``; returns x."""
    x, _ = _checked(x, x)
    if not x.flags.writeable:
        raise ValueError("x must be writeable")
    _relu_loop_inplace(_flat(x))
    return x


def sigmoid(x, *, out=None):
    r"""The sigmoid as one fused loop: :math:`\sigma(x) = 1 / (1 + e^{-x})`, computed from
    :math:`e = e^{-|x|}` as :math:`1 / (1 + e)` for x >= 0 and :math:`e / (1 + e)` below."""
    x, out = _checked(x, out)
    _sigmoid_loop(_flat(x), _flat(out))
    return out


def exp_neg_abs(x, *, out=None):
    r""":math:`e^{-|x|}` as one loop: the sigmoid loop's exponential alone (to time it)."""
    x, out = _checked(x, out)
    _exp_loop(_flat(x), _flat(out))
    return out
