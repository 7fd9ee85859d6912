// SPDX-License-Identifier: MIT
#include "anne_host/import/keras.hpp"

#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "anne_host/anne_file.hpp"
#include "anne_host/error.hpp"
#include "anne_host/import/hdf5.hpp"
#include "anne_host/text.hpp"

namespace anne::host {

namespace {

using nlohmann::json;

/// Weight arrays of one layer by role: kernel, bias, gamma, beta, moving_mean, moving_variance,
/// alpha, mean, variance.
using LayerWeights = std::map<std::string, hdf5::Array>;

struct KerasLayer {
  size_t position;  ///< 1-based, in the config
  std::string class_name;
  std::string name;
  json config;
  size_t class_index;  ///< how many layers of the same class come before it
};

/// Where the weights come from: .h5 (by each layer group's weight_names) or a .keras zip's
/// model.weights.h5 (by class and position).
using WeightReader = std::function<LayerWeights(const KerasLayer&)>;

// Limits (docs/import.md): far above any model anne runs, so that a file declaring more is refused
// quickly, by its declared size, before anything of that size is allocated or inflated. A model
// file, a model.weights.h5 and a TF.js model's shards together have kMaxModelFileBytes (anne_file.hpp).
constexpr uint64_t kMaxJsonBytes = uint64_t{16} << 20;   ///< config.json, metadata.json, model.json, a model_config
constexpr size_t kMaxJsonDepth = 64;                     ///< objects and arrays inside each other

/// "N bytes, more than the limit of L MiB"
std::string over_limit(uint64_t size, uint64_t limit) {
  return std::to_string(size) + " bytes, more than the limit of " + std::to_string(limit >> 20) + " MiB";
}

std::string describe(const KerasLayer& layer) {
  return "layer " + std::to_string(layer.position) + " '" + layer.name + "' (" + layer.class_name + ")";
}

/// A true/false setting of a layer's config, `fallback` when absent.
bool flag(const json& config, const char* key, bool fallback, const KerasLayer& layer) {
  if (!config.contains(key) || config[key].is_null()) return fallback;
  if (!config[key].is_boolean()) throw Error(describe(layer) + ": '" + key + "' is not true or false");
  return config[key].get<bool>();
}

/// Keras's own class-name-to-group-name rule (keras.src.utils.naming.to_snake_case): the regular
/// expressions (.)([A-Z][a-z]+) -> \1_\2 and then ([a-z])([A-Z]) -> \1_\2, scanned left to right
/// without overlap as re.sub does; then lower case. "PReLU" -> "p_re_lu".
std::string snake_case(const std::string& class_name) {
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  std::string first;
  for (size_t p = 0; p < class_name.size();) {
    if (p + 2 < class_name.size() && upper(class_name[p + 1]) && lower(class_name[p + 2])) {
      size_t end = p + 3;
      while (end < class_name.size() && lower(class_name[end])) ++end;
      first += class_name.substr(p, 1) + "_" + class_name.substr(p + 1, end - p - 1);
      p = end;
    } else {
      first += class_name[p++];
    }
  }
  std::string second;
  for (size_t p = 0; p < first.size();) {
    if (p + 1 < first.size() && lower(first[p]) && upper(first[p + 1])) {
      second += first.substr(p, 1) + "_" + first.substr(p + 1, 1);
      p += 2;
    } else {
      second += first[p++];
    }
  }
  for (char& c : second) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return second;
}

/// The number N of a group named BASE (0) or BASE_N, or nothing for any other name.
std::optional<long> group_number(const std::string& group, const std::string& base) {
  if (group == base) return 0;
  if (group.size() <= base.size() + 1 || group.compare(0, base.size() + 1, base + "_") != 0) return std::nullopt;
  return parse_index(group.substr(base.size() + 1));
}

/// The role of an .h5 weight from its name: ".../dense/kernel:0" -> "kernel".
std::string role_of(const std::string& weight_name) {
  std::string role = weight_name.substr(weight_name.find_last_of('/') + 1);
  const size_t colon = role.find(':');
  return colon == std::string::npos ? role : role.substr(0, colon);
}

/// Keras writes string lists as Python reprs in some attributes ("['a', 'b']"); HDF5 string
/// arrays arrive as lists already.
std::vector<std::string> as_names(const std::vector<std::string>& values) {
  if (values.size() != 1 || values[0].empty() || values[0].front() != '[') return values;
  std::vector<std::string> names;
  const std::string& text = values[0];
  for (size_t open = text.find('\''); open != std::string::npos; open = text.find('\'', open)) {
    const size_t close = text.find('\'', open + 1);
    if (close == std::string::npos) break;
    names.push_back(text.substr(open + 1, close - open - 1));
    open = close + 1;
  }
  return names;
}

WeightReader h5_weights(const hdf5::File& file, const std::string& root) {
  return [&file, root](const KerasLayer& layer) {
    LayerWeights weights;
    const std::string group = root + layer.name;
    if (!file.exists(group)) return weights;
    for (const std::string& name : as_names(file.string_list_attribute(group, "weight_names"))) {
      weights[role_of(name)] = file.read(group + "/" + name);
    }
    return weights;
  };
}

/// The roles of a layer's vars in a .keras file, in their stored order.
std::vector<std::string> var_roles(const KerasLayer& layer) {
  const json& c = layer.config;
  if (layer.class_name == "Dense") {
    return flag(c, "use_bias", true, layer) ? std::vector<std::string>{"kernel", "bias"} : std::vector<std::string>{"kernel"};
  }
  if (layer.class_name == "BatchNormalization") {
    std::vector<std::string> roles;
    if (flag(c, "scale", true, layer)) roles.push_back("gamma");
    if (flag(c, "center", true, layer)) roles.push_back("beta");
    roles.push_back("moving_mean");
    roles.push_back("moving_variance");
    return roles;
  }
  if (layer.class_name == "PReLU") return {"alpha"};
  if (layer.class_name == "Normalization") return {"mean", "variance", "count"};
  return {};
}

WeightReader keras_zip_weights(const hdf5::File& file) {
  const std::string root = file.exists("/layers") ? "/layers/" : "/_layer_checkpoint_dependencies/";
  const std::vector<std::string> groups = file.members(root);
  return [&file, root, groups](const KerasLayer& layer) {
    LayerWeights weights;
    std::vector<std::string> roles;
    try {
      roles = var_roles(layer);
    } catch (const Error& error) {
      throw Error(file.label() + ": " + error.what());
    }
    if (roles.empty()) return weights;
    // Groups are named by class and position (dense, dense_1, ...; tf.keras may skip numbers):
    // the k-th layer of a class takes the k-th group of that class in numeric order.
    const std::string base = snake_case(layer.class_name);
    std::vector<std::pair<long, std::string>> candidates;
    for (const std::string& group : groups) {
      if (const std::optional<long> number = group_number(group, base)) candidates.emplace_back(*number, group);
    }
    std::sort(candidates.begin(), candidates.end());
    if (layer.class_index >= candidates.size()) {
      throw Error(file.label() + ": " + describe(layer) + ": no weight group '" + base + "...' for it");
    }
    const std::string vars = root + candidates[layer.class_index].second + "/vars/";
    for (size_t i = 0; i < roles.size(); ++i) {
      if (roles[i] == "count" && !file.exists(vars + std::to_string(i))) continue;
      weights[roles[i]] = file.read(vars + std::to_string(i));
    }
    return weights;
  };
}

/// The activation a Keras name means in that Keras version.
ActivationSpec activation_named(const json& value, int keras_major, const KerasLayer& layer) {
  std::string name = "linear";
  if (value.is_string()) name = value.get<std::string>();
  else if (value.is_object() && value.contains("config") && value["config"].is_string()) name = value["config"].get<std::string>();
  else if (value.is_object() && value.contains("class_name") && value["class_name"].is_string()) name = value["class_name"].get<std::string>();
  else if (!value.is_null()) throw Error(describe(layer) + ": unreadable activation " + value.dump());
  if (name == "hard_sigmoid" && keras_major < 3) name = "hard_sigmoid_keras2";
  const ActivationInfo* info = find_activation(name.c_str());
  if (info == nullptr || info->kind == Activation::prelu) {
    throw Error(describe(layer) + ": activation '" + name + "' is not supported");
  }
  return default_spec(info->kind);
}

/// Number of values per sample of a Keras shape [null, d1, d2, ...].
uint64_t width_of(const json& shape, const KerasLayer& layer) {
  uint64_t width = 1;
  for (size_t i = 1; i < shape.size(); ++i) {
    if (!shape[i].is_number_unsigned() || shape[i].get<uint64_t>() == 0) {
      throw Error(describe(layer) + ": input shape " + shape.dump() + " has an unknown or zero dimension");
    }
    width *= shape[i].get<uint64_t>();
    if (width > 65535) throw Error(describe(layer) + ": input shape " + shape.dump() + " is wider than 65535");
  }
  return width;
}

float number(const json& config, const char* key, float fallback, const KerasLayer& layer) {
  if (!config.contains(key) || config[key].is_null()) return fallback;
  if (!config[key].is_number()) throw Error(describe(layer) + ": '" + key + "' is not a number");
  return config[key].get<float>();
}

/// Builds the anne layers one Keras layer at a time, folding and merging as it goes.
class Builder {
 public:
  Builder(HostModel& model, ImportReport& report, const ImportOptions& options, int keras_major)
      : model_(model), report_(report), options_(options), keras_major_(keras_major) {}

  void add(const KerasLayer& layer, const LayerWeights& weights) {
    const json& c = layer.config;
    const std::string& cls = layer.class_name;
    if (width_ == 0) {
      for (const char* key : {"batch_shape", "batch_input_shape"}) {
        if (c.contains(key) && c[key].is_array()) width_ = width_of(c[key], layer);
      }
    }
    if (cls == "InputLayer") return;
    if (width_ == 0) throw Error(describe(layer) + ": the model's input shape is not given before it");
    if (cls == "Dense") return dense(layer, weights);
    if (cls == "Activation") return activation(layer, activation_named(c.value("activation", json("linear")), keras_major_, layer));
    if (cls == "ReLU") {
      ActivationSpec spec = default_spec(Activation::relu);
      spec.alpha = number(c, "negative_slope", 0.0f, layer);
      spec.max_value = number(c, "max_value", math::kInfinity, layer);
      spec.threshold = number(c, "threshold", 0.0f, layer);
      return activation(layer, spec);
    }
    if (cls == "LeakyReLU") {
      ActivationSpec spec = default_spec(Activation::leaky_relu);
      spec.alpha = number(c, keras_major_ >= 3 ? "negative_slope" : "alpha", 0.3f, layer);  // the layer's default is 0.3
      return activation(layer, spec);
    }
    if (cls == "ELU") {
      ActivationSpec spec = default_spec(Activation::elu);
      spec.alpha = number(c, "alpha", 1.0f, layer);
      return activation(layer, spec);
    }
    if (cls == "Softmax") {
      const json axis = c.value("axis", json(-1));
      // Axis 1 is the last axis too for the (batch, features) tensors of a Dense network.
      if (!(axis == json(-1) || axis == json::array({-1}) || axis == json(1) || axis == json::array({1}))) {
        throw Error(describe(layer) + ": softmax over axis " + axis.dump() + " (only the last axis)");
      }
      return activation(layer, default_spec(Activation::softmax));
    }
    if (cls == "PReLU") return prelu(layer, weights);
    if (cls == "BatchNormalization") return batch_normalization(layer, weights);
    if (cls == "Normalization") return normalization(layer, weights);
    if (cls == "Rescaling") return rescaling(layer);
    if (cls == "Flatten") {
      report_.notes.push_back(describe(layer) + ": shape only, nothing to compute");
      return;
    }
    if (cls == "Dropout" || cls == "SpatialDropout1D" || cls == "GaussianNoise" || cls == "GaussianDropout" ||
        cls == "AlphaDropout") {
      report_.notes.push_back(describe(layer) + ": dropped (does nothing at inference)");
      return;
    }
    throw Error(describe(layer) + " is not supported (anne imports Dense networks; see docs/import.md)");
  }

  void finish() {
    if (model_.layers.empty()) throw Error("the model has no layer that computes anything");
    for (Pending& p : pending_) {
      model_.storage.push_back(std::move(p.storage));
    }
    size_t k = 0;
    for (Pending& p : pending_) {
      const ImportReport::Row row{p.keras_layers, layer_kind_info(model_.layers[k].kind)->name,
                                  activation_name(model_.layers[k].activation), model_.layers[k].inputs,
                                  model_.layers[k].units, layer_parameter_count(model_.layers[k])};
      report_.rows.push_back(row);
      ++k;
    }
  }

 private:
  /// The floats of one layer (weights, bias, slopes, one after the other), owned by the model.
  struct Pending {
    std::unique_ptr<float[]> storage;
    std::string keras_layers;
  };

  void check_finite(const KerasLayer& layer, const std::vector<float>& values, const char* role) {
    for (float v : values) {
      if (std::isfinite(v)) continue;
      if (!options_.allow_nonfinite) {
        throw Error(describe(layer) + ": " + role + " holds NaN or infinite values (--allow-nonfinite imports them anyway)");
      }
      report_.notes.push_back("warning: " + describe(layer) + ": " + role + " holds NaN or infinite values");
      return;
    }
  }

  const hdf5::Array& weight(const KerasLayer& layer, const LayerWeights& weights, const std::string& role,
                            const std::vector<uint64_t>& shape) {
    const auto it = weights.find(role);
    if (it == weights.end()) throw Error(describe(layer) + ": the weight '" + role + "' is missing");
    // Keras may store a per-unit vector as [1, n] (Normalization): compare the element counts then.
    uint64_t expected = 1, got = 1;
    for (uint64_t d : shape) expected *= d;
    for (uint64_t d : it->second.shape) got *= d;
    const bool same = it->second.shape == shape || (shape.size() == 1 && got == expected);
    if (!same) {
      std::string wanted, found;
      for (uint64_t d : shape) wanted += (wanted.empty() ? "" : ",") + std::to_string(d);
      for (uint64_t d : it->second.shape) found += (found.empty() ? "" : ",") + std::to_string(d);
      throw Error(describe(layer) + ": the weight '" + role + "' has shape (" + found + "), expected (" + wanted + ")");
    }
    check_finite(layer, it->second.values, role.c_str());
    return it->second;
  }

  /// Adds a layer whose arrays live in one new block; returns a pointer to that block.
  float* push(const KerasLayer& layer, Layer described, size_t floats) {
    Pending p{std::make_unique<float[]>(floats == 0 ? 1 : floats), "'" + layer.name + "'"};
    float* block = p.storage.get();
    pending_.push_back(std::move(p));
    model_.layers.push_back(described);
    width_ = described.units;
    return block;
  }

  void dense(const KerasLayer& layer, const LayerWeights& weights) {
    const json& c = layer.config;
    if (!c.contains("units") || !c["units"].is_number_unsigned() || c["units"].get<uint64_t>() == 0 || c["units"].get<uint64_t>() > 65535) {
      throw Error(describe(layer) + ": 'units' must be a whole number from 1 to 65535");
    }
    const auto units = c["units"].get<uint16_t>();
    const bool use_bias = flag(c, "use_bias", true, layer);
    const hdf5::Array& kernel = weight(layer, weights, "kernel", {width_, units});
    Layer out;
    out.kind = LayerKind::dense;
    out.inputs = static_cast<uint16_t>(width_);
    out.units = units;
    out.activation = activation_named(c.value("activation", json("linear")), keras_major_, layer);
    const size_t n = static_cast<size_t>(units) * out.inputs;
    float* block = push(layer, out, n + (use_bias ? units : 0));
    for (uint16_t i = 0; i < out.inputs; ++i) {
      for (uint16_t j = 0; j < units; ++j) block[static_cast<size_t>(j) * out.inputs + i] = kernel.values[static_cast<size_t>(i) * units + j];
    }
    model_.layers.back().weights = block;
    if (use_bias) {
      const hdf5::Array& bias = weight(layer, weights, "bias", {units});
      std::copy(bias.values.begin(), bias.values.end(), block + n);
      model_.layers.back().bias = block + n;
    }
  }

  /// An activation layer: merged into the previous layer when that one is linear, else its own
  /// elementwise layer.
  void activation(const KerasLayer& layer, ActivationSpec spec) {
    if (!model_.layers.empty() && model_.layers.back().activation.kind == Activation::linear) {
      model_.layers.back().activation = spec;
      pending_.back().keras_layers += " + '" + layer.name + "'";
      return;
    }
    Layer out;
    out.kind = LayerKind::elementwise;
    out.inputs = out.units = static_cast<uint16_t>(width_);
    out.activation = spec;
    push(layer, out, 0);
  }

  void prelu(const KerasLayer& layer, const LayerWeights& weights) {
    const hdf5::Array& alpha = weight(layer, weights, "alpha", {width_});
    ActivationSpec spec = default_spec(Activation::prelu);
    Layer out;
    out.kind = LayerKind::elementwise;
    out.inputs = out.units = static_cast<uint16_t>(width_);
    const bool merge = !model_.layers.empty() && model_.layers.back().activation.kind == Activation::linear;
    float* block = merge ? nullptr : push(layer, out, width_);
    if (merge) {
      // A block of its own for the slopes, owned with the previous layer's.
      pending_.push_back({std::make_unique<float[]>(width_), ""});
      block = pending_.back().storage.get();
      pending_[pending_.size() - 2].keras_layers += " + '" + layer.name + "'";
    }
    std::copy(alpha.values.begin(), alpha.values.end(), block);
    spec.unit_alpha = block;
    model_.layers.back().activation = spec;
    if (merge) {
      // Keep the slopes' owner out of the layer/row pairing: move its storage to the model now.
      model_.storage.push_back(std::move(pending_.back().storage));
      pending_.pop_back();
    }
  }

  /// y = gamma (x - mean) / sqrt(var + eps) + beta = x * s + t, s = gamma / sqrt(var + eps),
  /// t = beta - mean * s. After a linear Dense layer: folded into its weights and bias
  /// (W'[j][i] = W[j][i] s_j, b'_j = b_j s_j + t_j); otherwise an elementwise layer.
  void batch_normalization(const KerasLayer& layer, const LayerWeights& weights) {
    const json& c = layer.config;
    const json axis = c.value("axis", json(-1));
    if (!(axis == json(-1) || axis == json::array({-1}) || axis == json(1) || axis == json::array({1}))) {
      throw Error(describe(layer) + ": normalization over axis " + axis.dump() + " (only the feature axis)");
    }
    const double epsilon = number(c, "epsilon", 0.001f, layer);
    const auto& mean = weight(layer, weights, "moving_mean", {width_}).values;
    const auto& variance = weight(layer, weights, "moving_variance", {width_}).values;
    const bool has_gamma = weights.count("gamma") > 0, has_beta = weights.count("beta") > 0;
    const std::vector<float> gamma = has_gamma ? weight(layer, weights, "gamma", {width_}).values : std::vector<float>(width_, 1.0f);
    const std::vector<float> beta = has_beta ? weight(layer, weights, "beta", {width_}).values : std::vector<float>(width_, 0.0f);
    std::vector<float> s(width_), t(width_);
    for (size_t j = 0; j < width_; ++j) {
      const double scale = gamma[j] / std::sqrt(static_cast<double>(variance[j]) + epsilon);
      s[j] = static_cast<float>(scale);
      t[j] = static_cast<float>(beta[j] - mean[j] * scale);
    }
    affine(layer, s, t, "folded into");
  }

  /// Keras's Normalization: (x - mean) / max(sqrt(variance), epsilon), epsilon = 1e-7.
  void normalization(const KerasLayer& layer, const LayerWeights& weights) {
    const json& c = layer.config;
    std::vector<float> mean, variance;
    if (c.contains("mean") && c["mean"].is_array() && c.contains("variance") && c["variance"].is_array()) {
      for (const json& v : c["mean"]) mean.push_back(v.get<float>());
      for (const json& v : c["variance"]) variance.push_back(v.get<float>());
      if (mean.size() == 1) mean.assign(width_, mean[0]);
      if (variance.size() == 1) variance.assign(width_, variance[0]);
      if (mean.size() != width_ || variance.size() != width_) throw Error(describe(layer) + ": mean and variance do not match the width");
    } else {
      mean = weight(layer, weights, "mean", {width_}).values;
      variance = weight(layer, weights, "variance", {width_}).values;
    }
    std::vector<float> s(width_), t(width_);
    for (size_t j = 0; j < width_; ++j) {
      const double scale = 1.0 / std::max(std::sqrt(static_cast<double>(variance[j])), 1e-7);
      s[j] = static_cast<float>(scale);
      t[j] = static_cast<float>(-mean[j] * scale);
    }
    affine(layer, s, t, nullptr);
  }

  /// Rescaling: x * scale + offset.
  void rescaling(const KerasLayer& layer) {
    const float scale = number(layer.config, "scale", 1.0f, layer);
    const float offset = number(layer.config, "offset", 0.0f, layer);
    affine(layer, std::vector<float>(width_, scale), std::vector<float>(width_, offset), nullptr);
  }

  /// x * s + t: folded into the previous Dense layer when it is linear and `fold_note` is given,
  /// else an elementwise layer.
  void affine(const KerasLayer& layer, const std::vector<float>& s, const std::vector<float>& t, const char* fold_note) {
    if (fold_note != nullptr && !model_.layers.empty() && model_.layers.back().kind == LayerKind::dense &&
        model_.layers.back().activation.kind == Activation::linear && model_.layers.back().bias != nullptr) {
      Layer& dense = model_.layers.back();
      float* w = const_cast<float*>(dense.weights);  // our own block, see push()
      float* b = const_cast<float*>(dense.bias);
      for (uint16_t j = 0; j < dense.units; ++j) {
        for (uint16_t i = 0; i < dense.inputs; ++i) w[static_cast<size_t>(j) * dense.inputs + i] *= s[j];
        b[j] = b[j] * s[j] + t[j];
      }
      pending_.back().keras_layers += " + '" + layer.name + "'";
      report_.notes.push_back(describe(layer) + ": " + fold_note + " the Dense layer before it");
      return;
    }
    Layer out;
    out.kind = LayerKind::elementwise;
    out.inputs = out.units = static_cast<uint16_t>(width_);
    out.activation = default_spec(Activation::linear);
    float* block = push(layer, out, 2 * width_);
    std::copy(s.begin(), s.end(), block);
    std::copy(t.begin(), t.end(), block + width_);
    model_.layers.back().weights = block;
    model_.layers.back().bias = block + width_;
  }

  HostModel& model_;
  ImportReport& report_;
  const ImportOptions& options_;
  int keras_major_;
  uint64_t width_ = 0;
  std::vector<Pending> pending_;  ///< one per model layer, in order
};

/// The inbound layer names of a Functional layer (Keras 2 nested lists or Keras 3 keras_history).
void inbound_names(const json& node, std::vector<std::string>& names) {
  if (node.is_object()) {
    if (node.contains("keras_history") && node["keras_history"].is_array() && !node["keras_history"].empty() &&
        node["keras_history"][0].is_string()) {
      names.push_back(node["keras_history"][0]);
      return;
    }
    for (const auto& item : node.items()) inbound_names(item.value(), names);
  } else if (node.is_array()) {
    if (node.size() >= 3 && node[0].is_string() && node[1].is_number()) {
      names.push_back(node[0]);
      return;
    }
    for (const json& item : node) inbound_names(item, names);
  }
}

/// The layers of a Sequential or straight-chain Functional model config, in order.
std::vector<KerasLayer> layers_of(const json& model_config) {
  if (!model_config.is_object() || !model_config.contains("config")) throw Error("the model config has no 'config'");
  const std::string top = model_config.value("class_name", "");
  const json& config = model_config["config"];
  const json& list = config.is_array() ? config : config.value("layers", json());
  if (!list.is_array() || list.empty()) throw Error("the model config lists no layers");
  if (top != "Sequential" && top != "Functional" && top != "Model") throw Error("model class '" + top + "' is not supported (Sequential or Functional)");
  std::vector<KerasLayer> layers;
  std::map<std::string, size_t> per_class;
  for (size_t k = 0; k < list.size(); ++k) {
    const json& entry = list[k];
    if (!entry.is_object() || !entry.contains("class_name") || !entry["class_name"].is_string() || !entry.contains("config") ||
        !entry["config"].is_object()) {
      throw Error("layer " + std::to_string(k + 1) + " of the model config is malformed");
    }
    KerasLayer layer{k + 1, entry["class_name"], entry["config"].value("name", "layer_" + std::to_string(k + 1)),
                     entry["config"], per_class[entry["class_name"]]++};
    if (top != "Sequential" && k > 0) {
      std::vector<std::string> inbound;
      inbound_names(entry.value("inbound_nodes", json()), inbound);
      if (inbound.size() != 1 || inbound[0] != layers.back().name) {
        throw Error(describe(layer) + ": the Functional model is not a straight chain here (anne imports Sequential stacks)");
      }
    }
    layers.push_back(std::move(layer));
  }
  return layers;
}

int major_version(const std::string& version) {
  const std::optional<long> major = parse_index(version.substr(0, version.find('.')));
  return major ? static_cast<int>(*major) : 2;
}

/// The byte offset at which JSON text nests deeper than kMaxJsonDepth, or nothing. (The code
/// that walks a config, and json::dump, recurse once per level.)
std::optional<size_t> too_deep_at(const std::string& text) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;  // an escaped character, perhaps a quote
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

json parse_json(const std::string& text, const std::string& what) {
  if (text.size() > kMaxJsonBytes) throw Error(what + ": the JSON is " + over_limit(text.size(), kMaxJsonBytes));
  if (const std::optional<size_t> at = too_deep_at(text)) {
    throw Error(what + ": byte " + std::to_string(*at) + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                " levels, the limit");
  }
  try {
    return json::parse(text);
  } catch (const json::exception& error) {
    throw Error(what + ": not valid JSON (" + error.what() + ")");
  }
}

/// A whole file of at most `limit` bytes, refused by its size on disk before it is read.
std::vector<uint8_t> read_limited(const std::string& path, uint64_t limit, const std::string& what) {
  return read_whole_file(path, what, limit, [&](uintmax_t size) { return "the " + what + " is " + over_limit(size, limit); });
}

std::string as_text(const std::vector<uint8_t>& bytes) { return std::string(bytes.begin(), bytes.end()); }

/// One entry of a zip, refused by its declared size before it is inflated (a zip bomb declares
/// gigabytes).
std::vector<uint8_t> zip_entry(zip_t* archive, const std::string& path, const char* name, uint64_t limit) {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat(archive, name, 0, &stat) != 0) throw Error(path + ": the .keras archive has no " + name);
  if (!(stat.valid & ZIP_STAT_SIZE)) throw Error(path + ": " + name + " does not declare its size");
  if (stat.size > limit) throw Error(path + ": " + name + " is " + over_limit(stat.size, limit));
  zip_file_t* file = zip_fopen(archive, name, 0);
  if (file == nullptr) throw Error(path + ": cannot read " + name + " from the archive");
  std::vector<uint8_t> bytes(stat.size);
  const zip_int64_t read = stat.size > 0 ? zip_fread(file, bytes.data(), stat.size) : 0;
  zip_fclose(file);
  if (read < 0 || static_cast<uint64_t>(read) != stat.size) throw Error(path + ": " + name + " is truncated or corrupt in the archive");
  return bytes;
}

/// TF.js layers format: the weightsManifest's groups, each the concatenation of its shard files
/// (paths relative to model.json), holding the listed weights in order as little-endian float32.
std::map<std::string, hdf5::Array> tfjs_weights(const json& manifest, const ModelBytes& model) {
  const std::string& model_path = model.label;
  if (!manifest.is_array()) throw Error(model_path + ": 'weightsManifest' is not a list");
  std::map<std::string, hdf5::Array> weights;
  uint64_t total = 0;
  for (const json& group : manifest) {
    if (!group.is_object()) throw Error(model_path + ": a 'weightsManifest' group is not an object: " + group.dump());
    std::vector<uint8_t> bytes;
    for (const json& shard : group.value("paths", json::array())) {
      if (!shard.is_string() || shard.get<std::string>().find("..") != std::string::npos) {
        throw Error(model_path + ": a weight shard path is not a plain file name: " + shard.dump());
      }
      const std::vector<uint8_t> more = model.read_beside(shard.get<std::string>());
      total += more.size();
      if (total > kMaxModelFileBytes) throw Error(model_path + ": the weight shards come to " + over_limit(total, kMaxModelFileBytes));
      bytes.insert(bytes.end(), more.begin(), more.end());
    }
    size_t offset = 0;
    for (const json& spec : group.value("weights", json::array())) {
      if (!spec.is_object() || !spec.value("name", json()).is_string()) {
        throw Error(model_path + ": a 'weightsManifest' weight has no name: " + spec.dump());
      }
      const std::string name = spec.value("name", "");
      if (spec.value("dtype", json("float32")) != "float32" || spec.contains("quantization")) {
        throw Error(model_path + ": weight '" + name + "' is not plain float32 (quantized TF.js weights are not read)");
      }
      hdf5::Array array;
      uint64_t count = 1;
      const json shape = spec.value("shape", json::array());
      if (!shape.is_array()) throw Error(model_path + ": weight '" + name + "' has a bad shape");
      for (const json& d : shape) {
        if (!d.is_number_unsigned()) throw Error(model_path + ": weight '" + name + "' has a bad shape");
        array.shape.push_back(d.get<uint64_t>());
        if (d.get<uint64_t>() > hdf5::kMaxArrayValues || (count *= d.get<uint64_t>()) > hdf5::kMaxArrayValues) {
          throw Error(model_path + ": weight '" + name + "' declares more than " + std::to_string(hdf5::kMaxArrayValues) +
                      " values, the limit for a weight array");
        }
      }
      if (offset + 4 * count > bytes.size()) {
        throw Error(model_path + ": the weight shards hold " + std::to_string(bytes.size()) + " bytes, too few for weight '" + name + "'");
      }
      array.values.resize(count);
      if (count > 0) std::memcpy(array.values.data(), bytes.data() + offset, 4 * count);  // little-endian float32, as the host
      offset += 4 * count;
      weights[name] = std::move(array);
    }
    if (offset != bytes.size()) {
      throw Error(model_path + ": the weight shards hold " + std::to_string(bytes.size()) + " bytes, the manifest lists " +
                  std::to_string(offset));
    }
  }
  return weights;
}

/// A string field of a JSON object, or `fallback` when there is none (or the JSON is no object).
std::string string_field(const json& object, const char* key, const std::string& fallback) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return fallback;
  return object[key].get<std::string>();
}

/// Runs one step of reading the model config with the file named in its errors, and a config
/// value of the wrong JSON type (a string where a number belongs) turned into such an error.
template <typename Step>
auto in_file(const std::string& label, Step step) {
  try {
    return step();
  } catch (const Error& error) {
    throw Error(label + ": " + error.what());
  } catch (const json::exception& error) {
    throw Error(label + ": the model config holds a value of the wrong type (" + error.what() + ")");
  }
}

HostModel build(const std::string& label, const json& model_config, const WeightReader& read_weights, int keras_major,
                const ImportOptions& options, ImportReport& report) {
  HostModel model;
  Builder builder(model, report, options, keras_major);
  for (const KerasLayer& layer : in_file(label, [&] { return layers_of(model_config); })) {
    const LayerWeights weights = read_weights(layer);  // its errors name the weight file
    in_file(label, [&] {
      try {
        builder.add(layer, weights);
      } catch (const json::exception& error) {
        throw Error(describe(layer) + ": a config value has the wrong type (" + error.what() + ")");
      }
    });
  }
  in_file(label, [&] { builder.finish(); });
  return model;
}

bool starts_with(const std::vector<uint8_t>& bytes, const char* magic, size_t n) {
  return bytes.size() >= n && std::memcmp(bytes.data(), magic, n) == 0;
}

/// A .keras zip: config.json, metadata.json (the Keras version) and model.weights.h5.
HostModel import_zip(const ModelBytes& file, const ImportOptions& options, ImportReport& report) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(file.bytes.data(), file.bytes.size(), 0, &error);
  zip_t* archive = source == nullptr ? nullptr : zip_open_from_source(source, ZIP_RDONLY, &error);
  const std::string reason = zip_error_strerror(&error);
  zip_error_fini(&error);
  if (archive == nullptr) {
    if (source != nullptr) zip_source_free(source);
    throw Error(file.label + ": not a readable zip archive (.keras): " + reason);
  }
  const std::unique_ptr<zip_t, void (*)(zip_t*)> closer(archive, zip_discard);
  const json config = parse_json(as_text(zip_entry(archive, file.label, "config.json", kMaxJsonBytes)), file.label + ": config.json");
  report.keras_version = "3";
  if (zip_name_locate(archive, "metadata.json", 0) >= 0) {
    const std::vector<uint8_t> metadata = zip_entry(archive, file.label, "metadata.json", kMaxJsonBytes);
    report.keras_version = string_field(parse_json(as_text(metadata), file.label + ": metadata.json"), "keras_version", "3");
  }
  const hdf5::File weights =
      hdf5::File::from_memory(zip_entry(archive, file.label, "model.weights.h5", kMaxModelFileBytes), file.label + ": model.weights.h5",
                        options.hdf5_deadline);
  report.format = ".keras (zip)";
  return build(file.label, config, keras_zip_weights(weights), major_version(report.keras_version), options, report);
}

/// A full-model .h5: the config in the root attribute model_config, the weights under model_weights.
HostModel import_h5(const ModelBytes& file, const ImportOptions& options, ImportReport& report) {
  const hdf5::File h5 = hdf5::File::from_memory(file.bytes, file.label, options.hdf5_deadline);
  const std::optional<std::string> config_text = h5.string_attribute("/", "model_config");
  if (!config_text) throw Error(file.label + ": an HDF5 file without a model_config (weights only? give the architecture JSON and --weights)");
  report.format = "HDF5 full model (.h5)";
  report.keras_version = h5.string_attribute("/", "keras_version").value_or("2");
  return build(file.label, parse_json(*config_text, file.label + ": model_config"), h5_weights(h5, "/model_weights/"),
               major_version(report.keras_version), options, report);
}

/// A TF.js layers model: the topology is a Keras model config (older converters wrap it in
/// model_config); weights are matched by name ("dense/kernel"), never by position.
HostModel import_tfjs(const ModelBytes& file, const json& config, const ImportOptions& options, ImportReport& report) {
  const json& topology = config["modelTopology"];
  const json& model_config = topology.is_object() && topology.contains("model_config") ? topology["model_config"] : topology;
  const std::map<std::string, hdf5::Array> all = tfjs_weights(config.value("weightsManifest", json()), file);
  report.format = "TensorFlow.js layers model";
  report.keras_version = string_field(topology, "keras_version", "tfjs");  // TF.js follows Keras 2's definitions
  const WeightReader by_name = [&all](const KerasLayer& layer) {
    LayerWeights weights;
    for (const auto& [name, array] : all) {
      if (name.compare(0, layer.name.size() + 1, layer.name + "/") == 0) weights[role_of(name)] = array;
    }
    return weights;
  };
  return build(file.label, model_config, by_name, 2, options, report);
}

/// An architecture JSON (model.to_json()) with a weights-only .h5 (save_weights).
HostModel import_architecture(const ModelBytes& file, const json& config, const ImportOptions& options, ImportReport& report) {
  if (options.weights_path.empty()) throw Error(file.label + ": an architecture JSON needs its weights file: --weights FILE.h5");
  const hdf5::File weights = hdf5::File::open(options.weights_path, options.hdf5_deadline);
  report.format = "architecture JSON + weights-only HDF5";
  report.keras_version = string_field(config, "keras_version", weights.string_attribute("/", "keras_version").value_or("2"));
  const std::string root = weights.exists("/model_weights") ? "/model_weights/" : "/";
  return build(file.label, config, h5_weights(weights, root), major_version(report.keras_version), options, report);
}

}  // namespace

HostModel import_keras(const ModelBytes& file, const ImportOptions& options, ImportReport& report) {
  HostModel model;
  bool tfjs = false;
  // The kind of file by its first bytes: a zip, an HDF5 signature, or else JSON.
  if (starts_with(file.bytes, "PK\x03\x04", 4)) {
    model = import_zip(file, options, report);
  } else if (starts_with(file.bytes, "\x89HDF\r\n\x1a\n", 8)) {
    model = import_h5(file, options, report);
  } else {
    const json config = parse_json(as_text(file.bytes), file.label);
    tfjs = config.is_object() && config.contains("modelTopology");
    model = tfjs ? import_tfjs(file, config, options, report) : import_architecture(file, config, options, report);
  }
  const size_t slash = file.label.find_last_of('/');
  model.name = file.label.substr(slash == std::string::npos ? 0 : slash + 1);
  model.description = "imported from " + report.format + ", " + (tfjs ? "" : "Keras ") + report.keras_version;
  return model;
}

HostModel import_keras(const std::string& path, const ImportOptions& options, ImportReport& report) {
  const size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const ModelBytes file{path, read_limited(path, kMaxModelFileBytes, "model file"),
                        [dir](const std::string& name) { return read_limited(dir + name, kMaxModelFileBytes, "weight shard"); }};
  return import_keras(file, options, report);
}

}  // namespace anne::host
