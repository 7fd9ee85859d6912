// Editing the bytes of a .anne file in tests: one field changed, the CRC made right again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "anne/format.hpp"

namespace anne_test {

/// The bytes with their last four, the CRC-32, made right again for what comes before.
inline std::vector<uint8_t> with_crc(std::vector<uint8_t> bytes) {
  const uint32_t crc = anne::format::crc32(bytes.data(), bytes.size() - 4);
  for (size_t i = 0; i < 4; ++i) bytes[bytes.size() - 4 + i] = static_cast<uint8_t>(crc >> (8 * i));
  return bytes;
}

/// The bytes with a little-endian field changed and the CRC made right again, so that the check
/// behind the CRC is the one that refuses them.
inline std::vector<uint8_t> with_field(std::vector<uint8_t> bytes, size_t offset, uint32_t value, size_t width) {
  for (size_t i = 0; i < width; ++i) bytes[offset + i] = static_cast<uint8_t>(value >> (8 * i));
  return with_crc(std::move(bytes));
}

}  // namespace anne_test
