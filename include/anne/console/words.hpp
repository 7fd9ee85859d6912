// SPDX-License-Identifier: MIT
// A console line cut into words (views into the line, nothing copied), and the strict readers of
// whole numbers and hexadecimal numbers the commands take.
#pragma once

#include <stdint.h>

namespace anne {
namespace console {

/// `length` characters at `data`, not NUL-terminated.
struct Text {
  const char* data = nullptr;
  uint16_t length = 0;
};

inline bool same_text(Text a, const char* b) {
  if (b == nullptr) return false;
  uint16_t i = 0;
  for (; i < a.length; ++i) {
    if (b[i] != a.data[i]) return false;  // also stops at b's end: a has no NUL inside
  }
  return b[i] == '\0';
}

inline Text trim(Text t) {
  while (t.length > 0 && t.data[0] == ' ') ++t.data, --t.length;
  while (t.length > 0 && t.data[t.length - 1] == ' ') --t.length;
  return t;
}

/// The words of a line, split at runs of spaces. Only the first kMax are kept; `count` counts them all.
struct Words {
  static constexpr uint8_t kMax = 4;
  Text word[kMax];
  uint16_t count = 0;
  Text rest;  ///< everything after the first word, trimmed

  Words(const char* line, uint16_t length) {
    uint16_t i = 0;
    while (i < length) {
      while (i < length && line[i] == ' ') ++i;
      if (i == length) break;
      const uint16_t start = i;
      while (i < length && line[i] != ' ') ++i;
      if (count < kMax) word[count] = Text{line + start, static_cast<uint16_t>(i - start)};
      if (count == 0) rest = trim(Text{line + i, static_cast<uint16_t>(length - i)});
      ++count;
    }
  }
};

/// Text of only decimal digits, at most `max`, into *out.
inline bool parse_whole(Text t, uint32_t max, uint32_t* out) {
  if (t.length == 0 || t.length > 10) return false;
  uint64_t value = 0;
  for (uint16_t i = 0; i < t.length; ++i) {
    if (t.data[i] < '0' || t.data[i] > '9') return false;
    value = value * 10 + static_cast<uint64_t>(t.data[i] - '0');
  }
  if (value > max) return false;
  *out = static_cast<uint32_t>(value);
  return true;
}

/// One to eight hexadecimal digits, with or without "0x", into *out.
inline bool parse_hex32(Text t, uint32_t* out) {
  if (t.length > 2 && t.data[0] == '0' && (t.data[1] == 'x' || t.data[1] == 'X')) t = Text{t.data + 2, static_cast<uint16_t>(t.length - 2)};
  if (t.length == 0 || t.length > 8) return false;
  uint32_t value = 0;
  for (uint16_t i = 0; i < t.length; ++i) {
    const char c = t.data[i];
    const uint32_t digit = c >= '0' && c <= '9'   ? static_cast<uint32_t>(c - '0')
                           : c >= 'a' && c <= 'f' ? static_cast<uint32_t>(c - 'a' + 10)
                           : c >= 'A' && c <= 'F' ? static_cast<uint32_t>(c - 'A' + 10)
                                                  : 16u;
    if (digit == 16u) return false;
    value = value * 16u + digit;
  }
  *out = value;
  return true;
}

}  // namespace console
}  // namespace anne
