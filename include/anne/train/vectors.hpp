// SPDX-License-Identifier: MIT
// The vector operations training is made of (BLAS calls them copy, scal and axpy):
//
//   copy         y_i = x_i
//   scaled       y_i = a x_i                 a sample's dW row (a = dz_j), the first row of dx
//   add_scaled   y_i = z_i + a x_i           the rows that add to dW and dx; the SGD update
//                                            p - lr g as p + (-lr) g (the same bits: negating
//                                            a product or a subtrahend is exact)
//   sum_of_squares  sum_i x_i^2              a layer's squared gradient norm: the dot product
//                                            of x with itself (weighted_sum: on the RP2040 the
//                                            assembly anne_fdot)
//
// One operation per loop, each element rounded as the formula says (no fused multiply-add). On a
// chip without an FPU every product and sum is a library call; a loop with few live values keeps
// them in registers across the calls, so scaled and add_scaled stay functions of their own
// (noinline: inlined into the backward pass they lose their registers to its many live values,
// which cost the Cortex-M0+ 2% of a training step).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/layer.hpp"

namespace anne {
namespace train {

inline void zeros(float* values, size_t count) {
  for (size_t k = 0; k < count; ++k) values[k] = 0.0f;
}

inline void copy_floats(const float* from, float* to, size_t n) {
  for (size_t k = 0; k < n; ++k) to[k] = from[k];
}

#if defined(ANNE_SOFTFLOAT_DOT)
/// On ARMv6-M images that link firmware/softfloat (ANNE_SOFTFLOAT_DOT): both loops below, bit for
/// bit, in assembly (firmware/softfloat/axpy.S: a unpacked once, the products inline), y_i = a x_i
/// when z is null.
extern "C" void anne_faxpy(const float* z, float a, const float* x, float* y, uint32_t n);

inline void scaled(float a, const float* x, float* y, size_t n) { anne_faxpy(nullptr, a, x, y, n); }

inline void add_scaled(const float* z, float a, const float* x, float* y, size_t n) { anne_faxpy(z, a, x, y, n); }
#else
/// y_i = a x_i
[[gnu::noinline]] inline void scaled(float a, const float* x, float* y, size_t n) {
  for (const float* end = x + n; x != end; ++x, ++y) *y = a * *x;
}

/// y_i = z_i + a x_i; y may be z (y += a x).
[[gnu::noinline]] inline void add_scaled(const float* z, float a, const float* x, float* y, size_t n) {
  for (const float* end = x + n; x != end; ++x, ++y, ++z) *y = *z + a * *x;
}
#endif

/// sum_i x_i^2, in index order, in dot products of at most 65,535 terms (weighted_sum's count).
inline float sum_of_squares(const float* x, size_t n) {
  float sum = 0.0f;
  for (size_t done = 0; done < n;) {
    const uint16_t part = n - done > 0xffffu ? 0xffffu : static_cast<uint16_t>(n - done);
    sum += weighted_sum(x + done, x + done, part);
    done += part;
  }
  return sum;
}

}  // namespace train
}  // namespace anne
