// SPDX-License-Identifier: MIT
// Small text helpers shared by the CSV reader and the command line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anne::host {

/// Splits on a single character; "a,,b" gives three fields.
std::vector<std::string> split(std::string_view text, char separator);

/// The whole text as a finite float, or nothing (empty, trailing garbage, NaN, inf, out of range).
std::optional<float> parse_float(std::string_view text);

/// A comma-separated list of finite floats; throws Error naming `what` and the bad element.
std::vector<float> parse_float_list(std::string_view text, std::string_view what);

/// The whole text as a non-negative integer, or nothing.
std::optional<long> parse_index(std::string_view text);

/// A float written with the fewest digits that read back to the same float ("0.1", not 0.100000001).
std::string format_float(float value);

}  // namespace anne::host
