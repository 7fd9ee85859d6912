// anne train as a user runs it: the paper's self-learning preset (its loss falls), training from a
// CSV file, fine-tuning a model (its loss on the new data falls), the learning curve files, and
// clear messages with a non-zero exit status for bad input.
#include <gtest/gtest.h>

#include <fstream>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "anne/datasets/iris_paper_split.hpp"
#include "anne_host/csv.hpp"
#include "anne_host/train/data.hpp"
#include "cli_runner.hpp"

namespace {

using anne_test::read_text;
using anne_test::run_anne;
using anne_test::temp_dir;

const std::string kIris = std::string(ANNE_SHARED_DIR) + "/data/iris/iris.csv";

/// The number after `label` in the text (e.g. "after 8000 steps: loss 0.0106"), or NaN.
double number_after(const std::string& text, const std::string& pattern) {
  std::smatch match;
  if (!std::regex_search(text, match, std::regex(pattern + R"(\s*([-0-9.eE+]+))"))) return NAN;
  return std::stod(match[1]);
}

std::vector<std::vector<std::string>> csv_rows(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_text(path));
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}

TEST(CliTrain, PaperSelfLearningPresetLowersItsLossAndWritesTheCurve) {
  const std::string dir = temp_dir();
  const auto result = run_anne("train --preset paper-selflearning --curve " + dir + "/curve.csv --plot " + dir + "/curve.svg", dir);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_NE(result.out.find("batch 1, 100 epochs"), std::string::npos) << result.out;
  const double initial = number_after(result.out, "initial: loss");
  const double final_loss = number_after(result.out, "steps: loss");
  EXPECT_LT(final_loss, initial) << result.out;
  EXPECT_EQ(number_after(result.out, "after"), 8000) << "100 epochs of 80 single-row steps";

  const auto rows = csv_rows(dir + "/curve.csv");
  ASSERT_EQ(rows.size(), 101u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"epoch", "loss", "accuracy", "val_loss", "val_accuracy", "grad_norm_1",
                                               "grad_norm_2", "dead_1", "dead_2"}));
  EXPECT_LT(std::stod(rows[100][1]), std::stod(rows[1][1])) << "epoch 100's loss below epoch 1's";
  for (size_t r = 1; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].size(), 9u);
    EXPECT_GE(std::stod(rows[r][4]), 0.0);
    EXPECT_GT(std::stod(rows[r][5]), 0.0) << "a training network has non-zero gradients";
  }
  const std::string svg = read_text(dir + "/curve.svg");
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  size_t lines = 0;
  for (size_t at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1)) ++lines;
  EXPECT_EQ(lines, 6u) << "loss and accuracy for training and validation, a gradient norm per layer";
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("validation"), std::string::npos);
  EXPECT_NE(svg.find("layer 2"), std::string::npos) << "a gradient-norm line per layer";
}

TEST(CliTrain, ThreeIrisClassesFromCsvWithSoftmaxAndAdam) {
  const auto result = run_anne("train --layers 4,8:relu,3:softmax --csv " + kIris +
                               " --label species --standardize --test-split 0.2 --seed 7 --optimizer adam --lr 0.01"
                               " --epochs 100 --batch 16 --quiet");
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_NE(result.out.find("sparse_categorical_crossentropy"), std::string::npos);
  EXPECT_NE(result.out.find("120 rows, 30 test rows"), std::string::npos) << result.out;
  EXPECT_GE(number_after(result.out, "accuracy"), 0.0);
  EXPECT_GE(number_after(result.out, "  accuracy"), 0.85) << result.out;  // the test rows' accuracy
}

TEST(CliTrain, FineTuningPaper8LowersItsLossOnNewData) {
  // Keras's paper-8 network, fine-tuned on all 100 versicolor/virginica rows with its first two
  // layers frozen.
  const auto result = run_anne("train --from paper-8 --freeze 2 --csv " + kIris +
                               " --label species --classes versicolor,virginica --standardize --epochs 20 --batch 4 --lr 0.05 --quiet");
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_NE(result.out.find("first 2 layers frozen"), std::string::npos) << result.out;
  const double before = number_after(result.out, "before fine-tuning: loss");
  const double after = number_after(result.out, "steps: loss");
  EXPECT_LT(after, before) << result.out;
}

TEST(CliTrain, DivergenceStopsWithAMessageAndExitOne) {
  const auto result = run_anne("train --layers 4,1 --loss mse --lr 1e30 --batch 100 --csv " + kIris +
                               " --label species --classes versicolor,virginica --quiet");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("NaN or infinite"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("last ones that gave a finite loss"), std::string::npos) << result.err;
}

TEST(TrainHostData, StandardizationFittedOnThePaperRowsIsThePapers) {
  // The paper z-scored the 100 versicolor and virginica rows with their mean and population std.
  const anne::host::LabeledData data =
      anne::host::labeled_data(anne::host::read_csv(kIris), "species", {"versicolor", "virginica"});
  std::vector<float> mean, std_dev;
  anne::host::fit_standardization(data, mean, std_dev);
  namespace split = anne::iris::paper_split;
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(mean[i], split::kMean[i], 1e-5);
    EXPECT_NEAR(std_dev[i], split::kStd[i], 1e-5);
  }
}

TEST(TrainHostData, SeededSplitIsAPartitionAndRepeatable) {
  const anne::host::LabeledData data = anne::host::labeled_data(anne::host::read_csv(kIris), "species");
  const auto [train, test] = anne::host::split_rows(data, 0.2, 11);
  ASSERT_EQ(train.rows(), 120u);
  ASSERT_EQ(test.rows(), 30u);
  // Every row lands in exactly one part: the multisets of rows add up to the whole file.
  std::multiset<std::vector<float>> all, parts;
  for (size_t r = 0; r < data.rows(); ++r) all.insert({data.row(r), data.row(r) + 4});
  for (const auto* part : {&train, &test}) {
    for (size_t r = 0; r < part->rows(); ++r) parts.insert({part->row(r), part->row(r) + 4});
  }
  EXPECT_EQ(all, parts);
  const auto again = anne::host::split_rows(data, 0.2, 11);
  EXPECT_EQ(again.second.x, test.x);
  EXPECT_NE(anne::host::split_rows(data, 0.2, 12).second.x, test.x);
}

struct BadInput {
  const char* args;
  int status;
  const char* message;
};

/// How a case shows in a failure: its command line.
void PrintTo(const BadInput& input, std::ostream* out) { *out << "anne train " << input.args; }

/// A case's test name: the letters and digits of its expected message, each word capitalized
/// ("unknown loss 'hinge'" -> UnknownLossHinge).
std::string case_name(const ::testing::TestParamInfo<BadInput>& info) {
  std::string name;
  bool word_start = true;
  for (const char* c = info.param.message; *c != '\0'; ++c) {
    const bool letter_or_digit = std::isalnum(static_cast<unsigned char>(*c)) != 0;
    if (letter_or_digit) name += word_start ? static_cast<char>(std::toupper(static_cast<unsigned char>(*c))) : *c;
    word_start = !letter_or_digit;
  }
  return name;
}

class CliTrainBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliTrainBadInput, ClearMessageAndNonZeroExit) {
  std::string args = GetParam().args;
  const std::string dir = temp_dir();
  std::ofstream(dir + "/nan.csv") << "a,b,c,d,label\n1,2,3,4,0\n1,nan,3,4,1\n";
  for (size_t at; (at = args.find("IRIS")) != std::string::npos;) args.replace(at, 4, kIris);
  for (size_t at; (at = args.find("DIR")) != std::string::npos;) args.replace(at, 3, dir);
  const auto result = run_anne("train " + args, dir);
  EXPECT_EQ(result.status, GetParam().status) << result.out << result.err;
  EXPECT_NE(result.err.find(GetParam().message), std::string::npos) << result.err;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CliTrainBadInput,
    ::testing::Values(
        BadInput{"--layers 4,x:relu --csv IRIS --label species", 1, "--layers: 'x:relu': the size must be"},
        BadInput{"--layers 4,3:foo --csv IRIS --label species", 1, "unknown activation 'foo'"},
        BadInput{"--layers 4:relu,3 --csv IRIS --label species", 1, "takes no activation"},
        BadInput{"--layers 4 --csv IRIS --label species", 1, "at least one layer"},
        BadInput{"--layers 4,3:relu,1:sigmoid --loss hinge --csv IRIS --label species", 2, "unknown loss 'hinge'"},
        BadInput{"--layers 4,3:relu,1:sigmoid --optimizer rmsprop --csv IRIS --label species", 2,
                 "unknown optimizer 'rmsprop'"},
        BadInput{"--layers 4,3:relu,1:sigmoid --loss cce --csv IRIS --label species", 1, "needs one output per class"},
        BadInput{"--layers 4,3:relu,1:sigmoid --csv IRIS --label species", 1, "distinguish 2 classes"},
        BadInput{"--layers 3,1:sigmoid --csv IRIS --label species --classes setosa,virginica", 1, "3 inputs"},
        BadInput{"--layers 4,1:sigmoid --csv DIR/nan.csv --label label", 1, "'nan' is not a finite number"},
        BadInput{"--layers 4,1:sigmoid --csv IRIS --label species --test-split 1.5", 2, "--test-split"},
        BadInput{"--layers 4,1:sigmoid --csv IRIS --label species --lr -1", 2, "--lr needs a positive number"},
        BadInput{"--layers 4,1:sigmoid --csv IRIS --label species --batch 0", 2, "--batch"},
        BadInput{"--layers 4,1:sigmoid", 2, "missing option --csv"},
        BadInput{"--csv IRIS --label species", 2, "missing option --layers"},
        BadInput{"--preset paper-nonsense", 2, "unknown preset 'paper-nonsense'"},
        BadInput{"--layers 4,1:sigmoid --freeze 1 --csv IRIS --label species", 2, "--freeze is for fine-tuning"},
        BadInput{"--from paper-6 --freeze 3 --csv IRIS --label species", 2, "--freeze"},
        BadInput{"--from nonexistent-model --csv IRIS --label species", 1, "unknown model"}),
    case_name);

}  // namespace
