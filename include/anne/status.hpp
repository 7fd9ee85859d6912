// SPDX-License-Identifier: MIT
// Status codes: every core function that can fail says why instead of crashing.
#pragma once

#include <stdint.h>

namespace anne {

enum class Status : uint8_t {
  ok = 0,
  invalid_argument,    ///< a null pointer or a zero size where data is required
  shape_mismatch,      ///< a layer's inputs differ from the previous layer's units, or a buffer length differs from the shape
  buffer_too_small,    ///< the caller's scratch or output buffer cannot hold the result
  unknown_activation,  ///< an activation code or name that the table does not know
  unknown_layer_kind,  ///< a layer kind code that the core does not know
  class_out_of_range,  ///< a label or prediction outside the confusion matrix
  truncated,           ///< a model file shorter than its header says
  bad_magic,           ///< not a .anne file
  bad_version,         ///< a .anne format version this reader does not know
  bad_checksum,        ///< the CRC-32 does not match: the bytes were changed
  bad_layout,          ///< an offset or size in a model file points outside it or is misaligned
  activation_not_linked,  ///< a program built with a subset of the activations met another one
};

/// A short, stable, human-readable name for a status ("shape mismatch").
constexpr const char* status_message(Status status) {
  switch (status) {
    case Status::ok: return "ok";
    case Status::invalid_argument: return "invalid argument";
    case Status::shape_mismatch: return "shape mismatch";
    case Status::buffer_too_small: return "buffer too small";
    case Status::unknown_activation: return "unknown activation";
    case Status::unknown_layer_kind: return "unknown layer kind";
    case Status::class_out_of_range: return "class out of range";
    case Status::truncated: return "file truncated";
    case Status::bad_magic: return "not a .anne file (wrong magic bytes)";
    case Status::bad_version: return "unsupported .anne format version";
    case Status::bad_checksum: return "CRC-32 mismatch (the file is corrupt)";
    case Status::bad_layout: return "offset or size out of bounds or misaligned";
    case Status::activation_not_linked: return "activation not among those this program was built with";
  }
  return "unknown status";
}

}  // namespace anne
