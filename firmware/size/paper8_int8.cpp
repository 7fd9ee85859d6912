// SPDX-License-Identifier: MIT
// One quantized paper-8 inference (int8 weights, 16-bit activations, the unrolled
// quantized_forward_fixed that the benchmark times) and nothing else: the flash and RAM it adds
// to a program, compared with empty_int8.cpp, the same program with 16-bit input and output and
// no anne (firmware/bench-device.sh subtracts the two). The inputs arrive as 16-bit codes, as from
// an ADC: no float code is linked.
#include "anne/quant/fixed_network.hpp"
#include "board.hpp"
#include "paper8_q.hpp"

volatile int16_t input[4];
volatile int16_t output;

int main() {
  int16_t x[4];
  for (int i = 0; i < 4; ++i) x[i] = input[i];
  int16_t y = 0;
  anne::quant::quantized_forward_fixed<paper8_q::kNetwork>(x, &y);
  output = y;
  return 0;
}
