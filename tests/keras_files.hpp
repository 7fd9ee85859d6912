// The real Keras files of ../shared/data/keras-real, read the way the import tests need them.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "anne_host/import/keras.hpp"
#include "anne_host/model.hpp"

namespace anne_test {

/// The path of a file under ../shared/data/keras-real.
inline std::string real(const std::string& relative) { return std::string(ANNE_SHARED_DIR) + "/data/keras-real/" + relative; }

inline nlohmann::json read_json(const std::string& path) {
  std::ifstream file(path);
  EXPECT_TRUE(file.good()) << path;
  return nlohmann::json::parse(file);
}

/// anne import of a model file (and, for an architecture JSON, its weights file).
inline anne::host::HostModel import(const std::string& path, const std::string& weights = "") {
  anne::host::ImportOptions options;
  options.weights_path = weights;
  anne::host::ImportReport report;
  return anne::host::import_keras(path, options, report);
}

}  // namespace anne_test
