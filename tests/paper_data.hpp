// The working paper's reference data from ../shared/data/iris, for tests: Keras's printed outputs
// (paper-split.json) and the split's rows as raw CSV files, the way a user would have them.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace anne_test {

inline nlohmann::json paper_split_json() {
  std::ifstream file(std::string(ANNE_SHARED_DIR) + "/data/iris/paper-split.json");
  EXPECT_TRUE(file.good()) << "../shared/data/iris/paper-split.json is missing";
  return nlohmann::json::parse(file);
}

/// Writes the split's "test" or "train" rows, raw cm with the species column, in the split's
/// order, to DIR/paper-PART.csv and returns the path.
inline std::string write_paper_csv(const std::string& dir, const std::string& part) {
  std::ifstream iris(std::string(ANNE_SHARED_DIR) + "/data/iris/iris.csv");
  std::vector<std::string> lines;
  for (std::string line; std::getline(iris, line);) lines.push_back(line);
  const std::string path = dir + "/paper-" + part + ".csv";
  std::ofstream csv(path);
  csv << lines[0] << "\n";
  const nlohmann::json split = paper_split_json();
  for (const auto& position : split[part + "_positions"]) csv << lines[1 + 50 + position.get<int>()] << "\n";
  return path;
}

}  // namespace anne_test
