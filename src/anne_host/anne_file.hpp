// SPDX-License-Identifier: MIT
// .anne files on the host: encoding a model into the format the core reads in place
// (include/anne/format.hpp, docs/anne-format.md), saving without ever leaving half a file, and
// loading one back into a HostModel.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "anne_host/model.hpp"
#include "anne_host/quantize.hpp"

namespace anne::host {

/// The bytes of a .anne file for `model` (its name included). Throws Error for a model the format
/// cannot hold (an invalid network, a name longer than 255 bytes, data over 4 GB).
std::vector<uint8_t> encode_anne(const HostModel& model);

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so that
/// `path` is either the old file or the complete new one. Throws Error naming the path.
void write_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes);

/// encode_anne + write_file_atomically.
void save_anne(const HostModel& model, const std::string& path);

/// Model files larger than this are refused before they are read.
constexpr uintmax_t kMaxModelFileBytes = uintmax_t{256} << 20;

/// The whole regular file at `path`, refused by its size on disk before anything is read. Throws
/// Error "PATH: cannot open the WHAT" when there is no such file to read, "PATH: " + too_large(size)
/// when it has more than `limit` bytes, "PATH: read error" when reading fails.
std::vector<uint8_t> read_whole_file(const std::string& path, const std::string& what, uintmax_t limit,
                                     const std::function<std::string(uintmax_t size)>& too_large);

/// Reads and checks a .anne file; throws Error naming the file, the byte offset and the layer of
/// the first problem.
HostModel read_anne_file(const std::string& path);

/// The bytes of a quantized .anne file (format version 2) for `model`; identical tables are
/// stored once. Throws Error for a model the format cannot hold.
std::vector<uint8_t> encode_quantized_anne(const QuantizedModel& model);

/// encode_quantized_anne + write_file_atomically.
void save_quantized_anne(const QuantizedModel& model, const std::string& path);

/// Whether `path` is a quantized .anne file (magic ANNE, format version 2); false for anything
/// else, including a file that cannot be read.
bool is_quantized_anne_file(const std::string& path);

/// Reads and checks a quantized .anne file; throws Error naming the file, the byte offset and the
/// layer of the first problem.
QuantizedModel read_quantized_anne_file(const std::string& path);

}  // namespace anne::host
