r"""Activation functions and their derivatives for numpy arrays, matching ``torch.nn.functional``.

Each activation ``f(x, ...)`` has a derivative ``f_grad(x, ...)`` with the same arguments.
Both are written the way the chapters derive them, so that the stable forms can be read
here: the sigmoid through :math:`e^{-|x|}`, which never overflows; ELU through ``expm1``;
softplus through ``log1p``; derivatives in forms that do not cancel in the tails.

Rules every function follows:

* ``x`` is a real number or array of any shape. float16, float32 and float64 keep their
  dtype; integers and booleans become float64. float16 is computed in float32 and rounded
  once at the end, so it is within 0.55 float16 ulp of the true value (torch computes some
  float16 results less accurately: PReLU in float16, the sigmoid's derivative from its
  rounded float16 output). A 0-d input gives a numpy scalar. Anything else raises
  ``TypeError`` naming ``x``.
* Parameters (``negative_slope``, ``alpha``, ...) are rounded to the dtype the computation
  runs in; one that does not fit (1e39 or 1e-50 for float32) raises ``ValueError``. (torch
  refuses the first and silently turns the second into 0.)
* ``out``, if given, is a numpy array of the result's shape and dtype; the result is written
  there and ``out`` is returned. It may be ``x`` itself (in native byte order).
* Names, arguments, defaults and the value of a derivative at a kink follow PyTorch's
  functional API and autograd: ``relu_grad(0) == 0``, ``leaky_relu_grad(0) == negative_slope``.
* No overflow and no ``RuntimeWarning`` for any finite input; ``+-inf`` gives the
  mathematical limit (even where torch returns nan, as for ``silu(-inf)``); nan gives nan
  (also for derivatives, where torch's ``relu`` backward returns 1 at nan). The only
  infinite results of finite input are true values beyond the dtype's range, which round
  to +-inf as IEEE arithmetic does: ``leaky_relu`` and ``prelu`` with a slope above 1 in size
  near the largest float, ``softplus`` with a ``beta`` so small that log(2)/beta is beyond it,
  and, for float16 input, any result or derivative beyond 65504 (``elu`` with ``alpha=1e6``).

``ACTIVATIONS`` maps each name to an :class:`Activation` record with the function, its
derivative, its default parameters and its PyTorch counterpart, so that notebooks and tests
can iterate over all of them.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

import numpy as np
from scipy import special

from ._checks import finite_real_array, one_of, positive_number, real_array, real_number

__all__ = [
    "ACTIVATIONS", "Activation",
    "sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad",
    "leaky_relu", "leaky_relu_grad", "prelu", "prelu_grad", "elu", "elu_grad",
    "softplus", "softplus_grad", "gelu", "gelu_grad", "silu", "silu_grad",
]

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_TANH_COEF = 0.044715

# GELU and SiLU multiply x by a factor that vanishes faster than 1/|x| as x -> -inf (the
# normal CDF, the sigmoid); their derivatives multiply x by one that vanishes on both sides
# (the normal density, sigmoid(x) sigmoid(-x)). Beyond |x| = _TAIL that factor is exactly 0
# in float32 and float64 (exp(-746) is 0 in float64), so replacing x by a number clipped
# to [-_TAIL, _TAIL] changes no product, and keeps x**2 finite and -inf * 0 from being nan.
_TAIL = 800.0


# --------------------------------------------------------------------------------------------
# The formulas. Each takes x as a float32 or float64 array and returns a new array.
# --------------------------------------------------------------------------------------------


def _sigmoid(x):
    # 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) for x < 0: both are e / (1 + e) or
    # 1 / (1 + e) with e = e^-|x| <= 1, so nothing overflows. (nan >= 0 is False: nan
    # passes through e.)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1, e) / (1 + e)


def _sigmoid_grad(x):
    # sigma(x) sigma(-x) = e / (1 + e)^2 with e = e^-|x|; sigma (1 - sigma) would cancel to 0
    # for large x, where 1 - sigma rounds to 0.
    e = np.exp(-np.abs(x))
    return e / ((1 + e) * (1 + e))


def _tanh(x):
    return np.tanh(x)


def _tanh_grad(x):
    # sech^2(x) = 4 e / (1 + e)^2 with e = e^-2|x| = (e^-|x|)^2; 1 - tanh^2 would cancel.
    e = np.exp(-np.abs(x))
    e = e * e  # products, not ** 2: numpy squares a lone scalar with pow, another last bit
    return 4 * e / ((1 + e) * (1 + e))


def _relu(x):
    return np.maximum(x, 0)  # np.maximum propagates nan


def _step(x, negative_slope):
    """1 for x > 0, ``negative_slope`` for x <= 0, nan for nan: the ReLU family's derivative."""
    return np.where(x > 0, 1, np.where(np.isnan(x), x, negative_slope))


def _leaky(x, negative_slope):
    """x for x > 0, else negative_slope * x (a number, or an array broadcasting with x)."""
    # A slope above 1 in size may carry slope * x past the largest float: +-inf, as IEEE
    # rounds. A slope of 0 makes 0 * -inf = nan, where the limit is 0: set below.
    with np.errstate(over="ignore", invalid="ignore"):
        negative = negative_slope * x
    negative = np.where(np.isneginf(x) & (negative_slope == 0), 0, negative)
    return np.where(x > 0, x, negative)


def _elu(x, alpha):
    # exp is taken of min(x, 0) only, so it never overflows; expm1 keeps e^x - 1 accurate
    # near 0, where e^x - 1 would cancel.
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def _elu_grad(x, alpha):
    return np.where(x > 0, 1, alpha * np.exp(np.minimum(x, 0)))


def _softplus(x, beta, threshold):
    # log(1 + e^z) / beta with z = beta x, written max(z, 0) / beta + log1p(e^-|z|) / beta:
    # e^-|z| <= 1 never overflows and log1p keeps log(1 + e) accurate for tiny e.
    with np.errstate(over="ignore"):  # beta x beyond the float range is +-inf: e^-|z| = 0;
        z = beta * x  # and for a tiny beta, log(2) / beta beyond it is +inf, as IEEE rounds
        smooth = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(z))) / beta
    return np.where(z > threshold, x, smooth)  # torch returns x itself above the threshold


def _softplus_grad(x, beta, threshold):
    with np.errstate(over="ignore"):
        z = beta * x
    return np.where(z > threshold, 1, _sigmoid(z))


def _gelu_tanh_u(x_clipped):
    """u = sqrt(2/pi) (x + 0.044715 x^3); the tanh form of Phi(x) is 0.5 (1 + tanh u) = sigmoid(2u)."""
    return _SQRT_2_OVER_PI * (x_clipped + _GELU_TANH_COEF * x_clipped**3)


def _normal_cdf(x):
    """Phi(x), the standard normal CDF, accurate also where it is tiny.

    scipy's ``ndtr`` loses accuracy in the left tail, where the condition number of Phi is
    about x^2 (against mpmath: 12 ulps off at x = -5, 38 at -10, 224 at -20, 786 at -29.9),
    and it rounds to 0 below x = -37.7, where x phi(x) in GELU's derivative is still a
    normal float. Below x = -30 it is therefore computed as
    erfc(-x / sqrt 2) / 2 = erfcx(-x / sqrt 2) e^(-x^2/2) / 2, with the scaled
    erfcx(z) = e^(z^2) erfc(z), which never underflows.
    """
    tail_x = np.clip(x, -_TAIL, -30)  # see _TAIL
    tail = 0.5 * special.erfcx(-tail_x / math.sqrt(2)) * np.exp(-0.5 * tail_x**2)
    return np.where(x < -30, tail, special.ndtr(x))


def _gelu(x, approximate):
    if approximate == "none":
        cdf = _normal_cdf(x)
    else:
        cdf = _sigmoid(2 * _gelu_tanh_u(np.clip(x, -_TAIL, _TAIL)))
    return np.maximum(x, -_TAIL) * cdf  # x Phi(x); see _TAIL


def _gelu_grad(x, approximate):
    xc = np.clip(x, -_TAIL, _TAIL)  # see _TAIL
    if approximate == "none":
        density = _INV_SQRT_2PI * np.exp(-0.5 * xc**2)  # phi(x)
        return _normal_cdf(x) + xc * density  # Phi(x) + x phi(x)
    # d/dx [x sigmoid(2u)] = sigmoid(2u) + x 2u'(x) sigmoid'(2u)
    u = _gelu_tanh_u(xc)
    du = _SQRT_2_OVER_PI * (1 + 3 * _GELU_TANH_COEF * xc**2)
    return _sigmoid(2 * u) + xc * 2 * du * _sigmoid_grad(2 * u)


def _silu(x):
    return np.maximum(x, -_TAIL) * _sigmoid(x)  # x sigma(x); see _TAIL


def _silu_grad(x):
    return _sigmoid(x) + np.clip(x, -_TAIL, _TAIL) * _sigmoid_grad(x)  # sigma + x sigma'


# --------------------------------------------------------------------------------------------
# Checking x and out, and applying a formula
# --------------------------------------------------------------------------------------------

_FLOAT_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


def _as_float_array(x: Any) -> np.ndarray:
    """``x`` as a float16/32/64 array (integers and booleans become float64)."""
    arr = real_array(x, "x")
    if arr.dtype.kind != "f":
        return arr.astype(np.float64)
    if not arr.dtype.isnative:  # big-endian data on a little-endian machine, or the reverse
        arr = arr.astype(arr.dtype.newbyteorder("="))
    if arr.dtype not in _FLOAT_DTYPES:
        raise TypeError(f"x has dtype {arr.dtype}; use float16, float32 or float64")
    return arr


def _compute_dtype(arr: np.ndarray) -> np.dtype:
    """float16 is computed in float32 (and rounded once at the end), others in their own."""
    return np.dtype(np.float32) if arr.dtype == np.float16 else arr.dtype


def _in_dtype(value: float, name: str, dtype: np.dtype):
    """A checked parameter rounded to ``dtype``, or a ValueError if it does not fit there."""
    with np.errstate(over="ignore"):
        rounded = dtype.type(value)
    if (np.isinf(rounded) and math.isfinite(value)) or (rounded == 0 and value != 0):
        raise ValueError(f"{name}={value} does not fit in {dtype.name}, the dtype x is computed in")
    return rounded


def _apply(formula: Callable, x: Any, out: np.ndarray | None, **params: Any) -> Any:
    """``formula(x, **params)`` for a checked ``x``, in x's float dtype, into ``out`` if given.

    Number parameters are rounded to the dtype of the computation first (see ``_in_dtype``).
    """
    arr = _as_float_array(x)
    if out is not None:
        if not isinstance(out, np.ndarray):
            raise TypeError(f"out must be a numpy array, got {type(out).__name__}")
        if out.shape != arr.shape:
            raise ValueError(f"out has shape {out.shape}, but the result has shape {arr.shape}")
        if out.dtype != arr.dtype:
            raise TypeError(f"out has dtype {out.dtype}, but the result has dtype {arr.dtype}")
        if not out.flags.writeable:
            raise ValueError("out is read-only")
    dtype = _compute_dtype(arr)
    params = {name: _in_dtype(v, name, dtype) if isinstance(v, float) else v
              for name, v in params.items()}
    result = np.asarray(formula(arr.astype(dtype, copy=False), **params))
    with np.errstate(over="ignore"):  # beyond float16's range: +-inf, as IEEE rounds
        result = result.astype(arr.dtype, copy=False)
    if out is not None:
        np.copyto(out, result)
        return out
    return result[()] if result.ndim == 0 else result


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


def sigmoid(x, *, out=None):
    r"""Apply the logistic sigmoid element-wise, as ``torch.sigmoid``.

    .. math:: \sigma(x) = \frac{1}{1 + e^{-x}}

    Limits: :math:`\sigma(-\infty) = 0`, :math:`\sigma(\infty) = 1`. No overflow for any x.
    """
    return _apply(_sigmoid, x, out)


def sigmoid_grad(x, *, out=None):
    r"""The derivative of :func:`sigmoid`, at most 1/4 (at x = 0).

    .. math:: \sigma'(x) = \sigma(x)\,(1 - \sigma(x)) = \sigma(x)\,\sigma(-x)
    """
    return _apply(_sigmoid_grad, x, out)


def tanh(x, *, out=None):
    r"""Apply the hyperbolic tangent element-wise, as ``torch.tanh``.

    .. math:: \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1
    """
    return _apply(_tanh, x, out)


def tanh_grad(x, *, out=None):
    r"""The derivative of :func:`tanh`, at most 1 (at x = 0).

    .. math:: \tanh'(x) = 1 - \tanh^2(x) = \operatorname{sech}^2(x)
    """
    return _apply(_tanh_grad, x, out)


def relu(x, *, out=None):
    r"""Apply the rectified linear unit element-wise, as ``torch.nn.functional.relu``.

    .. math:: \mathrm{ReLU}(x) = \max(x, 0)
    """
    return _apply(_relu, x, out)


def relu_grad(x, *, out=None):
    r"""The derivative of :func:`relu`, with PyTorch's value 0 at the kink x = 0.

    .. math:: \mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}
    """
    return _apply(_step, x, out, negative_slope=0.0)


def leaky_relu(x, negative_slope=0.01, *, out=None):
    r"""Apply the leaky ReLU element-wise, as ``torch.nn.functional.leaky_relu``.

    .. math::
        \mathrm{LeakyReLU}(x) = \begin{cases} x & x > 0 \\
        \text{negative\_slope} \cdot x & x \le 0 \end{cases}

    Args:
        negative_slope: the slope for x <= 0, a finite number. Default: 0.01.

    With a slope of 0 it is the ReLU, also at x = -inf (0, where torch gives nan).
    """
    return _apply(_leaky, x, out, negative_slope=real_number(negative_slope, "negative_slope"))


def leaky_relu_grad(x, negative_slope=0.01, *, out=None):
    r"""The derivative of :func:`leaky_relu`: 1 for x > 0, ``negative_slope`` for x <= 0
    (also at x = 0, as torch's autograd)."""
    return _apply(_step, x, out, negative_slope=real_number(negative_slope, "negative_slope"))


def prelu(x, weight, *, out=None):
    r"""Apply the parametric ReLU element-wise, as ``torch.nn.functional.prelu``.

    .. math:: \mathrm{PReLU}(x) = \begin{cases} x & x > 0 \\ a \cdot x & x \le 0 \end{cases}

    He et al. (2015); in ``torch.nn.PReLU`` the slope :math:`a` is learned, starting at 0.25.

    Args:
        weight: the slope :math:`a`: one finite number for every element, or a 1-d array
            with one slope per channel, the channels being axis 1 of x (as in torch).
    """
    arr = _as_float_array(x)
    return _apply(_leaky, arr, out, negative_slope=_prelu_weight(arr, weight))


def prelu_grad(x, weight, *, out=None):
    r"""The derivative of :func:`prelu` with respect to x: 1 for x > 0, the weight for x <= 0."""
    arr = _as_float_array(x)
    return _apply(_step, arr, out, negative_slope=_prelu_weight(arr, weight))


def _prelu_weight(x: np.ndarray, weight) -> np.ndarray:
    """Check ``weight`` against ``x``: one slope, or one per channel shaped to broadcast over
    x's axis 1; rounded to the dtype x is computed in."""
    w = real_array(weight, "weight")
    if w.dtype.kind == "b":  # True would pass as a slope of 1
        raise TypeError("weight must be a real number or array, got bool")
    w = finite_real_array(w, "weight")
    if w.ndim > 1:
        raise ValueError(f"weight must be a scalar or 1-d array, got shape {w.shape}")
    dtype = _compute_dtype(x)
    for value in w.ravel():
        _in_dtype(float(value), "weight", dtype)
    if w.size == 1:
        return w.reshape(()).astype(dtype)
    if x.ndim < 2:
        raise ValueError(f"weight has {w.size} entries but x has no channel axis (x.ndim < 2); "
                         "use one weight, as torch.nn.functional.prelu requires")
    if w.size != x.shape[1]:
        raise ValueError(f"weight has {w.size} entries but x has {x.shape[1]} channels (axis 1)")
    return w.reshape((w.size,) + (1,) * (x.ndim - 2)).astype(dtype)


def elu(x, alpha=1.0, *, out=None):
    r"""Apply the exponential linear unit element-wise, as ``torch.nn.functional.elu``.

    .. math:: \mathrm{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}

    Clevert et al. (2016).

    Args:
        alpha: the value approached as x -> -inf is :math:`-\alpha`. Default: 1.0.
    """
    return _apply(_elu, x, out, alpha=real_number(alpha, "alpha"))


def elu_grad(x, alpha=1.0, *, out=None):
    r"""The derivative of :func:`elu`: 1 for x > 0, :math:`\alpha e^{x}` for x <= 0 (so
    :math:`\alpha` at x = 0, as torch's autograd)."""
    return _apply(_elu_grad, x, out, alpha=real_number(alpha, "alpha"))


def softplus(x, beta=1.0, threshold=20.0, *, out=None):
    r"""Apply softplus, a smooth ReLU, element-wise, as ``torch.nn.functional.softplus``.

    .. math::
        \mathrm{Softplus}(x) = \begin{cases} \frac{1}{\beta} \log(1 + e^{\beta x})
        & \beta x \le \text{threshold} \\ x & \beta x > \text{threshold} \end{cases}

    Args:
        beta: a positive number; larger values bend closer to the ReLU. Default: 1.0.
        threshold: above it (in units of :math:`\beta x`) torch returns x itself, which
            differs from the formula by less than :math:`e^{-\text{threshold}}/\beta`.
            May be inf. Default: 20.0.
    """
    return _apply(_softplus, x, out, beta=positive_number(beta, "beta"),
                  threshold=real_number(threshold, "threshold", allow_inf=True))


def softplus_grad(x, beta=1.0, threshold=20.0, *, out=None):
    r"""The derivative of :func:`softplus`: :math:`\sigma(\beta x)`, and 1 where
    :math:`\beta x > \text{threshold}`."""
    return _apply(_softplus_grad, x, out, beta=positive_number(beta, "beta"),
                  threshold=real_number(threshold, "threshold", allow_inf=True))


def gelu(x, approximate="none", *, out=None):
    r"""Apply the Gaussian error linear unit element-wise, as ``torch.nn.functional.gelu``.

    .. math::
        \mathrm{GELU}(x) = x\,\Phi(x), \qquad \Phi(x) = \tfrac12\left(1 +
        \operatorname{erf}(x/\sqrt2)\right)

    Hendrycks and Gimpel (2016). With ``approximate="tanh"``, :math:`\Phi(x)` is replaced by
    :math:`\tfrac12\left(1 + \tanh\left(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\right)\right)`.

    Args:
        approximate: ``"none"`` (the exact form) or ``"tanh"``. Default: ``"none"``.
    """
    return _apply(_gelu, x, out, approximate=one_of(approximate, "approximate", ("none", "tanh")))


def gelu_grad(x, approximate="none", *, out=None):
    r"""The derivative of :func:`gelu`: :math:`\Phi(x) + x\,\varphi(x)` with
    :math:`\varphi` the standard normal density (or the derivative of the tanh form)."""
    return _apply(_gelu_grad, x, out, approximate=one_of(approximate, "approximate", ("none", "tanh")))


def silu(x, *, out=None):
    r"""Apply the sigmoid linear unit (swish) element-wise, as ``torch.nn.functional.silu``.

    .. math:: \mathrm{SiLU}(x) = x\,\sigma(x)

    Limits: 0 at x = -inf (where torch gives nan), inf at x = inf.
    """
    return _apply(_silu, x, out)


def silu_grad(x, *, out=None):
    r"""The derivative of :func:`silu`.

    .. math:: \mathrm{SiLU}'(x) = \sigma(x) + x\,\sigma(x)\,\sigma(-x)

    (:math:`\sigma(-x) = 1 - \sigma(x)`, but written as :math:`\sigma(-x)` it does not cancel
    for large x, where :math:`1 - \sigma(x)` rounds to 0.)
    """
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


ACTIVATIONS: Mapping[str, Activation] = MappingProxyType({
    a.name: a for a in [
        Activation("sigmoid", sigmoid, sigmoid_grad, "torch.sigmoid", "Sigmoid"),
        Activation("tanh", tanh, tanh_grad, "torch.tanh", "Tanh"),
        Activation("relu", relu, relu_grad, "torch.nn.functional.relu", "ReLU"),
        Activation("leaky_relu", leaky_relu, leaky_relu_grad, "torch.nn.functional.leaky_relu",
                   "LeakyReLU", {"negative_slope": 0.01}),
        Activation("prelu", prelu, prelu_grad, "torch.nn.functional.prelu", "PReLU",
                   {"weight": 0.25}),
        Activation("elu", elu, elu_grad, "torch.nn.functional.elu", "ELU", {"alpha": 1.0}),
        Activation("softplus", softplus, softplus_grad, "torch.nn.functional.softplus",
                   "Softplus", {"beta": 1.0, "threshold": 20.0}),
        Activation("gelu", gelu, gelu_grad, "torch.nn.functional.gelu", "GELU",
                   {"approximate": "none"}),
        Activation("silu", silu, silu_grad, "torch.nn.functional.silu", "SiLU"),
    ]
})
