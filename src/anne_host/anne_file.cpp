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
#include <iterator>

#include "anne/format.hpp"
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
  const size_t table = format::kHeaderSize;
  const size_t name = table + static_cast<size_t>(net.count) * format::kLayerRecordSize;
  const size_t data_offset = (name + model.name.size() + 3) / 4 * 4;
  const size_t total = data_offset + data.size() * 4 + 4;
  if (total > 0xffffffffu) throw Error("the model is too large for the .anne format (over 4 GB)");

  std::vector<uint8_t> out(total, 0);
  std::memcpy(out.data(), format::kMagic, 4);
  put_u16(out, 4, format::kVersion);
  put_u16(out, 6, format::kHeaderSize);
  put_u32(out, 8, static_cast<uint32_t>(total));
  put_u16(out, 12, net.count);
  put_u16(out, 14, static_cast<uint32_t>(model.name.size()));
  put_u32(out, 16, static_cast<uint32_t>(table));
  put_u32(out, 20, static_cast<uint32_t>(name));
  put_u32(out, 24, static_cast<uint32_t>(data_offset));
  put_u32(out, 28, static_cast<uint32_t>(data.size() * 4));
  for (uint16_t k = 0; k < net.count; ++k) {
    const Layer& layer = net.layers[k];
    const size_t at = table + static_cast<size_t>(k) * format::kLayerRecordSize;
    out[at] = static_cast<uint8_t>(layer.kind);
    out[at + 1] = static_cast<uint8_t>(layer.activation.kind);
    put_u16(out, at + 2, layer.inputs);
    put_u16(out, at + 4, layer.units);
    put_f32(out, at + 8, layer.activation.alpha);
    put_f32(out, at + 12, layer.activation.max_value);
    put_f32(out, at + 16, layer.activation.threshold);
    for (int i = 0; i < 3; ++i) put_u32(out, at + 20 + 4 * i, offsets[3 * k + i]);
  }
  std::memcpy(out.data() + name, model.name.data(), model.name.size());
  for (size_t i = 0; i < data.size(); ++i) put_f32(out, data_offset + 4 * i, data[i]);
  put_u32(out, total - 4, format::crc32(out.data(), total - 4));
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

HostModel read_anne_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error(path + ": cannot open the file");
  std::error_code size_error;
  if (std::filesystem::file_size(path, size_error) > kMaxModelFileBytes) {
    throw Error(path + ": larger than " + std::to_string(kMaxModelFileBytes >> 20) + " MiB, more than any model anne runs");
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // Copy into float storage: 4-byte aligned, as the in-place reader requires, and owned by the model.
  auto storage = std::make_unique<float[]>(bytes.size() / 4 + 1);
  if (!bytes.empty()) std::memcpy(storage.get(), bytes.data(), bytes.size());
  const auto* raw = reinterpret_cast<const uint8_t*>(storage.get());

  HostModel model;
  // Room for the layer count the header declares (at least one, so a count of 0 is reported as such).
  model.layers.resize(bytes.size() >= 14 ? std::max<uint16_t>(format::read_u16(raw + 12), 1) : 1);
  format::ModelView view;
  const format::FormatError error = format::read_model(raw, bytes.size(), model.layers.data(),
                                                       static_cast<uint16_t>(model.layers.size()), view);
  if (error.status != Status::ok) {
    std::string where = path + ": ";
    if (error.layer != 0xffff) where += "layer " + std::to_string(error.layer + 1) + ", ";
    throw Error(where + "byte " + std::to_string(error.offset) + ": " + status_message(error.status));
  }
  model.name = std::string(view.name, view.name_length);
  model.description = "read from " + path;
  model.storage.push_back(std::move(storage));
  return model;
}

}  // namespace anne::host
