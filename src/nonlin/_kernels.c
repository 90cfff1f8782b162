/* nonlin._kernels: the activations of nonlin.activations as fused, single-pass C loops.
 *
 * numpy evaluates a formula such as e / (1 + e)^2 one operation at a time, each a full pass
 * over memory with a temporary array. Here each element is loaded once, transformed in
 * registers and stored once, in loops the compiler vectorises (SIMD). The formulas are the
 * same overflow-free ones as the numpy code in activations.py, which remains the reference
 * and the fallback where this module is not built; the tests run both.
 *
 * The kernels themselves are in _kernels_impl.h, included once for float and once for double.
 * This file holds the math they share (exponential, log1p, the normal distribution), the
 * Python entry point and the build switches:
 *
 * - GCC 12 or newer on x86-64 Linux compiles every kernel three times (AVX-512, AVX2, baseline
 *   SSE2) and picks the best at load time (target_clones), so one build runs well on any
 *   x86-64 machine. Other compilers build one version for the target they default to.
 * - With glibc 2.35 or newer, the double erfc is vectorised through glibc's libmvec.
 *   Elsewhere each element calls the C library's erfc: slower, equally accurate. For float,
 *   the normal distribution function is computed below (libmvec's erfcf is three times
 *   slower).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12 && defined(__x86_64__) \
    && defined(__linux__)
#define KERNEL static __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define KERNEL static
#endif

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__)
#if __GLIBC_PREREQ(2, 35)
/* Tell GCC that libmvec has vector versions of erfc (glibc's math.h says so only under
 * -ffast-math, which this module does not use: it would drop nan and inf handling). */
__attribute__((simd("notinbranch"))) extern double erfc(double);
#endif
#endif

#define BLOCK 64 /* elements per vectorised block: a multiple of every SIMD width */

/* Outputs of 16 MiB or more, beyond what caches keep anyway, are written with non-temporal
 * stores, as memcpy writes large copies: straight to memory, without first reading each
 * cache line of the output. That saves a third of the memory traffic of a kernel that reads
 * one array and writes another. (SSE2's stores, which every x86-64 processor has.) Not for
 * freshly allocated outputs, whose pages the operating system has just zeroed in the cache:
 * the caller says which with `stream`. */
#define STREAM_BYTES ((size_t)16 << 20)
#if defined(__x86_64__)
#include <immintrin.h>
#define CAN_STREAM 1
static inline void stream_block_f32(float *dst, const float *src) /* dst 16-byte aligned */
{
    for (int j = 0; j < BLOCK; j += 4)
        _mm_stream_ps(dst + j, _mm_load_ps(src + j));
}
static inline void stream_block_f64(double *dst, const double *src)
{
    for (int j = 0; j < BLOCK; j += 2)
        _mm_stream_pd(dst + j, _mm_load_pd(src + j));
}
#define STREAM_FENCE() _mm_sfence()
#else
#define CAN_STREAM 0
#define stream_block_f32(dst, src) memcpy(dst, src, BLOCK * sizeof(float))
#define stream_block_f64(dst, src) memcpy(dst, src, BLOCK * sizeof(double))
#define STREAM_FENCE() ((void)0)
#endif

/* ------------------------------------------------------------------------------------------
 * exp(x) and expm1(x) for x <= 0 (or nan), the only exponentials the activations need: they
 * exponentiate -|x|, min(x, 0) or -x^2/2, never a positive number.
 *
 * x = k ln2 + r with k an integer and |r| <= ln2/2. Then exp(r) = 1 + r + r^2 Q(r), with Q a
 * polynomial fitted by tools/fit_polynomials.py (error below a tenth of a unit in the last
 * place), and 2^k is built in the exponent bits. Scaling by 2^(k+64) and then 2^-64 (2^(k+512)
 * and 2^-512 for double) keeps the first factor a normal number, so that results below the
 * smallest normal number round once, to the correct subnormal. Arguments below -104 (float)
 * or -746 (double) give 0 and -1; nan gives nan.
 * ------------------------------------------------------------------------------------------ */

/* k = round(x / ln2), computed as x / ln2 + 1.5 * 2^23, which rounds to an integer and holds
 * it in the low bits: bits(k + 1.5 * 2^23) = bits(1.5 * 2^23) + k. (Unlike a conversion to
 * an integer type, this vectorises on every x86-64 processor.) Returns r = x - k ln2, with
 * ln2 in two parts so that k times the first is exact, and sets *scale = 2^k. */
static inline float reduce_f32(float x, float *scale)
{
    float xc = x < -104.0f ? -104.0f : x; /* nan < -104 is false: nan flows through */
    float shifted = xc * 1.44269504088896341f + 0x1.8p23f;
    float k = shifted - 0x1.8p23f;
    float r = xc - k * 0.693359375f;
    r = r - k * -2.12194440e-4f;
    uint32_t bits; /* unsigned: the arithmetic is defined even for the bits of nan */
    memcpy(&bits, &shifted, sizeof bits);
    bits = (bits - UINT32_C(0x4b400000) + 127 + 64) << 23; /* 2^(k+64), k + 64 >= -86 */
    memcpy(scale, &bits, sizeof bits);
    *scale *= 0x1p-64f;
    return r;
}

static inline double reduce_f64(double x, double *scale)
{
    double xc = x < -746.0 ? -746.0 : x;
    double shifted = xc * 1.4426950408889634074 + 0x1.8p52;
    double k = shifted - 0x1.8p52;
    double r = xc - k * 6.93147180369123816490e-01; /* fdlibm's two parts of ln2 */
    r = r - k * 1.90821492927058770002e-10;
    uint64_t bits;
    memcpy(&bits, &shifted, sizeof bits);
    bits = (bits - UINT64_C(0x4338000000000000) + 1023 + 512) << 52; /* 2^(k+512) */
    memcpy(scale, &bits, sizeof bits);
    *scale *= 0x1p-512;
    return r;
}

/* The polynomials, from tools/fit_polynomials.py (which a test checks these against). */

/* exp Q, float: degree 4, largest error 9.7e-09 */
static const float EXP_Q_F32[] = {
    5.00000000e-01f,
    1.66665778e-01f,
    4.16665561e-02f,
    8.36317334e-03f,
    1.39261759e-03f,
};

/* exp Q, double: degree 9, largest error 1.6e-17 */
static const double EXP_Q_F64[] = {
    5.0000000000000011e-01,
    1.6666666666666669e-01,
    4.1666666666624164e-02,
    8.3333333333300650e-03,
    1.3888888917196719e-03,
    1.9841269863040545e-04,
    2.4801521322368692e-05,
    2.7557268480310024e-06,
    2.7620075879983367e-07,
    2.5100375832561234e-08,
};

/* erfc R, float: degree 8, largest error 5.3e-08 */
static const float ERFC_R_F32[] = {
    2.82081544e-01f,
    2.82467157e-01f,
    2.42395729e-01f,
    2.05616340e-01f,
    -3.37807126e-02f,
    2.88694143e-01f,
    -4.96626943e-01f,
    2.89165497e-01f,
    -6.00128062e-02f,
};

#define N_COEFFICIENTS(c) ((int)(sizeof c / sizeof c[0]))

/* 1 + r Q(r) with Q = (exp(r) - 1 - r) / r^2 */
static inline float one_plus_r_q_f32(float r) /* Horner's rule, unrolled by the compiler */
{
    float p = EXP_Q_F32[N_COEFFICIENTS(EXP_Q_F32) - 1];
    for (int j = N_COEFFICIENTS(EXP_Q_F32) - 2; j >= 0; j--)
        p = p * r + EXP_Q_F32[j];
    return p * r + 1.0f;
}

/* For double, Q by Estrin's scheme: c0 + c1 r + ... + c9 r^9 as pairs c0 + c1 r, ..., combined
 * with r^2, then with r^4. A few more multiplications than Horner's rule, but a chain of 4
 * dependent operations instead of 9, which lets the processor overlap more of the
 * neighbouring elements' work (measured: 6 to 7 % faster, tanh' float64). The last two steps,
 * 1 + r Q and then 1 + r (1 + r Q), stay in Horner's order, which keeps the rounding errors
 * of the small terms small: exp stays within an ulp (the test in tests/test_kernels.py). */
static inline double one_plus_r_q_f64(double r)
{
    const double *c = EXP_Q_F64;
    double r2 = r * r, r4 = r2 * r2;
    double c01 = c[0] + r * c[1], c23 = c[2] + r * c[3], c45 = c[4] + r * c[5];
    double c67 = c[6] + r * c[7], c89 = c[8] + r * c[9];
    double c0_3 = c01 + r2 * c23, c4_7 = c45 + r2 * c67;
    double q = c0_3 + r4 * (c4_7 + r4 * c89);
    return q * r + 1.0;
}

static inline float exp_nonpositive_f32(float x)
{
    float scale, r = reduce_f32(x, &scale);
    return (one_plus_r_q_f32(r) * r + 1.0f) * scale;
}

static inline double exp_nonpositive_f64(double x)
{
    double scale, r = reduce_f64(x, &scale);
    return (one_plus_r_q_f64(r) * r + 1.0) * scale;
}

/* expm1(x) = 2^k expm1(r) + (2^k - 1), with expm1(r) = r (1 + r Q(r)): accurate also near
 * x = 0, where exp(x) - 1 would cancel. */
static inline float expm1_nonpositive_f32(float x)
{
    float scale, r = reduce_f32(x, &scale);
    return scale * (one_plus_r_q_f32(r) * r) + (scale - 1.0f);
}

static inline double expm1_nonpositive_f64(double x)
{
    double scale, r = reduce_f64(x, &scale);
    return scale * (one_plus_r_q_f64(r) * r) + (scale - 1.0);
}

/* log1p(e) for 0 <= e <= 1 (or nan), as softplus needs it: with s = e / (2 + e), at most 1/3,
 * log(1 + e) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), accurate in relative terms down to
 * the smallest e. The series stops where the remainder, at most (1/9)^7 / 15 (float) or
 * (1/9)^17 / 35 (double) of the sum, is below an eighth of a unit in the last place. */
static inline float log1p_unit_f32(float e)
{
    float s = e / (2.0f + e), s2 = s * s;
    float p = 1.0f / 13;
    p = p * s2 + 1.0f / 11;
    p = p * s2 + 1.0f / 9;
    p = p * s2 + 1.0f / 7;
    p = p * s2 + 1.0f / 5;
    p = p * s2 + 1.0f / 3;
    p = p * s2 + 1.0f;
    return 2.0f * s * p;
}

static inline double log1p_unit_f64(double e)
{
    double s = e / (2.0 + e), s2 = s * s;
    double p = 1.0 / 33;
    for (int j = 31; j >= 1; j -= 2) /* unrolled by the compiler */
        p = p * s2 + 1.0 / j;
    return 2.0 * s * p;
}

/* exp(-x^2/2) 2^64 for float, a normal number (the caller multiplies by 2^-64 last). The same
 * method as exp_nonpositive_f32, written for y = x^2 (at most 208, where exp(-y/2) is below
 * the smallest float): k = round(-y / (2 ln2)), and with s = y + 2k ln2 (so r = -s/2),
 * exp(r) is the polynomial of one_plus_r_q_f32 in s, its coefficients times powers of -1/2,
 * exactly. That spares the multiplication by -1/2 of every element. */
static inline float gauss_2_64_f32(float x)
{
    float y = x * x;
    y = y > 208.0f ? 208.0f : y; /* nan > 208 is false: nan flows through */
    float shifted = y * (-0.5f * 1.44269504088896341f) + 0x1.8p23f;
    float k = shifted - 0x1.8p23f;
    float s = y + k * (2 * 0.693359375f); /* exact product: 2 ln2's first part has 9 bits */
    s = s + k * (2 * -2.12194440e-4f);
    uint32_t bits;
    memcpy(&bits, &shifted, sizeof bits);
    bits = (bits - UINT32_C(0x4b400000) + 127 + 64) << 23; /* 2^(k+64), k + 64 >= -86 */
    float scale_2_64;
    memcpy(&scale_2_64, &bits, sizeof bits);
    float p = EXP_Q_F32[N_COEFFICIENTS(EXP_Q_F32) - 1] * 0x1p-6f; /* c_j (-1/2)^(j+2) */
    for (int j = N_COEFFICIENTS(EXP_Q_F32) - 2; j >= 0; j--)
        p = p * s + EXP_Q_F32[j] * ((j % 2 ? -1.0f : 1.0f) * 0x1p-2f / (float)(1 << j));
    p = p * s - 0.5f; /* exp(r) = 1 + r + c_0 r^2 + ...; r = -s/2 */
    return (p * s + 1.0f) * scale_2_64;
}

/* The normal distribution function Phi(x) = erfc(-x / sqrt 2) / 2 for float, and the density
 * phi(x) = exp(-x^2/2) / sqrt(2 pi) in *density, sharing the one exponential.
 *
 * With z = |x| / sqrt 2, the tail erfc(z) / 2 is t R(t) exp(-z^2) / 2, with t = 1 / (1 + z/2),
 * the variable of Numerical Recipes' erfcc (Press et al., section 6.2), and R a polynomial in
 * t fitted by tools/fit_polynomials.py (relative error 5.3e-8). Phi(x) is that tail for x < 0
 * and 1 minus it for x >= 0. exp(-x^2/2) is kept as P(r) 2^(k+64) and t R(t) / 2 as
 * t R(t) 2^-65 (the factors folded into R's coefficients, exactly), so that a tail or a
 * density below the smallest normal float is rounded once, in the last multiplication.
 * nan gives nan, -inf 0 and inf 1.
 *
 * GELU's error (x Phi(x)), measured at 2.4 million points against double precision, is at
 * most 6.1 units in the last place for |x| < 1 and 1.7 for x > 1. Below -1 it grows like x^2
 * (12 ulp at x = -4.5, 66 at x = -12.6, 69 at x = -13.1, where Phi(x) is subnormal):
 * exp(-x^2/2) is computed from x^2 rounded to float, an error as large as the one rounding x
 * itself causes there (Phi's condition number is about x^2), and within what the tests allow.
 * This function decides GELU's speed, which the benchmark compares with oneDNN's (what torch
 * runs for float32): hence the plain x^2 and the folded constants. */
static inline float normal_cdf_f32(float x, float *density)
{
    float gauss_2_64 = gauss_2_64_f32(x);
    float t = 1.0f / (1.0f + 0.35355339059327376220f * fabsf(x)); /* z/2 = |x| / sqrt 8 */
    float p = 0x1p-65f * ERFC_R_F32[N_COEFFICIENTS(ERFC_R_F32) - 1]; /* R / 2^65, exactly */
    for (int j = N_COEFFICIENTS(ERFC_R_F32) - 2; j >= 0; j--)
        p = p * t + 0x1p-65f * ERFC_R_F32[j];
    float tail = (t * p) * gauss_2_64;
    *density = (0.39894228040143267794f * 0x1p-64f) * gauss_2_64;
    return x >= 0 ? 1.0f - tail : tail;
}

/* The same for double, with the C library's erfc (vectorised by libmvec where glibc has it). */
static inline double normal_cdf_f64(double x, double *density)
{
    double xc = x < -800.0 ? -800.0 : x > 800.0 ? 800.0 : x; /* x^2 stays finite */
    *density = 0.39894228040143267794 * exp_nonpositive_f64(-0.5 * xc * xc);
    return 0.5 * erfc(-x * 0.70710678118654752440);
}

/* ------------------------------------------------------------------------------------------
 * The kernels, once per type.
 * ------------------------------------------------------------------------------------------ */

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

#define T float
#define SUFFIX _f32
#define EXP_NONPOSITIVE exp_nonpositive_f32
#define EXPM1_NONPOSITIVE expm1_nonpositive_f32
#define LOG1P_UNIT log1p_unit_f32
#define NORMAL_CDF normal_cdf_f32
#define FABS fabsf
#include "_kernels_impl.h"
#undef T
#undef SUFFIX
#undef EXP_NONPOSITIVE
#undef EXPM1_NONPOSITIVE
#undef LOG1P_UNIT
#undef NORMAL_CDF
#undef FABS

#define T double
#define SUFFIX _f64
#define EXP_NONPOSITIVE exp_nonpositive_f64
#define EXPM1_NONPOSITIVE expm1_nonpositive_f64
#define LOG1P_UNIT log1p_unit_f64
#define NORMAL_CDF normal_cdf_f64
#define FABS fabs
#include "_kernels_impl.h"

/* ------------------------------------------------------------------------------------------
 * Python entry point: run(name, x, out, p1=0.0, p2=0.0)
 * ------------------------------------------------------------------------------------------ */

typedef void (*kernel_f32)(const float *, float *, Py_ssize_t, double, double, int);
typedef void (*kernel_f64)(const double *, double *, Py_ssize_t, double, double, int);

#define ENTRY(name) {#name, name##_f32, name##_f64}
static const struct {
    const char *name;
    kernel_f32 f32;
    kernel_f64 f64;
} KERNELS[] = {
    ENTRY(sigmoid),   ENTRY(sigmoid_grad),   ENTRY(tanh_grad),      ENTRY(relu),
    ENTRY(relu_grad), ENTRY(leaky_relu),     ENTRY(leaky_relu_grad), ENTRY(elu),
    ENTRY(elu_grad),  ENTRY(softplus),       ENTRY(softplus_grad),  ENTRY(gelu),
    ENTRY(gelu_grad), ENTRY(gelu_tanh),      ENTRY(gelu_tanh_grad), ENTRY(silu),
    ENTRY(silu_grad),
};
#define N_KERNELS (sizeof KERNELS / sizeof KERNELS[0])

static PyObject *run(PyObject *self, PyObject *args, PyObject *kwargs)
{
    (void)self;
    static char *keywords[] = {"name", "x", "out", "p1", "p2", "stream", NULL};
    const char *name;
    PyObject *x_obj, *out_obj;
    double p1 = 0.0, p2 = 0.0;
    int stream = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "sOO|dd$p:run", keywords, &name, &x_obj,
                                     &out_obj, &p1, &p2, &stream))
        return NULL;
    size_t k = 0;
    while (k < N_KERNELS && strcmp(KERNELS[k].name, name) != 0)
        k++;
    if (k == N_KERNELS)
        return PyErr_Format(PyExc_ValueError, "name: no kernel called '%s'", name);

    Py_buffer x, out;
    if (PyObject_GetBuffer(x_obj, &x, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return NULL;
    if (PyObject_GetBuffer(out_obj, &out, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE)
        < 0) {
        PyBuffer_Release(&x);
        return NULL;
    }
    const char *error = NULL;
    int is_f32 = strcmp(x.format, "f") == 0, is_f64 = strcmp(x.format, "d") == 0;
    char *x_start = x.buf, *out_start = out.buf;
    if (!is_f32 && !is_f64)
        error = "x: must hold float32 or float64 numbers";
    else if (strcmp(out.format, x.format) != 0)
        error = "out: must have the same dtype as x";
    else if (out.len != x.len)
        error = "out: must have as many elements as x";
    else if (x.len > 0 && x_start < out_start + out.len && out_start < x_start + x.len)
        error = "out: must not overlap x";
    if (error == NULL && x.len > 0) {
        Py_ssize_t n = x.len / x.itemsize;
        Py_BEGIN_ALLOW_THREADS
        if (is_f32)
            KERNELS[k].f32((const float *)x.buf, (float *)out.buf, n, p1, p2, stream);
        else
            KERNELS[k].f64((const double *)x.buf, (double *)out.buf, n, p1, p2, stream);
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&x);
    PyBuffer_Release(&out);
    if (error != NULL) {
        PyErr_SetString(PyExc_ValueError, error);
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *names(PyObject *self, PyObject *unused)
{
    (void)self, (void)unused;
    PyObject *result = PyTuple_New(N_KERNELS);
    if (result == NULL)
        return NULL;
    for (size_t k = 0; k < N_KERNELS; k++) {
        PyObject *name = PyUnicode_FromString(KERNELS[k].name);
        if (name == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        PyTuple_SET_ITEM(result, k, name);
    }
    return result;
}

static PyMethodDef methods[] = {
    {"run", (PyCFunction)(void (*)(void))run, METH_VARARGS | METH_KEYWORDS,
     "run(name, x, out, p1=0.0, p2=0.0, *, stream=True): write kernel `name` of the "
     "C-contiguous float32 or float64 buffer x into out (same dtype and length, not "
     "overlapping x). stream=False keeps large outputs in the cache: right for memory just "
     "allocated, whose pages the operating system has zeroed through the cache."},
    {"names", names, METH_NOARGS, "names(): the kernels' names."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_kernels",
    "Fused single-pass C loops for nonlin.activations (see _kernels.c).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__kernels(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddIntConstant(m, "STREAM_BYTES", (long)STREAM_BYTES) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
