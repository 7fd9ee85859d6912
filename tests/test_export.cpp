// anne export: headers generated at build time from imported Keras models (tests/CMakeLists.txt)
// are compiled in here; their networks must give bit-identical outputs to the .anne files.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "anne_host/anne_file.hpp"
#include "anne_host/evaluate.hpp"
#include "diabetes_net.hpp"
#include "flownet_net.hpp"

namespace {

/// The header's network, run with the header's own activation subset (only those linked), against
/// the .anne file run by the host with every activation.
template <class Activations>
void expect_bit_identical(const anne::Network& compiled, size_t scratch_floats, const std::string& anne_path) {
  const anne::host::HostModel file = anne::host::read_anne_file(anne_path);
  const uint16_t inputs = anne::network_inputs(compiled), outputs = anne::network_outputs(compiled);
  ASSERT_EQ(inputs, anne::network_inputs(file.network()));
  ASSERT_EQ(outputs, anne::network_outputs(file.network()));
  std::mt19937 random(21);
  std::vector<float> x(inputs), y(outputs), scratch(scratch_floats);
  for (int trial = 0; trial < 200; ++trial) {
    for (float& v : x) v = std::uniform_real_distribution<float>(-3.0f, 3.0f)(random);
    ASSERT_EQ(anne::forward<Activations>(compiled, x.data(), inputs, y.data(), outputs, scratch.data(), scratch.size()), anne::Status::ok);
    const std::vector<float> expected = anne::host::predict(file.network(), x.data(), 1);
    EXPECT_EQ(std::memcmp(y.data(), expected.data(), outputs * sizeof(float)), 0) << anne_path << " trial " << trial;
  }
}

TEST(Export, HeadersGiveTheSameBitsAsTheAnneFiles) {
  static_assert(diabetes_net::kScratchFloats == 256, "sized at compile time: two buffers of 128 floats");
  expect_bit_identical<diabetes_net::Activations>(diabetes_net::kNetwork, diabetes_net::kScratchFloats,
                                                  ANNE_EXPORT_DIR "/diabetes.anne");
  expect_bit_identical<flownet_net::Activations>(flownet_net::kNetwork, flownet_net::kScratchFloats,
                                                 ANNE_EXPORT_DIR "/flownet.anne");
}

TEST(Export, TheActivationSubsetNamesTheModelsActivations) {
  // flownet is relu, leaky_relu, leaky_relu, linear: the subset has those three, in table order.
  EXPECT_TRUE((std::is_same_v<flownet_net::Activations,
                              anne::ActivationSubset<anne::Activation::linear, anne::Activation::relu,
                                                     anne::Activation::leaky_relu>>));
  // A layer whose activation is outside the subset is refused, not run with another function.
  float x[2] = {0.5f, -1.0f}, y[2] = {}, scratch[flownet_net::kScratchFloats];
  EXPECT_EQ((anne::forward<anne::ActivationSubset<anne::Activation::relu, anne::Activation::leaky_relu>>(
                flownet_net::kNetwork, x, 2, y, 2, scratch, flownet_net::kScratchFloats)),
            anne::Status::activation_not_linked);
}

}  // namespace
