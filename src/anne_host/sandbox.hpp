// SPDX-License-Identifier: MIT
// A child process for work anne cannot trust to end well: a library that may crash or hang on
// hostile input (libhdf5 on a corrupt file) runs there, so its fault ends the child, not anne.
// The parent sends a request and waits for the answer with a deadline; a crash, an early exit or a
// missed deadline becomes an Error naming what was being done, and anne goes on.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

namespace anne::host {

/// A request or an answer: values put in and taken out in the same order. Both ends are the same
/// program, so values travel in the machine's own layout.
class Message {
 public:
  Message() = default;
  explicit Message(std::string bytes) : bytes_(std::move(bytes)) {}

  template <typename T>
  void put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void put_string(const std::string& text) {
    put<uint64_t>(text.size());
    bytes_ += text;
  }
  template <typename T>
  void put_vector(const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    put<uint64_t>(values.size());
    bytes_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }

  template <typename T>
  T take() {
    T value;
    take_bytes(&value, sizeof value);
    return value;
  }
  std::string take_string();
  /// A count of items put before them, checked against the bytes left, so a wrong one cannot
  /// make the taker allocate what the message does not hold.
  uint64_t take_count(size_t item_size) {
    const uint64_t count = take<uint64_t>();
    check_remaining(count, item_size);
    return count;
  }
  template <typename T>
  std::vector<T> take_vector() {
    std::vector<T> values(take_count(sizeof(T)));
    const size_t count = values.size();
    take_bytes(values.data(), count * sizeof(T));
    return values;
  }

  const std::string& bytes() const { return bytes_; }

 private:
  void take_bytes(void* out, size_t size);
  void check_remaining(uint64_t count, size_t item_size) const;

  std::string bytes_;
  size_t taken_ = 0;
};

class Sandbox {
 public:
  /// Answers one request, in the child. An Error it throws reaches the caller as that Error.
  using Serve = std::function<Message(Message& request)>;

  /// Starts the child process. `worker` names what runs there ("the HDF5 library") in messages,
  /// `meaning` says what its failure tells the user ("the file is damaged").
  Sandbox(const Serve& serve, std::string worker, std::string meaning, std::chrono::milliseconds deadline);
  /// Ends the child (it holds nothing worth keeping) and collects it.
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  /// Sends a request and returns the answer. `doing` says what it is for, as the start of any
  /// error message ("model.h5: reading dataset /x"). Once the child has failed, every call fails.
  Message call(const Message& request, const std::string& doing);

 private:
  /// Why the child is gone, after it crashed, exited or missed the deadline (it is then collected).
  std::string end_child(bool kill_it);

  pid_t child_ = -1;
  int socket_ = -1;
  std::string worker_;
  std::string meaning_;
  std::chrono::milliseconds deadline_;
  std::string failure_;  ///< set once the child is gone
};

}  // namespace anne::host
