// SPDX-License-Identifier: MIT
// A correctly rounded float32 square root from integer operations only.
//
// Why not sqrtf: in a freestanding build it may become a call into a C library that the firmware
// does not link, and chips without an FPU each bring their own soft-float version. This one is the
// classic bit-by-bit method (as in fdlibm's e_sqrtf.c): it finds the 25 leading bits of sqrt(x) one
// at a time and rounds to nearest with the remainder, so it gives the IEEE-754 result, the same bits
// on every target. The optimizers (Adam) and the Glorot initializer need it.
#pragma once

#include <stdint.h>

#include "anne/math.hpp"

namespace anne {
namespace math {

/// sqrt(x): +-0, +inf and NaN pass through; negative x gives NaN.
inline float sqrt(float x) {
  if (is_nan(x) || x == 0.0f || x == kInfinity) return x;
  if (x < 0.0f) return kNaN;
  const uint32_t bits = float_bits(x);
  int exponent = static_cast<int>(bits >> 23);
  uint32_t mantissa = bits & 0x007fffffu;
  if (exponent == 0) {  // subnormal: shift the mantissa up until its leading bit is at bit 23
    exponent = 1;
    while ((mantissa & 0x00800000u) == 0) {
      mantissa <<= 1;
      --exponent;
    }
  } else {
    mantissa |= 0x00800000u;
  }
  exponent -= 127;  // x = mantissa * 2^(exponent - 23), mantissa in [2^23, 2^24)
  if ((exponent & 1) != 0) mantissa <<= 1;  // make the exponent even
  exponent = (exponent - (exponent & 1)) / 2;
  // Bit by bit: q collects sqrt(2 * mantissa) * 2^12 to 25 bits, `rest` keeps the remainder.
  uint32_t rest = mantissa << 1;
  uint32_t q = 0;
  uint32_t s = 0;
  for (uint32_t r = 0x01000000u; r != 0; r >>= 1) {
    const uint32_t t = s + r;
    if (t <= rest) {
      s = t + r;
      rest -= t;
      q += r;
    }
    rest <<= 1;
  }
  if (rest != 0) q += q & 1u;  // round to nearest (an exact tie cannot happen for a square root)
  return bits_float((q >> 1) + 0x3f000000u + (static_cast<uint32_t>(exponent) << 23));
}

}  // namespace math
}  // namespace anne
