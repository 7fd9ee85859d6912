// Fuzz target: the CSV reader and the labelled-data conversion on arbitrary bytes. Every input
// must end in a result or an anne::host::Error, never a crash or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "anne_host/csv.hpp"
#include "anne_host/dataset.hpp"
#include "anne_host/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const anne::host::CsvTable table =
        anne::host::parse_csv(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.csv");
    anne::host::labeled_data(table, "0");
    anne::host::feature_matrix(table, table.header.size());
  } catch (const anne::host::Error&) {
  }
  return 0;
}
