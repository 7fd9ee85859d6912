// SPDX-License-Identifier: MIT
// Strict number reading for the console, in integer arithmetic only (the same result on the chip
// and the PC, without strtof):
//
//   number   = [sign] digits [ "." [digits] ] [exponent]  |  [sign] "." digits [exponent]
//   exponent = ("e" | "E") [sign] digits
//
// nothing before or after it (the caller trims spaces). Refused: empty text, "1.2.3", "abc", "1e",
// NaN and infinity spelled out, hexadecimal, and values whose float would be infinite or zero
// (|x| >= FLT_MAX + half an ulp, or a non-zero decimal that rounds to 0).
//
// The result is the float nearest to the decimal value, ties to even: what strtof returns. The
// decimal is kept exactly as D * 10^k, D the significant digits (at most kMaxSignificantDigits;
// zeros beyond them are fine, other digits are refused: more than a console line holds). Then
//   1. a binary search over the positive float bit patterns (their order is the order of their
//      values) finds f, the largest float <= D * 10^k,
//   2. D * 10^k is compared with the midpoint between f and the next float,
// each comparison m * 2^e <=> D * 10^k done exactly on WideUint integers.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/console/wide_uint.hpp"
#include "anne/math.hpp"

namespace anne {
namespace console {

enum class ParseStatus : uint8_t {
  ok = 0,
  not_a_number,     ///< the text is not a decimal number
  out_of_range,     ///< a number, but no finite non-zero float is nearest to it
  too_many_digits,  ///< more than kMaxSignificantDigits significant digits (and not just zeros)
};

constexpr int kMaxSignificantDigits = 120;

namespace detail {

/// The sign of m * 2^e - d * 10^k, exactly.
inline int compare_binary_decimal(uint32_t m, int e, const WideUint& d, int k) {
  WideUint binary = WideUint::from(m);
  WideUint decimal = d;
  if (e >= 0) binary.shift_left(e);
  else decimal.shift_left(-e);
  if (k >= 0) decimal.multiply_pow10(k);
  else binary.multiply_pow10(-k);
  return compare(binary, decimal);
}

/// The bit pattern of the float nearest to d * 10^k (d > 0, ties to even); 0x7f800000
/// (infinity) when d * 10^k is at or above FLT_MAX + half an ulp.
inline uint32_t nearest_float_bits(const WideUint& d, int k) {
  uint32_t low = 0;             // value(low) <= d * 10^k
  uint32_t high = 0x7f800000u;  // value(high) > d * 10^k, or infinity
  while (high - low > 1) {
    const uint32_t middle = low + (high - low) / 2;
    const BinaryValue v = binary_value(middle);
    if (compare_binary_decimal(v.mantissa, v.exponent, d, k) <= 0) low = middle;
    else high = middle;
  }
  // The midpoint between low = m * 2^e and the next float is (2m + 1) * 2^(e - 1).
  const BinaryValue v = binary_value(low);
  const int midpoint = compare_binary_decimal(2 * v.mantissa + 1, v.exponent - 1, d, k);
  if (midpoint < 0) return high;
  if (midpoint > 0) return low;
  return (low & 1u) == 0 ? low : high;
}

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace detail

/// Reads text[0..length) as a float (grammar above) into *out.
inline ParseStatus parse_float(const char* text, size_t length, float* out) {
  constexpr int kExponentLimit = 100000;  // far beyond any float; keeps the int from overflowing
  size_t i = 0;
  const bool negative = i < length && text[i] == '-';
  if (i < length && (text[i] == '-' || text[i] == '+')) ++i;

  detail::WideUint d;
  int kept = 0;  // significant digits in d
  int k = 0;     // the value is d * 10^k
  bool any_digit = false;
  bool point = false;
  for (; i < length; ++i) {
    const char c = text[i];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (!detail::is_digit(c)) break;
    any_digit = true;
    if (kept == 0 && c == '0') {  // a leading zero: only moves the point
      if (point) --k;
    } else if (kept < kMaxSignificantDigits) {
      d.multiply(10);
      d.add(static_cast<uint32_t>(c - '0'));
      ++kept;
      if (point) --k;
    } else if (c != '0') {
      return ParseStatus::too_many_digits;
    } else if (!point) {
      ++k;  // a zero beyond the kept digits, before the point: one more power of ten
    }
  }
  if (!any_digit) return ParseStatus::not_a_number;
  if (i < length && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    const bool exponent_negative = i < length && text[i] == '-';
    if (i < length && (text[i] == '-' || text[i] == '+')) ++i;
    if (i >= length || !detail::is_digit(text[i])) return ParseStatus::not_a_number;
    int exponent = 0;
    for (; i < length && detail::is_digit(text[i]); ++i) {
      if (exponent < kExponentLimit) exponent = exponent * 10 + (text[i] - '0');
    }
    k += exponent_negative ? -exponent : exponent;
  }
  if (i != length) return ParseStatus::not_a_number;

  const float sign = negative ? -1.0f : 1.0f;
  if (kept == 0) {
    *out = sign * 0.0f;
    return ParseStatus::ok;
  }
  // The leading digit stands at 10^(kept + k - 1): from 10^39 on every float is too small
  // (FLT_MAX ~ 3.4e38); below 10^-46 the value is under half the smallest float (1.4e-45).
  const int magnitude = kept + k - 1;
  if (magnitude > 38 || magnitude < -46) return ParseStatus::out_of_range;
  const uint32_t bits = detail::nearest_float_bits(d, k);
  if (bits == 0 || bits >= 0x7f800000u) return ParseStatus::out_of_range;
  *out = sign * math::bits_float(bits);
  return ParseStatus::ok;
}

}  // namespace console
}  // namespace anne
