// SPDX-License-Identifier: MIT
// Classification metrics: the predicted class, a confusion matrix, accuracy, precision, recall, F1.
#pragma once

#include <stdint.h>

#include "anne/math.hpp"
#include "anne/status.hpp"

namespace anne {

/// The class a network's output votes for. One output (a sigmoid probability): class 1 when
/// p > threshold (0.5 by default, as Keras's binary accuracy), else class 0. Several outputs:
/// the index of the largest (the first one on ties). A NaN output never wins.
inline uint16_t predicted_class(const float* output, uint16_t n, float threshold = 0.5f) {
  if (n == 1) return output[0] > threshold ? 1 : 0;
  uint16_t best = 0;
  for (uint16_t i = 1; i < n; ++i) {
    if (output[i] > output[best] || math::is_nan(output[best])) best = i;
  }
  return best;
}

/// Number of classes a network with `outputs` outputs distinguishes: 2 for one sigmoid output.
constexpr uint16_t class_count(uint16_t outputs) { return outputs == 1 ? 2 : outputs; }

/// A view over caller-provided counts, classes*classes cells: counts[actual * classes + predicted].
/// Rows are the actual class, columns the predicted class, class 0 first. The view does not clear
/// the counts, so it can also read a matrix counted elsewhere; call clear() to start from zero.
///
/// Precision, recall and F1 of a class whose denominator is zero are 0 (scikit-learn's
/// zero_division=0), so a class that is never predicted lowers the macro average.
class ConfusionMatrix {
 public:
  ConfusionMatrix(uint32_t* counts, uint16_t classes) : counts_(counts), classes_(classes) {}

  void clear() {
    for (uint32_t i = 0; i < static_cast<uint32_t>(classes_) * classes_; ++i) counts_[i] = 0;
  }

  Status add(uint16_t actual, uint16_t predicted) {
    if (actual >= classes_ || predicted >= classes_) return Status::class_out_of_range;
    ++counts_[static_cast<uint32_t>(actual) * classes_ + predicted];
    return Status::ok;
  }

  uint16_t classes() const { return classes_; }
  uint32_t at(uint16_t actual, uint16_t predicted) const {
    return counts_[static_cast<uint32_t>(actual) * classes_ + predicted];
  }

  uint32_t total() const {
    uint32_t sum = 0;
    for (uint32_t i = 0; i < static_cast<uint32_t>(classes_) * classes_; ++i) sum += counts_[i];
    return sum;
  }
  uint32_t correct() const {
    uint32_t sum = 0;
    for (uint16_t c = 0; c < classes_; ++c) sum += at(c, c);
    return sum;
  }
  /// Row sum: how many samples truly are of class c (support).
  uint32_t actual_count(uint16_t c) const {
    uint32_t sum = 0;
    for (uint16_t p = 0; p < classes_; ++p) sum += at(c, p);
    return sum;
  }
  /// Column sum: how many samples were predicted as class c.
  uint32_t predicted_count(uint16_t c) const {
    uint32_t sum = 0;
    for (uint16_t a = 0; a < classes_; ++a) sum += at(a, c);
    return sum;
  }

  /// (correct predictions) / (all predictions)
  double accuracy() const { return ratio(correct(), total()); }
  /// TP / (TP + FP): of the samples predicted as c, the share that are c.
  double precision(uint16_t c) const { return ratio(at(c, c), predicted_count(c)); }
  /// TP / (TP + FN): of the samples that are c, the share predicted as c.
  double recall(uint16_t c) const { return ratio(at(c, c), actual_count(c)); }
  /// 2 TP / (2 TP + FP + FN), the harmonic mean of precision and recall.
  double f1(uint16_t c) const { return ratio(2u * at(c, c), actual_count(c) + predicted_count(c)); }

  /// Unweighted means over the classes.
  double macro_precision() const { return mean_over_classes(&ConfusionMatrix::precision); }
  double macro_recall() const { return mean_over_classes(&ConfusionMatrix::recall); }
  double macro_f1() const { return mean_over_classes(&ConfusionMatrix::f1); }

 private:
  static double ratio(uint32_t numerator, uint32_t denominator) {
    return denominator == 0 ? 0.0 : static_cast<double>(numerator) / denominator;
  }
  double mean_over_classes(double (ConfusionMatrix::*metric)(uint16_t) const) const {
    double sum = 0.0;
    for (uint16_t c = 0; c < classes_; ++c) sum += (this->*metric)(c);
    return classes_ == 0 ? 0.0 : sum / classes_;
  }

  uint32_t* counts_;
  uint16_t classes_;
};

}  // namespace anne
