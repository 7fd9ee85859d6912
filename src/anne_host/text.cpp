// SPDX-License-Identifier: MIT
#include "anne_host/text.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "anne_host/error.hpp"

namespace anne::host {

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    const size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

namespace {
std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}
}  // namespace

std::optional<float> parse_float(std::string_view text) {
  const std::string cell(trim(text));
  if (cell.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const float value = std::strtof(cell.c_str(), &end);
  if (end != cell.c_str() + cell.size() || errno == ERANGE || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::vector<float> parse_float_list(std::string_view text, std::string_view what) {
  std::vector<float> values;
  const std::vector<std::string> parts = split(text, ',');
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::optional<float> value = parse_float(parts[i]);
    if (!value) {
      throw Error(std::string(what) + ": element " + std::to_string(i + 1) + " '" + parts[i] +
                  "' is not a finite number");
    }
    values.push_back(*value);
  }
  return values;
}

std::optional<long> parse_index(std::string_view text) {
  const std::string cell(trim(text));
  if (cell.empty() || cell.size() > 9) return std::nullopt;
  for (char c : cell) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::strtol(cell.c_str(), nullptr, 10);
}

std::string format_float(float value) {
  char buffer[32];
  for (int digits = 1; digits <= 9; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, static_cast<double>(value));
    if (std::strtof(buffer, nullptr) == value) break;
  }
  return buffer;
}

}  // namespace anne::host
