// Fuzz target: the core's .anne reader on arbitrary bytes. Whatever it accepts must then run a
// forward pass within bounds (the layers point into the fuzzer's buffer, so AddressSanitizer sees
// any read past it).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "anne/format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The reader needs 4-byte alignment; an exactly sized copy keeps reads past the end visible.
  std::vector<uint32_t> aligned((size + 3) / 4);
  if (size > 0) std::memcpy(aligned.data(), data, size);
  anne::Layer layers[32];
  anne::format::ModelView model;
  const anne::format::FormatError error =
      anne::format::read_model(reinterpret_cast<const uint8_t*>(aligned.data()), size, layers, 32, model);
  if (error.status != anne::Status::ok) return 0;
  std::vector<float> input(anne::network_inputs(model.network), 0.5f);
  std::vector<float> output(anne::network_outputs(model.network));
  std::vector<float> scratch(anne::forward_scratch_floats(model.network));
  if (anne::forward(model.network, input.data(), input.size(), output.data(), output.size(), scratch.data(), scratch.size()) !=
      anne::Status::ok) {
    __builtin_trap();  // the reader accepted a network that forward refuses
  }
  return 0;
}
