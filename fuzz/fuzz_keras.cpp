// Fuzz target: the .keras path on arbitrary bytes: the zip (libzip, from memory), its config.json
// and metadata.json, the model.weights.h5 inside it, and the layers built from them. Every input
// must end in a model or an anne::host::Error; any other exception, a crash or undefined
// behaviour is a finding.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "import_fuzzing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A zip whatever the bytes: the target is the .keras path, not the choice of format.
  std::vector<uint8_t> bytes{'P', 'K', 3, 4};
  if (size >= 4 && data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4) bytes.clear();
  bytes.insert(bytes.end(), data, data + size);
  anne_fuzz::import_bytes("fuzz.keras", std::move(bytes));
  return 0;
}
