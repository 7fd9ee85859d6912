// Runs paper-8 on the paper's first test row with nothing but the core, and prints the output.
#include <cstdio>

#include "anne/anne.hpp"

int main() {
  constexpr anne::Network net = anne::paper::paper8::kNetwork;
  static float scratch[anne::forward_scratch_floats(net)];
  float input[4];
  float output[1];
  anne::iris::paper_split::standardized_row(anne::iris::paper_split::kTestPositions[0], input);
  if (anne::forward(net, input, 4, output, 1, scratch, sizeof scratch / sizeof scratch[0]) != anne::Status::ok) return 1;
  std::printf("%.2f\n", static_cast<double>(output[0]));
  return 0;
}
