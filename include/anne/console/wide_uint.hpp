// SPDX-License-Identifier: MIT
// A fixed-width unsigned integer, just wide enough to convert exactly between decimal text and
// float32 with integer arithmetic only (number_parse.hpp, number_format.hpp). The chip and the PC
// then print and read numbers identically, without printf, strtof or any floating-point rounding.
//
// Width: the parser compares m * 2^e with D * 10^k exactly, m < 2^25 and e in [-150, 104] (every
// float and every midpoint between two floats), D < 10^120 (up to 120 significant digits, more
// than a console line holds) and D * 10^k in [10^-46, 10^39). The binary side is at most
// 2^25 * 2^104 * 10^165 < 2^678, the decimal side D * 2^150 < 2^549, so 24 limbs of 32 bits
// (768 bits) hold every product. Carries beyond the top limb are dropped (unsigned arithmetic,
// never undefined behaviour).
#pragma once

#include <stdint.h>

namespace anne {
namespace console {
namespace detail {

struct WideUint {
  static constexpr int kLimbs = 24;
  uint32_t limb[kLimbs] = {};  ///< least significant first

  static WideUint from(uint64_t value) {
    WideUint w;
    w.limb[0] = static_cast<uint32_t>(value);
    w.limb[1] = static_cast<uint32_t>(value >> 32);
    return w;
  }

  bool is_zero() const {
    for (uint32_t l : limb) {
      if (l != 0) return false;
    }
    return true;
  }

  /// this = this * factor
  void multiply(uint32_t factor) {
    uint64_t carry = 0;
    for (uint32_t& l : limb) {
      const uint64_t product = static_cast<uint64_t>(l) * factor + carry;
      l = static_cast<uint32_t>(product);
      carry = product >> 32;
    }
  }

  /// this = this * 10^k (k >= 0), in steps of 10^9 (the largest power of ten below 2^32).
  void multiply_pow10(int k) {
    for (; k >= 9; k -= 9) multiply(1000000000u);
    uint32_t rest = 1;
    for (; k > 0; --k) rest *= 10u;
    multiply(rest);
  }

  /// this = this * 2^bits
  void shift_left(int bits) {
    const int limbs = bits / 32;
    const int rest = bits % 32;
    for (int i = kLimbs - 1; i >= 0; --i) {
      const int from = i - limbs;
      const uint32_t high = from >= 0 ? limb[from] : 0u;
      const uint32_t low = from >= 1 ? limb[from - 1] : 0u;
      limb[i] = rest == 0 ? high : (high << rest) | (low >> (32 - rest));
    }
  }

  /// this = floor(this / 2^bits)
  void shift_right(int bits) {
    const int limbs = bits / 32;
    const int rest = bits % 32;
    for (int i = 0; i < kLimbs; ++i) {
      const int from = i + limbs;
      const uint32_t low = from < kLimbs ? limb[from] : 0u;
      const uint32_t high = from + 1 < kLimbs ? limb[from + 1] : 0u;
      limb[i] = rest == 0 ? low : (low >> rest) | (high << (32 - rest));
    }
  }

  /// Bit i (0 = least significant).
  bool bit(int i) const { return i >= 0 && i < 32 * kLimbs && ((limb[i / 32] >> (i % 32)) & 1u) != 0; }

  /// Whether any bit below bit i is set.
  bool any_below(int i) const {
    for (int b = 0; b < i && b < 32 * kLimbs; b += 32) {
      const int n = i - b < 32 ? i - b : 32;
      const uint32_t mask = n == 32 ? 0xffffffffu : (1u << n) - 1u;
      if ((limb[b / 32] & mask) != 0) return true;
    }
    return false;
  }

  /// this = floor(this / divisor); returns the remainder. Long division, most significant limb first.
  uint32_t divide(uint32_t divisor) {
    uint64_t remainder = 0;
    for (int i = kLimbs - 1; i >= 0; --i) {
      const uint64_t part = (remainder << 32) | limb[i];
      limb[i] = static_cast<uint32_t>(part / divisor);
      remainder = part % divisor;
    }
    return static_cast<uint32_t>(remainder);
  }

  void add(uint32_t value) {
    uint64_t carry = value;
    for (int i = 0; i < kLimbs && carry != 0; ++i) {
      const uint64_t sum = static_cast<uint64_t>(limb[i]) + carry;
      limb[i] = static_cast<uint32_t>(sum);
      carry = sum >> 32;
    }
  }
};

/// -1, 0 or 1 as a < b, a == b, a > b.
inline int compare(const WideUint& a, const WideUint& b) {
  for (int i = WideUint::kLimbs - 1; i >= 0; --i) {
    if (a.limb[i] != b.limb[i]) return a.limb[i] < b.limb[i] ? -1 : 1;
  }
  return 0;
}

/// The exact value of a finite, non-negative float32 bit pattern as mantissa * 2^exponent.
struct BinaryValue {
  uint32_t mantissa;
  int exponent;
};

inline BinaryValue binary_value(uint32_t bits) {
  const uint32_t field = (bits >> 23) & 0xffu;
  const uint32_t fraction = bits & 0x7fffffu;
  // subnormal: fraction * 2^-149; normal: (2^23 + fraction) * 2^(field - 150)
  if (field == 0) return {fraction, -149};
  return {fraction | 0x800000u, static_cast<int>(field) - 150};
}

}  // namespace detail
}  // namespace console
}  // namespace anne
