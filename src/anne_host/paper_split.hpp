// SPDX-License-Identifier: MIT
// The working paper's IRIS split as labelled data (see include/anne/datasets/iris_paper_split.hpp).
#pragma once

#include "anne_host/dataset.hpp"

namespace anne::host {

/// The 20 test rows, standardized, labels 0 versicolor / 1 virginica, in the paper's order.
LabeledData paper_test_set();
/// The 80 training rows, likewise.
LabeledData paper_train_set();

}  // namespace anne::host
