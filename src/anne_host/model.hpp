// SPDX-License-Identifier: MIT
// A network on the host: its layer table (a copy the user may change, e.g. an activation) and,
// for models read from files, the weights it owns.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "anne/network.hpp"

namespace anne::host {

struct HostModel {
  std::string name;
  std::string description;
  std::vector<Layer> layers;
  std::vector<std::unique_ptr<float[]>> storage;  ///< weights owned by the model (empty for built-ins)

  Network network() const { return Network{layers.data(), static_cast<uint16_t>(layers.size())}; }
};

/// A built-in network by name ("paper-8") or a .anne file by path; throws Error listing the
/// built-in names when it is neither.
HostModel load_model(const std::string& name_or_path);

/// "paper-8, paper-6": for help texts and messages.
std::string builtin_model_names();

/// The activation's table name, or "code N" for an unknown code.
std::string activation_name(const ActivationSpec& spec);

}  // namespace anne::host
