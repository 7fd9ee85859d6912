// SPDX-License-Identifier: MIT
// The networks anne ships with, by name: what `anne --model NAME` and the console's `list` show.
#pragma once

#include "anne/models/paper_networks.hpp"
#include "anne/network.hpp"

namespace anne {

struct BuiltinModel {
  const char* name;
  const char* description;
  Network network;
};

inline constexpr BuiltinModel kBuiltinModels[] = {
    {"paper-8", "working paper Tab. 2: 4-2-3-2-1, relu/sigmoid/relu/sigmoid, IRIS versicolor vs virginica",
     paper::paper8::kNetwork},
    {"paper-6", "working paper Tab. 3: 4-3-2-1, relu/sigmoid/sigmoid, IRIS versicolor vs virginica",
     paper::paper6::kNetwork},
};

/// The built-in model of that name, or nullptr.
constexpr const BuiltinModel* find_builtin_model(const char* name) {
  for (const BuiltinModel& model : kBuiltinModels) {
    if (detail::same_name(model.name, name)) return &model;
  }
  return nullptr;
}

}  // namespace anne
