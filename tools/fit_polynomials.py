"""Fit the polynomials of src/nonlin/_kernels.c and print them as C.

    python tools/fit_polynomials.py

Each is mpmath's Chebyshev fit, at 40 digits, which is close to the best possible (minimax)
polynomial of its degree, rounded to the C type and printed as a C array of coefficients,
lowest degree first (the C code chooses the order of evaluation). The printed error is the
largest at 2001 points, relative to the function the polynomial serves; each fit has a target,
in units of the C type's epsilon, that tests/test_kernels.py checks.

* ``exp``: exp(r) = 1 + r + r^2 Q(r) on |r| <= ln(2)/2, where the kernels use it after
  reducing x = k ln 2 + r. Q has degree 4 for float and 9 for double, the smallest whose
  error, times r^2 <= 0.121, stays below a tenth of a unit in the last place of exp(r)
  (target 0.1 eps). (expm1(r) = r + r^2 Q(r) shares Q.)
* ``erfc_f32``: for z >= 0, erfc(z) = t R(t) exp(-z^2) with t = 1 / (1 + z/2), the variable
  of the approximation in Numerical Recipes' ``erfcc`` (Press et al., section 6.2). R, of
  degree 8 in t, is fitted on 0 <= z <= 10.5 (beyond, erfc(z) < 2^-150 rounds to 0 in float);
  its error is relative, as erfc's: 0.45 units in the last place after rounding to float
  (target 1 eps). Each further degree would cost GELU, whose speed the benchmark compares
  with oneDNN's, one more operation per element. (A polynomial factor rather than erfcc's
  exponent lets GELU's derivative share exp(-z^2) = exp(-x^2/2) with the normal density.)
"""

import struct

import mpmath

mpmath.mp.dps = 40


def to_float32(value):
    """The float32 nearest to `value`, as a Python float."""
    return struct.unpack("f", struct.pack("f", float(value)))[0]


def fit(f, lo, hi, degree, weight=lambda v: 1, c_type="double"):
    """Coefficients (lowest first) of a near-minimax polynomial of degree `degree` for f on
    [lo, hi] (mpmath's Chebyshev fit), rounded to `c_type`, and the largest error of the
    rounded polynomial, times `weight`, at 2001 points."""
    lo, hi = mpmath.mpf(lo), mpmath.mpf(hi)
    highest_first = mpmath.chebyfit(f, [lo, hi], degree + 1)
    rounded = to_float32 if c_type == "float" else float
    coefficients = [rounded(c) for c in reversed(highest_first)]
    grid = [lo + (hi - lo) * k / 2000 for k in range(2001)]
    error = max(abs(f(v) - mpmath.polyval(coefficients[::-1], v)) * weight(v) for v in grid)
    return coefficients, float(error)


def exp_q(degree, c_type):
    """Q(r) = (exp(r) - 1 - r) / r^2; the printed error is exp's: Q's error times r^2 / exp(r)."""
    half_ln2 = mpmath.log(2) / 2

    def q(r):
        if abs(r) < mpmath.mpf(10) ** -12:  # the series, where the formula would cancel
            return mpmath.mpf(1) / 2 + r / 6 + r**2 / 24
        return (mpmath.exp(r) - 1 - r) / r**2

    return fit(q, -half_ln2, half_ln2, degree, weight=lambda r: r**2 / mpmath.exp(r),
               c_type=c_type)


def erfc_f32_r():
    """R(t) = erfc(z) exp(z^2) / t with z = 2 (1/t - 1); relative error."""
    def r(t):
        z = 2 * (1 / t - 1)
        return mpmath.erfc(z) * mpmath.exp(z * z) / t

    return fit(r, 1 / (1 + mpmath.mpf(10.5) / 2), 1, 8,
               weight=lambda t: 1 / r(t), c_type="float")


def as_c(name, array, coefficients, error, c_type):
    """The coefficients as a C array called `array`, lowest degree first, one per line."""
    suffix = "f" if c_type == "float" else ""
    digits = 9 if c_type == "float" else 17
    lines = [f"/* {name}: degree {len(coefficients) - 1}, largest error {error:.1e} */",
             f"static const {c_type} {array}[] = {{"]
    lines += [f"    {c:.{digits - 1}e}{suffix}," for c in coefficients]
    return "\n".join(lines + ["};"])


def all_fits():
    """Name, C array name, C type, target error (in eps of the type) and (coefficients, error)
    of every fitted polynomial."""
    return [("exp Q, float", "EXP_Q_F32", "float", 0.1, exp_q(4, "float")),
            ("exp Q, double", "EXP_Q_F64", "double", 0.1, exp_q(9, "double")),
            ("erfc R, float", "ERFC_R_F32", "float", 1.0, erfc_f32_r())]


if __name__ == "__main__":
    for name, array, c_type, _, (coefficients, error) in all_fits():
        print(as_c(name, array, coefficients, error, c_type), end="\n\n")
