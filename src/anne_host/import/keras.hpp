// SPDX-License-Identifier: MIT
// Keras models into anne: .keras zips (Keras 3 and tf.keras 2.x), full-model .h5 files (Keras 2
// and 3), and an architecture JSON with a weights-only .h5 (save_weights), with no Python.
// See docs/import.md for the layers and what becomes of each.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "anne_host/import/hdf5.hpp"
#include "anne_host/model.hpp"

namespace anne::host {

struct ImportOptions {
  std::string weights_path;       ///< the weights .h5 for an architecture JSON
  bool allow_nonfinite = false;   ///< accept NaN or infinite weights (with a warning) instead of refusing
  /// How long libhdf5 may take for one read of an HDF5 file before it counts as hung: its
  /// process is stopped and the import fails (a fuzzer sets it short).
  std::chrono::milliseconds hdf5_deadline = hdf5::kReadDeadline;
};

/// One row of the Keras-style summary, and the notes (what was folded, dropped or warned about).
struct ImportReport {
  struct Row {
    std::string keras_layers;  ///< the Keras layers this anne layer came from
    std::string kind;
    std::string activation;
    uint16_t inputs;
    uint16_t units;
    size_t parameters;
  };
  std::string keras_version;
  std::string format;
  std::vector<Row> rows;
  std::vector<std::string> notes;
};

/// A model file already in memory, and how to read the files beside it (a TF.js model's weight
/// shards, by the relative names its manifest gives).
struct ModelBytes {
  std::string label;  ///< names the file in messages (its path)
  std::vector<uint8_t> bytes;
  std::function<std::vector<uint8_t>(const std::string& name)> read_beside;
};

/// Reads a Keras model file; throws Error naming the file, and for a layer its class, name and
/// position, when anything is malformed, unsupported or beyond the limits of docs/import.md.
HostModel import_keras(const std::string& path, const ImportOptions& options, ImportReport& report);
/// The same from memory (what import_keras(path) does after reading the file).
HostModel import_keras(const ModelBytes& file, const ImportOptions& options, ImportReport& report);

}  // namespace anne::host
