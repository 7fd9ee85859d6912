// SPDX-License-Identifier: MIT
// The baseline of the int8 size measurement: the same start-up, board and 16-bit input/output as
// paper8_int8.cpp, without anne (empty.cpp adds two floats, which links a float routine on the
// RP2040; this adds two integers). What paper8_int8.cpp adds on top of this is what int8 anne costs.
#include <stdint.h>

#include "board.hpp"

volatile int16_t input[4];
volatile int16_t output;

int main() {
  output = static_cast<int16_t>(input[0] + input[3]);
  return 0;
}
