// SPDX-License-Identifier: MIT
// Portable float32 elementary functions.
//
// Why our own and not <cmath>: glibc, newlib and the Pico SDK's ROM each round expf, tanhf and
// friends differently, so a network would give different numbers on the PC and on the chip. These
// functions use only IEEE-754 +, -, *, / (and integer bit operations), so every conforming target
// computes the same bits. Build with -ffp-contract=off (the anne::core target sets it) so that no
// compiler fuses a*b+c into an FMA on one target and not on another.
//
// Accuracy (float32): exp, expm1, log, log1p within a few ULP; erf within 2e-7 absolute.
#pragma once

#include <stdint.h>

namespace anne {
namespace math {

constexpr float kInfinity = __builtin_huge_valf();
constexpr float kNaN = __builtin_nanf("");
constexpr float kMaxFloat = 3.40282347e+38f;
constexpr float kLn2 = 0.693147180559945309f;
constexpr float kLog2e = 1.44269504088896341f;

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
inline float abs(float x) { return bits_float(float_bits(x) & 0x7fffffffu); }
inline float copy_sign(float magnitude, float sign) {
  return bits_float((float_bits(magnitude) & 0x7fffffffu) | (float_bits(sign) & 0x80000000u));
}

/// 2^k for k in [-149, 127] (subnormal results included), by building the bit pattern.
inline float pow2(int k) {
  if (k >= -126) return bits_float(static_cast<uint32_t>(k + 127) << 23);
  return bits_float(1u << (k + 149));
}

/// e^x. Range reduction x = k*ln2 + r with |r| <= ln2/2 (Cody-Waite: ln2 split in a part whose
/// products with k are exact and a small remainder), then a degree-7 Taylor polynomial for e^r
/// (truncation error < 6e-9 relative), then scaling by 2^k.
inline float exp(float x) {
  if (is_nan(x)) return x;
  if (x > 88.7228394f) return kInfinity;  // ln(FLT_MAX)
  if (x < -103.972084f) return 0.0f;      // below half the smallest subnormal
  constexpr float kLn2Hi = 0.693145751953125f;
  constexpr float kLn2Lo = 1.42860682030941723212e-6f;
  const float kf = x * kLog2e;
  const int k = static_cast<int>(kf + (kf >= 0.0f ? 0.5f : -0.5f));
  const float r = (x - static_cast<float>(k) * kLn2Hi) - static_cast<float>(k) * kLn2Lo;
  const float p =
      1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720 + r * (1.0f / 5040)))))));
  // p lies in [0.70, 1.42]; for k in [-125, 127] adding k to its exponent field stays normal.
  if (k > -126 && k < 128) return bits_float(float_bits(p) + (static_cast<uint32_t>(k) << 23));
  const int half = k / 2;
  return p * pow2(half) * pow2(k - half);
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

/// Logistic sigmoid 1 / (1 + e^-x), evaluated so that e^(...) never overflows:
/// for x < 0 it uses the equal form e^x / (1 + e^x).
inline float sigmoid(float x) {
  if (x >= 0.0f) return 1.0f / (1.0f + exp(-x));
  const float e = exp(x);
  return e / (1.0f + e);
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
