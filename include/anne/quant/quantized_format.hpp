// SPDX-License-Identifier: MIT
// The quantized .anne model file (format version 2), read in place like version 1
// (anne/format.hpp: the same 40-byte header, name, data section and CRC-32), so a model in flash
// costs no RAM for its weights. Every field is checked before use, then the network as a whole
// (validate_quantized_network), so no bytes whatever can make the reader or a later forward pass
// read outside the buffer or overflow. Layout (docs/anne-format.md), all little-endian:
//
//   header: as version 1, with version 2; bytes 32-39: input scale (float32), input zero point (int32)
//   layer table: one 48-byte record per layer
//        0     1  output kind (quant::OutputKind)      1  1  activation it stands for (Activation code)
//        2     2  inputs                               4  2  units
//        6     2  reserved (zero)
//        8     2  clamp_min (int16)                   10  2  clamp_max (int16)
//       12     4  reserved (zero)
//       16     4  output scale (float32)              20  4  output zero point (int32)
//       24     4  grid scale (float32)                28  4  grid zero point (int32): the codes c_j
//       32     4  weights offset (int8 [units][inputs])
//       36     4  bias offset (int32 [units])
//       40     4  requantizers offset ([units] x 8 bytes: int32 m, uint8 pre_shift, uint8 shift, 2 zero)
//                 (the biases hold the zero point of the codes c_j: quantized_network.hpp)
//       44     4  table offset (int16 [65]; 0xffffffff for a clamp layer)
//                 (offsets in bytes from the data offset, each a multiple of 4)
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/activation.hpp"
#include "anne/format.hpp"
#include "anne/quant/quantized_network.hpp"

namespace anne {
namespace quant {
namespace format {

using anne::format::FormatError;

constexpr uint16_t kVersion = 2;
constexpr uint32_t kLayerRecordSize = 48;
constexpr uint32_t kRequantizerSize = 8;

static_assert(sizeof(Requantizer) == kRequantizerSize && alignof(Requantizer) == 4,
              "requantizers are read in place: int32 multiplier, uint8 pre_shift, uint8 shift, 2 padding bytes");

/// What a quantized layer record says beyond the layer itself: for explaining the numbers.
struct LayerMeaning {
  Activation activation = Activation::linear;
  QuantParams output;  ///< the layer's output codes
  QuantParams grid;    ///< the codes c_j (clamp: the output codes; table, softmax: the grid t of z)
};

/// A quantized model read in place: `network.layers` is the caller's layer array, pointing into
/// the file's bytes, which must outlive it.
struct QuantizedModelView {
  QuantizedNetwork network;
  const char* name = nullptr;  ///< not NUL-terminated
  uint16_t name_length = 0;
};

namespace detail {

using anne::format::detail::array_at;
using anne::format::detail::fail;

inline bool scale_valid(float scale) { return scale > 0.0f && scale < 3.0e38f; }  // positive and finite; false for NaN

/// Reads record `k` at `at` into `layer` and `meaning`.
inline FormatError read_record(const uint8_t* bytes, const anne::format::Header& header, uint16_t k, QuantizedLayer& layer,
                               LayerMeaning& meaning) {
  const uint32_t at = header.table + k * kLayerRecordSize;
  const uint8_t* record = bytes + at;
  using anne::format::read_u16;
  using anne::format::read_u32;
  layer = QuantizedLayer{};
  if (record[0] >= kOutputKinds) return fail(Status::unknown_activation, at, k);
  layer.output = static_cast<OutputKind>(record[0]);
  meaning.activation = static_cast<Activation>(record[1]);
  if (!activation_known(meaning.activation)) return fail(Status::unknown_activation, at + 1, k);
  layer.inputs = read_u16(record + 2);
  layer.units = read_u16(record + 4);
  if (read_u16(record + 6) != 0) return fail(Status::bad_layout, at + 6, k);
  layer.clamp_min = static_cast<int16_t>(read_u16(record + 8));
  layer.clamp_max = static_cast<int16_t>(read_u16(record + 10));
  if (read_u32(record + 12) != 0) return fail(Status::bad_layout, at + 12, k);
  meaning.output = {anne::format::read_f32(record + 16), static_cast<int32_t>(read_u32(record + 20))};
  meaning.grid = {anne::format::read_f32(record + 24), static_cast<int32_t>(read_u32(record + 28))};
  if (!scale_valid(meaning.output.scale)) return fail(Status::bad_layout, at + 16, k);
  if (!scale_valid(meaning.grid.scale)) return fail(Status::bad_layout, at + 24, k);
  const uint8_t* data = bytes + header.data;
  FormatError error = array_at(data, header.data_size, read_u32(record + 32), static_cast<size_t>(layer.units) * layer.inputs,
                               false, at + 32, k, layer.weights);
  if (error.status == Status::ok) {
    error = array_at(data, header.data_size, read_u32(record + 36), layer.units, false, at + 36, k, layer.bias);
  }
  if (error.status == Status::ok) {
    error = array_at(data, header.data_size, read_u32(record + 40), layer.units, false, at + 40, k, layer.requantizers);
  }
  if (error.status == Status::ok && layer.output != OutputKind::clamp) {
    error = array_at(data, header.data_size, read_u32(record + 44), kTableEntries, false, at + 44, k, layer.table);
  } else if (error.status == Status::ok && read_u32(record + 44) != anne::format::kNone) {
    error = fail(Status::bad_layout, at + 44, k);
  }
  if (error.status != Status::ok) return error;
  for (uint16_t j = 0; j < layer.units; ++j) {  // the padding of each requantizer is zero
    const uint8_t* padding = reinterpret_cast<const uint8_t*>(layer.requantizers + j) + 6;
    if (padding[0] != 0 || padding[1] != 0) return fail(Status::bad_layout, header.data + read_u32(record + 40) + j * kRequantizerSize + 6, k);
  }
  return {};
}

}  // namespace detail

/// Reads and checks a quantized .anne file held in `bytes` (4-byte aligned, `length` bytes),
/// filling `layers` (room for `capacity` layers), `meanings` (the same room, or nullptr) and
/// `out`. Returns what is wrong and where, or ok; on ok, out.network has passed
/// validate_quantized_network and is ready for quantized_forward.
inline FormatError read_quantized_model(const uint8_t* bytes, size_t length, QuantizedLayer* layers, LayerMeaning* meanings,
                                        uint16_t capacity, QuantizedModelView& out) {
  using detail::fail;
  out = QuantizedModelView{};
  if (layers == nullptr) return fail(Status::invalid_argument, 0);
  anne::format::Header header;
  const FormatError bad_header = anne::format::detail::read_header(bytes, length, kVersion, kLayerRecordSize, capacity, header);
  if (bad_header.status != Status::ok) return bad_header;
  const QuantParams input{anne::format::read_f32(bytes + 32), static_cast<int32_t>(anne::format::read_u32(bytes + 36))};
  if (!detail::scale_valid(input.scale)) return fail(Status::bad_layout, 32);
  LayerMeaning meaning;
  for (uint16_t k = 0; k < header.count; ++k) {
    const FormatError error = detail::read_record(bytes, header, k, layers[k], meaning);
    if (error.status != Status::ok) return error;
    if (meanings != nullptr) meanings[k] = meaning;
  }
  const QuantizedNetwork net{layers, header.count, input, meaning.output};
  uint16_t bad_layer = 0;
  const Status valid = validate_quantized_network(net, &bad_layer);
  if (valid != Status::ok) return fail(valid, header.table + bad_layer * kLayerRecordSize, bad_layer);
  out.network = net;
  out.name = reinterpret_cast<const char*>(bytes + header.name);
  out.name_length = header.name_length;
  return {};
}

}  // namespace format
}  // namespace quant
}  // namespace anne
