// SPDX-License-Identifier: MIT
#include "anne_host/csv.hpp"

#include <fstream>
#include <sstream>

#include "anne_host/error.hpp"
#include "anne_host/text.hpp"

namespace anne::host {

namespace {

/// Splits one line into fields, honouring quotes. Throws on an unterminated quote.
std::vector<std::string> split_record(std::string_view line, const std::string& where) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  if (quoted) throw Error(where + ": a quoted field is not closed on this line");
  return fields;
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; }

}  // namespace

size_t CsvTable::column(std::string_view name_or_index) const {
  for (size_t c = 0; c < header.size(); ++c) {
    if (header[c] == name_or_index) return c;
  }
  if (const auto index = parse_index(name_or_index); index && static_cast<size_t>(*index) < header.size()) {
    return static_cast<size_t>(*index);
  }
  std::string known;
  for (const std::string& name : header) known += (known.empty() ? "" : ", ") + name;
  throw Error(source + ": no column '" + std::string(name_or_index) + "' (columns: " + known + ")");
}

std::string CsvTable::where(size_t row) const { return source + ":" + std::to_string(lines.at(row)); }

CsvTable parse_csv(std::string_view text, const std::string& source) {
  CsvTable table;
  table.source = source;
  size_t line_number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    const std::string where = source + ":" + std::to_string(line_number);
    if (line.size() > kMaxCsvLineBytes) {
      throw Error(where + ": line is " + std::to_string(line.size()) + " bytes long, more than the limit of " +
                  std::to_string(kMaxCsvLineBytes));
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\0') != std::string_view::npos) throw Error(where + ": the line contains a NUL byte (not a text file?)");
    if (is_blank(line)) continue;
    std::vector<std::string> fields = split_record(line, where);
    if (table.header.empty()) {
      for (size_t c = 0; c < fields.size(); ++c) {
        if (is_blank(fields[c])) throw Error(where + ": header column " + std::to_string(c + 1) + " has no name");
      }
      table.header = std::move(fields);
      continue;
    }
    if (fields.size() != table.header.size()) {
      throw Error(where + ": " + std::to_string(fields.size()) + " fields, but the header has " +
                  std::to_string(table.header.size()));
    }
    table.rows.push_back(std::move(fields));
    table.lines.push_back(line_number);
  }
  if (table.header.empty()) throw Error(source + ": empty file, expected a header row");
  if (table.rows.empty()) throw Error(source + ": a header but no data rows");
  return table;
}

CsvTable read_csv(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error(path + ": cannot open the file");
  std::ostringstream contents;
  contents << file.rdbuf();
  if (file.bad()) throw Error(path + ": read error");
  return parse_csv(contents.str(), path);
}

}  // namespace anne::host
