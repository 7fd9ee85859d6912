// SPDX-License-Identifier: MIT
// One paper-8 inference and nothing else: the flash and RAM anne adds to a program, compared
// with empty.cpp (firmware/bench-device.sh subtracts the two).
#include "anne/models/paper_networks.hpp"
#include "anne/network.hpp"
#include "board.hpp"

volatile float input[4];
volatile float output;

namespace {
float scratch[anne::forward_scratch_floats(anne::paper::paper8::kNetwork)];
}

int main() {
  float x[4];
  for (int i = 0; i < 4; ++i) x[i] = input[i];
  float y = 0.0f;
  const anne::Status status = anne::forward<anne::paper::paper8::Activations>(anne::paper::paper8::kNetwork, x, 4, &y, 1, scratch, sizeof scratch / sizeof scratch[0]);
  output = y;
  return status == anne::Status::ok ? 0 : 1;
}
