// SPDX-License-Identifier: MIT
// The few HDF5 reads a Keras file needs, over the HDF5 C library, with every handle closed by
// RAII and every failure turned into an Error naming the object.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace anne::host::hdf5 {

/// A model file holds no weight array larger than this (a layer of anne has at most 65535 x 65535
/// weights, and no device holds even this many); a larger one is refused before it is allocated.
constexpr uint64_t kMaxArrayValues = uint64_t{1} << 26;

/// A float array and its shape, e.g. a Dense kernel [inputs][units].
struct Array {
  std::vector<uint64_t> shape;
  std::vector<float> values;
};

class File {
 public:
  /// Opens a file on disk, or an in-memory image (a .keras zip's model.weights.h5).
  static File open(const std::string& path);
  static File from_memory(const std::vector<uint8_t>& image, const std::string& label);
  File(File&& other) noexcept;
  File& operator=(File&&) = delete;
  File(const File&) = delete;
  ~File();

  bool exists(const std::string& object) const;
  /// A string attribute (fixed or variable length), or nothing when absent.
  std::optional<std::string> string_attribute(const std::string& object, const std::string& name) const;
  /// A string-array attribute (Keras's weight_names, layer_names).
  std::vector<std::string> string_list_attribute(const std::string& object, const std::string& name) const;
  /// Names of the members of a group, in the file's order.
  std::vector<std::string> members(const std::string& group) const;
  /// A numeric dataset read as float32.
  Array read(const std::string& dataset) const;
  const std::string& label() const { return label_; }

 private:
  File(int64_t id, std::string label);
  int64_t id_;
  std::string label_;
};

}  // namespace anne::host::hdf5
