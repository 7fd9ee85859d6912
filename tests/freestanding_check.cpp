// Compiled with -ffreestanding -fno-exceptions -fno-rtti -nostdinc++: fails to build if any core
// header needs the hosted C++ library, exceptions or RTTI.
#include "anne/anne.hpp"

// Use the templates so they are instantiated, not just parsed.
float anne_freestanding_probe(const float* input, float* output, float* scratch) {
  const anne::Network& net = anne::paper::paper8::kNetwork;
  static_assert(anne::forward_scratch_floats(anne::paper::paper8::kNetwork) == 6, "constexpr scratch size");
  return anne::forward(net, input, 4, output, 1, scratch, 6) == anne::Status::ok ? output[0] : -1.0f;
}
