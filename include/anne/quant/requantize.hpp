// SPDX-License-Identifier: MIT
// Requantization: the int32 sum of an int8 layer times a real multiplier M (e.g. s_x s_w / s_y),
// rounded to an integer, with 32-bit multiplies only.
//
// M is stored as m * 2^-shift with m a 15-bit integer in [2^14, 2^15) (relative precision 2^-15,
// far below half an int8 step for any result that fits int8). The product acc * m needs 46 bits;
// the Cortex-M0+ has only a 32 x 32 -> 32 bit multiply (a 64-bit one is a slow library call), so
// acc is split in halves:  acc * m = (acc_hi * m) * 2^16 + acc_lo * m,  acc_hi = acc >> 16
// (signed), acc_lo = acc & 0xffff; each partial product fits 32 bits. The result is
//   floor((acc * m + 2^(shift-1)) / 2^shift),   i.e. acc * M rounded half up,
// exactly the same integer on every target (checked against 64-bit arithmetic in the tests).
#pragma once

#include <stdint.h>

namespace anne {
namespace quant {

struct Requantizer {
  uint16_t multiplier = 0;  ///< m in [2^14, 2^15); 0 means M = 0
  uint8_t shift = 0;        ///< 0 to 46
};

constexpr uint8_t kMaxRequantizeShift = 46;

/// round(acc * m / 2^shift), half up; saturates to +-2^30 where the exact value would be larger
/// (only for shift < 16, far beyond any int8 result).
inline int32_t requantize(int32_t acc, Requantizer r) {
  const int32_t hi = acc >> 16;  // arithmetic shift: floor(acc / 2^16), |hi| <= 2^15
  const uint32_t lo = static_cast<uint32_t>(acc) & 0xffffu;
  // The rounding term 2^(shift-1) goes into the low half when it fits there, else the high half.
  const uint32_t round_low = r.shift >= 1 && r.shift <= 16 ? 1u << (r.shift - 1) : 0u;
  const int32_t round_high = r.shift > 16 ? static_cast<int32_t>(1u << (r.shift - 17)) : 0;
  const uint32_t low = lo * r.multiplier + round_low;  // < 2^31 + 2^15
  // acc * m + rounding = high * 2^16 + (low & 0xffff); |high| < 2^30 + 2^29 + 2^15 for shift <= 46
  const int32_t high = hi * static_cast<int32_t>(r.multiplier) + static_cast<int32_t>(low >> 16) + round_high;
  if (r.shift >= 16) return high >> (r.shift - 16);
  const int32_t limit = static_cast<int32_t>(1u << (14 + r.shift));  // keeps the result below 2^30
  if (high >= limit) return 1 << 30;
  if (high < -limit) return -(1 << 30);
  return high * (1 << (16 - r.shift)) + static_cast<int32_t>((low & 0xffffu) >> r.shift);
}

/// The stored form of a real multiplier M >= 0 (host side, when a model is quantized).
/// M below 2^-32 (|acc| M < 0.5 for every int32 acc, so every result is 0) becomes 0;
/// M >= 2^14 (no int8 layer needs it) is refused (returns false).
inline bool make_requantizer(double real_multiplier, Requantizer& out) {
  out = Requantizer{};
  if (!(real_multiplier >= 0.0) || real_multiplier >= 16384.0) return false;
  if (real_multiplier < 1.0 / 4294967296.0) return true;  // 2^-32
  int shift = 0;
  double m = real_multiplier;
  while (m < 16384.0) {  // scale into [2^14, 2^15)
    m *= 2.0;
    ++shift;
  }
  while (m >= 32768.0) {
    m *= 0.5;
    --shift;
  }
  uint32_t rounded = static_cast<uint32_t>(m + 0.5);
  if (rounded == 32768u) {
    rounded = 16384u;
    --shift;
  }
  if (shift < 0 || shift > kMaxRequantizeShift) return false;
  out.multiplier = static_cast<uint16_t>(rounded);
  out.shift = static_cast<uint8_t>(shift);
  return true;
}

}  // namespace quant
}  // namespace anne
