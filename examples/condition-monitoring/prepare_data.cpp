// SPDX-License-Identifier: MIT
// The condition-monitoring example's data (README.md): the AI4I 2020 predictive-maintenance file
// into the CSV files `anne train` and `anne stream` read, with a seeded, stratified split.
//
//   prepare_data AI4I_CSV OUT_DIR [--seed N] [--field-rows N]
//
// Features, in this order (the monitor reads a record in the same order): air temperature [K],
// process temperature [K], rotational speed [rpm], torque [Nm], tool wear [min], and the product
// type as one ordinal number (L = 0, M = 1, H = 2: low, medium, high quality variant); label:
// Machine failure (0/1). Values are copied as the source file writes them.
// Files written:
//   train.csv, test.csv    80 % / 20 % of the rows, the same share of failures in both
//                          (stratified: each class shuffled with PCG32(seed) and cut), file order
//   shift-train.csv        the training rows of types L and M only: the model of the field demo
//                          has never seen type H
//   field.csv              newly labelled type-H records for fine-tuning on the chip: every
//                          type-H failure of the training rows, then type-H non-failures in file
//                          order, --field-rows in all (default 64, the monitor's buffer)
//   shift-test.csv         the test rows of type H: F1 before and after fine-tuning
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "anne_host/csv.hpp"
#include "anne_host/dataset.hpp"
#include "anne_host/error.hpp"
#include "anne_host/text.hpp"
#include "anne_host/train/data.hpp"

namespace {

const char* const kSourceColumns[] = {"Air temperature [K]", "Process temperature [K]", "Rotational speed [rpm]",
                                      "Torque [Nm]", "Tool wear [min]"};
const char* const kHeader =
    "air_temperature_k,process_temperature_k,rotational_speed_rpm,torque_nm,tool_wear_min,type,failure\n";
const std::map<std::string, int> kTypeCode = {{"L", 0}, {"M", 1}, {"H", 2}};
constexpr int kTypeH = 2;

struct Record {
  std::string line;  ///< the output CSV line
  int type = 0;
  uint16_t failure = 0;
};

std::vector<Record> read_records(const std::string& path) {
  const anne::host::CsvTable table = anne::host::read_csv(path);
  const size_t type_column = table.column("Type");
  const size_t label_column = table.column("Machine failure");
  std::vector<Record> records;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    Record record;
    for (const char* name : kSourceColumns) {
      const size_t column = table.column(name);
      anne::host::numeric_cell(table, r, column);  // throws, naming the cell, unless a number
      record.line += table.rows[r][column] + ",";
    }
    const auto type = kTypeCode.find(table.rows[r][type_column]);
    if (type == kTypeCode.end()) throw anne::host::Error(table.where(r) + ": Type '" + table.rows[r][type_column] + "' is not L, M or H");
    const std::string& label = table.rows[r][label_column];
    if (label != "0" && label != "1") throw anne::host::Error(table.where(r) + ": Machine failure '" + label + "' is not 0 or 1");
    record.type = type->second;
    record.failure = label == "1" ? 1 : 0;
    record.line += std::to_string(record.type) + "," + label + "\n";
    records.push_back(record);
  }
  return records;
}

/// The stratified split of the record numbers (host::stratified_split, on the row index as the only feature).
std::pair<std::vector<size_t>, std::vector<size_t>> split(const std::vector<Record>& records, uint32_t seed) {
  anne::host::LabeledData rows;
  rows.feature_names = {"row"};
  rows.class_names = {"0", "1"};
  for (size_t r = 0; r < records.size(); ++r) {
    rows.x.push_back(static_cast<float>(r));
    rows.y.push_back(records[r].failure);
  }
  const auto [train, test] = anne::host::stratified_split(rows, 0.2, seed);
  const auto indices = [](const anne::host::LabeledData& part) { return std::vector<size_t>(part.x.begin(), part.x.end()); };
  return {indices(train), indices(test)};
}

template <class Keep>
size_t write_rows(const std::string& path, const std::vector<Record>& records, const std::vector<size_t>& rows, Keep keep) {
  std::ofstream out(path);
  out << kHeader;
  size_t written = 0, failures = 0;
  for (size_t r : rows) {
    if (!keep(records[r])) continue;
    out << records[r].line;
    ++written;
    failures += records[r].failure;
  }
  if (!out.flush()) throw anne::host::Error(path + ": cannot write");
  std::printf("  %-16s %5zu rows, %3zu failures\n", path.substr(path.rfind('/') + 1).c_str(), written, failures);
  return written;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc != 3 && argc != 5 && argc != 7) {
      std::fprintf(stderr, "usage: prepare_data AI4I_CSV OUT_DIR [--seed N] [--field-rows N]\n");
      return 2;
    }
    uint32_t seed = 42;
    size_t field_rows = 64;
    for (int i = 3; i + 1 < argc; i += 2) {
      const std::optional<long> value = anne::host::parse_index(argv[i + 1]);
      const std::string name = argv[i];
      if (!value || (name != "--seed" && name != "--field-rows")) {
        std::fprintf(stderr, "prepare_data: bad option '%s %s'\n", argv[i], argv[i + 1]);
        return 2;
      }
      if (name == "--seed") seed = static_cast<uint32_t>(*value);
      else field_rows = static_cast<size_t>(*value);
    }
    const std::vector<Record> records = read_records(argv[1]);
    const auto [train, test] = split(records, seed);
    const std::string out = argv[2];
    std::printf("%s: %zu rows; stratified split with seed %u:\n", argv[1], records.size(), seed);
    write_rows(out + "/train.csv", records, train, [](const Record&) { return true; });
    write_rows(out + "/test.csv", records, test, [](const Record&) { return true; });
    write_rows(out + "/shift-train.csv", records, train, [](const Record& r) { return r.type != kTypeH; });
    std::vector<size_t> field;
    for (int wanted : {1, 0}) {
      for (size_t r : train) {
        if (records[r].type == kTypeH && records[r].failure == wanted && field.size() < field_rows) field.push_back(r);
      }
    }
    std::sort(field.begin(), field.end());
    write_rows(out + "/field.csv", records, field, [](const Record&) { return true; });
    write_rows(out + "/shift-test.csv", records, test, [](const Record& r) { return r.type == kTypeH; });
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "prepare_data: %s\n", e.what());
    return 1;
  }
}
