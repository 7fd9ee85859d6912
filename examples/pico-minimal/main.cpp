// SPDX-License-Identifier: MIT
// The smallest Pico SDK program with anne: the working paper's paper-8 network classifies one
// IRIS flower every second and prints the result over USB serial.
#include <stdio.h>

#include "anne/datasets/iris_paper_split.hpp"
#include "anne/models/paper_networks.hpp"
#include "anne/network.hpp"
#include "pico/stdlib.h"

int main() {
  stdio_init_all();
  namespace net = anne::paper::paper8;
  namespace split = anne::iris::paper_split;
  static float scratch[anne::forward_scratch_floats(net::kNetwork)];
  for (unsigned row = 0;; row = (row + 1) % split::kTestRows) {
    float x[4], y[1];
    split::standardized_row(split::kTestPositions[row], x);
    anne::forward<net::Activations>(net::kNetwork, x, 4, y, 1, scratch, sizeof scratch / sizeof scratch[0]);
    printf("test row %u: p(virginica) = %.4f\n", row, static_cast<double>(y[0]));
    sleep_ms(1000);
  }
}
