// anne export: headers generated at build time from imported Keras models (tests/CMakeLists.txt)
// are compiled in here; their networks must give bit-identical outputs to the .anne files.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "anne_host/anne_file.hpp"
#include "anne_host/evaluate.hpp"
#include "diabetes_net.hpp"
#include "flownet_net.hpp"

namespace {

void expect_bit_identical(const anne::Network& compiled, size_t scratch_floats, const std::string& anne_path) {
  const anne::host::HostModel file = anne::host::read_anne_file(anne_path);
  const uint16_t inputs = anne::network_inputs(compiled), outputs = anne::network_outputs(compiled);
  ASSERT_EQ(inputs, anne::network_inputs(file.network()));
  ASSERT_EQ(outputs, anne::network_outputs(file.network()));
  std::mt19937 random(21);
  std::vector<float> x(inputs), y(outputs), scratch(scratch_floats);
  for (int trial = 0; trial < 200; ++trial) {
    for (float& v : x) v = std::uniform_real_distribution<float>(-3.0f, 3.0f)(random);
    ASSERT_EQ(anne::forward(compiled, x.data(), inputs, y.data(), outputs, scratch.data(), scratch.size()), anne::Status::ok);
    const std::vector<float> expected = anne::host::predict(file.network(), x.data(), 1);
    EXPECT_EQ(std::memcmp(y.data(), expected.data(), outputs * sizeof(float)), 0) << anne_path << " trial " << trial;
  }
}

TEST(Export, HeadersGiveTheSameBitsAsTheAnneFiles) {
  static_assert(diabetes_net::kScratchFloats == 256, "sized at compile time: two buffers of 128 floats");
  expect_bit_identical(diabetes_net::kNetwork, diabetes_net::kScratchFloats, ANNE_EXPORT_DIR "/diabetes.anne");
  expect_bit_identical(flownet_net::kNetwork, flownet_net::kScratchFloats, ANNE_EXPORT_DIR "/flownet.anne");
}

}  // namespace
