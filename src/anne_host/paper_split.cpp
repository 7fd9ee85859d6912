// SPDX-License-Identifier: MIT
#include "anne_host/paper_split.hpp"

#include "anne/datasets/iris_paper_split.hpp"

namespace anne::host {

namespace {
LabeledData subset(const uint8_t* positions, size_t count) {
  namespace split = iris::paper_split;
  LabeledData data;
  data.feature_names.assign(iris::kFeatureNames, iris::kFeatureNames + iris::kFeatures);
  data.class_names.assign(split::kClassNames, split::kClassNames + 2);
  for (size_t i = 0; i < count; ++i) {
    float row[iris::kFeatures];
    split::standardized_row(positions[i], row);
    data.x.insert(data.x.end(), row, row + iris::kFeatures);
    data.y.push_back(split::label(positions[i]));
  }
  return data;
}
}  // namespace

LabeledData paper_test_set() {
  return subset(iris::paper_split::kTestPositions, iris::paper_split::kTestRows);
}

LabeledData paper_train_set() {
  return subset(iris::paper_split::kTrainPositions, iris::paper_split::kTrainRows);
}

}  // namespace anne::host
