// Fuzz target: the TF.js layers model: model.json (topology and weightsManifest) and its weight
// shards. The input is the model.json text, a NUL byte (which JSON text cannot hold), then the
// bytes every shard the manifest names reads. Every input must end in a model or an
// anne::host::Error; anything else is a finding.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "anne_host/error.hpp"
#include "anne_host/import/keras.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const uint8_t* end = data + size;
  const uint8_t* separator = std::find(data, end, uint8_t{0});
  const std::vector<uint8_t> shard(separator == end ? end : separator + 1, end);
  // JSON whatever the bytes: the target is the TF.js path, not the choice of format.
  std::vector<uint8_t> model_json(data, separator);
  if (!model_json.empty() && (model_json[0] == 'P' || model_json[0] == 0x89)) model_json[0] = ' ';
  const anne::host::ModelBytes file{"fuzz/model.json", model_json, [&shard](const std::string&) { return shard; }};
  try {
    anne::host::ImportReport report;
    anne::host::import_keras(file, anne::host::ImportOptions{}, report);
  } catch (const anne::host::Error&) {
  }
  return 0;
}
