// SPDX-License-Identifier: MIT
#include "options.hpp"

#include "anne/datasets/iris_paper_split.hpp"
#include "anne/preprocess.hpp"
#include "anne_host/error.hpp"
#include "anne_host/model.hpp"
#include "anne_host/text.hpp"

namespace anne::cli {

Option json_option() { return {"--json", "", "print the result as one JSON document"}; }

Option model_option() {
  return {"--model", "MODEL", "a built-in network (" + host::builtin_model_names() + ") or a .anne file", true};
}

std::vector<Option> standardization_options() {
  return {{"--standardize", "paper", "z-score inputs with the paper's IRIS mean and std"},
          {"--mean", "LIST", "z-score inputs with this mean, one value per input (with --std)"},
          {"--std", "LIST", "z-score inputs with this standard deviation, one value per input (with --mean)"}};
}

void check_standardization_usage(const Args& args) {
  if (args.has("--standardize")) {
    if (args.has("--mean") || args.has("--std")) throw UsageError("--standardize and --mean/--std exclude each other");
    if (args.get("--standardize") != "paper") {
      throw UsageError("--standardize knows 'paper', not '" + args.get("--standardize") + "'");
    }
  }
  if (args.has("--mean") != args.has("--std")) throw UsageError("--mean and --std go together");
}

std::optional<Standardization> standardization_from(const Args& args, size_t features) {
  check_standardization_usage(args);
  if (args.has("--standardize")) {
    namespace split = iris::paper_split;
    if (features != iris::kFeatures) {
      throw host::Error("--standardize paper is for the 4 IRIS measurements, but there are " +
                        std::to_string(features) + " inputs");
    }
    return Standardization{{split::kMean, split::kMean + iris::kFeatures}, {split::kStd, split::kStd + iris::kFeatures}};
  }
  if (!args.has("--mean")) return std::nullopt;
  Standardization result{host::parse_float_list(args.get("--mean"), "--mean"),
                         host::parse_float_list(args.get("--std"), "--std")};
  if (result.mean.size() != features || result.std_dev.size() != features) {
    throw host::Error("--mean has " + std::to_string(result.mean.size()) + " values and --std " +
                      std::to_string(result.std_dev.size()) + ", but there are " + std::to_string(features) + " inputs");
  }
  for (size_t i = 0; i < features; ++i) {
    if (!(result.std_dev[i] > 0.0f)) {
      throw host::Error("--std: element " + std::to_string(i + 1) + " is " + host::format_float(result.std_dev[i]) +
                        ", a standard deviation must be positive");
    }
  }
  return result;
}

void standardize_rows(const Standardization& s, std::vector<float>& rows) {
  const size_t n = s.mean.size();
  for (size_t r = 0; r + n <= rows.size(); r += n) {
    standardize(rows.data() + r, s.mean.data(), s.std_dev.data(), rows.data() + r, static_cast<uint16_t>(n));
  }
}

}  // namespace anne::cli
