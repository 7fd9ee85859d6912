// SPDX-License-Identifier: MIT
// How long the fuzz targets let libhdf5 take for one read before its process counts as hung and
// is stopped (anne's own default, 30 s, would stall the fuzzer on every such input). A valid
// Keras file of the seed corpus reads in milliseconds, also under the sanitizers.
#pragma once

#include <chrono>

namespace anne_fuzz {
constexpr std::chrono::seconds kHdf5Deadline{2};
}
