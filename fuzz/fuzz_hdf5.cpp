// Fuzz target: the HDF5 reader (src/anne_host/import/hdf5.*) on arbitrary bytes, two ways: every
// group, attribute and dataset a walk from the root finds is read as Keras's would be, and the
// bytes are imported as a full-model .h5 (model_config, weight_names, the weights). Every input
// must end in an anne::host::Error or a result; anything else is a finding. libhdf5 reads in a
// process of its own (src/anne_host/sandbox.*): its crashes and hangs on a damaged file end that
// process and come back as Errors, as they do for a user; a fault of anne's code in the fuzzed
// process is still a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "anne_host/error.hpp"
#include "anne_host/import/hdf5.hpp"
#include "import_fuzzing.hpp"

namespace {

constexpr int kMaxWalkDepth = 4;  // Keras files nest model_weights/<layer>/<scope>/<weight>

void walk(const anne::host::hdf5::File& file, const std::string& group, int depth) {
  for (const std::string& name : file.members(group)) {
    const std::string path = group + name;
    try {
      file.string_list_attribute(path, "weight_names");
      file.read(path);
    } catch (const anne::host::Error&) {
    }
    if (depth < kMaxWalkDepth) walk(file, path + "/", depth + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  try {
    const anne::host::hdf5::File file = anne::host::hdf5::File::from_memory(bytes, "fuzz.h5", anne_fuzz::kHdf5Deadline);
    file.string_attribute("/", "keras_version");
    walk(file, "/", 0);
  } catch (const anne::host::Error&) {
  }
  anne_fuzz::import_bytes("fuzz.h5", bytes);
  return 0;
}
