// Every float through anne::math::exp and sigmoid (by hand: build/bench/anne_math_exhaustive, a
// few minutes): the bits must equal those of the integer kernels the chips without a
// double-precision unit run (detail::exp_integer, detail::sigmoid_integer), and the error, in ULP
// of the exact value (double <cmath> reference), must stay within the bounds anne/math.hpp states.
// Prints the counts and the worst cases; exits with status 1 if any check fails.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "anne/math.hpp"

namespace {

constexpr double kExpBoundUlps = 0.51;
constexpr double kSigmoidBoundUlps = 0.54;

double ulp_error(float got, double exact) {
  const float rounded = static_cast<float>(exact);
  if (std::isinf(rounded) || std::isinf(got)) return got == rounded ? 0.0 : INFINITY;
  int exponent = 0;
  std::frexp(exact, &exponent);
  return std::fabs(static_cast<double>(got) - exact) / std::ldexp(1.0, std::max(exponent - 24, -149));
}

double exact_sigmoid(double x) {
  const double e = std::exp(-std::fabs(x));
  return (x < 0 ? e : 1.0) / (1.0 + e);
}

struct Tally {
  uint64_t points = 0, exp_differs = 0, sigmoid_differs = 0;
  double exp_worst = 0, sigmoid_worst = 0;
  float exp_worst_at = 0, sigmoid_worst_at = 0;
};

void check(uint64_t from, uint64_t to, Tally* tally) {
  for (uint64_t bits = from; bits < to; ++bits) {
    const float x = anne::math::bits_float(static_cast<uint32_t>(bits));
    if (std::isnan(x)) continue;
    ++tally->points;
    const float e = anne::math::exp(x), s = anne::math::sigmoid(x);
    if (anne::math::float_bits(e) != anne::math::float_bits(anne::math::detail::exp_integer(x))) ++tally->exp_differs;
    if (anne::math::float_bits(s) != anne::math::float_bits(anne::math::detail::sigmoid_integer(x))) ++tally->sigmoid_differs;
    const double exp_error = ulp_error(e, std::exp(static_cast<double>(x)));
    const double sigmoid_error = ulp_error(s, exact_sigmoid(x));
    if (!(exp_error <= tally->exp_worst)) tally->exp_worst = exp_error, tally->exp_worst_at = x;
    if (!(sigmoid_error <= tally->sigmoid_worst)) tally->sigmoid_worst = sigmoid_error, tally->sigmoid_worst_at = x;
  }
}

}  // namespace

int main() {
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<Tally> tallies(threads);
  std::vector<std::thread> workers;
  const uint64_t chunk = ((uint64_t{1} << 32) + threads - 1) / threads;
  for (unsigned t = 0; t < threads; ++t) {
    const uint64_t from = t * chunk, to = std::min<uint64_t>(from + chunk, uint64_t{1} << 32);
    workers.emplace_back(check, from, to, &tallies[t]);
  }
  Tally all;
  for (unsigned t = 0; t < threads; ++t) {
    workers[t].join();
    const Tally& part = tallies[t];
    all.points += part.points;
    all.exp_differs += part.exp_differs;
    all.sigmoid_differs += part.sigmoid_differs;
    if (part.exp_worst > all.exp_worst) all.exp_worst = part.exp_worst, all.exp_worst_at = part.exp_worst_at;
    if (part.sigmoid_worst > all.sigmoid_worst) all.sigmoid_worst = part.sigmoid_worst, all.sigmoid_worst_at = part.sigmoid_worst_at;
  }
  std::printf("%llu floats (NaN excluded), %s path\n", static_cast<unsigned long long>(all.points),
              anne::math::detail::kDoubleFastPath ? "double fast" : "integer");
  std::printf("exp:     %llu differ from the integer kernel; worst %.4f ULP at %.9g (bound %.2f)\n",
              static_cast<unsigned long long>(all.exp_differs), all.exp_worst, static_cast<double>(all.exp_worst_at), kExpBoundUlps);
  std::printf("sigmoid: %llu differ from the integer kernel; worst %.4f ULP at %.9g (bound %.2f)\n",
              static_cast<unsigned long long>(all.sigmoid_differs), all.sigmoid_worst, static_cast<double>(all.sigmoid_worst_at),
              kSigmoidBoundUlps);
  const bool ok = all.exp_differs == 0 && all.sigmoid_differs == 0 && all.exp_worst <= kExpBoundUlps &&
                  all.sigmoid_worst <= kSigmoidBoundUlps;
  return ok ? 0 : 1;
}
