// SPDX-License-Identifier: MIT
// The quantized forward pass for a network fixed at compile time (a constexpr QuantizedNetwork,
// as `anne export` writes one): the same integers as quantized_forward (quantized_network.hpp),
// but every loop has a constant trip count, so the compiler unrolls it and puts the weights,
// biases, requantizers and clamp limits into the instructions as immediates.
//
// Why: on the Cortex-M0+ a small network's loops cost more in bookkeeping (counters, pointer
// steps, loads of sizes, pointers and requantizers) than in multiply-accumulates. Unrolled,
// paper-8 runs in about a quarter of the cycles of the generic loop. The code grows with the
// number of weights (every multiply-accumulate is a few instructions), so this is for small
// networks; firmware/size/paper8_int8.cpp and `make bench-device` give the figures.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/quant/quantized_network.hpp"

namespace anne {
namespace quant {
namespace detail {

/// Layer K of Net, unrolled: the formulas of quantized_layer_forward.
template <const QuantizedNetwork& Net, uint16_t K>
ANNE_QUANT_ALWAYS_INLINE void fixed_layer_forward(const int16_t* x, int16_t* y) {
  constexpr const QuantizedLayer& layer = Net.layers[K];
  static_assert(layer.output != OutputKind::softmax, "softmax layers run in quantized_forward");
#pragma GCC unroll 1024
  for (uint32_t j = 0; j < layer.units; ++j) {
    int32_t acc = layer.bias[j];
#pragma GCC unroll 1024
    for (uint32_t i = 0; i < layer.inputs; ++i) acc += static_cast<int32_t>(layer.weights[j * layer.inputs + i]) * x[i];
    const int32_t code = requantize(acc, layer.requantizers[j]);
    y[j] = static_cast<int16_t>(layer.output == OutputKind::clamp ? clamp_int(code, layer.clamp_min, layer.clamp_max)
                                                                  : table_lookup(layer.table, code));
  }
}

/// Layers K, K+1, ... of Net: `a` and `b` take turns holding the hidden codes.
template <const QuantizedNetwork& Net, uint16_t K>
ANNE_QUANT_ALWAYS_INLINE void fixed_layers_forward(const int16_t* x, int16_t* output, int16_t* a, int16_t* b) {
  if constexpr (K + 1 == Net.count) {
    fixed_layer_forward<Net, K>(x, output);
  } else {
    fixed_layer_forward<Net, K>(x, a);
    fixed_layers_forward<Net, K + 1>(a, output, b, a);
  }
}

}  // namespace detail

/// quantized_forward for a constexpr network: 16-bit input codes in (quantized_inputs(Net) of
/// them), 16-bit output codes out; the hidden codes live on the stack. The network is validated
/// at compile time.
template <const QuantizedNetwork& Net>
void quantized_forward_fixed(const int16_t* input, int16_t* output) {
  static_assert(validate_exported_network(Net) == Status::ok, "not a valid quantized network");
  int16_t a[quantized_scratch_codes(Net) / 2 + 1];
  int16_t b[quantized_scratch_codes(Net) / 2 + 1];
  detail::fixed_layers_forward<Net, 0>(input, output, a, b);
}

}  // namespace quant
}  // namespace anne
