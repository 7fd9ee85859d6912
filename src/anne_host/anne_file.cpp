// SPDX-License-Identifier: MIT
#include "anne_host/anne_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <algorithm>
#include <fstream>

#include "anne/format.hpp"
#include "anne/quant/quantized_format.hpp"
#include "anne_host/error.hpp"

namespace anne::host {

namespace {

void put_u16(std::vector<uint8_t>& out, size_t at, uint32_t v) {
  out[at] = static_cast<uint8_t>(v);
  out[at + 1] = static_cast<uint8_t>(v >> 8);
}
void put_u32(std::vector<uint8_t>& out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
void put_f32(std::vector<uint8_t>& out, size_t at, float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  put_u32(out, at, bits);
}

/// Where the parts of a .anne file go: header, layer records, name, data section, CRC.
struct FileLayout {
  size_t table = format::kHeaderSize;
  size_t name = 0;
  size_t data = 0;   ///< 4-byte aligned
  size_t total = 0;  ///< CRC included
};

/// A file's bytes with its header and name written (both versions share them); the records and
/// the data section go at `layout`'s offsets, the CRC last (finish_anne_file).
std::vector<uint8_t> start_anne_file(uint16_t version, uint16_t count, uint32_t record_size, const std::string& model_name,
                                     size_t data_bytes, FileLayout& layout) {
  layout.name = layout.table + static_cast<size_t>(count) * record_size;
  layout.data = (layout.name + model_name.size() + 3) / 4 * 4;
  layout.total = layout.data + data_bytes + 4;
  if (layout.total > 0xffffffffu) throw Error("the model is too large for the .anne format (over 4 GB)");
  std::vector<uint8_t> out(layout.total, 0);
  std::memcpy(out.data(), format::kMagic, 4);
  put_u16(out, 4, version);
  put_u16(out, 6, format::kHeaderSize);
  put_u32(out, 8, static_cast<uint32_t>(layout.total));
  put_u16(out, 12, count);
  put_u16(out, 14, static_cast<uint32_t>(model_name.size()));
  put_u32(out, 16, static_cast<uint32_t>(layout.table));
  put_u32(out, 20, static_cast<uint32_t>(layout.name));
  put_u32(out, 24, static_cast<uint32_t>(layout.data));
  put_u32(out, 28, static_cast<uint32_t>(data_bytes));
  std::memcpy(out.data() + layout.name, model_name.data(), model_name.size());
  return out;
}

void finish_anne_file(std::vector<uint8_t>& out) { put_u32(out, out.size() - 4, format::crc32(out.data(), out.size() - 4)); }

}  // namespace

std::vector<uint8_t> encode_anne(const HostModel& model) {
  const Network net = model.network();
  uint16_t bad_layer = 0;
  const Status valid = validate_network(net, &bad_layer);
  if (valid != Status::ok) {
    throw Error(model.name + ": layer " + std::to_string(bad_layer + 1) + ": " + status_message(valid));
  }
  if (model.name.size() > format::kMaxNameLength) throw Error("the model name is longer than 255 bytes");

  // The data section: each layer's weights, bias and PReLU slopes, in layer order.
  std::vector<float> data;
  std::vector<uint32_t> offsets;  // three per layer, in bytes from the data section
  auto append = [&](const float* values, size_t n) {
    if (values == nullptr) return format::kNone;
    const uint32_t at = static_cast<uint32_t>(data.size() * 4);
    data.insert(data.end(), values, values + n);
    return at;
  };
  for (uint16_t k = 0; k < net.count; ++k) {
    const Layer& layer = net.layers[k];
    offsets.push_back(append(layer.weights, layer_weight_count(layer)));
    offsets.push_back(append(layer.bias, layer.units));
    offsets.push_back(append(layer.activation.unit_alpha, layer.units));
  }
  FileLayout layout;
  std::vector<uint8_t> out = start_anne_file(format::kVersion, net.count, format::kLayerRecordSize, model.name, data.size() * 4, layout);
  for (uint16_t k = 0; k < net.count; ++k) {
    const Layer& layer = net.layers[k];
    const size_t at = layout.table + static_cast<size_t>(k) * format::kLayerRecordSize;
    out[at] = static_cast<uint8_t>(layer.kind);
    out[at + 1] = static_cast<uint8_t>(layer.activation.kind);
    put_u16(out, at + 2, layer.inputs);
    put_u16(out, at + 4, layer.units);
    put_f32(out, at + 8, layer.activation.alpha);
    put_f32(out, at + 12, layer.activation.max_value);
    put_f32(out, at + 16, layer.activation.threshold);
    for (int i = 0; i < 3; ++i) put_u32(out, at + 20 + 4 * i, offsets[3 * k + i]);
  }
  for (size_t i = 0; i < data.size(); ++i) put_f32(out, layout.data + 4 * i, data[i]);
  finish_anne_file(out);
  return out;
}

void write_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes) {
  const size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  std::string temp = dir + "/.anne-tmp-XXXXXX";
  const int fd = mkstemp(temp.data());
  if (fd < 0) throw Error("cannot write '" + path + "': " + std::strerror(errno));
  // mkstemp makes the file private (0600); the model file gets the permissions any new file gets.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const bool ok = written == bytes.size() && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(ok ? errno : saved_errno);
    std::remove(temp.c_str());
    throw Error("cannot write '" + path + "': " + reason);
  }
}

void save_anne(const HostModel& model, const std::string& path) { write_file_atomically(path, encode_anne(model)); }

std::vector<uint8_t> read_whole_file(const std::string& path, const std::string& what, uintmax_t limit,
                                     const std::function<std::string(uintmax_t size)>& too_large) {
  std::error_code error;
  const bool regular = std::filesystem::is_regular_file(path, error);
  const uintmax_t size = regular ? std::filesystem::file_size(path, error) : 0;
  std::ifstream file(path, std::ios::binary);
  if (!regular || error || !file) throw Error(path + ": cannot open the " + what);
  if (size > limit) throw Error(path + ": " + too_large(size));
  std::vector<uint8_t> bytes(size);
  if (!file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) throw Error(path + ": read error");
  return bytes;
}

namespace {

/// A file's bytes in 4-byte aligned storage, as the in-place readers require.
struct FileBytes {
  std::unique_ptr<float[]> storage;
  size_t size = 0;
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(storage.get()); }
};

FileBytes read_model_bytes(const std::string& path) {
  const std::vector<uint8_t> bytes = read_whole_file(path, "file", kMaxModelFileBytes, [](uintmax_t) {
    return "larger than " + std::to_string(kMaxModelFileBytes >> 20) + " MiB, more than any model anne runs";
  });
  FileBytes out;
  out.storage = std::make_unique<float[]>(bytes.size() / 4 + 1);
  out.size = bytes.size();
  if (!bytes.empty()) std::memcpy(out.storage.get(), bytes.data(), bytes.size());
  return out;
}

/// Room for the layer count the header declares (at least one, so a count of 0 is reported as such).
size_t declared_layers(const FileBytes& bytes) {
  return bytes.size >= 14 ? std::max<uint16_t>(format::read_u16(bytes.data() + 12), 1) : 1;
}

/// The reader's error as a message: FILE: [layer K, ]byte N: what; a file shorter than its header
/// says also gets both sizes.
[[noreturn]] void refuse(const std::string& path, const format::FormatError& error, const FileBytes& bytes) {
  std::string where = path + ": ";
  if (error.layer != 0xffff) where += "layer " + std::to_string(error.layer + 1) + ", ";
  std::string what = status_message(error.status);
  if (error.status == Status::truncated && error.offset == 8) {
    what += " (the header declares " + std::to_string(format::read_u32(bytes.data() + 8)) + " bytes, the file has " +
            std::to_string(bytes.size) + ")";
  }
  throw Error(where + "byte " + std::to_string(error.offset) + ": " + what);
}

}  // namespace

HostModel read_anne_file(const std::string& path) {
  FileBytes bytes = read_model_bytes(path);
  HostModel model;
  model.layers.resize(declared_layers(bytes));
  format::ModelView view;
  const format::FormatError error = format::read_model(bytes.data(), bytes.size, model.layers.data(),
                                                       static_cast<uint16_t>(model.layers.size()), view);
  if (error.status != Status::ok) refuse(path, error, bytes);
  model.name = std::string(view.name, view.name_length);
  model.description = "read from " + path;
  model.storage.push_back(std::move(bytes.storage));
  return model;
}

bool is_quantized_anne_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  char head[6] = {};
  if (!file.read(head, sizeof head)) return false;
  const auto* bytes = reinterpret_cast<const uint8_t*>(head);
  return std::memcmp(head, format::kMagic, 4) == 0 && format::read_u16(bytes + 4) == quant::format::kVersion;
}

QuantizedModel read_quantized_anne_file(const std::string& path) {
  const FileBytes bytes = read_model_bytes(path);
  std::vector<quant::QuantizedLayer> layers(declared_layers(bytes));
  std::vector<quant::format::LayerMeaning> meanings(layers.size());
  quant::format::QuantizedModelView view;
  const format::FormatError error = quant::format::read_quantized_model(
      bytes.data(), bytes.size, layers.data(), meanings.data(), static_cast<uint16_t>(layers.size()), view);
  if (error.status != Status::ok) refuse(path, error, bytes);
  // Copy out of the file's bytes into the model's own storage.
  QuantizedModel model;
  model.name = std::string(view.name, view.name_length);
  model.description = "read from " + path;
  model.input = view.network.input;
  for (uint16_t k = 0; k < view.network.count; ++k) {
    const quant::QuantizedLayer& layer = layers[k];
    const size_t weights = static_cast<size_t>(layer.units) * layer.inputs;
    model.layers.push_back(layer);
    model.outputs.push_back(meanings[k].output);
    model.preactivations.push_back(meanings[k].grid);
    model.activations.push_back(default_spec(meanings[k].activation));
    model.weights.emplace_back(layer.weights, layer.weights + weights);
    model.biases.emplace_back(layer.bias, layer.bias + layer.units);
    model.requantizers.emplace_back(layer.requantizers, layer.requantizers + layer.units);
    model.tables.emplace_back();
    if (layer.table != nullptr) model.tables.back().assign(layer.table, layer.table + quant::kTableEntries);
  }
  model.link();
  return model;
}

std::vector<uint8_t> encode_quantized_anne(const QuantizedModel& model) {
  const quant::QuantizedNetwork net = model.network();
  uint16_t bad_layer = 0;
  const Status valid = quant::validate_quantized_network(net, &bad_layer);
  if (valid != Status::ok) throw Error(model.name + ": layer " + std::to_string(bad_layer + 1) + ": " + status_message(valid));
  if (model.name.size() > format::kMaxNameLength) throw Error("the model name is longer than 255 bytes");

  // The data section: each layer's weights, bias, requantizers and table, each 4-byte aligned.
  std::vector<uint8_t> data;
  auto append = [&](const void* values, size_t bytes) {
    const uint32_t at = static_cast<uint32_t>(data.size());
    const auto* begin = static_cast<const uint8_t*>(values);
    data.insert(data.end(), begin, begin + bytes);
    data.resize((data.size() + 3) / 4 * 4, 0);
    return at;
  };
  std::vector<uint32_t> offsets;  // four per layer
  for (size_t k = 0; k < net.count; ++k) {
    offsets.push_back(append(model.weights[k].data(), model.weights[k].size()));
    offsets.push_back(append(model.biases[k].data(), 4 * model.biases[k].size()));
    std::vector<uint8_t> requantizers(quant::format::kRequantizerSize * model.requantizers[k].size(), 0);
    for (size_t j = 0; j < model.requantizers[k].size(); ++j) {
      const quant::Requantizer r = model.requantizers[k][j];
      put_u32(requantizers, quant::format::kRequantizerSize * j, static_cast<uint32_t>(r.multiplier));
      requantizers[quant::format::kRequantizerSize * j + 4] = r.pre_shift;
      requantizers[quant::format::kRequantizerSize * j + 5] = r.shift;
    }
    offsets.push_back(append(requantizers.data(), requantizers.size()));
    uint32_t table = format::kNone;
    if (!model.tables[k].empty()) {
      const size_t first = first_identical_table(model, k);  // identical tables are stored once
      table = first == k ? append(model.tables[k].data(), 2 * model.tables[k].size()) : offsets[4 * first + 3];
    }
    offsets.push_back(table);
  }
  FileLayout layout;
  std::vector<uint8_t> out =
      start_anne_file(quant::format::kVersion, net.count, quant::format::kLayerRecordSize, model.name, data.size(), layout);
  put_f32(out, 32, model.input.scale);
  put_u32(out, 36, static_cast<uint32_t>(model.input.zero_point));
  for (uint16_t k = 0; k < net.count; ++k) {
    const quant::QuantizedLayer& layer = model.layers[k];
    const size_t at = layout.table + static_cast<size_t>(k) * quant::format::kLayerRecordSize;
    out[at] = static_cast<uint8_t>(layer.output);
    out[at + 1] = static_cast<uint8_t>(model.activations[k].kind);
    put_u16(out, at + 2, layer.inputs);
    put_u16(out, at + 4, layer.units);
    put_u16(out, at + 8, static_cast<uint16_t>(layer.clamp_min));
    put_u16(out, at + 10, static_cast<uint16_t>(layer.clamp_max));
    put_f32(out, at + 16, model.outputs[k].scale);
    put_u32(out, at + 20, static_cast<uint32_t>(model.outputs[k].zero_point));
    put_f32(out, at + 24, model.preactivations[k].scale);
    put_u32(out, at + 28, static_cast<uint32_t>(model.preactivations[k].zero_point));
    for (int i = 0; i < 4; ++i) put_u32(out, at + 32 + 4 * i, offsets[4 * k + i]);
  }
  std::memcpy(out.data() + layout.data, data.data(), data.size());
  finish_anne_file(out);
  return out;
}

void save_quantized_anne(const QuantizedModel& model, const std::string& path) {
  write_file_atomically(path, encode_quantized_anne(model));
}

}  // namespace anne::host
