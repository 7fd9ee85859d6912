// SPDX-License-Identifier: MIT
// A CSV reader for data files: a header row, then one record per line. Fields may be quoted
// ("a,b", with "" for a quote); blank lines are skipped; CRLF line ends are accepted. Every
// error names the file, the line and, where it applies, the column.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace anne::host {

struct CsvTable {
  std::string source;                         ///< file name, for messages
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  ///< every row has header.size() fields
  std::vector<size_t> lines;                   ///< the file line of each row (1-based)

  /// A column by header name, or by 0-based index when no header is named so; throws Error.
  size_t column(std::string_view name_or_index) const;
  /// "FILE:LINE" of a row, for messages.
  std::string where(size_t row) const;
};

/// Lines longer than this are refused (a safety bound, not a format rule).
constexpr size_t kMaxCsvLineBytes = 1 << 16;

CsvTable parse_csv(std::string_view text, const std::string& source);
CsvTable read_csv(const std::string& path);

}  // namespace anne::host
