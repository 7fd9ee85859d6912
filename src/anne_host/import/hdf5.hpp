// SPDX-License-Identifier: MIT
// The few HDF5 reads a Keras file needs. libhdf5 does the reading in a process of its own
// (sandbox.hpp): on a damaged file it can read from wild addresses or loop, and then that process
// ends, not anne; the read in progress fails with an Error naming the file and the object.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace anne::host {
class Sandbox;
}

namespace anne::host::hdf5 {

/// A model file holds no weight array larger than this (a layer of anne has at most 65535 x 65535
/// weights, and no device holds even this many); a larger one is refused before it is allocated.
constexpr uint64_t kMaxArrayValues = uint64_t{1} << 26;

/// How long one read may take before libhdf5 counts as hung: valid model files read in
/// milliseconds, a damaged one can make libhdf5 loop forever.
constexpr std::chrono::seconds kReadDeadline{30};

/// A float array and its shape, e.g. a Dense kernel [inputs][units].
struct Array {
  std::vector<uint64_t> shape;
  std::vector<float> values;
};

class File {
 public:
  /// Opens a file on disk, or an in-memory image (a .keras zip's model.weights.h5).
  /// Each read must end within `deadline`, or libhdf5 counts as hung.
  static File open(const std::string& path, std::chrono::milliseconds deadline = kReadDeadline);
  static File from_memory(const std::vector<uint8_t>& image, const std::string& label,
                          std::chrono::milliseconds deadline = kReadDeadline);
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
  File(const std::string& path, const std::vector<uint8_t>* image, const std::string& label, std::chrono::milliseconds deadline);
  std::unique_ptr<Sandbox> reader_;  ///< the process where libhdf5 has the file open
  std::string label_;
};

}  // namespace anne::host::hdf5
