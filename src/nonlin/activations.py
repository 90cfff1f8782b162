"""Activation functions and their derivatives for numpy arrays, matching ``torch.nn.functional``.

Every function here, and its derivative ``<name>_grad`` (same arguments), follows these rules:

* ``x`` is a real number or array of any shape. float16, float32 and float64 keep their dtype
  (float16 is computed in float32 and rounded once at the end); integers and booleans become
  float64. A 0-d input gives a numpy scalar. Anything else raises ``TypeError`` naming ``x``.
* Names, arguments, defaults and the value of a derivative at a kink follow PyTorch's
  functional API and autograd: ``relu_grad(0) == 0``, ``leaky_relu_grad(0) == negative_slope``.
* No overflow and no ``RuntimeWarning`` for any finite input; ``+-inf`` gives the mathematical
  limit (even where torch returns nan, as ``silu(-inf)``); nan gives nan (also for derivatives,
  where torch's ``relu`` backward returns 1 at nan). The only infinite results of finite
  input are true values beyond the dtype's range (``leaky_relu`` with a slope above 1 near the
  largest float), which round to +-inf as IEEE arithmetic does, quietly.
* ``out=`` takes a numpy array of the result's shape and dtype and writes the result there;
  it may be ``x`` itself.

``ACTIVATIONS`` maps each name to an :class:`Activation` record with the function, its
derivative, its default parameters and its PyTorch counterpart, so that notebooks and tests
can iterate over all of them.

Two implementations compute the same formulas. The numpy one below is the reference: a chain
of numpy operations per function. The compiled one, ``nonlin._kernels`` (``_kernels.c``),
runs each function as one fused, vectorised C loop, many times faster (chapter 7 measures
it); it is used wherever pip could build it, which needs a C compiler. :func:`backend` says
which one is in use and :func:`using_backend` switches for a ``with`` block; the tests run
both.
"""

from __future__ import annotations

import contextlib
import math
import numbers
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

import numpy as np
from scipy import special

from ._checks import finite_real_array, real_array

try:  # the fused C loops; pip leaves them out where it finds no C compiler
    from . import _kernels
except ImportError:  # pragma: no cover - depends on the machine
    _kernels = None

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "BACKENDS",
    "STREAM_BYTES",
    "backend",
    "elu",
    "elu_grad",
    "gelu",
    "gelu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "prelu",
    "prelu_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "silu",
    "silu_grad",
    "softplus",
    "softplus_grad",
    "tanh",
    "tanh_grad",
    "using_backend",
]

_FLOAT_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))

# Beyond |x| = _TAIL every exponentially small factor used below (exp(-|x|), the normal
# density, the normal tail, sigmoid(-|x|)) is exactly 0 in float32 and float64, since
# exp(-745) already underflows in float64. Clipping x there before squaring or multiplying
# by it changes no result and keeps x**2 and x * 0 free of overflow and inf * 0.
_TAIL = 800.0

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_TANH_COEF = 0.044715


# --------------------------------------------------------------------------------------------
# The two implementations
# --------------------------------------------------------------------------------------------

BACKENDS = ("compiled", "numpy")
_backend = "compiled" if _kernels is not None else "numpy"
# Outputs of this many bytes or more, given with out=, the compiled kernels write straight to
# memory with non-temporal stores, as memcpy does for large copies (None without them).
STREAM_BYTES = _kernels.STREAM_BYTES if _kernels is not None else None


def backend() -> str:
    """The implementation in use: ``"compiled"`` (``nonlin._kernels``) or ``"numpy"``."""
    return _backend


@contextlib.contextmanager
def using_backend(name: str):
    """Compute with implementation ``name`` (one of :data:`BACKENDS`) inside a ``with`` block."""
    global _backend
    if not isinstance(name, str) or name not in BACKENDS:
        raise ValueError(f"name must be one of {BACKENDS}, got {name!r}")
    if name == "compiled" and _kernels is None:
        raise RuntimeError(
            "name='compiled': nonlin._kernels was not built (pip found no C compiler when it "
            "installed nonlin); the numpy implementation is available"
        )
    previous, _backend = _backend, name
    try:
        yield
    finally:
        _backend = previous


def _compiled(name: str, x: np.ndarray, out: np.ndarray | None, *params: float) -> np.ndarray:
    """Run the C kernel ``name`` on x (float32/64, ndim >= 1) into ``out`` or a new array."""
    x = np.ascontiguousarray(x)
    target = out if out is not None and out.flags.c_contiguous else np.empty_like(x)
    _kernels.run(name, x, target, *params, stream=target is out)  # see STREAM_BYTES
    if out is not None and target is not out:
        np.copyto(out, target)
        return out
    return target


def _dispatch(kernel: Callable) -> Callable:
    """The compiled counterpart of a numpy kernel if that backend is in use, else the kernel."""
    if _backend == "compiled":
        return _COMPILED.get(kernel, kernel)
    return kernel


# --------------------------------------------------------------------------------------------
# Input checking and the common driver
# --------------------------------------------------------------------------------------------


def _as_float_array(x: Any, name: str = "x") -> np.ndarray:
    """Return ``x`` as a float16/32/64 array (integers and booleans become float64)."""
    arr = real_array(x, name)
    if arr.dtype.kind != "f":
        return arr.astype(np.float64)
    if arr.dtype not in _FLOAT_DTYPES:
        raise TypeError(f"{name} has dtype {arr.dtype}; use float16, float32 or float64")
    return arr


def _real_param(
    name: str, value: Any, *, positive: bool = False, allow_inf: bool = False
) -> float:
    """Check a scalar parameter such as ``negative_slope`` and return it as a float."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if math.isnan(value):
        raise ValueError(f"{name} must be a number, got nan")
    if math.isinf(value) and not allow_inf:
        raise ValueError(f"{name} must be finite, got {value}")
    if positive and not value > 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


def _check_out(out: Any, shape: tuple, dtype: np.dtype) -> None:
    if not isinstance(out, np.ndarray):
        raise TypeError(f"out must be a numpy array, got {type(out).__name__}")
    if out.shape != shape:
        raise ValueError(f"out has shape {out.shape}, but the result has shape {shape}")
    if out.dtype != dtype:
        raise TypeError(f"out has dtype {out.dtype}, but the result has dtype {dtype}")
    if not out.flags.writeable:
        raise ValueError("out is read-only")


def _apply(kernel: Callable, x: Any, out: np.ndarray | None, *params: Any) -> Any:
    """Validate ``x`` and ``out``, run ``kernel(x, out, *params)`` and shape the result.

    A kernel receives a float32 or float64 array with at least one dimension and either
    ``out=None`` (allocate) or an array of the same shape and dtype that does not overlap
    ``x``. It returns the result array.
    """
    kernel = _dispatch(kernel)
    arr = _as_float_array(x)
    dtype = arr.dtype
    if out is not None:
        _check_out(out, arr.shape, dtype)
    work = arr.astype(np.float32) if dtype == np.float16 else arr
    work_1d = work.reshape(1) if work.ndim == 0 else work
    direct = out is not None and dtype != np.float16 and not np.may_share_memory(out, arr)
    if direct:
        kernel(work_1d, out.reshape(1) if out.ndim == 0 else out, *params)
        return out
    result = kernel(work_1d, None, *params).reshape(arr.shape)
    if result.dtype != dtype:
        with np.errstate(over="ignore"):  # beyond float16's range: +-inf, as IEEE rounds
            result = result.astype(dtype)
    if out is not None:
        np.copyto(out, result)
        return out
    return result[()] if result.ndim == 0 else result


def _exp_neg_abs(x: np.ndarray) -> np.ndarray:
    """exp(-|x|), which lies in [0, 1] and never overflows."""
    e = np.abs(x)
    np.negative(e, out=e)
    return np.exp(e, out=e)


def _logistic_slope(e: np.ndarray) -> np.ndarray:
    """sigmoid(z) * sigmoid(-z) = e / (1 + e)**2 with e = exp(-|z|), written into ``e``."""
    denom = e + 1.0
    np.square(denom, out=denom)
    return np.divide(e, denom, out=e)


def _sigmoid_into(z: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    """1 / (1 + exp(-z)) in the two-branch form that never overflows."""
    e = _exp_neg_abs(z)
    numerator = np.where(z >= 0, z.dtype.type(1), e)  # nan >= 0 is False: nan flows through e
    e += 1.0
    return np.divide(numerator, e, out=out)


# --------------------------------------------------------------------------------------------
# Kernels: x is float32/float64 with ndim >= 1; out is None or a non-overlapping array.
# --------------------------------------------------------------------------------------------


def _sigmoid(x, out):
    return _sigmoid_into(x, out)


def _sigmoid_grad(x, out):
    # sigma'(x) = sigma(x) sigma(-x); the form e/(1+e)^2 keeps full relative accuracy in the
    # tails, where sigma(x) * (1 - sigma(x)) loses it to cancellation.
    result = _logistic_slope(_exp_neg_abs(x))
    if out is None:
        return result
    np.copyto(out, result)
    return out


def _tanh(x, out):
    return np.tanh(x, out=out)


def _tanh_grad(x, out):
    # sech^2(x) = 4 e / (1 + e)^2 with e = exp(-2|x|); 1 - tanh^2 would cancel in the tails.
    a = np.minimum(np.abs(x), _TAIL)  # nan stays nan; 2|x| cannot overflow
    a *= -2.0
    e = np.exp(a, out=a)
    result = _logistic_slope(e)
    result *= 4.0
    if out is None:
        return result
    np.copyto(out, result)
    return out


def _relu(x, out):
    return np.maximum(x, 0, out=out)  # np.maximum propagates nan


def _relu_grad(x, out):
    # sign(x) is -1, 0, 1 or nan; clipping at 0 gives 1 for x > 0, 0 for x <= 0 (torch's choice
    # at 0, also for -0.0) and nan for nan. Two vectorised passes (np.heaviside is not).
    result = np.sign(x, out=out)
    return np.maximum(result, 0, out=result)


def _leaky_relu(x, out, slope):
    if slope == 0.0:
        return _relu(x, out)  # avoids 0 * -inf
    # x > 0 ? x : slope * x, written as one max (slope <= 1) or min (slope > 1) so that nan
    # and +-inf come out right without a mask.
    with np.errstate(over="ignore"):  # |slope| > 1 near the largest float: +-inf, as IEEE rounds
        scaled = np.multiply(x, slope, out=out)
    combine = np.maximum if slope <= 1.0 else np.minimum
    return combine(scaled, x, out=scaled)


def _leaky_relu_grad(x, out, slope):
    result = _relu_grad(x, out)  # 1, 0 or nan
    if 0.0 <= slope <= 1.0:  # max(1, a) = 1, max(0, a) = a, max(nan, a) = nan: exact, one pass
        return np.maximum(result, result.dtype.type(slope), out=result)
    np.copyto(result, np.where(result == 0, result.dtype.type(slope), result))  # nan stays nan
    return result


def _prelu(x, out, weight):
    if weight.ndim == 0:
        return _dispatch(_leaky_relu)(x, out, float(weight))
    # 0 * -inf for a channel whose slope is 0 is fixed next; |weight| > 1 may round to +-inf.
    with np.errstate(invalid="ignore", over="ignore"):
        negative = np.multiply(x, weight)
    np.copyto(negative, 0, where=np.isneginf(x) & (weight == 0))
    np.copyto(negative, x, where=x > 0)
    if out is None:
        return negative
    np.copyto(out, negative)
    return out


def _prelu_grad(x, out, weight):
    if weight.ndim == 0:
        return _dispatch(_leaky_relu_grad)(x, out, float(weight))
    result = _relu_grad(x, out)  # 1, 0 or nan
    np.copyto(result, np.where(result == 0, weight.astype(x.dtype), result))  # nan stays nan
    return result


def _elu(x, out, alpha):
    result = np.minimum(x, 0, out=out)  # exp of a positive x is never taken
    np.expm1(result, out=result)
    result *= alpha
    np.copyto(result, x, where=x > 0)
    return result


def _elu_grad(x, out, alpha):
    # torch differentiates the negative branch at x = 0 too: elu_grad(0) == alpha.
    result = np.minimum(x, 0, out=out)
    np.exp(result, out=result)
    result *= alpha
    np.copyto(result, 1, where=x > 0)
    return result


def _scaled(x, beta):
    if beta == 1.0:
        return x
    with np.errstate(over="ignore"):  # beta * x beyond the float range saturates to +-inf
        return np.multiply(x, beta)


def _softplus(x, out, beta, threshold):
    bx = _scaled(x, beta)
    # log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|)): no overflow for any z.
    result = _exp_neg_abs(bx)
    np.log1p(result, out=result)
    result += np.maximum(bx, 0)
    if beta != 1.0:
        with np.errstate(over="ignore"):  # a result beyond the float range is inf
            result /= beta
    np.copyto(result, x, where=bx > threshold)  # torch's switch to the identity
    if out is None:
        return result
    np.copyto(out, result)
    return out


def _softplus_grad(x, out, beta, threshold):
    bx = _scaled(x, beta)
    result = _sigmoid_into(bx, out)
    np.copyto(result, 1, where=bx > threshold)
    return result


def _gelu_tanh_inner(x_clipped):
    """2u with u = sqrt(2/pi) (x + 0.044715 x^3), for the tanh approximation."""
    u = np.square(x_clipped)
    u *= _GELU_TANH_COEF
    u += 1.0
    u *= x_clipped
    u *= 2.0 * _SQRT_2_OVER_PI
    return u


def _gelu(x, out, approximate):
    # x * Phi(x): for x < -_TAIL, Phi(x) is exactly 0, so max(x, -_TAIL) gives the same
    # product and turns -inf * 0 into 0.
    if approximate == "none":
        cdf = special.ndtr(x)
    else:  # 0.5 (1 + tanh(u)) = sigmoid(2u)
        cdf = _sigmoid_into(_gelu_tanh_inner(np.clip(x, -_TAIL, _TAIL)), None)
    return np.multiply(np.maximum(x, -_TAIL), cdf, out=out)


def _gelu_grad(x, out, approximate):
    xc = np.clip(x, -_TAIL, _TAIL)
    if approximate == "none":
        # Phi(x) + x phi(x)
        density = np.square(xc)
        density *= -0.5
        np.exp(density, out=density)
        density *= _INV_SQRT_2PI
        density *= xc
        return np.add(special.ndtr(x), density, out=out)
    # d/dx [x sigmoid(2u)] = sigmoid(2u) + x * 2u'(x) * sigmoid(2u) sigmoid(-2u)
    two_u = _gelu_tanh_inner(xc)
    cdf = _sigmoid_into(two_u, None)
    slope = _logistic_slope(_exp_neg_abs(two_u))
    d_two_u = np.square(xc)
    d_two_u *= 3.0 * _GELU_TANH_COEF
    d_two_u += 1.0
    d_two_u *= 2.0 * _SQRT_2_OVER_PI
    slope *= d_two_u
    slope *= xc
    return np.add(cdf, slope, out=out)


def _silu(x, out):
    return np.multiply(np.maximum(x, -_TAIL), _sigmoid_into(x, None), out=out)


def _silu_grad(x, out):
    # sigma(x) + x sigma(x) sigma(-x)
    slope = _logistic_slope(_exp_neg_abs(x))
    slope *= np.clip(x, -_TAIL, _TAIL)
    return np.add(_sigmoid_into(x, None), slope, out=out)


# The compiled kernels, by the numpy kernel they replace. tanh has none: numpy's own tanh is
# already one vectorised pass. PReLU with one weight per channel stays with numpy.
_COMPILED: dict[Callable, Callable] = {
    _sigmoid: lambda x, out: _compiled("sigmoid", x, out),
    _sigmoid_grad: lambda x, out: _compiled("sigmoid_grad", x, out),
    _tanh_grad: lambda x, out: _compiled("tanh_grad", x, out),
    _relu: lambda x, out: _compiled("relu", x, out),
    _relu_grad: lambda x, out: _compiled("relu_grad", x, out),
    _leaky_relu: lambda x, out, slope: _compiled("leaky_relu", x, out, slope),
    _leaky_relu_grad: lambda x, out, slope: _compiled("leaky_relu_grad", x, out, slope),
    _elu: lambda x, out, alpha: _compiled("elu", x, out, alpha),
    _elu_grad: lambda x, out, alpha: _compiled("elu_grad", x, out, alpha),
    _softplus: lambda x, out, beta, threshold: _compiled("softplus", x, out, beta, threshold),
    _softplus_grad: lambda x, out, beta, threshold: _compiled(
        "softplus_grad", x, out, beta, threshold),
    _gelu: lambda x, out, approximate: _compiled(
        "gelu" if approximate == "none" else "gelu_tanh", x, out),
    _gelu_grad: lambda x, out, approximate: _compiled(
        "gelu_grad" if approximate == "none" else "gelu_tanh_grad", x, out),
    _silu: lambda x, out: _compiled("silu", x, out),
    _silu_grad: lambda x, out: _compiled("silu_grad", x, out),
}


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


def sigmoid(x, *, out=None):
    """Logistic sigmoid 1 / (1 + exp(-x)), as ``torch.sigmoid``."""
    return _apply(_sigmoid, x, out)


def sigmoid_grad(x, *, out=None):
    """Derivative of :func:`sigmoid`: sigmoid(x) * (1 - sigmoid(x)), at most 1/4."""
    return _apply(_sigmoid_grad, x, out)


def tanh(x, *, out=None):
    """Hyperbolic tangent, as ``torch.tanh``."""
    return _apply(_tanh, x, out)


def tanh_grad(x, *, out=None):
    """Derivative of :func:`tanh`: 1 - tanh(x)**2 = sech(x)**2."""
    return _apply(_tanh_grad, x, out)


def relu(x, *, out=None):
    """Rectified linear unit max(x, 0), as ``torch.nn.functional.relu``."""
    return _apply(_relu, x, out)


def relu_grad(x, *, out=None):
    """Derivative of :func:`relu`: 1 for x > 0, else 0 (0 at x = 0, as torch's autograd)."""
    return _apply(_relu_grad, x, out)


def leaky_relu(x, negative_slope=0.01, *, out=None):
    """x for x > 0, else negative_slope * x, as ``torch.nn.functional.leaky_relu``."""
    slope = _real_param("negative_slope", negative_slope)
    return _apply(_leaky_relu, x, out, slope)


def leaky_relu_grad(x, negative_slope=0.01, *, out=None):
    """Derivative of :func:`leaky_relu`: 1 for x > 0, else negative_slope (also at 0)."""
    slope = _real_param("negative_slope", negative_slope)
    return _apply(_leaky_relu_grad, x, out, slope)


def _prelu_weight(x, weight) -> np.ndarray:
    """Check ``weight`` against ``x`` and shape it to broadcast over x's channel axis 1."""
    w = finite_real_array(weight, "weight")
    if w.ndim > 1:
        raise ValueError(f"weight must be a scalar or 1-d array, got shape {w.shape}")
    if w.size == 1:
        return w.reshape(())
    x_shape = np.shape(x)
    if len(x_shape) < 2:
        raise ValueError(
            f"weight has {w.size} entries but x has no channel axis (x.ndim < 2); "
            "use one weight, as torch.nn.functional.prelu requires"
        )
    if w.size != x_shape[1]:
        raise ValueError(
            f"weight has {w.size} entries but x has {x_shape[1]} channels (axis 1)"
        )
    return w.reshape((w.size,) + (1,) * (len(x_shape) - 2))


def prelu(x, weight, *, out=None):
    """x for x > 0, else weight * x, with one weight or one per channel (axis 1).

    As ``torch.nn.functional.prelu``; in ``torch.nn.PReLU`` the weight is learned.
    """
    slope = _one_weight(weight)
    if slope is not None:
        return _apply(_leaky_relu, x, out, slope)
    arr = _as_float_array(x)
    return _apply(_prelu, arr, out, _prelu_weight(arr, weight).astype(_work_dtype(arr)))


def prelu_grad(x, weight, *, out=None):
    """Derivative of :func:`prelu` with respect to x: 1 for x > 0, else the weight."""
    slope = _one_weight(weight)
    if slope is not None:
        return _apply(_leaky_relu_grad, x, out, slope)
    arr = _as_float_array(x)
    return _apply(_prelu_grad, arr, out, _prelu_weight(arr, weight).astype(_work_dtype(arr)))


def _one_weight(weight) -> float | None:
    """A weight given as a Python float, checked: PReLU is then Leaky ReLU with that slope,
    with no array checks to pay for. None for anything else, which ``_prelu_weight`` checks."""
    if not isinstance(weight, float):
        return None
    if not math.isfinite(weight):
        raise ValueError("weight must be finite (no nan or inf)")
    return weight


def _work_dtype(arr: np.ndarray) -> np.dtype:
    return np.dtype(np.float32) if arr.dtype == np.float16 else arr.dtype


def elu(x, alpha=1.0, *, out=None):
    """x for x > 0, else alpha * (exp(x) - 1), as ``torch.nn.functional.elu``."""
    return _apply(_elu, x, out, _real_param("alpha", alpha))


def elu_grad(x, alpha=1.0, *, out=None):
    """Derivative of :func:`elu`: 1 for x > 0, else alpha * exp(x) (alpha at x = 0, as torch)."""
    return _apply(_elu_grad, x, out, _real_param("alpha", alpha))


def softplus(x, beta=1.0, threshold=20.0, *, out=None):
    """log(1 + exp(beta x)) / beta, and x where beta x > threshold, as torch's ``softplus``."""
    beta = _real_param("beta", beta, positive=True)
    threshold = _real_param("threshold", threshold, allow_inf=True)
    return _apply(_softplus, x, out, beta, threshold)


def softplus_grad(x, beta=1.0, threshold=20.0, *, out=None):
    """Derivative of :func:`softplus`: sigmoid(beta x), and 1 where beta x > threshold."""
    beta = _real_param("beta", beta, positive=True)
    threshold = _real_param("threshold", threshold, allow_inf=True)
    return _apply(_softplus_grad, x, out, beta, threshold)


def _check_approximate(approximate) -> str:
    if not isinstance(approximate, str):
        raise TypeError(f"approximate must be 'none' or 'tanh', got {type(approximate).__name__}")
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")
    return approximate


def gelu(x, approximate="none", *, out=None):
    """Gaussian error linear unit x * Phi(x), or its tanh approximation, as torch's ``gelu``."""
    return _apply(_gelu, x, out, _check_approximate(approximate))


def gelu_grad(x, approximate="none", *, out=None):
    """Derivative of :func:`gelu`: Phi(x) + x phi(x) (or that of the tanh approximation)."""
    return _apply(_gelu_grad, x, out, _check_approximate(approximate))


def silu(x, *, out=None):
    """Sigmoid linear unit (swish) x * sigmoid(x), as ``torch.nn.functional.silu``."""
    return _apply(_silu, x, out)


def silu_grad(x, *, out=None):
    """Derivative of :func:`silu`: sigmoid(x) * (1 + x * (1 - sigmoid(x)))."""
    return _apply(_silu_grad, x, out)


# --------------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    """One activation: its numpy function and derivative and its PyTorch counterparts.

    ``params`` holds the keyword arguments beyond ``x`` with their defaults (PReLU's weight
    has no default in torch's functional form; 0.25 is ``torch.nn.PReLU``'s initial value).
    """

    name: str
    function: Callable
    derivative: Callable
    torch_function: str  # dotted path, e.g. "torch.nn.functional.relu"
    torch_module: str  # class in torch.nn, e.g. "ReLU"
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __call__(self, x, **params):
        return self.function(x, **{**self.params, **params})

    def grad(self, x, **params):
        """The derivative at ``x``, with the default parameters unless given."""
        return self.derivative(x, **{**self.params, **params})

    def torch_callable(self, **params) -> Callable:
        """Torch's functional form as a function of one tensor, with the default parameters
        unless given (PReLU's weight becomes a tensor of the input's dtype, as F.prelu wants)."""
        import importlib

        import torch

        module_name, _, attr = self.torch_function.rpartition(".")
        fn = getattr(importlib.import_module(module_name), attr)
        kwargs = {**self.params, **params}
        if "weight" in kwargs:
            weight = np.atleast_1d(kwargs.pop("weight"))
            return lambda t: fn(t, torch.tensor(weight, dtype=t.dtype), **kwargs)
        return lambda t: fn(t, **kwargs)

    def torch_value_and_grad(self, x, **params) -> tuple[np.ndarray, np.ndarray]:
        """Torch's value and autograd derivative at ``x`` (a numpy array), as numpy arrays."""
        import torch

        t = torch.tensor(np.asarray(x), requires_grad=True)
        y = self.torch_callable(**params)(t)
        y.backward(torch.ones_like(y))
        return y.detach().numpy(), t.grad.numpy()


ACTIVATIONS: Mapping[str, Activation] = MappingProxyType(
    {
        a.name: a
        for a in [
            Activation("sigmoid", sigmoid, sigmoid_grad, "torch.sigmoid", "Sigmoid"),
            Activation("tanh", tanh, tanh_grad, "torch.tanh", "Tanh"),
            Activation("relu", relu, relu_grad, "torch.nn.functional.relu", "ReLU"),
            Activation(
                "leaky_relu", leaky_relu, leaky_relu_grad,
                "torch.nn.functional.leaky_relu", "LeakyReLU", {"negative_slope": 0.01},
            ),
            Activation(
                "prelu", prelu, prelu_grad, "torch.nn.functional.prelu", "PReLU",
                {"weight": 0.25},
            ),
            Activation("elu", elu, elu_grad, "torch.nn.functional.elu", "ELU", {"alpha": 1.0}),
            Activation(
                "softplus", softplus, softplus_grad, "torch.nn.functional.softplus", "Softplus",
                {"beta": 1.0, "threshold": 20.0},
            ),
            Activation(
                "gelu", gelu, gelu_grad, "torch.nn.functional.gelu", "GELU",
                {"approximate": "none"},
            ),
            Activation("silu", silu, silu_grad, "torch.nn.functional.silu", "SiLU"),
        ]
    }
)
