"""The compiled kernels, nonlin._kernels (src/nonlin/_kernels.c), on their own.

tests/test_activations.py runs every check of the activations with them and without them;
these tests are about the C module itself: that CI builds it, its exponential, the origin of
its coefficients and its refusals.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

from nonlin import activations as act

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["c", None, "NUMPY"])
def test_using_backend_refuses_unknown_names(name):
    with pytest.raises(ValueError, match="name must be one of"):
        with act.using_backend(name):
            pass


def test_the_compiled_kernels_are_built_in_ci():
    """CI must test the compiled kernels: a failed build would otherwise only skip them."""
    if os.environ.get("CI") == "true":
        assert act._kernels is not None, "nonlin._kernels failed to build: see pip's output"
    elif act._kernels is None:
        pytest.skip("nonlin._kernels is not built (no C compiler when nonlin was installed)")
    assert act.backend() == "compiled"  # the default when built
    assert set(act._kernels.names()) == {
        "sigmoid", "sigmoid_grad", "tanh_grad", "relu", "relu_grad", "leaky_relu",
        "leaky_relu_grad", "elu", "elu_grad", "softplus", "softplus_grad", "gelu", "gelu_grad",
        "gelu_tanh", "gelu_tanh_grad", "silu", "silu_grad"}


@pytest.fixture
def kernels():
    """The module, for the tests below; skipped where it is not built (never in CI, above)."""
    return pytest.importorskip("nonlin._kernels", reason="not built (no C compiler at install)")


def test_exp_and_expm1_are_within_an_ulp_down_to_the_subnormals(kernels):
    """The C exponential (elu_grad with alpha 1 is exp(x) for x <= 0; elu is expm1) against
    80-bit long double, on a dense grid: below 1 unit in the last place for normal results,
    below 1 smallest subnormal for subnormal ones."""
    if np.finfo(np.longdouble).eps >= np.finfo(np.float64).eps:
        pytest.skip("needs a long double wider than double (x86), to compare with")
    for dtype, lowest in ((np.float32, -110.0), (np.float64, -750.0)):
        x = np.concatenate([np.linspace(lowest, 0, 200_001),
                            -np.geomspace(1e-30, 1, 20_001)]).astype(dtype)
        exact_exp = np.exp(x.astype(np.longdouble))
        exact_expm1 = np.expm1(x.astype(np.longdouble))
        exp, expm1 = np.empty_like(x), np.empty_like(x)
        kernels.run("elu_grad", x, exp, 1.0)
        kernels.run("elu", x, expm1, 1.0)
        info = np.finfo(dtype)
        normal = exact_exp >= info.tiny
        assert np.all(np.abs(exp - exact_exp)[normal] <= info.eps * exact_exp[normal])
        assert np.all(np.abs(exp - exact_exp)[~normal] <= info.smallest_subnormal)
        assert np.all(np.abs(expm1 - exact_expm1) <= 2 * info.eps * np.abs(exact_expm1))


def test_the_fitted_polynomials_in_the_c_source_are_the_fit_tools_output():
    """tools/fit_polynomials.py documents where the coefficients in _kernels.c come from."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import fit_polynomials
    finally:
        sys.path.pop(0)
    source = (ROOT / "src" / "nonlin" / "_kernels.c").read_text()
    for name, array, c_type, target, (coefficients, error) in fit_polynomials.all_fits():
        c_code = fit_polynomials.as_c(name, array, coefficients, error, c_type)
        assert c_code in source, (name, c_code)  # the comment and array, exactly as printed
        assert error < target * float(np.finfo(np.float32 if c_type == "float" else np.float64).eps)


def test_the_kernels_refuse_bad_buffers_naming_the_argument(kernels):
    run = kernels.run
    x = np.ones(8, np.float32)
    with pytest.raises(ValueError, match="name: no kernel called 'nope'"):
        run("nope", x, np.empty_like(x))
    with pytest.raises(ValueError, match="x: must hold float32 or float64"):
        run("relu", np.ones(8, np.int32), np.empty(8, np.int32))
    with pytest.raises(ValueError, match="out: must have the same dtype as x"):
        run("relu", x, np.empty(8, np.float64))
    with pytest.raises(ValueError, match="out: must have as many elements as x"):
        run("relu", x, np.empty(7, np.float32))
    with pytest.raises(ValueError, match="out: must not overlap x"):
        run("relu", x, x)
    with pytest.raises(ValueError, match="not C-contiguous"):  # numpy's refusal
        run("relu", np.ones(16, np.float32)[::2], np.empty(8, np.float32))
    with pytest.raises(ValueError, match="read-only"):
        read_only = np.empty(8, np.float32)
        read_only.flags.writeable = False
        run("relu", x, read_only)
