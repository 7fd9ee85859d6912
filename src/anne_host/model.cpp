// SPDX-License-Identifier: MIT
#include "anne_host/model.hpp"

#include "anne/models/builtin.hpp"
#include "anne_host/anne_file.hpp"
#include "anne_host/error.hpp"

namespace anne::host {

std::string builtin_model_names() {
  std::string names;
  for (const BuiltinModel& model : kBuiltinModels) names += (names.empty() ? "" : ", ") + std::string(model.name);
  return names;
}

HostModel load_model(const std::string& name) {
  const BuiltinModel* builtin = find_builtin_model(name.c_str());
  if (builtin == nullptr) {
    if (name.find('/') != std::string::npos || name.find('.') != std::string::npos) return read_anne_file(name);
    throw Error("unknown model '" + name + "' (built-in models: " + builtin_model_names() + "; or a .anne file)");
  }
  HostModel model;
  model.name = builtin->name;
  model.description = builtin->description;
  model.layers.assign(builtin->network.layers, builtin->network.layers + builtin->network.count);
  return model;
}

std::string activation_name(const ActivationSpec& spec) {
  const ActivationInfo* info = activation_info(spec.kind);
  return info != nullptr ? info->name : "code " + std::to_string(static_cast<int>(spec.kind));
}

}  // namespace anne::host
