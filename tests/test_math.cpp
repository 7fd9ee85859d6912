// anne::math against <cmath> in double precision: the portable functions must be accurate to a
// few float ULPs over their whole range, and handle the special values as IEEE-754 says.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <ostream>
#include <string>

#include "anne/math.hpp"

namespace {

struct MathCase {
  const char* name;
  float (*anne_fn)(float);
  double (*reference)(double);
  float low;
  float high;
  double max_ulps;  // relative error bound, in units of float epsilon
  double abs_floor; // absolute error allowed on top (for functions whose value crosses zero)
};

double std_exp(double x) { return std::exp(x); }
double std_expm1(double x) { return std::expm1(x); }
double std_log(double x) { return std::log(x); }
double std_log1p(double x) { return std::log1p(x); }
double std_tanh(double x) { return std::tanh(x); }
double std_erf(double x) { return std::erf(x); }
double std_sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double std_softplus(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); }

void PrintTo(const MathCase& c, std::ostream* out) { *out << c.name << " on [" << c.low << ", " << c.high << "]"; }

class MathAccuracy : public ::testing::TestWithParam<MathCase> {};

TEST_P(MathAccuracy, WithinBoundOverRange) {
  const MathCase& c = GetParam();
  const int steps = 20000;
  double worst = 0.0;
  for (int i = 0; i <= steps; ++i) {
    const float x = c.low + (c.high - c.low) * static_cast<float>(i) / steps;
    const double expected = c.reference(static_cast<double>(x));
    const double got = c.anne_fn(x);
    // Relative accuracy, plus one subnormal step: below FLT_MIN a float has fewer digits.
    const double allowed = c.max_ulps * FLT_EPSILON * std::fabs(expected) + c.abs_floor +
                           std::numeric_limits<float>::denorm_min();
    ASSERT_LE(std::fabs(got - expected), allowed) << c.name << "(" << x << ") = " << got << ", expected " << expected;
    worst = std::max(worst, std::fabs(got - expected) / (std::fabs(expected) + 1e-300));
  }
  RecordProperty("worst_relative_error", std::to_string(worst));
}

INSTANTIATE_TEST_SUITE_P(
    Functions, MathAccuracy,
    ::testing::Values(MathCase{"exp", anne::math::exp, std_exp, -103.0f, 88.7f, 4, 0},
                      MathCase{"exp_small", anne::math::exp, std_exp, -1.0f, 1.0f, 4, 0},
                      MathCase{"expm1", anne::math::expm1, std_expm1, -20.0f, 20.0f, 4, 0},
                      MathCase{"expm1_small", anne::math::expm1, std_expm1, -0.001f, 0.001f, 4, 0},
                      MathCase{"log", anne::math::log, std_log, 1e-30f, 1e30f, 4, 0},
                      MathCase{"log_near_1", anne::math::log, std_log, 0.5f, 2.0f, 4, 1e-7},
                      MathCase{"log1p", anne::math::log1p, std_log1p, -0.999f, 1000.0f, 4, 0},
                      MathCase{"log1p_small", anne::math::log1p, std_log1p, -1e-4f, 1e-4f, 4, 0},
                      MathCase{"tanh", anne::math::tanh, std_tanh, -12.0f, 12.0f, 4, 0},
                      MathCase{"tanh_small", anne::math::tanh, std_tanh, -0.01f, 0.01f, 4, 0},
                      MathCase{"sigmoid", anne::math::sigmoid, std_sigmoid, -100.0f, 100.0f, 4, 0},
                      MathCase{"softplus", anne::math::softplus, std_softplus, -80.0f, 80.0f, 4, 0},
                      MathCase{"erf", anne::math::erf, std_erf, -6.0f, 6.0f, 4, 1.5e-7}),
    [](const auto& test) { return std::string(test.param.name); });

// exp and sigmoid over the whole float line: every 7919th bit pattern (a prime, so the points fall
// on every exponent and on all low-bit patterns of the significand), both signs, ~540,000 points,
// against long double. Errors are in units in the last place (ULP) of float at the exact value:
// the gap between the floats of its binade, 2^-149 for subnormals. On a host with the double fast
// path the sweep also checks that it gives the bits of the integer kernels the chips run.
constexpr uint32_t kSweepStride = 7919;
constexpr double kExpMaxUlps = 0.51;      // documented in anne/math.hpp
constexpr double kSigmoidMaxUlps = 0.54;  // documented in anne/math.hpp

double ulp_error(float got, long double exact) {
  const float rounded = static_cast<float>(exact);  // the correctly rounded result
  if (std::isinf(rounded) || std::isinf(got)) return got == rounded ? 0.0 : std::numeric_limits<double>::infinity();
  int exponent = 0;
  std::frexp(exact, &exponent);  // |exact| in [2^(exponent-1), 2^exponent)
  const long double ulp = std::ldexp(1.0L, std::max(exponent - 24, -149));
  return static_cast<double>(std::fabs(static_cast<long double>(got) - exact) / ulp);
}

long double exact_sigmoid(long double x) {
  return x >= 0 ? 1.0L / (1.0L + std::exp(-x)) : std::exp(x) / (1.0L + std::exp(x));
}

struct Sweep {
  double worst_ulps = 0.0;
  float worst_at = 0.0f;
  int not_as_integer = 0;  // results whose bits differ from the integer kernel's
};

Sweep sweep(float (*fn)(float), float (*integer)(float), long double (*exact)(long double)) {
  Sweep result;
  for (uint64_t bits = 0; bits <= 0xffffffffu; bits += kSweepStride) {
    const float x = anne::math::bits_float(static_cast<uint32_t>(bits));
    if (std::isnan(x)) continue;
    const float y = fn(x);
    if (anne::math::float_bits(y) != anne::math::float_bits(integer(x))) ++result.not_as_integer;
    const double error = ulp_error(y, exact(x));
    if (!(error <= result.worst_ulps)) {
      result.worst_ulps = error;
      result.worst_at = x;
    }
  }
  return result;
}

long double exact_exp(long double x) { return std::exp(x); }

TEST(MathSweep, UlpErrorMeasuresInUnitsOfTheBinade) {
  EXPECT_EQ(ulp_error(1.0f, 1.0L), 0.0);
  EXPECT_DOUBLE_EQ(ulp_error(1.0f + FLT_EPSILON, 1.0L), 1.0);
  EXPECT_DOUBLE_EQ(ulp_error(1.0f, 1.0L - std::ldexp(1.0L, -24)), 1.0);  // below 1 the gap is 2^-24
  EXPECT_DOUBLE_EQ(ulp_error(0.0f, std::ldexp(1.0L, -149)), 1.0);
  EXPECT_DOUBLE_EQ(ulp_error(0.0f, std::ldexp(1.0L, -151)), 0.25);  // subnormal: 2^-149 steps
  EXPECT_EQ(ulp_error(std::numeric_limits<float>::infinity(), std::ldexp(1.0L, 130)), 0.0);
  EXPECT_TRUE(std::isinf(ulp_error(FLT_MAX, std::ldexp(1.0L, 130))));   // must overflow to inf
  EXPECT_TRUE(std::isinf(ulp_error(std::numeric_limits<float>::infinity(), 1.0L)));
}

TEST(MathSweep, ExpOverAllFloats) {
  const Sweep result = sweep(anne::math::exp, anne::math::detail::exp_integer, exact_exp);
  RecordProperty("max_ulps", std::to_string(result.worst_ulps));
  EXPECT_LE(result.worst_ulps, kExpMaxUlps) << "at x = " << result.worst_at;
  EXPECT_EQ(result.not_as_integer, 0);
}

TEST(MathSweep, SigmoidOverAllFloats) {
  const Sweep result = sweep(anne::math::sigmoid, anne::math::detail::sigmoid_integer, exact_sigmoid);
  RecordProperty("max_ulps", std::to_string(result.worst_ulps));
  EXPECT_LE(result.worst_ulps, kSigmoidMaxUlps) << "at x = " << result.worst_at;
  EXPECT_EQ(result.not_as_integer, 0);
}

// The edges, float by float: where e^x leaves the float range and where sigmoid reaches 1.
TEST(MathSweep, ExpOverflowAndUnderflowThresholds) {
  using anne::math::bits_float;
  using anne::math::exp;
  EXPECT_EQ(exp(bits_float(0x42b17217u)), 3.40279851e+38f);  // 88.7228317: e^x < FLT_MAX + ULP/2
  EXPECT_EQ(exp(bits_float(0x42b17218u)), std::numeric_limits<float>::infinity());  // 88.7228394
  EXPECT_EQ(exp(bits_float(0xc2cff1b4u)), std::numeric_limits<float>::denorm_min());  // -103.972076
  EXPECT_EQ(exp(bits_float(0xc2cff1b5u)), 0.0f);                                        // -103.972084
  for (uint32_t bits = 0x42b00000u; bits < 0x42b40000u; ++bits) {  // 88 to 90: inf exactly where e^x rounds to inf
    const float x = bits_float(bits);
    ASSERT_EQ(std::isinf(exp(x)), std::isinf(static_cast<float>(std::exp(static_cast<long double>(x))))) << x;
  }
  for (uint32_t bits = 0xc2cf0000u; bits < 0xc2d10000u; ++bits) {  // -103.5 to -104.5: 0 where e^x rounds to 0
    const float x = bits_float(bits);
    ASSERT_EQ(exp(x) == 0.0f, static_cast<float>(std::exp(static_cast<long double>(x))) == 0.0f) << x;
  }
}

// (Within 0.54 ULP, sigmoid may also give 1 a few floats early, where the exact value lies within
// 0.04 ULP of the midpoint 1 - 2^-25.)
TEST(MathSweep, SigmoidIsExactlyOneWhereItRoundsToOne) {
  for (uint32_t bits = 0x41880000u; bits < 0x41900000u; ++bits) {  // 17 to 18, every float
    const float x = anne::math::bits_float(bits);
    if (static_cast<float>(exact_sigmoid(x)) == 1.0f) {
      ASSERT_EQ(anne::math::sigmoid(x), 1.0f) << x;
    }
  }
  EXPECT_EQ(anne::math::sigmoid(20.0f), 1.0f);
  EXPECT_EQ(anne::math::sigmoid(1e30f), 1.0f);
}

TEST(Math, SpecialValues) {
  using namespace anne::math;
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(exp(0.0f), 1.0f);
  EXPECT_EQ(exp(-0.0f), 1.0f);
  EXPECT_EQ(exp(1e-30f), 1.0f);
  EXPECT_EQ(exp(1.0f), 2.71828183f);
  EXPECT_EQ(exp(89.0f), inf);
  EXPECT_EQ(exp(-104.0f), 0.0f);
  EXPECT_EQ(exp(-inf), 0.0f);
  EXPECT_EQ(exp(inf), inf);
  EXPECT_GT(exp(-100.0f), 0.0f);  // subnormal result, not flushed to zero
  const float tiny = std::numeric_limits<float>::denorm_min();
  EXPECT_NEAR(exp(-100.0f), std::exp(-100.0), tiny);  // within one subnormal step
  EXPECT_EQ(log(1.0f), 0.0f);
  EXPECT_EQ(log(0.0f), -inf);
  EXPECT_EQ(log(inf), inf);
  EXPECT_TRUE(std::isnan(log(-1.0f)));
  EXPECT_NEAR(log(tiny), std::log(static_cast<double>(tiny)), 1e-5);
  EXPECT_EQ(log1p(-1.0f), -inf);
  EXPECT_EQ(log1p(inf), inf);
  EXPECT_EQ(tanh(inf), 1.0f);
  EXPECT_EQ(tanh(-FLT_MAX), -1.0f);
  EXPECT_EQ(erf(inf), 1.0f);
  EXPECT_EQ(sigmoid(-FLT_MAX), 0.0f);
  EXPECT_EQ(sigmoid(FLT_MAX), 1.0f);
  EXPECT_EQ(sigmoid(inf), 1.0f);
  EXPECT_EQ(sigmoid(-inf), 0.0f);
  EXPECT_EQ(sigmoid(0.0f), 0.5f);
  EXPECT_EQ(sigmoid(-0.0f), 0.5f);
  EXPECT_EQ(sigmoid(-104.0f), 0.0f);  // 6.8e-46 < 2^-150: rounds to 0
  // Relative accuracy holds into the subnormal range: 3.7e-44 is 26.5 steps of 2^-149.
  EXPECT_NEAR(sigmoid(-100.0f), std::exp(-100.0), tiny);
  EXPECT_GT(sigmoid(-100.0f), 0.0f);
  EXPECT_EQ(softplus(FLT_MAX), FLT_MAX);
  for (float (*fn)(float) : {exp, expm1, log, log1p, tanh, sigmoid, softplus, erf}) {
    EXPECT_TRUE(std::isnan(fn(nan)));
  }
  EXPECT_TRUE(is_nan(nan));
  EXPECT_FALSE(is_nan(inf));
  EXPECT_FALSE(is_finite(inf));
  EXPECT_TRUE(is_finite(FLT_MAX));
}

}  // namespace
