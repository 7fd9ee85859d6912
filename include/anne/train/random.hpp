// SPDX-License-Identifier: MIT
// A small seeded random number generator that gives the same numbers on every platform: PCG32
// (M. E. O'Neill, "PCG: A Family of Simple Fast Space-Efficient Statistically Good Algorithms for
// Random Number Generation", 2014), the pcg32_random_r variant, in integer arithmetic only.
//
//   state' = state * 6364136223846793005 + increment           (64-bit, wraps)
//   output = rotate_right((state ^ (state >> 18)) >> 27, state >> 59)   (32 bits)
//
// Floats come from the top 24 bits, so uniform() is exact in float32 on every target.
#pragma once

#include <stdint.h>

namespace anne {
namespace train {

class Random {
 public:
  /// pcg32_srandom_r(seed, stream): different streams give independent sequences for one seed.
  constexpr Random(uint64_t seed, uint64_t stream) : state_(0), increment_((stream << 1) | 1u) {
    next();
    state_ += seed;
    next();
  }

  constexpr uint32_t next() {
    const uint64_t old = state_;
    state_ = old * 6364136223846793005ull + increment_;
    const uint32_t shifted = static_cast<uint32_t>(((old >> 18) ^ old) >> 27);
    const uint32_t rotation = static_cast<uint32_t>(old >> 59);
    return (shifted >> rotation) | (shifted << ((32u - rotation) & 31u));
  }

  /// A float in [0, 1): the top 24 bits times 2^-24.
  constexpr float uniform() { return static_cast<float>(next() >> 8) * (1.0f / 16777216.0f); }

  /// A whole number in [0, bound), bound > 0, without modulo bias (rejects the first
  /// 2^32 mod bound values, as pcg32_boundedrand_r does).
  constexpr uint32_t below(uint32_t bound) {
    const uint32_t threshold = (0u - bound) % bound;
    for (;;) {
      const uint32_t r = next();
      if (r >= threshold) return r % bound;
    }
  }

 private:
  uint64_t state_;
  uint64_t increment_;
};

/// Fisher-Yates: a uniformly random order of `values` (Durstenfeld's in-place form).
inline void shuffle(uint32_t* values, uint32_t count, Random& random) {
  for (uint32_t i = count; i > 1; --i) {
    const uint32_t j = random.below(i);
    const uint32_t tmp = values[i - 1];
    values[i - 1] = values[j];
    values[j] = tmp;
  }
}

}  // namespace train
}  // namespace anne
