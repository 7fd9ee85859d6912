// SPDX-License-Identifier: MIT
// Numbers as text for the firmware programs' transcripts, without printf.
#pragma once

#include <stdint.h>

#include "anne/console/number_format.hpp"
#include "board.hpp"

inline void write_decimal(uint32_t value) { board_write(anne::console::format_whole(value).text); }

/// The 8 hex digits of a 32-bit value (a float's bits, for bit-exact comparisons).
inline void write_hex(uint32_t value) {
  char text[9];
  for (int i = 7; i >= 0; --i) {
    text[i] = "0123456789abcdef"[value & 0xfu];
    value >>= 4;
  }
  text[8] = '\0';
  board_write(text);
}
