// SPDX-License-Identifier: MIT
// Requantization: the int32 sum of a quantized layer times a real multiplier M (e.g. s_x s_w / s_y),
// rounded to an integer, with one 32 x 32 -> 32 bit multiply (one cycle on the Cortex-M0+; a
// 64-bit multiply would be a slow library call there).
//
// M is stored as m * 2^-(pre_shift + shift):
//   requantize(acc) = ((acc >> pre_shift) * m) >> shift  =  floor(acc M), to within the dropped bits
// (the rounding half and the output's zero point are folded into the layer's int32 bias, like the
// input zero point, so they cost nothing here). The product must fit 32 bits. It does because |acc| has a bound A that the weights fix
// (|acc| <= |B| + 32768 sum_i |W_q[i]|, the inputs being 16-bit codes): the quantizer drops the
// pre_shift low bits of acc that are worth less than a quarter of an output code, so that
// A / 2^pre_shift < 2^17 and m keeps 15 bits, and the validator refuses any unit whose numbers
// could overflow (requantizer_fits). The result is floor(acc M) to within M 2^pre_shift (the
// dropped bits), and the same integer on every target.
#pragma once

#include <stdint.h>

namespace anne {
namespace quant {

struct Requantizer {
  int32_t multiplier = 0;  ///< m >= 0
  uint8_t pre_shift = 0;   ///< 0 to 30: low bits of the sum dropped before the multiply
  uint8_t shift = 0;       ///< 0 to 31
};

constexpr uint8_t kMaxPreShift = 30;
constexpr uint8_t kMaxRequantizeShift = 31;
constexpr uint32_t kRequantizeLimit = 0x7fffffffu;  ///< |acc >> pre_shift| m must not exceed this

/// ((acc >> pre_shift) m) >> shift. Only for |acc| within the bound the requantizer was made for
/// (requantizer_fits): the product then fits 32 bits.
inline int32_t requantize(int32_t acc, Requantizer r) { return ((acc >> r.pre_shift) * r.multiplier) >> r.shift; }

/// Whether `r` is well formed, |acc| <= bound fits int32, and (|acc| >> pre_shift) m stays below
/// 2^31 for every such acc. (Checked once, when a model is loaded: this 64-bit product never runs
/// per inference.)
constexpr bool requantizer_fits(Requantizer r, uint64_t bound) {
  if (r.shift > kMaxRequantizeShift || r.pre_shift > kMaxPreShift || r.multiplier < 0 || bound > kRequantizeLimit) {
    return false;
  }
  const uint64_t shifted = (bound >> r.pre_shift) + 1;  // |floor(-A / 2^p)| can be one more than A >> p
  return shifted * static_cast<uint32_t>(r.multiplier) <= kRequantizeLimit;
}

}  // namespace quant
}  // namespace anne
