// Metrics against hand-computed confusion matrices, binary and 3-class.
#include <gtest/gtest.h>

#include <cmath>

#include "anne/metrics.hpp"

namespace {

TEST(PredictedClass, ThresholdForOneOutputArgmaxForSeveral) {
  const float p[1] = {0.5f};
  EXPECT_EQ(anne::predicted_class(p, 1), 0);  // p > 0.5 is class 1, as Keras's binary accuracy
  const float q[1] = {0.51f};
  EXPECT_EQ(anne::predicted_class(q, 1), 1);
  const float scores[4] = {0.1f, 0.7f, 0.7f, 0.2f};
  EXPECT_EQ(anne::predicted_class(scores, 4), 1);  // first maximum wins a tie
  const float with_nan[3] = {NAN, 0.2f, 0.1f};
  EXPECT_EQ(anne::predicted_class(with_nan, 3), 1);
  EXPECT_EQ(anne::class_count(1), 2);
  EXPECT_EQ(anne::class_count(3), 3);
}

TEST(ConfusionMatrix, BinaryByHand) {
  // actual:    0 0 0 0 1 1 1 1 1 1
  // predicted: 0 0 1 1 1 1 1 1 1 0   -> TN 2, FP 2, FN 1, TP 5
  uint32_t counts[4];
  anne::ConfusionMatrix m(counts, 2);
  m.clear();
  const uint16_t actual[10] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
  const uint16_t predicted[10] = {0, 0, 1, 1, 1, 1, 1, 1, 1, 0};
  for (int i = 0; i < 10; ++i) ASSERT_EQ(m.add(actual[i], predicted[i]), anne::Status::ok);
  EXPECT_EQ(m.at(0, 0), 2u);
  EXPECT_EQ(m.at(0, 1), 2u);
  EXPECT_EQ(m.at(1, 0), 1u);
  EXPECT_EQ(m.at(1, 1), 5u);
  EXPECT_DOUBLE_EQ(m.accuracy(), 7.0 / 10);
  EXPECT_DOUBLE_EQ(m.precision(1), 5.0 / 7);
  EXPECT_DOUBLE_EQ(m.recall(1), 5.0 / 6);
  EXPECT_DOUBLE_EQ(m.f1(1), 2.0 * 5 / (2 * 5 + 2 + 1));
  EXPECT_DOUBLE_EQ(m.precision(0), 2.0 / 3);
  EXPECT_DOUBLE_EQ(m.recall(0), 2.0 / 4);
  EXPECT_DOUBLE_EQ(m.macro_recall(), (0.5 + 5.0 / 6) / 2);
}

TEST(ConfusionMatrix, ThreeClassesByHand) {
  //            predicted 0  1  2
  // actual 0             3  1  0
  // actual 1             0  2  2
  // actual 2             1  0  4
  uint32_t counts[9];
  anne::ConfusionMatrix m(counts, 3);
  m.clear();
  const uint16_t cells[3][3] = {{3, 1, 0}, {0, 2, 2}, {1, 0, 4}};
  for (uint16_t a = 0; a < 3; ++a) {
    for (uint16_t p = 0; p < 3; ++p) {
      for (int k = 0; k < cells[a][p]; ++k) m.add(a, p);
    }
  }
  EXPECT_EQ(m.total(), 13u);
  EXPECT_DOUBLE_EQ(m.accuracy(), 9.0 / 13);
  const double precision[3] = {3.0 / 4, 2.0 / 3, 4.0 / 6};
  const double recall[3] = {3.0 / 4, 2.0 / 4, 4.0 / 5};
  for (uint16_t c = 0; c < 3; ++c) {
    EXPECT_DOUBLE_EQ(m.precision(c), precision[c]) << c;
    EXPECT_DOUBLE_EQ(m.recall(c), recall[c]) << c;
    EXPECT_NEAR(m.f1(c), 2 * precision[c] * recall[c] / (precision[c] + recall[c]), 1e-15) << c;
  }
  EXPECT_NEAR(m.macro_precision(), (precision[0] + precision[1] + precision[2]) / 3, 1e-15);
  EXPECT_NEAR(m.macro_recall(), (recall[0] + recall[1] + recall[2]) / 3, 1e-15);
}

TEST(ConfusionMatrix, EmptyClassesAndOutOfRange) {
  uint32_t counts[4];
  anne::ConfusionMatrix m(counts, 2);
  m.clear();
  EXPECT_DOUBLE_EQ(m.accuracy(), 0.0);
  m.add(0, 0);
  EXPECT_DOUBLE_EQ(m.precision(1), 0.0);  // class 1 never predicted: zero_division = 0
  EXPECT_DOUBLE_EQ(m.f1(1), 0.0);
  EXPECT_EQ(m.add(2, 0), anne::Status::class_out_of_range);
  EXPECT_EQ(m.add(0, 2), anne::Status::class_out_of_range);
  EXPECT_EQ(m.total(), 1u);
}

}  // namespace
