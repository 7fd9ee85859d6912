// SPDX-License-Identifier: MIT
// The .anne model file, read in place (zero-copy: the layers point into the file's bytes, e.g. in
// flash on the device). Every field is checked before use, so no bytes whatever can make the
// reader or a later forward pass read outside the buffer. Layout (docs/anne-format.md), all
// little-endian:
//
//   offset  size  header (40 bytes)
//        0     4  magic "ANNE"
//        4     2  format version (1)
//        6     2  header size (40)
//        8     4  file size in bytes, CRC included
//       12     2  layer count
//       14     2  name length (UTF-8 bytes, at most 255)
//       16     4  layer table offset (40)
//       20     4  name offset
//       24     4  data offset (a multiple of 4)
//       28     4  data size (a multiple of 4)
//       32     8  reserved (zero)
//   layer table: one 32-byte record per layer
//        0     1  layer kind (LayerKind code)
//        1     1  activation (Activation code)
//        2     2  inputs
//        4     2  units
//        6     2  reserved (zero)
//        8     4  alpha (float32)       12  4  max_value (float32, +inf = none)
//       16     4  threshold (float32)
//       20     4  weights offset    24  4  bias offset    28  4  PReLU slopes offset
//                 (each in bytes from the data offset, a multiple of 4, or 0xffffffff = none)
//   data: float32 arrays (dense weights [units][inputs])
//   the last 4 bytes: CRC-32 (IEEE 802.3, as zlib computes it) of every byte before them
// Version 2 (quantized models) shares the header, name, data section and CRC: quant/quantized_format.hpp.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/layer.hpp"
#include "anne/network.hpp"
#include "anne/status.hpp"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the .anne reader reads float32 data in place and needs a little-endian target"
#endif

namespace anne {
namespace format {

constexpr uint8_t kMagic[4] = {'A', 'N', 'N', 'E'};
constexpr uint16_t kVersion = 1;
constexpr uint32_t kHeaderSize = 40;
constexpr uint32_t kLayerRecordSize = 32;
constexpr uint32_t kNone = 0xffffffffu;
constexpr uint16_t kMaxNameLength = 255;

/// Why a file was refused: the status, and where (byte offset, layer) when that is known.
struct FormatError {
  Status status = Status::ok;
  uint32_t offset = 0;     ///< byte offset of the offending field
  uint16_t layer = 0xffff;  ///< 0-based layer index, or 0xffff when not about one layer
};

/// CRC-32 (reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF), bit by bit: no
/// 1 KB table in flash for a check that runs once per model load.
inline uint32_t crc32(const uint8_t* bytes, size_t length, uint32_t crc = 0) {
  crc = ~crc;
  for (size_t i = 0; i < length; ++i) {
    crc ^= bytes[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

inline uint16_t read_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t read_u32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) | (static_cast<uint32_t>(p[2]) << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}
inline float read_f32(const uint8_t* p) {
  const uint32_t bits = read_u32(p);
  float value;
  __builtin_memcpy(&value, &bits, sizeof value);
  return value;
}
/// The writers of the same: what read_u32 and read_f32 read back.
inline void write_u32(uint8_t* p, uint32_t value) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(value >> (8 * i));
}
inline void write_f32(uint8_t* p, float value) {
  uint32_t bits;
  __builtin_memcpy(&bits, &value, sizeof bits);
  write_u32(p, bits);
}

/// A model read in place: `network.layers` is the caller's layer array, whose weight pointers
/// point into the file's bytes. The bytes must outlive it.
struct ModelView {
  Network network;
  const char* name = nullptr;  ///< not NUL-terminated
  uint16_t name_length = 0;
};

namespace detail {

inline FormatError fail(Status status, uint32_t offset, uint16_t layer = 0xffff) { return {status, offset, layer}; }

/// An array of `count` values of type T at `offset` from the data section (4-byte aligned, inside
/// it), or the error of the record's `field`; kNone gives nullptr when `optional`.
template <class T>
inline FormatError array_at(const uint8_t* data, uint32_t data_size, uint32_t offset, size_t count, bool optional,
                            uint32_t field, uint16_t layer, const T*& out) {
  out = nullptr;
  if (offset == kNone) return optional ? FormatError{} : fail(Status::bad_layout, field, layer);
  if (offset % 4 != 0 || offset > data_size || count > (data_size - offset) / sizeof(T)) {
    return fail(Status::bad_layout, field, layer);
  }
  out = reinterpret_cast<const T*>(data + offset);
  return {};
}

}  // namespace detail

/// The header fields of a .anne file, after read_header has checked them.
struct Header {
  uint16_t count = 0;        ///< layers
  uint16_t name_length = 0;
  uint32_t table = 0;        ///< offset of the layer records
  uint32_t name = 0;         ///< offset of the name
  uint32_t data = 0;         ///< offset of the data section
  uint32_t data_size = 0;
};

namespace detail {

/// Checks the header of a file of format `version` with `record_size`-byte layer records:
/// alignment, magic, version, sizes, CRC, and every region inside the file.
inline FormatError read_header(const uint8_t* bytes, size_t length, uint16_t version, uint32_t record_size,
                               uint16_t capacity, Header& out) {
  if (bytes == nullptr) return fail(Status::invalid_argument, 0);
  if (reinterpret_cast<uintptr_t>(bytes) % 4 != 0) return fail(Status::bad_layout, 0);
  // The magic first, when there are 4 bytes: "not a .anne file" says more than "too short".
  if (length < 4) return fail(Status::truncated, static_cast<uint32_t>(length));
  for (int i = 0; i < 4; ++i) {
    if (bytes[i] != kMagic[i]) return fail(Status::bad_magic, 0);
  }
  if (length < kHeaderSize + 4) return fail(Status::truncated, static_cast<uint32_t>(length));
  if (read_u16(bytes + 4) != version) return fail(Status::bad_version, 4);
  if (read_u16(bytes + 6) != kHeaderSize) return fail(Status::bad_layout, 6);
  const uint32_t file_size = read_u32(bytes + 8);
  if (file_size > length) return fail(Status::truncated, 8);
  if (file_size < kHeaderSize + 4) return fail(Status::bad_layout, 8);
  const uint32_t stored_crc = read_u32(bytes + file_size - 4);
  if (crc32(bytes, file_size - 4) != stored_crc) return fail(Status::bad_checksum, file_size - 4);

  out.count = read_u16(bytes + 12);
  out.name_length = read_u16(bytes + 14);
  out.table = read_u32(bytes + 16);
  out.name = read_u32(bytes + 20);
  out.data = read_u32(bytes + 24);
  out.data_size = read_u32(bytes + 28);
  const uint32_t body = file_size - 4;  // everything but the CRC
  if (out.count == 0) return fail(Status::bad_layout, 12);
  if (out.count > capacity) return fail(Status::buffer_too_small, 12);
  if (out.table != kHeaderSize || out.count > (body - out.table) / record_size) return fail(Status::bad_layout, 16);
  if (out.name_length > kMaxNameLength || out.name > body || out.name_length > body - out.name) return fail(Status::bad_layout, 20);
  if (out.data % 4 != 0 || out.data_size % 4 != 0 || out.data > body || out.data_size > body - out.data) {
    return fail(Status::bad_layout, 24);
  }
  return {};
}

}  // namespace detail

/// Reads and checks a .anne file held in `bytes` (4-byte aligned, `length` bytes), filling
/// `layers` (room for `capacity` layers) and `out`. Returns what is wrong and where, or ok.
inline FormatError read_model(const uint8_t* bytes, size_t length, Layer* layers, uint16_t capacity, ModelView& out) {
  using detail::fail;
  out = ModelView{};
  if (layers == nullptr) return fail(Status::invalid_argument, 0);
  Header header;
  const FormatError bad_header = detail::read_header(bytes, length, kVersion, kLayerRecordSize, capacity, header);
  if (bad_header.status != Status::ok) return bad_header;
  if (read_u32(bytes + 32) != 0 || read_u32(bytes + 36) != 0) return fail(Status::bad_layout, 32);
  const uint16_t count = header.count;
  const uint32_t table = header.table;
  const uint32_t data = header.data;
  const uint32_t data_size = header.data_size;

  for (uint16_t k = 0; k < count; ++k) {
    const uint32_t at = table + k * kLayerRecordSize;
    const uint8_t* record = bytes + at;
    Layer layer;
    layer.kind = static_cast<LayerKind>(record[0]);
    if (!layer_kind_known(layer.kind)) return fail(Status::unknown_layer_kind, at, k);
    layer.activation.kind = static_cast<Activation>(record[1]);
    if (!activation_known(layer.activation.kind)) return fail(Status::unknown_activation, at + 1, k);
    layer.inputs = read_u16(record + 2);
    layer.units = read_u16(record + 4);
    if (read_u16(record + 6) != 0) return fail(Status::bad_layout, at + 6, k);
    layer.activation.alpha = read_f32(record + 8);
    layer.activation.max_value = read_f32(record + 12);
    layer.activation.threshold = read_f32(record + 16);
    const size_t weights = layer.kind == LayerKind::dense ? static_cast<size_t>(layer.units) * layer.inputs : layer.units;
    FormatError error = detail::array_at(bytes + data, data_size, read_u32(record + 20), weights,
                                         layer.kind != LayerKind::dense, at + 20, k, layer.weights);
    if (error.status == Status::ok) {
      error = detail::array_at(bytes + data, data_size, read_u32(record + 24), layer.units, true, at + 24, k, layer.bias);
    }
    if (error.status == Status::ok) {
      error = detail::array_at(bytes + data, data_size, read_u32(record + 28), layer.units,
                               layer.activation.kind != Activation::prelu, at + 28, k, layer.activation.unit_alpha);
    }
    if (error.status != Status::ok) return error;
    layers[k] = layer;
  }
  out.network = Network{layers, count};
  uint16_t bad_layer = 0;
  const Status valid = validate_network(out.network, &bad_layer);
  if (valid != Status::ok) {
    out = ModelView{};
    return fail(valid, table + bad_layer * kLayerRecordSize, bad_layer);
  }
  out.name = reinterpret_cast<const char*>(bytes + header.name);
  out.name_length = header.name_length;
  return {};
}

}  // namespace format
}  // namespace anne
