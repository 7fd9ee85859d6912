// SPDX-License-Identifier: MIT
#include "anne_host/import/hdf5.hpp"

#include <memory>
#include <optional>
#include <utility>

#include "anne_host/error.hpp"
#include "anne_host/import/hdf5_library.hpp"
#include "anne_host/sandbox.hpp"

namespace anne::host::hdf5 {

namespace {

/// The requests the reading process answers, one per File method; each is followed by its
/// arguments as strings, and answered with the method's result.
enum class Request : uint8_t { open, exists, string_list_attribute, members, read };

Message request(Request kind, const std::string& first = {}, const std::string& second = {}) {
  Message message;
  message.put(kind);
  message.put_string(first);
  message.put_string(second);
  return message;
}

void put_strings(Message& message, const std::vector<std::string>& strings) {
  message.put<uint64_t>(strings.size());
  for (const std::string& s : strings) message.put_string(s);
}

std::vector<std::string> take_strings(Message& message) {
  std::vector<std::string> strings(message.take_count(sizeof(uint64_t)));  // each string has at least its size
  for (std::string& s : strings) s = message.take_string();
  return strings;
}

/// The reading process's side: it opens the file (from `path`, or from `image` when given; the
/// image is the process's own copy, made when it started) and answers each request with libhdf5.
Sandbox::Serve serve_file(std::string path, const std::vector<uint8_t>* image, std::string label) {
  auto file = std::make_shared<std::optional<LibraryFile>>();  // opened by the first request
  return [path = std::move(path), image, label = std::move(label), file](Message& in) {
    const Request kind = in.take<Request>();
    const std::string first = in.take_string(), second = in.take_string();
    Message out;
    switch (kind) {
      case Request::open:
        file->emplace(image != nullptr ? LibraryFile::from_memory(*image, label) : LibraryFile::open(path));
        break;
      case Request::exists:
        out.put<uint8_t>((*file)->exists(first));
        break;
      case Request::string_list_attribute:
        put_strings(out, (*file)->string_list_attribute(first, second));
        break;
      case Request::members:
        put_strings(out, (*file)->members(first));
        break;
      case Request::read: {
        const Array array = (*file)->read(first);
        out.put_vector(array.shape);
        out.put_vector(array.values);
        break;
      }
    }
    return out;
  };
}

}  // namespace

File::File(const std::string& path, const std::vector<uint8_t>* image, const std::string& label, std::chrono::milliseconds deadline)
    : reader_(std::make_unique<Sandbox>(serve_file(path, image, label), "the HDF5 library",
                                        "the file is damaged (or beyond what libhdf5 can read)", deadline)), label_(label) {
  reader_->call(request(Request::open), label_ + ": opening it as an HDF5 file");
}

File::File(File&& other) noexcept = default;
File::~File() = default;

File File::open(const std::string& path, std::chrono::milliseconds deadline) { return File(path, nullptr, path, deadline); }

File File::from_memory(const std::vector<uint8_t>& image, const std::string& label, std::chrono::milliseconds deadline) {
  return File({}, &image, label, deadline);
}

bool File::exists(const std::string& object) const {
  Message answer = reader_->call(request(Request::exists, object), label_ + ": looking for " + object);
  return answer.take<uint8_t>() != 0;
}

std::optional<std::string> File::string_attribute(const std::string& object, const std::string& name) const {
  const std::vector<std::string> values = string_list_attribute(object, name);
  if (values.empty()) return std::nullopt;
  return values.front();
}

std::vector<std::string> File::string_list_attribute(const std::string& object, const std::string& name) const {
  Message answer = reader_->call(request(Request::string_list_attribute, object, name),
                                 label_ + ": reading attribute '" + name + "' of " + object);
  return take_strings(answer);
}

std::vector<std::string> File::members(const std::string& group) const {
  Message answer = reader_->call(request(Request::members, group), label_ + ": listing group " + group);
  return take_strings(answer);
}

Array File::read(const std::string& dataset) const {
  Message answer = reader_->call(request(Request::read, dataset), label_ + ": reading dataset " + dataset);
  Array array;
  array.shape = answer.take_vector<uint64_t>();
  array.values = answer.take_vector<float>();
  return array;
}

}  // namespace anne::host::hdf5
