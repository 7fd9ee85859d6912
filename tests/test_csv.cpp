// The CSV reader and labelled data: good files, and each kind of bad file with its message.
#include <gtest/gtest.h>

#include <string>

#include "anne_host/csv.hpp"
#include "anne_host/dataset.hpp"
#include "anne_host/error.hpp"

namespace {

using anne::host::Error;
using anne::host::parse_csv;

std::string error_of(const std::string& text) {
  try {
    anne::host::labeled_data(parse_csv(text, "data.csv"), "y");
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(Csv, ReadsHeaderRowsQuotesAndLineEnds) {
  const auto table = parse_csv("a,\"b,c\",y\r\n1,2,0\r\n\n\"3\",\"4\",1\n", "data.csv");
  ASSERT_EQ(table.header.size(), 3u);
  EXPECT_EQ(table.header[1], "b,c");
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.lines[1], 4u);  // the blank line still counts
  EXPECT_EQ(table.rows[1][0], "3");
  EXPECT_EQ(table.column("y"), 2u);
  EXPECT_EQ(table.column("1"), 1u);  // by index
}

TEST(Csv, LabelsAsIndicesNamesOrChosenClasses) {
  const auto numeric = anne::host::labeled_data(parse_csv("x1,x2,y\n1,2,1\n3,4,0\n5,6,2\n", "n.csv"), "y");
  EXPECT_EQ(numeric.class_names.size(), 3u);
  EXPECT_EQ(numeric.y[0], 1);
  EXPECT_EQ(numeric.features(), 2u);
  EXPECT_FLOAT_EQ(numeric.row(2)[1], 6.0f);

  const std::string text = "species,a\nvirginica,1\nsetosa,2\nversicolor,3\nvirginica,4\n";
  const auto named = anne::host::labeled_data(parse_csv(text, "s.csv"), "species");
  ASSERT_EQ(named.class_names.size(), 3u);  // sorted: setosa, versicolor, virginica
  EXPECT_EQ(named.class_names[0], "setosa");
  EXPECT_EQ(named.y[0], 2);

  const auto chosen = anne::host::labeled_data(parse_csv(text, "s.csv"), "species", {"versicolor", "virginica"});
  EXPECT_EQ(chosen.rows(), 3u);
  EXPECT_EQ(chosen.skipped_rows, 1u);
  EXPECT_EQ(chosen.y[0], 1);
  EXPECT_EQ(chosen.y[1], 0);
}

TEST(Csv, EmptyFile) {
  EXPECT_EQ(error_of(""), "data.csv: empty file, expected a header row");
  EXPECT_EQ(error_of("\n\n  \n"), "data.csv: empty file, expected a header row");
}

TEST(Csv, HeaderWithoutRows) { EXPECT_EQ(error_of("a,y\n"), "data.csv: a header but no data rows"); }

TEST(Csv, RaggedRow) { EXPECT_EQ(error_of("a,b,y\n1,2,0\n1,2\n"), "data.csv:3: 2 fields, but the header has 3"); }

TEST(Csv, NonNumericCell) {
  EXPECT_EQ(error_of("a,b,y\n1,2,0\n1,abc,1\n"), "data.csv:3: column 'b' (2): 'abc' is not a finite number");
}

TEST(Csv, NanInfAndEmptyCellsAreNotNumbers) {
  EXPECT_EQ(error_of("a,y\nnan,0\n"), "data.csv:2: column 'a' (1): 'nan' is not a finite number");
  EXPECT_EQ(error_of("a,y\ninf,0\n"), "data.csv:2: column 'a' (1): 'inf' is not a finite number");
  EXPECT_EQ(error_of("a,y\n1e999,0\n"), "data.csv:2: column 'a' (1): '1e999' is not a finite number");
  EXPECT_EQ(error_of("a,y\n,0\n"), "data.csv:2: column 'a' (1): '' is not a finite number");
}

TEST(Csv, UnclosedQuote) { EXPECT_EQ(error_of("a,y\n\"1,0\n"), "data.csv:2: a quoted field is not closed on this line"); }

TEST(Csv, MissingLabelColumn) {
  EXPECT_EQ(error_of("a,b\n1,2\n"), "data.csv: no column 'y' (columns: a, b)");
}

TEST(Csv, HeaderWithEmptyName) { EXPECT_EQ(error_of("a,,y\n1,2,0\n"), "data.csv:1: header column 2 has no name"); }

TEST(Csv, BinaryAndOverlongLines) {
  EXPECT_EQ(error_of(std::string("a,y\n1,0\0\n", 9)), "data.csv:2: the line contains a NUL byte (not a text file?)");
  const std::string long_line(anne::host::kMaxCsvLineBytes + 1, '1');
  EXPECT_EQ(error_of("a,y\n" + long_line + "\n"),
            "data.csv:2: line is 65537 bytes long, more than the limit of 65536");
}

TEST(Csv, NoRowWithTheChosenClasses) {
  try {
    anne::host::labeled_data(parse_csv("y,a\ncat,1\n", "c.csv"), "y", {"dog", "bird"});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "c.csv: no row has one of the classes dog,bird");
  }
}

TEST(Csv, MissingFile) {
  EXPECT_THROW(anne::host::read_csv("/nonexistent/dir/data.csv"), Error);
}

}  // namespace
