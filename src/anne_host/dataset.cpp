// SPDX-License-Identifier: MIT
#include "anne_host/dataset.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "anne_host/error.hpp"
#include "anne_host/text.hpp"

namespace anne::host {

float numeric_cell(const CsvTable& table, size_t row, size_t column) {
  const std::optional<float> value = parse_float(table.rows[row][column]);
  if (!value) {
    throw Error(table.where(row) + ": column '" + table.header[column] + "' (" + std::to_string(column + 1) +
                "): '" + table.rows[row][column] + "' is not a finite number");
  }
  return *value;
}

std::vector<float> feature_matrix(const CsvTable& table, size_t skip_column) {
  std::vector<float> x;
  x.reserve(table.rows.size() * table.header.size());
  for (size_t r = 0; r < table.rows.size(); ++r) {
    for (size_t c = 0; c < table.header.size(); ++c) {
      if (c != skip_column) x.push_back(numeric_cell(table, r, c));
    }
  }
  return x;
}

namespace {

constexpr size_t kMaxClasses = 1024;

/// Maps each row's label text to a class index, or nullopt for a row to skip.
std::vector<std::optional<uint16_t>> class_indices(const CsvTable& table, size_t label, std::vector<std::string> classes,
                                                   std::vector<std::string>& class_names) {
  std::vector<std::optional<uint16_t>> indices(table.rows.size());
  if (!classes.empty()) {
    if (classes.size() > kMaxClasses) {
      throw Error("--classes names " + std::to_string(classes.size()) + " classes, more than " + std::to_string(kMaxClasses));
    }
    for (size_t r = 0; r < table.rows.size(); ++r) {
      const auto it = std::find(classes.begin(), classes.end(), table.rows[r][label]);
      if (it != classes.end()) indices[r] = static_cast<uint16_t>(it - classes.begin());
    }
    class_names = std::move(classes);
    return indices;
  }
  bool all_whole = true;
  long largest = 0;
  for (const auto& row : table.rows) {
    const std::optional<long> index = parse_index(row[label]);
    all_whole = all_whole && index.has_value();
    if (index) largest = std::max(largest, *index);
  }
  if (all_whole) {
    if (largest >= static_cast<long>(kMaxClasses)) {
      throw Error(table.source + ": label column '" + table.header[label] + "' has class " + std::to_string(largest) +
                  ", more than " + std::to_string(kMaxClasses) + " classes");
    }
    for (long k = 0; k <= largest; ++k) class_names.push_back(std::to_string(k));
    for (size_t r = 0; r < table.rows.size(); ++r) indices[r] = static_cast<uint16_t>(*parse_index(table.rows[r][label]));
    return indices;
  }
  std::map<std::string, uint16_t> by_name;
  for (const auto& row : table.rows) by_name.emplace(row[label], 0);
  if (by_name.size() > kMaxClasses) {
    throw Error(table.source + ": label column '" + table.header[label] + "' has more than " +
                std::to_string(kMaxClasses) + " distinct values");
  }
  for (auto& [name, index] : by_name) {
    index = static_cast<uint16_t>(class_names.size());
    class_names.push_back(name);
  }
  for (size_t r = 0; r < table.rows.size(); ++r) indices[r] = by_name.at(table.rows[r][label]);
  return indices;
}

}  // namespace

LabeledData labeled_data(const CsvTable& table, const std::string& label_column, const std::vector<std::string>& classes) {
  const size_t label = table.column(label_column);
  LabeledData data;
  for (size_t c = 0; c < table.header.size(); ++c) {
    if (c != label) data.feature_names.push_back(table.header[c]);
  }
  const std::vector<std::optional<uint16_t>> indices = class_indices(table, label, classes, data.class_names);
  for (size_t r = 0; r < table.rows.size(); ++r) {
    if (!indices[r]) {
      ++data.skipped_rows;
      continue;
    }
    for (size_t c = 0; c < table.header.size(); ++c) {
      if (c != label) data.x.push_back(numeric_cell(table, r, c));
    }
    data.y.push_back(*indices[r]);
  }
  if (data.y.empty()) throw Error(table.source + ": no row has one of the classes " + [&] {
      std::string names;
      for (const auto& name : data.class_names) names += (names.empty() ? "" : ",") + name;
      return names;
    }());
  return data;
}

}  // namespace anne::host
