// Reading the console's answers in tests (test_console.cpp, test_console_cli.cpp): its lines, the
// numbers of its "output" and "epoch" lines, and the paper's raw IRIS rows to type into it.
#pragma once

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "anne/datasets/iris_paper_split.hpp"

namespace anne_test {

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// The values of each "output Y1 Y2 ... -> class C" line, in order.
inline std::vector<std::vector<double>> output_lines(const std::string& text) {
  std::vector<std::vector<double>> values;
  for (const std::string& line : lines_of(text)) {
    if (line.rfind("output ", 0) != 0 || line.find(" -> class ") == std::string::npos) continue;
    std::istringstream in(line.substr(7, line.find(" -> ") - 7));
    values.emplace_back();
    for (double v; in >> v;) values.back().push_back(v);
  }
  return values;
}

/// The loss of each "epoch E/N loss L accuracy A | test loss L accuracy A" line.
inline std::vector<double> epoch_losses(const std::string& text) {
  std::vector<double> losses;
  for (const std::string& line : lines_of(text)) {
    int epoch, epochs;
    double loss, accuracy, test_loss, test_accuracy;
    if (std::sscanf(line.c_str(), "epoch %d/%d loss %lf accuracy %lf | test loss %lf accuracy %lf", &epoch, &epochs, &loss,
                    &accuracy, &test_loss, &test_accuracy) == 6) {
      losses.push_back(loss);
    }
  }
  return losses;
}

/// printf's "%.*f": the reference for the console's own number printer.
inline std::string printf_fixed(double value, int decimals) {
  char text[80];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

/// The raw cm of a subset position of the paper's split, "a,b,c,d", as iris.csv has them.
inline std::string raw_row(uint8_t position) {
  const float* cm = anne::iris::kFeaturesCm[anne::iris::paper_split::kSubsetFirstRow + position];
  char text[80];
  std::snprintf(text, sizeof text, "%g,%g,%g,%g", cm[0], cm[1], cm[2], cm[3]);
  return text;
}

}  // namespace anne_test
