// The TF.js oracle: Keras models built and run by TensorFlow.js (tests/oracle/make_models.mjs),
// imported from the TF.js layers format, must give TF.js's outputs within 1e-5 absolute plus 1e-4
// relative. The committed set (seed 1) always runs; `make test` also makes a fresh set with a new
// seed and points ANNE_TFJS_FRESH at it (tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "anne_host/evaluate.hpp"
#include "anne_host/import/keras.hpp"

namespace {

/// Imports every model of a set and compares its outputs with TF.js's; returns how many models.
size_t check_set(const std::string& dir) {
  size_t models = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    std::ifstream io_file(entry.path() / "io.json");
    const nlohmann::json io = nlohmann::json::parse(io_file);
    anne::host::ImportReport report;
    const anne::host::HostModel model = anne::host::import_keras((entry.path() / "model.json").string(), {}, report);
    for (size_t r = 0; r < io["inputs"].size(); ++r) {
      const std::vector<float> x = io["inputs"][r].get<std::vector<float>>();
      const std::vector<float> y = anne::host::predict(model.network(), x.data(), 1);
      EXPECT_EQ(y.size(), io["outputs"][r].size()) << name;
      if (y.size() != io["outputs"][r].size()) continue;
      for (size_t j = 0; j < y.size(); ++j) {
        const double expected = io["outputs"][r][j];
        EXPECT_NEAR(y[j], expected, 1e-5 + 1e-4 * std::fabs(expected))
            << name << " row " << r << " output " << j << " (TF.js oracle seed " << io["seed"] << ")";
      }
    }
    ++models;
  }
  return models;
}

TEST(TfjsOracle, CommittedSetMatchesTfjs) { EXPECT_EQ(check_set(ANNE_TFJS_FIXTURES), 20u); }

TEST(TfjsOracle, FreshSetMatchesTfjs) {
  const char* fresh = std::getenv("ANNE_TFJS_FRESH");
  ASSERT_NE(fresh, nullptr) << "ANNE_TFJS_FRESH is not set: this test runs as the CTest tfjs_oracle_fresh";
  EXPECT_EQ(check_set(fresh), 20u);
}

}  // namespace
