// SPDX-License-Identifier: MIT
// A model argument that may name a float model (built-in or .anne) or a quantized one (a .anne
// file of format version 2, from anne quantize -o). predict and eval run either through this
// interface; explain, info and export load with it and then treat each kind in its own way.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "anne_host/dataset.hpp"
#include "anne_host/evaluate.hpp"
#include "anne_host/model.hpp"
#include "anne_host/quantize.hpp"

namespace anne::cli {

struct AnyModel {
  std::optional<host::HostModel> float_model;
  std::optional<host::QuantizedModel> quantized;

  const std::string& name() const { return quantized ? quantized->name : float_model->name; }
  uint16_t inputs() const;
  uint16_t outputs() const;
  /// Float rows in, float outputs out (a quantized model's dequantized).
  std::vector<float> predict(const float* x, size_t rows) const;
  /// The outputs for labelled rows, rows * outputs() floats; throws Error, before reading a row,
  /// when the data's width is not the model's.
  std::vector<float> predict(const host::LabeledData& data) const;
};

/// A built-in name or a .anne file of either kind.
AnyModel load_any_model(const std::string& name_or_path);

}  // namespace anne::cli
