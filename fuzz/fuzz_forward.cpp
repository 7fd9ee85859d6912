// Fuzz target: the core's validation and forward pass on networks described by arbitrary bytes:
// any layer kind or activation code, any sizes, NaN and infinite weights, chains that do not fit.
// Whatever the description, validate_network must refuse it or forward must run within bounds.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "anne/network.hpp"

namespace {

/// Reads the fuzzer's bytes in order; zeros once they run out.
class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t byte() { return offset_ < size_ ? data_[offset_++] : 0; }
  float number() {
    uint32_t bits = 0;
    for (int i = 0; i < 4; ++i) bits = bits << 8 | byte();
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t offset_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteReader in(data, size);
  const uint16_t count = in.byte() % 6;
  std::vector<anne::Layer> layers(count);
  std::vector<std::vector<float>> storage;
  for (anne::Layer& layer : layers) {
    layer.kind = static_cast<anne::LayerKind>(in.byte() % 4);  // includes unknown kinds
    layer.inputs = in.byte() % 17;
    layer.units = in.byte() % 17;
    layer.activation.kind = static_cast<anne::Activation>(in.byte() % 24);  // includes unknown codes
    layer.activation.alpha = in.number();
    layer.activation.max_value = in.number();
    layer.activation.threshold = in.number();
    const uint8_t present = in.byte();
    // Buffers exactly as large as the layer's own description requires, so a read past them is a
    // bug that AddressSanitizer reports.
    auto make = [&](size_t n) {
      storage.emplace_back(n);
      for (float& v : storage.back()) v = in.number();
      return storage.back().data();
    };
    const size_t weight_count = layer.kind == anne::LayerKind::dense ? size_t{layer.units} * layer.inputs : layer.units;
    if (present & 1) layer.weights = make(weight_count);
    if (present & 2) layer.bias = make(layer.units);
    if (present & 4) layer.activation.unit_alpha = make(layer.units);
  }
  const anne::Network net{layers.data(), count};
  std::vector<float> input(in.byte() % 17);
  for (float& v : input) v = in.number();
  std::vector<float> output(in.byte() % 17);
  std::vector<float> scratch(in.byte() % 40);
  const anne::Status status =
      anne::forward(net, input.data(), input.size(), output.data(), output.size(), scratch.data(), scratch.size());
  if (status == anne::Status::ok && anne::validate_network(net) != anne::Status::ok) __builtin_trap();
  return 0;
}
