// SPDX-License-Identifier: MIT
#include "anne_host/sandbox.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <new>
#include <optional>

#include "anne_host/error.hpp"

// Set by a sanitizer runtime when anne is built with one (a fuzzer registers its crash report
// there); absent, and so null, otherwise. (The name is the runtime's, reserved as it is.)
// NOLINTNEXTLINE(bugprone-reserved-identifier)
extern "C" __attribute__((weak)) void __sanitizer_set_death_callback(void (*callback)());

namespace anne::host {

std::string Message::take_string() {
  const uint64_t size = take_count(1);
  std::string text = bytes_.substr(taken_, size);
  taken_ += size;
  return text;
}

void Message::take_bytes(void* out, size_t size) {
  check_remaining(size, 1);
  if (size > 0) std::memcpy(out, bytes_.data() + taken_, size);
  taken_ += size;
}

void Message::check_remaining(uint64_t count, size_t item_size) const {
  if (count > (bytes_.size() - taken_) / item_size) throw Error("internal: a message between anne's processes is cut short");
}

namespace {

// A frame on the socket: to the child, the request's size (8 bytes) and bytes; to the parent, a
// status byte (kAnswer or kError), the size and the bytes (an answer, or an error message).
constexpr uint8_t kAnswer = 0;
constexpr uint8_t kError = 1;

/// Sends all of `size` bytes; false when the other end is gone. (MSG_NOSIGNAL: a dead peer is an
/// error return, not a SIGPIPE that would end this process.)
bool send_all(int socket, const void* data, size_t size) {
  const char* next = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t sent = send(socket, next, size, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    next += sent;
    size -= static_cast<size_t>(sent);
  }
  return true;
}

/// Receives exactly `size` bytes; false at the end of the stream.
bool receive_all(int socket, void* data, size_t size) {
  char* next = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t got = recv(socket, next, size, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    next += got;
    size -= static_cast<size_t>(got);
  }
  return true;
}

enum class Wait { ready, closed, timed_out };

/// Receives exactly `size` bytes by `deadline`.
Wait receive_by(int socket, void* data, size_t size, std::chrono::steady_clock::time_point deadline) {
  char* next = static_cast<char*>(data);
  while (size > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Wait::timed_out;
    pollfd ready{socket, POLLIN, 0};
    const int polled = poll(&ready, 1, static_cast<int>(left.count()));
    if (polled < 0 && errno == EINTR) continue;
    if (polled == 0) return Wait::timed_out;
    const ssize_t got = polled < 0 ? -1 : recv(socket, next, size, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return Wait::closed;
    next += got;
    size -= static_cast<size_t>(got);
  }
  return Wait::ready;
}

/// How much more address space the child may map than it starts with (a copy of the parent's):
/// the most a 256 MiB model file needs, a weight array of 2^26 floats included, with room to
/// spare. A damaged file that makes the library ask for gigabytes gets a failed allocation.
constexpr uint64_t kChildExtraAddressSpace = uint64_t{1} << 30;

/// The child's address space now, from /proc/self/statm (its first field, in pages); 0 if unknown.
uint64_t address_space_bytes() {
  const int file = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (file < 0) return 0;
  char text[64] = {};
  const ssize_t got = read(file, text, sizeof text - 1);
  close(file);
  uint64_t pages = 0;
  for (ssize_t i = 0; i < got && text[i] >= '0' && text[i] <= '9'; ++i) pages = pages * 10 + static_cast<uint64_t>(text[i] - '0');
  return pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

/// Makes the child's faults its own: they end it, and the parent reports them. No handler of the
/// parent's runs for them (a sanitizer's or a fuzzer's report of the parent), and it may map only
/// kChildExtraAddressSpace more than it starts with.
void contain_faults() {
  for (const int fault : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) std::signal(fault, SIG_DFL);
  if (__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(nullptr);
  if (const uint64_t now = address_space_bytes(); now > 0) {
    const rlimit limit{now + kChildExtraAddressSpace, now + kChildExtraAddressSpace};
    setrlimit(RLIMIT_AS, &limit);
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // no orphan if the parent dies between requests
}

/// The child's life: answer requests until the parent closes its end, then exit without running
/// the parent's exit handlers or flushing its buffers (they are the parent's, copied by fork).
/// No exception may leave it: it would unwind into the parent's code, copied by fork too.
[[noreturn]] void serve_requests(int socket, const Sandbox::Serve& serve) noexcept {
  contain_faults();
  for (;;) {
    uint64_t size = 0;
    if (!receive_all(socket, &size, sizeof size)) _exit(0);
    std::string bytes(size, '\0');
    if (!receive_all(socket, bytes.data(), size)) _exit(0);
    Message request(std::move(bytes));
    Message answer;
    std::optional<std::string> refusal;  // the Error to send instead of an answer
    try {
      answer = serve(request);
    } catch (const Error& error) {
      refusal = error.what();
    } catch (const std::bad_alloc&) {
      refusal = "out of memory";
    } catch (const std::exception& error) {
      refusal = std::string("internal error: ") + error.what();
    }
    const uint8_t status = refusal ? kError : kAnswer;
    if (refusal) {
      answer = Message();
      answer.put_string(*refusal);
    }
    const uint64_t answer_size = answer.bytes().size();
    if (!send_all(socket, &status, 1) || !send_all(socket, &answer_size, sizeof answer_size) ||
        !send_all(socket, answer.bytes().data(), answer_size)) {
      _exit(0);
    }
  }
}

}  // namespace

Sandbox::Sandbox(const Serve& serve, std::string worker, std::string meaning, std::chrono::milliseconds deadline)
    : worker_(std::move(worker)), meaning_(std::move(meaning)), deadline_(deadline) {
  int ends[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
    throw Error("cannot start a process for " + worker_ + ": " + std::strerror(errno));
  }
  child_ = fork();
  if (child_ < 0) {
    const int reason = errno;
    close(ends[0]);
    close(ends[1]);
    throw Error("cannot start a process for " + worker_ + ": " + std::strerror(reason));
  }
  if (child_ == 0) {
    close(ends[0]);
    serve_requests(ends[1], serve);
  }
  close(ends[1]);
  socket_ = ends[0];
}

Sandbox::~Sandbox() {
  if (failure_.empty()) end_child(true);
}

std::string Sandbox::end_child(bool kill_it) {
  if (kill_it) kill(child_, SIGKILL);
  close(socket_);
  int status = 0;
  pid_t waited;
  do {
    waited = waitpid(child_, &status, 0);
  } while (waited < 0 && errno == EINTR);
  if (waited != child_) return worker_ + " ended (its exit status is unknown)";
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    return worker_ + " crashed on it (signal " + std::to_string(signal) + ": " + strsignal(signal) + ")";
  }
  return worker_ + " ended on it (exit status " + std::to_string(WEXITSTATUS(status)) + ")";
}

Message Sandbox::call(const Message& request, const std::string& doing) {
  if (!failure_.empty()) throw Error(doing + ": " + failure_);
  const auto deadline = std::chrono::steady_clock::now() + deadline_;
  const uint64_t size = request.bytes().size();
  uint8_t status = 0;
  uint64_t answer_size = 0;
  Wait wait = Wait::closed;
  if (send_all(socket_, &size, sizeof size) && send_all(socket_, request.bytes().data(), size) &&
      (wait = receive_by(socket_, &status, 1, deadline)) == Wait::ready &&
      (wait = receive_by(socket_, &answer_size, sizeof answer_size, deadline)) == Wait::ready) {
    std::string bytes(answer_size, '\0');
    if ((wait = receive_by(socket_, bytes.data(), answer_size, deadline)) == Wait::ready) {
      Message answer(std::move(bytes));
      if (status == kError) throw Error(answer.take_string());
      return answer;
    }
  }
  if (wait == Wait::timed_out) {
    end_child(true);
    const long long ms = deadline_.count();
    const std::string limit = ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
    failure_ = worker_ + " gave no answer within " + limit + " and was stopped";
  } else {
    failure_ = end_child(false);
  }
  failure_ += "; " + meaning_;
  throw Error(doing + ": " + failure_);
}

}  // namespace anne::host
