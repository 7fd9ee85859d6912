// SPDX-License-Identifier: MIT
// A network from a short text: "4,3:relu,1:sigmoid" is 4 inputs, a Dense layer of 3 ReLU units,
// then a Dense layer of 1 sigmoid unit. Activations are the table's names (activation.hpp); no
// activation means linear; "prelu" gets per-unit slopes. Weights start at zero: the trainer
// initializes them (Glorot uniform).
#pragma once

#include <string>

#include "anne_host/model.hpp"

namespace anne::host {

/// Throws Error naming the bad element ("--layers: '3:foo': unknown activation 'foo'").
HostModel model_from_layers_spec(const std::string& spec);

}  // namespace anne::host
