// SPDX-License-Identifier: MIT
// What the keras and hdf5 fuzz targets share: how long libhdf5 may take for one read before its
// process counts as hung and is stopped (anne's own default, 30 s, would stall the fuzzer on every
// such input; a valid Keras file of the seed corpus reads in milliseconds, also under the
// sanitizers), and one import of the bytes as a model file with nothing beside it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "anne_host/error.hpp"
#include "anne_host/import/keras.hpp"

namespace anne_fuzz {

constexpr std::chrono::seconds kHdf5Deadline{2};

/// import_keras on `bytes` named `label`; every input must end in a model or an anne Error.
inline void import_bytes(const std::string& label, std::vector<uint8_t> bytes) {
  const auto no_file_beside = [label](const std::string& name) -> std::vector<uint8_t> {
    throw anne::host::Error(label + ": no file '" + name + "' beside it");
  };
  anne::host::ImportOptions options;
  options.hdf5_deadline = kHdf5Deadline;
  anne::host::ImportReport report;
  try {
    anne::host::import_keras(anne::host::ModelBytes{label, std::move(bytes), no_file_beside}, options, report);
  } catch (const anne::host::Error&) {
  }
}

}  // namespace anne_fuzz
