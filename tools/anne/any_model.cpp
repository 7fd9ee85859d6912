// SPDX-License-Identifier: MIT
#include "any_model.hpp"

#include "anne_host/anne_file.hpp"
#include "anne_host/error.hpp"

namespace anne::cli {

uint16_t AnyModel::inputs() const {
  return quantized ? quant::quantized_inputs(quantized->network()) : network_inputs(float_model->network());
}

uint16_t AnyModel::outputs() const {
  return quantized ? quant::quantized_outputs(quantized->network()) : network_outputs(float_model->network());
}

std::vector<float> AnyModel::predict(const float* x, size_t rows) const {
  return quantized ? host::predict_quantized(*quantized, x, rows) : host::predict(float_model->network(), x, rows);
}

std::vector<float> AnyModel::predict(const host::LabeledData& data) const {
  host::check_features(data, inputs());
  return predict(data.x.data(), data.rows());
}

AnyModel load_any_model(const std::string& name_or_path) {
  AnyModel model;
  if (host::is_quantized_anne_file(name_or_path)) {
    model.quantized = host::read_quantized_anne_file(name_or_path);
  } else {
    model.float_model = host::load_model(name_or_path);
  }
  return model;
}

}  // namespace anne::cli
