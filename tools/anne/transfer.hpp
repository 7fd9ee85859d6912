// SPDX-License-Identifier: MIT
// A model file as a device takes it over a byte stream: a line announcing its size and CRC-32, then
// the file's bytes as they are. The console's `receive` (anne console --send) and the
// condition-monitoring node's `model` (anne stream --model) read the same form.
#pragma once

#include <string>

namespace anne::cli {

/// "COMMAND BYTES CRC32\n" and the bytes of the file at `path`. Throws Error when the file cannot
/// be read or is larger than any model file (checked before reading it).
std::string model_transfer(const std::string& command, const std::string& path);

}  // namespace anne::cli
