// SPDX-License-Identifier: MIT
// Floats as decimal text with a fixed number of decimals, from the float's exact value with
// integer arithmetic only: the chip (no printf, soft-float) and the PC print the same characters.
//
// A finite float is m * 2^e exactly (m < 2^24). With d decimals the printed digits are the integer
//   N = round(m * 2^e * 10^d)
// rounded to nearest, ties to even (what glibc's printf("%.*f") does for exact binary ties), so the
// text equals printf("%.*f", d, (double)x) for every finite float and d <= kMaxDecimals; a negative
// value keeps its '-' even when it rounds to zero ("-0.00"), as printf does. NaN prints "nan",
// infinities "inf" and "-inf".
#pragma once

#include <stdint.h>

#include "anne/console/wide_uint.hpp"
#include "anne/math.hpp"

namespace anne {
namespace console {

constexpr uint8_t kMaxDecimals = 9;

/// Room for the longest result: '-', 39 integer digits (FLT_MAX is about 3.4e38), '.', 9 decimals.
struct NumberText {
  char text[56];
};

namespace detail {
inline NumberText copy(const char* text, NumberText& out) {
  for (int i = 0; text[i] != '\0'; ++i) out.text[i] = text[i];
  return out;
}
}  // namespace detail

/// `value` with `decimals` digits after the point (at most kMaxDecimals; 0 gives no point).
inline NumberText format_fixed(float value, uint8_t decimals) {
  NumberText out{};
  const uint32_t bits = math::float_bits(value);
  const bool negative = (bits >> 31) != 0;
  const uint32_t magnitude = bits & 0x7fffffffu;
  int at = 0;
  if (magnitude > 0x7f800000u) return detail::copy("nan", out);
  if (negative) out.text[at++] = '-';
  if (magnitude == 0x7f800000u) return detail::copy(negative ? "-inf" : "inf", out);
  if (decimals > kMaxDecimals) decimals = kMaxDecimals;

  // N = m * 10^d * 2^e: shift left, or shift right rounding to nearest, ties to even.
  const detail::BinaryValue v = detail::binary_value(magnitude);
  detail::WideUint n = detail::WideUint::from(v.mantissa);
  n.multiply_pow10(decimals);
  if (v.exponent >= 0) {
    n.shift_left(v.exponent);
  } else {
    const int shift = -v.exponent;
    const bool half = n.bit(shift - 1);
    const bool above_half = n.any_below(shift - 1);
    n.shift_right(shift);
    if (half && (above_half || n.bit(0))) n.add(1);
  }

  // Digits, least significant first, nine at a time (one long division per 10^9); then the
  // leading zeros go, or come, to leave at least decimals + 1 digits ("0.05", not ".05").
  char digits[6 * 9];  // N < 2^158 < 10^48
  int count = 0;
  do {
    uint32_t chunk = n.divide(1000000000u);
    for (int i = 0; i < 9; ++i, chunk /= 10) digits[count++] = static_cast<char>('0' + chunk % 10);
  } while (!n.is_zero() && count < 6 * 9);
  while (count > decimals + 1 && digits[count - 1] == '0') --count;
  while (count < decimals + 1) digits[count++] = '0';
  while (count > decimals) out.text[at++] = digits[--count];
  if (decimals > 0) out.text[at++] = '.';
  while (count > 0) out.text[at++] = digits[--count];
  return out;
}

/// A whole number in decimal ("0", "4294967295").
inline NumberText format_whole(uint32_t value) {
  NumberText out{};
  char digits[10];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (int at = 0; count > 0; ++at) out.text[at] = digits[--count];
  return out;
}

}  // namespace console
}  // namespace anne
