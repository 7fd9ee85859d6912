// SPDX-License-Identifier: MIT
// The working paper's binary IRIS task: versicolor (0) against virginica (1).
// Source: ../shared/data/iris/paper-split.json, from the paper author's notebooks
// (statistical-thinking/KI.ENNA): the 100 versicolor and virginica rows in file order (iris rows
// 50..149), z-scored with the mean and population standard deviation of those 100 rows, split
// 80/20 by scikit-learn's train_test_split(test_size=0.2, random_state=0).
#pragma once

#include <stdint.h>

#include "anne/datasets/iris.hpp"
#include "anne/preprocess.hpp"

namespace anne {
namespace iris {
namespace paper_split {

constexpr uint16_t kSubsetFirstRow = 50;  ///< subset position p is iris row 50 + p
constexpr uint16_t kTestRows = 20;
constexpr uint16_t kTrainRows = 80;

inline constexpr const char* kClassNames[2] = {"versicolor", "virginica"};

/// Standardization fitted on the 100 subset rows (population standard deviation, ddof = 0).
inline constexpr float kMean[kFeatures] = {6.261999999999998f, 2.872000000000001f, 4.906000000000001f, 1.6760000000000006f};
inline constexpr float kStd[kFeatures] = {0.659511940756193f, 0.33108307114680446f, 0.8214401986754728f, 0.4226393261399133f};

/// Subset positions of the test rows, in the order the paper's notebooks print them.
inline constexpr uint8_t kTestPositions[kTestRows] = {26, 86, 2, 55, 75, 93, 16, 73, 54, 95, 53, 92, 78, 13, 7, 30, 22, 24, 33, 8};
/// Subset positions of the training rows.
inline constexpr uint8_t kTrainPositions[kTrainRows] = {0, 1, 3, 4, 5, 6, 9, 10, 11, 12, 14, 15, 17, 18, 19, 20, 21, 23, 25, 27, 28, 29, 31, 32, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 74, 76, 77, 79, 80, 81, 82, 83, 84, 85, 87, 88, 89, 90, 91, 94, 96, 97, 98, 99};

/// The binary label of a subset position: 0 versicolor, 1 virginica.
constexpr uint8_t label(uint8_t position) { return static_cast<uint8_t>(kSpecies[kSubsetFirstRow + position] - 1); }

/// The standardized measurements of a subset position, as the network sees them.
inline void standardized_row(uint8_t position, float out[kFeatures]) {
  standardize(kFeaturesCm[kSubsetFirstRow + position], kMean, kStd, out, kFeatures);
}

/// The 80 training rows as the trainer takes them: standardized measurements (kTrainRows x
/// kFeatures floats) and binary labels (kTrainRows floats), in kTrainPositions order.
inline void training_rows(float* inputs, float* targets) {
  for (uint16_t r = 0; r < kTrainRows; ++r) {
    standardized_row(kTrainPositions[r], inputs + r * kFeatures);
    targets[r] = label(kTrainPositions[r]);
  }
}

}  // namespace paper_split
}  // namespace iris
}  // namespace anne
