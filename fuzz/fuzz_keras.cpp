// Fuzz target: the .keras path on arbitrary bytes: the zip (libzip, from memory), its config.json
// and metadata.json, the model.weights.h5 inside it, and the layers built from them. Every input
// must end in a model or an anne::host::Error; any other exception, a crash or undefined
// behaviour is a finding.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "anne_host/error.hpp"
#include "anne_host/import/keras.hpp"
#include "hdf5_deadline.hpp"

namespace {

std::vector<uint8_t> no_file_beside(const std::string& name) {
  throw anne::host::Error("fuzz.keras: no file '" + name + "' beside it");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A zip whatever the bytes: the target is the .keras path, not the choice of format.
  std::vector<uint8_t> bytes{'P', 'K', 3, 4};
  if (size >= 4 && data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4) bytes.clear();
  bytes.insert(bytes.end(), data, data + size);
  const anne::host::ModelBytes file{"fuzz.keras", std::move(bytes), no_file_beside};
  try {
    anne::host::ImportReport report;
    anne::host::ImportOptions options;
    options.hdf5_deadline = anne_fuzz::kHdf5Deadline;
    anne::host::import_keras(file, options, report);
  } catch (const anne::host::Error&) {
  }
  return 0;
}
