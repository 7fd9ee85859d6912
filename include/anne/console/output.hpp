// SPDX-License-Identifier: MIT
// What the console needs from the platform it runs on (text out, a clock), and a small printer
// that builds lines in a fixed buffer and hands them to the platform whole.
#pragma once

#include <stdint.h>

#include "anne/console/number_format.hpp"

namespace anne {
namespace console {

/// The platform's hooks, plain function pointers with a context: a UART or semihosting on the
/// chip, stdout and the monotonic clock on the PC.
struct Platform {
  void* context = nullptr;
  /// Writes NUL-terminated text (whole lines, or at most kPrintCapacity characters at a time).
  void (*write)(void* context, const char* text) = nullptr;
  /// A free-running counter for `bench`; nullptr when the platform has none.
  uint32_t (*ticks)(void* context) = nullptr;
  /// Counts from reading `from` to reading `to`; nullptr means to - from (a counter that counts up
  /// and wraps at 2^32). A 24-bit SysTick that counts down gives its own.
  uint32_t (*elapsed)(void* context, uint32_t from, uint32_t to) = nullptr;
  /// The counter's unit: "cycles" on the chip, "ns" on the PC (nullptr: "ticks").
  const char* tick_unit = nullptr;
};

/// Characters the printer collects before it writes: a full console line and a little more.
constexpr uint16_t kPrintCapacity = 160;

/// Text pieces in, whole lines out through Platform::write.
class Printer {
 public:
  void attach(const Platform* platform) { platform_ = platform; }

  Printer& text(const char* s) {
    for (; s != nullptr && *s != '\0'; ++s) put(*s);
    return *this;
  }
  /// `length` characters of s (s need not be NUL-terminated).
  Printer& text(const char* s, uint16_t length) {
    for (uint16_t i = 0; i < length; ++i) put(s[i]);
    return *this;
  }
  /// s right-aligned in a field of `width` characters.
  Printer& padded(const char* s, uint8_t width) {
    uint16_t length = 0;
    while (s[length] != '\0') ++length;
    for (uint16_t i = length; i < width; ++i) put(' ');
    return text(s);
  }
  Printer& whole(uint32_t value, uint8_t width = 0) { return padded(format_whole(value).text, width); }
  /// The low `digits` hexadecimal digits of value (8: all of it).
  Printer& hex(uint32_t value, uint8_t digits = 8) {
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) put("0123456789abcdef"[(value >> shift) & 0xfu]);
    return *this;
  }
  Printer& fixed(float value, uint8_t decimals, uint8_t width = 0) {
    return padded(format_fixed(value, decimals).text, width);
  }
  /// Ends the line and writes it.
  void line() {
    put('\n');
    flush();
  }
  void flush() {
    buffer_[length_] = '\0';
    if (length_ > 0 && platform_ != nullptr && platform_->write != nullptr) {
      platform_->write(platform_->context, buffer_);
    }
    length_ = 0;
  }

 private:
  void put(char c) {
    if (length_ == kPrintCapacity) flush();
    buffer_[length_++] = c;
  }

  const Platform* platform_ = nullptr;
  char buffer_[kPrintCapacity + 1] = {};
  uint16_t length_ = 0;
};

}  // namespace console
}  // namespace anne
