// SPDX-License-Identifier: MIT
// Portable float32 elementary functions.
//
// Why our own and not <cmath>: glibc, newlib and the Pico SDK's ROM each round expf, tanhf and
// friends differently, so a network would give different numbers on the PC and on the chip. These
// functions use only IEEE-754 +, -, *, / and integer operations, so every conforming target
// computes the same bits. exp and sigmoid are integer kernels (fast on chips without an FPU);
// processors with a double-precision unit get the same bits faster from a double evaluation that
// hands the rare close cases to the kernel (see detail::kDoubleFastPath). Build with
// -ffp-contract=off (the anne::core target sets it) so that no compiler fuses a*b+c into an FMA on
// one target and not on another.
//
// Accuracy (float32, in units in the last place of the exact value): exp within 0.51 ULP and
// sigmoid within 0.54 ULP everywhere, so at most one float away from the correctly rounded result;
// expm1, log, log1p, tanh, softplus within a few ULP; erf within 2e-7 absolute.
#pragma once

#include <stdint.h>

namespace anne {
namespace math {

constexpr float kInfinity = __builtin_huge_valf();
constexpr float kNaN = __builtin_nanf("");
constexpr float kMaxFloat = 3.40282347e+38f;

inline uint32_t float_bits(float x) {
  uint32_t bits;
  __builtin_memcpy(&bits, &x, sizeof bits);
  return bits;
}

inline float bits_float(uint32_t bits) {
  float x;
  __builtin_memcpy(&x, &bits, sizeof x);
  return x;
}

/// NaN test on the bit pattern: one integer compare, also on chips without an FPU.
inline bool is_nan(float x) { return (float_bits(x) & 0x7fffffffu) > 0x7f800000u; }
inline bool is_finite(float x) { return (float_bits(x) & 0x7f800000u) != 0x7f800000u; }

/// A float's bit pattern as a signed integer in the order of the numbers: a positive float's
/// pattern is its magnitude, a negative one's becomes 2^31 - pattern = -magnitude (so -0 and +0
/// both become 0).
inline int32_t ordered_bits(float x) {
  const uint32_t bits = float_bits(x);
  return static_cast<int32_t>((bits & 0x80000000u) != 0 ? 0x80000000u - bits : bits);
}

/// a > b with IEEE semantics (false when either is NaN, -0 equals +0), on the bit patterns: a chip
/// without an FPU saves a library call.
inline bool greater(float a, float b) {
  if (is_nan(a) || is_nan(b)) return false;
  return ordered_bits(a) > ordered_bits(b);
}
/// a >= b with IEEE semantics (false when either is NaN).
inline bool greater_equal(float a, float b) { return !is_nan(a) && !is_nan(b) && !greater(b, a); }
/// x == 0 (either sign) on the bit pattern.
inline bool is_zero(float x) { return (float_bits(x) & 0x7fffffffu) == 0; }
inline float abs(float x) { return bits_float(float_bits(x) & 0x7fffffffu); }
inline float copy_sign(float magnitude, float sign) {
  return bits_float((float_bits(magnitude) & 0x7fffffffu) | (float_bits(sign) & 0x80000000u));
}

namespace detail {

// exp and sigmoid in integer arithmetic. On the RP2040 (Cortex-M0+, no FPU) every float +, *, /
// is a software routine (40 to 70 cycles with firmware/softfloat, up to 450 with libgcc's), while
// a 32-bit integer add, shift or multiply (MULS: the low 32 bits of a product) takes one cycle. So
// these kernels work on the bit pattern with 32-bit integers only. Integer arithmetic is exact (or wraps modulo 2^32, which is equally well
// defined), so every target gives the same bits. ARMv6-M has no 32x32->64 multiply, and a uint64_t
// product would call __aeabi_lmul (~60 cycles): wide products are built from 16-bit halves.
// Notation: "Qn" is a fixed-point number with n fraction bits (value = integer * 2^-n); right
// shifts of negative numbers are arithmetic (floor), as GCC and Clang define them. The parts are
// always inlined: at -Os the calls, with Scaled returned through memory, would cost the Cortex-M0+
// 15% of a sigmoid.

/// floor(a * b / 2^32), exactly, from four 16x16->32 products.
[[gnu::always_inline]] inline uint32_t mul_hi(uint32_t a, uint32_t b) {
  const uint32_t a_lo = a & 0xffffu, a_hi = a >> 16;
  const uint32_t b_lo = b & 0xffffu, b_hi = b >> 16;
  const uint32_t cross1 = a_hi * b_lo, cross2 = a_lo * b_hi;
  const uint32_t middle = ((a_lo * b_lo) >> 16) + (cross1 & 0xffffu) + (cross2 & 0xffffu);  // < 3 * 2^16
  return a_hi * b_hi + (cross1 >> 16) + (cross2 >> 16) + (middle >> 16);
}

/// A positive number m * 2^(k-31) with m in [2^31, 2^32): m is the significand in Q31.
struct Scaled {
  uint32_t m;
  int32_t k;
};

/// The float nearest to v (halfway cases away from zero), subnormals included: infinity from
/// 2^128 up, zero below 2^-150.
[[gnu::always_inline]] inline float round_to_float(Scaled v) {
  const int32_t biased = v.k + 127;  // the exponent field, if v is a normal float
  if (biased >= 255) return kInfinity;
  // The 24-bit significand (bit 23 set) added to the field (biased - 1) sets it to biased; a
  // rounding carry to 2^24 moves on to the next binade, or to the infinity pattern.
  if (biased >= 1) return bits_float((static_cast<uint32_t>(biased - 1) << 23) + (((v.m >> 7) + 1) >> 1));
  if (biased < -23) return 0.0f;
  return bits_float(((v.m >> (8 - biased)) + 1) >> 1);  // subnormal: units of 2^-149
}

/// 2^(j/32) in Q31, j = 0..31, correctly rounded (relative error < 2^-32).
inline constexpr uint32_t kExp2Table[32] = {
    0x80000000u, 0x82cd8699u, 0x85aac368u, 0x88980e81u, 0x8b95c1e4u, 0x8ea4398bu, 0x91c3d374u, 0x94f4efa9u,
    0x9837f052u, 0x9b8d39bau, 0x9ef53261u, 0xa2704303u, 0xa5fed6aau, 0xa9a15ab5u, 0xad583eeau, 0xb123f582u,
    0xb504f334u, 0xb8fbaf47u, 0xbd08a39fu, 0xc12c4ccau, 0xc5672a11u, 0xc9b9bd86u, 0xce248c15u, 0xd2a81d92u,
    0xd744fccbu, 0xdbfbb798u, 0xe0ccdeecu, 0xe5b906e7u, 0xeac0c6e8u, 0xefe4b99cu, 0xf5257d15u, 0xfa83b2dbu};

/// e^x for the float with bit pattern `bits`, 2^-25 <= |x| < 104, to a relative error below
/// 5.6e-10 = 2^-30.7, the sum of the bounds below (before the rounding to float).
///
/// 1. n = round(x * 32/ln2), from |x| = m * 2^(E-150) (m the 24-bit significand, E the exponent
///    field) and 32/ln2 in Q10: |x| * 32/ln2 ~ round(m / 2^8) * 47274 * 2^(E-152). The two
///    roundings are relative errors below 2^-15.6, so for |x| < 104 (|n| <= 4801) n is off the true
///    rounding by less than 0.1: |x * 32/ln2 - n| < 0.6.
/// 2. r = x - n * ln2/32 in Q37, modulo 2^32. |r| < 0.6 * ln2/32 < 0.0130 < 2^31 * 2^-37, so r is
///    the exact difference of two numbers we only know modulo 2^32: x * 2^37 (exact, a shift of m)
///    and n * ln2 * 2^32, with ln2 * 2^32 = 2977044471 + 53711/2^16 (error < 2^-17 each time,
///    < 0.04 in Q37 for |n| <= 4801). Since 2^37 * ln2/32 = ln2 * 2^32, no division appears.
/// 3. e^r = 1 + p, p = r + r^2/2 + r^3/6 + r^4/24 (Taylor; the rest, r^5/120 (1 + r/6 + ...), is
///    below 3.2e-12), in Q37: r^2/2 from the 16-bit halves of |r| (error < 2^-36), the small
///    r^3/6 and r^4/24 from truncated operands (errors < 2^-34.5 and 2^-36); p is within 6e-11.
/// 4. e^x = 2^k * 2^(j/32) * (1 + p), n = 32k + j, 0 <= j < 32: 2^(j/32) from kExp2Table (error
///    < 2^-32 = 2.33e-10), the product with (1 + p) rounded in Q31 (error < 0.57 * 2^-31 =
///    2.62e-10). It lies in [0.987, 1.984) * 2^k; the significand is shifted into [1, 2) when
///    below 1.
[[gnu::always_inline]] inline Scaled exp_scaled(uint32_t bits) {
  const uint32_t field = (bits >> 23) & 0xffu;
  const uint32_t m = (bits & 0x007fffffu) | 0x00800000u;
  uint32_t n_abs = 0;  // round(|x| * 32/ln2); 0 for |x| < 2^-7, where |x| * 32/ln2 < 0.37
  if (field >= 120) n_abs = (((((m + 0x80u) >> 8) * 47274u) >> (151 - field)) + 1) >> 1;
  const uint32_t x_q37 = field >= 113 ? m << (field - 113) : m >> (113 - field);  // |x| in Q37, mod 2^32
  const uint32_t n_ln2 = n_abs * 2977044471u + ((n_abs * 53711u + 0x8000u) >> 16);   // n ln2/32 in Q37, mod 2^32
  // Signs are applied as (v ^ s) - s with s = 0 or all ones (that is v or -v, modulo 2^32).
  const uint32_t x_sign = 0u - (bits >> 31);
  const uint32_t r = ((x_q37 - n_ln2) ^ x_sign) - x_sign;  // two's complement
  const int32_t n = static_cast<int32_t>((n_abs ^ x_sign) - x_sign);

  const uint32_t r_sign = 0u - (r >> 31);
  const uint32_t r_abs = (r ^ r_sign) - r_sign;  // < 2^31
  const uint32_t r_hi = r_abs >> 16, r_lo = r_abs & 0xffffu;
  const uint32_t square = r_hi * r_hi + ((r_hi * r_lo) >> 15);  // r^2 in Q42: (r_hi 2^16 + r_lo)^2 / 2^32
  const uint32_t cube = (((((square >> 14) * r_hi) >> 13) * 10923u) >> 15);  // |r|^3/6 in Q37; 10923 = 2^16/6
  const uint32_t square_q27 = square >> 15;
  const uint32_t fourth = ((((square_q27 * square_q27) >> 14) * 2731u) >> 19);  // r^4/24 in Q37; 2731 = 2^16/24
  const uint32_t p = r + (square >> 6) + ((cube ^ r_sign) - r_sign) + fourth;  // two's complement

  // t |p| in Q31, rounded: t |p| / 2^37 from three 16x16 products (|p| < 2^31, so p_hi < 2^15); the
  // dropped t_lo p_lo / 2^37 and the two floors stay below 1/16 of the last place.
  const uint32_t t = kExp2Table[n & 31];
  const uint32_t p_sign = 0u - (p >> 31);
  const uint32_t p_abs = (p ^ p_sign) - p_sign;
  const uint32_t t_hi = t >> 16, t_lo = t & 0xffffu, p_hi = p_abs >> 16, p_lo = p_abs & 0xffffu;
  const uint32_t t_p = (t_hi * p_hi + ((t_hi * p_lo) >> 16) + ((t_lo * p_hi) >> 16) + 16) >> 5;
  const uint32_t e = t + ((t_p ^ p_sign) - p_sign);
  const uint32_t below_one = 1u - (e >> 31);  // 1 if the significand needs the shift into [1, 2)
  return {e << below_one, (n >> 5) - static_cast<int32_t>(below_one)};
}

/// 1/(1 + e) in Q32 (at most 2^32 - 1) for e = u / 2^32 in [0, 1), relative error below 9.6e-10.
/// Newton's method on the 16-bit halves, from a 32-entry table:
///   y0 = 1 / (1 + (i + 1/2)/32) for e in [i/32, (i+1)/32), in Q16: |1 - (1+e) y0| <= 1/65 + 2^-16;
///   eps = 1 - (1+e) y0 in Q36 (exactly, modulo 2^32: (1+e) y0 = 1 - eps is known to be near 1);
///   y1 = y0 (1 + eps + eps^2): 1 - (1+e) y1 = eps^3, below 2^-18 (2^-17.7 with the roundings);
///   y2 = y1 (1 + eps1), eps1 = 1 - (1+e) y1 in Q31: an error of eps1^2 < 2^-35 and the roundings
///   of eps1 and y2 in Q31 (each < 2^-31 relative, as y2 >= 1/2).
inline constexpr uint16_t kReciprocalTable[32] = {64528, 62602, 60787, 59075, 57456, 55924, 54471, 53092,
                                                  51782, 50534, 49345, 48210, 47127, 46091, 45100, 44151,
                                                  43240, 42367, 41528, 40721, 39946, 39199, 38480, 37787,
                                                  37118, 36472, 35849, 35246, 34664, 34100, 33554, 33026};

[[gnu::always_inline]] inline uint32_t reciprocal_one_plus(uint32_t u) {
  const uint32_t y0 = kReciprocalTable[u >> 27];
  const int32_t eps = static_cast<int32_t>(0u - (y0 << 20) - (((u >> 16) * y0) << 4) - (((u & 0xffffu) * y0) >> 12));
  const int32_t eps_hi = eps >> 15;                    // Q21, |eps| < 2^-6
  const int32_t sum = eps + ((eps_hi * eps_hi) >> 6);  // eps + eps^2 in Q36
  const uint32_t y1 = (y0 << 15) + static_cast<uint32_t>((static_cast<int32_t>(y0) * (sum >> 16)) >> 5);  // Q31
  const int32_t eps1 = static_cast<int32_t>(0x80000000u - y1 - mul_hi(u, y1));  // Q31, |eps1| < 2^14
  const int32_t y1_eps1 = static_cast<int32_t>(y1 >> 16) * eps1 + ((static_cast<int32_t>(y1 & 0xffffu) * eps1) >> 16);
  const uint32_t y2 = y1 + static_cast<uint32_t>((y1_eps1 + 0x4000) >> 15);  // Q31
  return y2 >= 0x80000000u ? 0xffffffffu : y2 << 1;
}

/// e^x for every float, in integer arithmetic only (see exp below).
inline float exp_integer(float x) {
  const uint32_t bits = float_bits(x);
  const uint32_t a = bits & 0x7fffffffu;
  if (a > 0x7f800000u) return x;     // NaN
  if (a < 0x33000000u) return 1.0f;  // |x| < 2^-25
  if (bits >= 0x80000000u) {
    if (a >= 0x42d00000u) return 0.0f;  // x <= -104
  } else if (a >= 0x42b20000u) {
    return kInfinity;  // x >= 89
  }
  return round_to_float(exp_scaled(bits));
}

/// sigmoid(x) for every float, in integer arithmetic only (see sigmoid below). With E = e^-|x| in
/// (0, 1) from exp_scaled and Q = 1/(1 + E) from reciprocal_one_plus, sigmoid(x) = Q for x >= 0
/// and E Q = e^x / (1 + e^x) for x < 0: products and quotients of positive numbers, where no
/// cancellation costs relative accuracy. Relative errors before the rounding to float: for x >= 0,
/// E/(1 + E) * 5.6e-10 (< 2.8e-10) from E, 2^-32 from its truncation to Q32 and 9.6e-10 from Q, in
/// all below 1.5e-9; for x < 0 also all of E's 5.6e-10 and 2^-31 from the product, below 2.3e-9.
/// (Not inlined: sigmoid's double fast path, which rarely needs it, stays short.)
[[gnu::noinline]] inline float sigmoid_integer(float x) {
  const uint32_t bits = float_bits(x);
  const uint32_t a = bits & 0x7fffffffu;
  if (a > 0x7f800000u) return x;  // NaN
  const bool negative = (bits >> 31) != 0;
  if (a >= 0x42d00000u) return negative ? 0.0f : 1.0f;  // |x| >= 104
  if (a < 0x33000000u) return 0.5f;                     // |x| < 2^-25
  const Scaled e = exp_scaled(a | 0x80000000u);         // E = e^-|x| < 1, so e.k <= -1
  const int32_t shift = -e.k - 1;                       // E * 2^32 = e.m >> shift
  const uint32_t q = reciprocal_one_plus(shift < 32 ? e.m >> shift : 0u);
  Scaled y = {q, -1};  // x >= 0: q / 2^32, q >= 2^31
  if (negative) {
    // E Q = e.m q 2^(e.k - 63), e.m q in [2^62, 2^64): its top 32 bits, one more if the top one is 0.
    const uint32_t high = mul_hi(e.m, q), low = e.m * q;
    y = high >= 0x80000000u ? Scaled{high, e.k} : Scaled{(high << 1) | (low >> 31), e.k - 1};
  }
  return round_to_float(y);  // one rounding for both signs: one copy of it on a chip
}

// Processors with a double-precision unit (x86-64, AArch64) run float code faster than these
// integer kernels (by 2 to 4 times). There, exp and sigmoid are first evaluated in double, to a
// relative error below 1.3e-12 (exp_double). Rounded to float, that is the integer kernel's result
// unless the exact value lies so near a midpoint between two floats that the kernel's own error
// could put it on the other side: only when the double is within both error bounds of a midpoint
// (for about 2% of the arguments of exp, 6% of sigmoid's) is the integer kernel run. So every
// target returns the integer kernel's bits; tests/test_math.cpp compares the two paths on a sweep
// of all floats, bench/math_exhaustive.cpp on every float.
#if defined(__x86_64__) || defined(__aarch64__)
inline constexpr bool kDoubleFastPath = true;
#else
inline constexpr bool kDoubleFastPath = false;
#endif

inline uint64_t double_bits(double x) {
  uint64_t bits;
  __builtin_memcpy(&bits, &x, sizeof bits);
  return bits;
}

inline double bits_double(uint64_t bits) {
  double x;
  __builtin_memcpy(&x, &bits, sizeof x);
  return x;
}

/// 2^(j/32), j = 0..31, rounded to double.
inline constexpr double kExp2TableDouble[32] = {
    1.0, 1.0218971486541166, 1.0442737824274138, 1.0671404006768237, 1.0905077326652577, 1.1143867425958924,
    1.1387886347566916, 1.1637248587775775, 1.189207115002721, 1.215247359980469, 1.241857812073484,
    1.2690509571917332, 1.2968395546510096, 1.3252366431597413, 1.3542555469368927, 1.383909881963832,
    1.4142135623730951, 1.4451808069770467, 1.4768261459394993, 1.5091644275934228, 1.5422108254079407,
    1.5759808451078865, 1.6104903319492543, 1.645755478153965, 1.681792830507429, 1.718619298122478,
    1.7562521603732995, 1.7947090750031072, 1.8340080864093424, 1.8741676341103, 1.9152065613971474,
    1.9571441241754002};

/// e^x in double for a float x in (-104, 89), relative error below 1.3e-12: n = round(x * 32/ln2)
/// (adding 1.5 * 2^52 rounds to an integer), r = x - n ln2/32 with ln2/32 = hi + lo, hi of 40
/// bits, so that n hi and x - n hi are exact (|n| < 2^13, |r| <= ln2/64); e^r by Taylor to r^4
/// (the rest is below 1.25e-12) and e^x = 2^(n/32) e^r, 2^(n/32) from kExp2TableDouble and the
/// exponent field. The roundings add a few times 2^-53.
inline double exp_double(double x) {
  constexpr double kRound = 6755399441055744.0;  // 1.5 * 2^52
  const double shifted = x * 46.16624130844683 + kRound;
  const double nf = shifted - kRound;
  const int64_t n = static_cast<int64_t>(double_bits(shifted) - double_bits(kRound));
  const double r = (x - nf * 0.021660849392475257) - nf * 2.303438301614937e-14;
  const double p = r + r * r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24)));
  const double t = kExp2TableDouble[n & 31];
  return bits_double(double_bits(t + t * p) + (static_cast<uint64_t>(n >> 5) << 52));
}

/// The half-width, in units of 2^-52 of y's binade, of the interval around a float midpoint where
/// a double y with relative error `error` cannot tell which way the exact value rounds.
constexpr uint64_t midpoint_band(double error) { return static_cast<uint64_t>(error * 9007199254740992.0) + 1; }

/// Whether y (a positive double in the normal float range) is within `band` of a midpoint between
/// two floats: the 29 bits below a float's significand, against 2^28.
inline bool near_float_midpoint(double y, uint64_t band) {
  const uint64_t guard = double_bits(y) & 0x1fffffffu;
  return guard + band - 0x10000000u <= 2 * band;  // |guard - 2^28| <= band
}

}  // namespace detail

/// e^x with an error below 0.51 ULP (0.5 for the rounding and 5.6e-10 * 2^24 for
/// detail::exp_scaled; 0.504 measured over all floats), subnormal results included. Exactly 1 for
/// |x| < 2^-25, +inf from x = 88.7228394 (where e^x rounds past FLT_MAX), 0 from -103.972084 down
/// (e^x < 2^-150). The bits are those of detail::exp_integer on every target.
inline float exp(float x) {
  if constexpr (detail::kDoubleFastPath) {
    const uint32_t bits = float_bits(x);
    const uint32_t a = bits & 0x7fffffffu;
    // 2^-25 <= |x|, -87 < x < 89: e^x is a normal float or overflows
    if (a >= 0x33000000u && (bits < 0x42b20000u || (bits >= 0x80000000u && a < 0x42ae0000u))) {
      const double y = detail::exp_double(static_cast<double>(x));
      if (!detail::near_float_midpoint(y, detail::midpoint_band(5.6e-10 + 1.3e-12))) return static_cast<float>(y);
    }
  }
  return detail::exp_integer(x);
}

/// e^x - 1, accurate near 0 where exp(x) - 1 would cancel: a Taylor polynomial for |x| < ln2/2.
inline float expm1(float x) {
  if (is_nan(x)) return x;
  if (abs(x) < 0.3465736f) {
    return x * (1.0f + x * (0.5f + x * (1.0f / 6 + x * (1.0f / 24 + x * (1.0f / 120 + x * (1.0f / 720 + x * (1.0f / 5040 + x * (1.0f / 40320))))))));
  }
  return exp(x) - 1.0f;
}

/// ln(x). x = m * 2^e with m in [sqrt(1/2), sqrt(2)); ln(m) = 2*atanh(s), s = (m-1)/(m+1),
/// |s| <= 0.172, summed to s^9 (truncation < 3e-9 relative).
inline float log(float x) {
  if (is_nan(x)) return x;
  if (x < 0.0f) return kNaN;
  if (x == 0.0f) return -kInfinity;
  if (x == kInfinity) return x;
  int e = 0;
  if (x < 1.17549435e-38f) {  // subnormal: scale into the normal range first
    x *= 8388608.0f;           // 2^23
    e = -23;
  }
  uint32_t bits = float_bits(x);
  e += static_cast<int>(bits >> 23) - 127;
  bits = (bits & 0x007fffffu) | 0x3f800000u;  // mantissa m in [1, 2)
  float m = bits_float(bits);
  if (m > 1.41421356f) {
    m *= 0.5f;
    ++e;
  }
  const float f = m - 1.0f;
  const float s = f / (2.0f + f);
  const float s2 = s * s;
  const float log_m = 2.0f * s * (1.0f + s2 * (1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 * (1.0f / 9)))));
  constexpr float kLn2Hi = 0.693145751953125f;
  constexpr float kLn2Lo = 1.42860682030941723212e-6f;
  const float ef = static_cast<float>(e);
  return ef * kLn2Hi + (log_m + ef * kLn2Lo);
}

/// ln(1 + x), accurate for tiny x: with u = 1 + x rounded, ln(u) * x / (u - 1) cancels the
/// rounding error of u (a classic trick of W. Kahan).
inline float log1p(float x) {
  if (is_nan(x) || x == kInfinity) return x;
  if (x < -1.0f) return kNaN;
  if (x == -1.0f) return -kInfinity;
  const float u = 1.0f + x;
  if (u == 1.0f) return x;
  return log(u) * (x / (u - 1.0f));
}

/// tanh(x) = -expm1(-2|x|) / (2 + expm1(-2|x|)), with the sign of x; exactly +-1 beyond |x| = 9.02,
/// where tanh rounds to 1 in float32.
inline float tanh(float x) {
  if (is_nan(x)) return x;
  const float ax = abs(x);
  if (ax > 9.02f) return copy_sign(1.0f, x);
  const float e = expm1(-2.0f * ax);
  return copy_sign(-e / (2.0f + e), x);
}

/// Logistic sigmoid 1 / (1 + e^-x) with an error below 0.54 ULP (0.5 for the rounding and
/// 2.3e-9 * 2^24 for detail::sigmoid_integer; 0.516 measured over all floats), subnormal results
/// included. Exactly 1/2 for |x| < 2^-25, 1 from x = 17.33 (where 1 - 2^-25 and up round to 1),
/// 0 from x = -104 down. The bits are those of detail::sigmoid_integer on every target.
inline float sigmoid(float x) {
  if constexpr (detail::kDoubleFastPath) {
    const uint32_t bits = float_bits(x);
    const uint32_t a = bits & 0x7fffffffu;
    // 2^-25 <= |x|, -87 < x < 104: a normal float result, or 1
    if (a >= 0x33000000u && (bits < 0x42d00000u || (bits >= 0x80000000u && a < 0x42ae0000u))) {
      const bool negative = (bits >> 31) != 0;
      const double e = detail::exp_double(-static_cast<double>(bits_float(a)));  // e^-|x|
      const double y = (negative ? e : 1.0) / (1.0 + e);  // relative error < 1.3e-12 + 2 * 2^-53
      const double error = negative ? 2.3e-9 + 1.3e-12 : 1.5e-9 + 1.3e-12;
      if (!detail::near_float_midpoint(y, detail::midpoint_band(error))) return static_cast<float>(y);
    }
  }
  return detail::sigmoid_integer(x);
}

/// ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|): no overflow for large x, no underflow to 0 early.
inline float softplus(float x) {
  if (is_nan(x)) return x;
  return (x > 0.0f ? x : 0.0f) + log1p(exp(-abs(x)));
}

/// Error function. |x| < 1: its Maclaurin series to x^21 (error < 2e-9). |x| >= 1: Abramowitz and
/// Stegun 7.1.26, erf = 1 - t(a1 + t(a2 + ...)) e^(-x^2), t = 1/(1 + p x) (error < 1.5e-7).
inline float erf(float x) {
  if (is_nan(x)) return x;
  const float ax = abs(x);
  if (ax < 1.0f) {
    const float z = x * x;
    const float series = 1.0f + z * (-1.0f / 3 + z * (1.0f / 10 + z * (-1.0f / 42 + z * (1.0f / 216 + z * (-1.0f / 1320 + z * (1.0f / 9360 + z * (-1.0f / 75600 + z * (1.0f / 685440 + z * (-1.0f / 6894720 + z * (1.0f / 76204800))))))))));
    return 1.12837917f * x * series;  // 2/sqrt(pi)
  }
  if (ax > 4.0f) return copy_sign(1.0f, x);
  const float t = 1.0f / (1.0f + 0.3275911f * ax);
  const float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
  return copy_sign(1.0f - poly * exp(-ax * ax), x);
}

}  // namespace math
}  // namespace anne
