/* The kernels of _kernels.c for one floating-point type T; included once per type, with T,
 * SUFFIX and the type's math functions defined by the includer.
 *
 * Each kernel is an element function, f(x, a, b) with the activation's parameters a and b
 * (negative_slope, alpha, beta and threshold; unused by most), and a loop that applies it to
 * n elements. The formulas, and the reasons for them, are those of the numpy kernels in
 * activations.py: exponentials only of numbers <= 0, and x clipped to +-TAIL where it
 * multiplies a factor that is exactly 0 there. A comparison with nan is false, which every
 * selection below relies on to pass nan through.
 *
 * One vectorised inner loop computes every block of BLOCK elements: the last block overlaps
 * the one before it (recomputing a few elements), and an array shorter than a block is padded.
 * Every element thus goes through the very same instructions, and its value cannot depend on
 * its position in the array or the array's length. (A compiler's usual scalar tail would
 * compute the last elements differently: with the C library's erfc instead of the vector
 * one, or with other roundings.) Large outputs are streamed to memory (STREAM_BYTES).
 */

#define NAME(f) CAT(f, SUFFIX)
#define TAIL ((T)800)
#define CLIP_TAIL(v) ((v) < -TAIL ? -TAIL : (v) > TAIL ? TAIL : (v))
#define ELEMENT static inline __attribute__((always_inline)) T

/* sigmoid(z) from e = exp(-|z|): 1 / (1 + e) for z >= 0, e / (1 + e) below */
#define SIGMOID_FROM(z, e) (((z) >= 0 ? (T)1 : (e)) / ((T)1 + (e)))
/* sigmoid(z) sigmoid(-z) = e / (1 + e)^2 */
#define LOGISTIC_SLOPE(e) ((e) / (((T)1 + (e)) * ((T)1 + (e))))

#define DEFINE_KERNEL(f)                                                                      \
    KERNEL void NAME(f)(const T *restrict x, T *restrict y, Py_ssize_t n, double p1, double p2, \
                        int stream)                                                           \
    {                                                                                         \
        T a = (T)p1, b = (T)p2;                                                               \
        T x_short[BLOCK] __attribute__((aligned(64))) = {0};                                  \
        T y_short[BLOCK] __attribute__((aligned(64)));                                        \
        const T *in = x;                                                                      \
        T *out = y;                                                                           \
        Py_ssize_t count = n;                                                                 \
        if (n < BLOCK) { /* shorter than a block: work on a padded copy */                    \
            memcpy(x_short, x, (size_t)n * sizeof(T));                                        \
            in = x_short, out = y_short, count = BLOCK;                                       \
        }                                                                                     \
        int streaming = CAN_STREAM && stream && (size_t)n * sizeof(T) >= STREAM_BYTES         \
                        && (uintptr_t)y % 16 == 0;                                            \
        for (Py_ssize_t i = 0; i < count; i += BLOCK) {                                       \
            if (i + BLOCK > count) /* the last block overlaps the one before */               \
                i = count - BLOCK;                                                            \
            T *block_out = streaming ? y_short : out + i;                                     \
            _Pragma("omp simd") for (int j = 0; j < BLOCK; j++)                               \
                block_out[j] = NAME(f##_element)(in[i + j], a, b);                            \
            if (streaming && (uintptr_t)(out + i) % 16 == 0)                                  \
                NAME(stream_block)(out + i, y_short);                                         \
            else if (streaming) /* the overlapping last block, the same values either way */  \
                memcpy(out + i, y_short, sizeof y_short);                                     \
        }                                                                                     \
        if (streaming)                                                                        \
            STREAM_FENCE();                                                                   \
        if (n < BLOCK)                                                                        \
            memcpy(y, y_short, (size_t)n * sizeof(T));                                        \
    }

ELEMENT NAME(sigmoid_element)(T x, T a, T b)
{
    (void)a, (void)b;
    T e = EXP_NONPOSITIVE(-FABS(x));
    return SIGMOID_FROM(x, e);
}
DEFINE_KERNEL(sigmoid)

ELEMENT NAME(sigmoid_grad_element)(T x, T a, T b)
{
    (void)a, (void)b;
    return LOGISTIC_SLOPE(EXP_NONPOSITIVE(-FABS(x)));
}
DEFINE_KERNEL(sigmoid_grad)

ELEMENT NAME(tanh_grad_element)(T x, T a, T b) /* sech^2 x = 4 e / (1 + e)^2, e = exp(-2|x|) */
{
    (void)a, (void)b;
    return (T)4 * LOGISTIC_SLOPE(EXP_NONPOSITIVE((T)-2 * FABS(x)));
}
DEFINE_KERNEL(tanh_grad)

ELEMENT NAME(relu_element)(T x, T a, T b)
{
    (void)a, (void)b;
    return x <= 0 ? (T)0 : x; /* nan <= 0 is false: nan stays */
}
DEFINE_KERNEL(relu)

ELEMENT NAME(relu_grad_element)(T x, T a, T b) /* 0 at x = 0, as torch */
{
    (void)a, (void)b;
    return x > 0 ? (T)1 : x <= 0 ? (T)0 : x;
}
DEFINE_KERNEL(relu_grad)

ELEMENT NAME(leaky_relu_nonzero_element)(T x, T slope, T b) /* slope != 0 */
{
    (void)b;
    return x > 0 ? x : slope * x;
}
DEFINE_KERNEL(leaky_relu_nonzero)

/* A slope of 0 is ReLU, whose kernel gives 0 at -inf, where 0 * -inf would be nan. */
static void NAME(leaky_relu)(const T *restrict x, T *restrict y, Py_ssize_t n, double slope,
                             double b, int stream)
{
    if ((T)slope == 0)
        NAME(relu)(x, y, n, slope, b, stream);
    else
        NAME(leaky_relu_nonzero)(x, y, n, slope, b, stream);
}

ELEMENT NAME(leaky_relu_grad_element)(T x, T slope, T b) /* the slope also at x = 0 */
{
    (void)b;
    return x > 0 ? (T)1 : x <= 0 ? slope : x;
}
DEFINE_KERNEL(leaky_relu_grad)

ELEMENT NAME(elu_element)(T x, T alpha, T b)
{
    (void)b;
    return x > 0 ? x : alpha * EXPM1_NONPOSITIVE(x > 0 ? (T)0 : x);
}
DEFINE_KERNEL(elu)

ELEMENT NAME(elu_grad_element)(T x, T alpha, T b) /* alpha also at x = 0, as torch */
{
    (void)b;
    return x > 0 ? (T)1 : alpha * EXP_NONPOSITIVE(x > 0 ? (T)0 : x);
}
DEFINE_KERNEL(elu_grad)

/* softplus: log(1 + exp(z)) / beta = (max(z, 0) + log1p(exp(-|z|))) / beta with z = beta x,
 * and x itself where z > threshold (torch's switch to the identity). */
ELEMENT NAME(softplus_element)(T x, T beta, T threshold)
{
    T z = beta * x;
    T value = ((z > 0 ? z : (T)0) + LOG1P_UNIT(EXP_NONPOSITIVE(-FABS(z)))) / beta;
    return z > threshold ? x : value;
}
DEFINE_KERNEL(softplus)

ELEMENT NAME(softplus_grad_element)(T x, T beta, T threshold) /* sigmoid(beta x), or 1 */
{
    T z = beta * x;
    T e = EXP_NONPOSITIVE(-FABS(z));
    return z > threshold ? (T)1 : SIGMOID_FROM(z, e);
}
DEFINE_KERNEL(softplus_grad)

/* GELU: x Phi(x), with Phi the normal distribution function and phi its density */
ELEMENT NAME(gelu_element)(T x, T a, T b)
{
    (void)a, (void)b;
    T density;
    return (x < -TAIL ? -TAIL : x) * NORMAL_CDF(x, &density);
}
DEFINE_KERNEL(gelu)

ELEMENT NAME(gelu_grad_element)(T x, T a, T b) /* Phi(x) + x phi(x) */
{
    (void)a, (void)b;
    T density, cdf = NORMAL_CDF(x, &density);
    return cdf + CLIP_TAIL(x) * density;
}
DEFINE_KERNEL(gelu_grad)

/* The tanh approximation: x (1 + tanh u) / 2 = x sigmoid(2u), 2u = 2 sqrt(2/pi) (x + c x^3) */
#define GELU_C ((T)0.044715)
#define TWO_SQRT_2_OVER_PI ((T)1.5957691216057307117)

ELEMENT NAME(gelu_tanh_element)(T x, T a, T b)
{
    (void)a, (void)b;
    T xc = CLIP_TAIL(x);
    T two_u = TWO_SQRT_2_OVER_PI * xc * ((T)1 + GELU_C * xc * xc);
    T e = EXP_NONPOSITIVE(-FABS(two_u));
    return (x < -TAIL ? -TAIL : x) * SIGMOID_FROM(two_u, e);
}
DEFINE_KERNEL(gelu_tanh)

ELEMENT NAME(gelu_tanh_grad_element)(T x, T a, T b) /* sigmoid(2u) + x (2u)' sigmoid'(2u) */
{
    (void)a, (void)b;
    T xc = CLIP_TAIL(x);
    T two_u = TWO_SQRT_2_OVER_PI * xc * ((T)1 + GELU_C * xc * xc);
    T d_two_u = TWO_SQRT_2_OVER_PI * ((T)1 + (T)3 * GELU_C * xc * xc);
    T e = EXP_NONPOSITIVE(-FABS(two_u));
    return SIGMOID_FROM(two_u, e) + xc * d_two_u * LOGISTIC_SLOPE(e);
}
DEFINE_KERNEL(gelu_tanh_grad)

ELEMENT NAME(silu_element)(T x, T a, T b) /* x sigmoid(x) */
{
    (void)a, (void)b;
    T e = EXP_NONPOSITIVE(-FABS(x));
    return (x < -TAIL ? -TAIL : x) * SIGMOID_FROM(x, e);
}
DEFINE_KERNEL(silu)

ELEMENT NAME(silu_grad_element)(T x, T a, T b) /* sigmoid(x) + x sigmoid(x) sigmoid(-x) */
{
    (void)a, (void)b;
    T e = EXP_NONPOSITIVE(-FABS(x));
    return SIGMOID_FROM(x, e) + CLIP_TAIL(x) * LOGISTIC_SLOPE(e);
}
DEFINE_KERNEL(silu_grad)

#undef NAME
#undef TAIL
#undef CLIP_TAIL
#undef ELEMENT
#undef SIGMOID_FROM
#undef LOGISTIC_SLOPE
#undef DEFINE_KERNEL
#undef GELU_C
#undef TWO_SQRT_2_OVER_PI
