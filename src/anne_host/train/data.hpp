// SPDX-License-Identifier: MIT
// Training data on the host: a seeded train/test split, the z-score fitted on the training rows,
// and the targets a loss wants.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "anne/train/losses.hpp"
#include "anne_host/dataset.hpp"

namespace anne::host {

/// Rows in a random order (PCG32 with this seed, the core's Fisher-Yates shuffle), the last
/// round(rows * test_fraction) of them the test set. Throws Error when either part would be empty.
std::pair<LabeledData, LabeledData> split_rows(const LabeledData& data, double test_fraction, uint32_t seed);

/// The same split per class (stratified): each class's rows shuffled (PCG32 with this seed) and the
/// last round(class rows * test_fraction) of them test rows, so both parts keep the class shares.
/// Rows keep their file order within each part. Throws Error when a part would be empty.
std::pair<LabeledData, LabeledData> stratified_split(const LabeledData& data, double test_fraction, uint32_t seed);

/// Class imbalance by oversampling: each row of class c repeated round(largest class / rows of c)
/// times, in the data's order (rows of the largest class once).
LabeledData oversample(const LabeledData& data);

/// For one sigmoid output: the threshold t that maximizes the F1 score of class 1 when a row is
/// predicted positive for p > t, over the midpoints between the distinct outputs (the largest t
/// among equally good ones). Throws Error when there is no row of class 1.
float best_f1_threshold(const std::vector<float>& outputs, const std::vector<uint16_t>& labels);

/// Per-feature mean and population standard deviation (ddof 0, as scikit-learn's StandardScaler) of
/// the rows; a constant feature gets standard deviation 1.
void fit_standardization(const LabeledData& data, std::vector<float>& mean, std::vector<float>& std_dev);

/// Each row's target: the class index (sparse, or one output), else one-hot over `outputs`.
/// Throws Error when a class does not fit the outputs.
std::vector<float> targets_for(train::Loss loss, const LabeledData& data, uint16_t outputs);

}  // namespace anne::host
