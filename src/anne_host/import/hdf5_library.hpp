// SPDX-License-Identifier: MIT
// The few HDF5 reads a Keras file needs, over the HDF5 C library, with every handle closed by
// RAII and every failure turned into an Error naming the object. Only the HDF5 reading process
// (hdf5.hpp) uses it: libhdf5 can crash or hang on a damaged file, and must not take anne along.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "anne_host/import/hdf5.hpp"

namespace anne::host::hdf5 {

class LibraryFile {
 public:
  static LibraryFile open(const std::string& path);
  static LibraryFile from_memory(const std::vector<uint8_t>& image, const std::string& label);
  LibraryFile(LibraryFile&& other) noexcept;
  LibraryFile& operator=(LibraryFile&&) = delete;
  LibraryFile(const LibraryFile&) = delete;
  ~LibraryFile();

  bool exists(const std::string& object) const;
  std::vector<std::string> string_list_attribute(const std::string& object, const std::string& name) const;
  std::vector<std::string> members(const std::string& group) const;
  Array read(const std::string& dataset) const;

 private:
  LibraryFile(int64_t id, std::string label);
  int64_t id_;
  std::string label_;
};

}  // namespace anne::host::hdf5
