// anne::math against <cmath> in double precision: the portable functions must be accurate to a
// few float ULPs over their whole range, and handle the special values as IEEE-754 says.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
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

TEST(Math, SpecialValues) {
  using namespace anne::math;
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(exp(0.0f), 1.0f);
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
