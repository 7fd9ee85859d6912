// SPDX-License-Identifier: MIT
// Options that several commands share, declared and read in one place.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"

namespace anne::cli {

Option json_option();
Option model_option();
/// --standardize paper, --mean LIST, --std LIST
std::vector<Option> standardization_options();

struct Standardization {
  std::vector<float> mean;
  std::vector<float> std_dev;
};

/// Throws UsageError for a bad combination of the standardization options: call it before
/// reading any file, so that a wrong command line is reported as one.
void check_standardization_usage(const Args& args);

/// The standardization the options ask for, checked against the number of features; nothing when
/// none is asked for. Throws UsageError for a bad combination or Error for bad values.
std::optional<Standardization> standardization_from(const Args& args, size_t features);

/// Applies a standardization in place to rows of `features` values.
void standardize_rows(const Standardization& standardization, std::vector<float>& rows);

}  // namespace anne::cli
