// SPDX-License-Identifier: MIT
// Labelled data for evaluation: the feature columns of a CSV table as floats, and a label column
// turned into class indices.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "anne_host/csv.hpp"

namespace anne::host {

struct LabeledData {
  std::vector<std::string> feature_names;
  std::vector<float> x;                  ///< rows * features, row-major
  std::vector<uint16_t> y;               ///< class index per row
  std::vector<std::string> class_names;  ///< names of class 0, 1, ...
  size_t skipped_rows = 0;               ///< rows whose label is not one of the named classes

  size_t features() const { return feature_names.size(); }
  size_t rows() const { return y.size(); }
  const float* row(size_t r) const { return x.data() + r * features(); }
};

/// Every column but the label is a feature, in file order. Labels:
/// - with `classes` given, a label equal to classes[k] is class k and other rows are skipped;
/// - else, labels that are all whole numbers 0, 1, ... are the class indices themselves;
/// - else, the distinct label strings in sorted order are classes 0, 1, ...
/// Throws Error naming the file, line and column of the first bad cell.
LabeledData labeled_data(const CsvTable& table, const std::string& label_column,
                         const std::vector<std::string>& classes = {});

/// All columns except `skip_column` (pass table.header.size() to keep all) as a float matrix.
std::vector<float> feature_matrix(const CsvTable& table, size_t skip_column);

/// The float in a cell, or Error "FILE:LINE: column 'NAME' (N): 'TEXT' is not a finite number".
float numeric_cell(const CsvTable& table, size_t row, size_t column);

}  // namespace anne::host
