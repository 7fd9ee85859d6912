// SPDX-License-Identifier: MIT
// The baseline of the size measurement: the same start-up, board and input/output as
// paper8.cpp, without anne. What paper8.cpp adds on top of this is what anne costs.
#include "board.hpp"

volatile float input[4];
volatile float output;

int main() {
  output = input[0] + input[3];
  return 0;
}
