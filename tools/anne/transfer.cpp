// SPDX-License-Identifier: MIT
#include "transfer.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <vector>

#include "anne/format.hpp"
#include "anne_host/anne_file.hpp"
#include "anne_host/error.hpp"

namespace anne::cli {

std::string model_transfer(const std::string& command, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw host::Error(path + ": cannot open");
  file.seekg(0, std::ios::end);
  const std::streamoff size = file.tellg();
  if (size < 0 || static_cast<uintmax_t>(size) > host::kMaxModelFileBytes) throw host::Error(path + ": not a model file (size)");
  file.seekg(0);
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  if (!file.read(reinterpret_cast<char*>(bytes.data()), size)) throw host::Error(path + ": cannot read");
  char line[64];
  std::snprintf(line, sizeof line, " %zu %08x\n", bytes.size(), static_cast<unsigned>(format::crc32(bytes.data(), bytes.size())));
  return command + line + std::string(bytes.begin(), bytes.end());
}

}  // namespace anne::cli
