// SPDX-License-Identifier: MIT
// Bytes in, one at a time; complete lines out. A fixed buffer and a handful of flags, so no input
// whatever can make it overflow or wait for more than the next byte:
//   - "\r", "\n" and "\r\n" each end a line (a "\n" right after a "\r" belongs to the same ending);
//   - a line longer than kLineCapacity characters is reported once, as Event::too_long, when its
//     end arrives; the bytes in between are dropped;
//   - a byte that is not printable ASCII (a control character, NUL, 0x80 or above) makes the line
//     Event::bad_byte (the first such byte and its column are kept for the message); a tab counts
//     as a space;
//   - backspace (0x08, or 0x7f, which many terminals send for it) removes the last character.
#pragma once

#include <stdint.h>

namespace anne {
namespace console {

/// Characters in one console line: a command and its arguments ("predict 6.3,2.5,4.9,1.5" is 23;
/// 128 leaves room for eight values of full float precision) and the size of the line buffer.
constexpr uint16_t kLineCapacity = 128;

class LineReader {
 public:
  enum class Event : uint8_t {
    none,      ///< the line goes on
    line,      ///< text() is a complete line
    too_long,  ///< a line of more than kLineCapacity characters ended
    bad_byte,  ///< a line with a byte that is not printable ASCII ended (bad_byte(), bad_column())
  };

  Event feed(uint8_t byte) {
    const bool after_cr = after_cr_;
    after_cr_ = byte == '\r';
    if (byte == '\n' && after_cr) return Event::none;
    if (byte == '\r' || byte == '\n') return end_line();
    started_ = true;
    if (byte == 0x08 || byte == 0x7f) {
      if (length_ > 0 && !too_long_) --length_;
      return Event::none;
    }
    if (byte == '\t') byte = ' ';
    if (byte < 0x20 || byte > 0x7e) {
      if (bad_column_ == 0) {
        bad_byte_ = byte;
        bad_column_ = static_cast<uint16_t>(length_ + 1u);
      }
      byte = '?';
    }
    if (length_ == kLineCapacity) too_long_ = true;
    else text_[length_++] = static_cast<char>(byte);
    return Event::none;
  }

  /// The end of the input: ends a line that has begun as if a newline came (Event::none if none).
  Event finish() {
    after_cr_ = false;
    return started_ ? end_line() : Event::none;
  }

  /// The line, NUL-terminated (valid after Event::line until the next feed).
  const char* text() const { return text_; }
  uint16_t length() const { return line_length_; }
  /// After Event::bad_byte: the first byte that is not printable ASCII and its 1-based column.
  uint8_t bad_byte() const { return line_bad_byte_; }
  uint16_t bad_column() const { return line_bad_column_; }

  /// Whether a "\r" was the last byte: a "\n" that follows still belongs to that line ending. The
  /// console asks when it switches to raw bytes after a line, so that "\r\n" is not read as data.
  bool expects_lf() const { return after_cr_; }
  void skip_lf() { after_cr_ = false; }

 private:
  Event end_line() {
    text_[length_] = '\0';
    line_length_ = length_;
    line_bad_byte_ = bad_byte_;
    line_bad_column_ = bad_column_;
    const Event event = too_long_ ? Event::too_long : (bad_column_ != 0 ? Event::bad_byte : Event::line);
    length_ = 0;
    bad_column_ = 0;
    too_long_ = false;
    started_ = false;
    return event;
  }

  char text_[kLineCapacity + 1] = {};
  uint16_t length_ = 0;        ///< characters of the line being read
  uint16_t line_length_ = 0;   ///< of the line last ended
  uint8_t bad_byte_ = 0;
  uint16_t bad_column_ = 0;    ///< of the first bad byte of the line being read, 0 for none
  uint8_t line_bad_byte_ = 0;
  uint16_t line_bad_column_ = 0;
  bool too_long_ = false;
  bool after_cr_ = false;
  bool started_ = false;  ///< a byte of a new line has come
};

}  // namespace console
}  // namespace anne
