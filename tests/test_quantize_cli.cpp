// anne quantize as a user runs it: the float and int8 models side by side on the paper's split,
// and each kind of bad calibration file refused with its message.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.hpp"
#include "paper_data.hpp"

namespace {

using anne_test::run_anne;

const std::string kPaperOptions = " --label species --classes versicolor,virginica --standardize paper";

TEST(CliQuantize, Int8KeepsKerasConfusionMatrixOnThePaperSplit) {
  const std::string dir = anne_test::temp_dir();
  const std::string train = anne_test::write_paper_csv(dir, "train");
  const std::string test = anne_test::write_paper_csv(dir, "test");
  for (const char* model : {"paper-8", "paper-6"}) {
    const auto result = run_anne(std::string("quantize ") + model + " --calibrate " + train + kPaperOptions +
                                     " --eval " + test + " --json", dir);
    ASSERT_EQ(result.status, 0) << result.err;
    const nlohmann::json document = nlohmann::json::parse(result.out);
    EXPECT_EQ(document["calibration_rows"], 80);
    EXPECT_EQ(document["evaluated_rows"], 20);
    const nlohmann::json keras = anne_test::paper_split_json()["networks"][model];
    EXPECT_EQ(document["float"]["confusion_matrix"], keras["keras_confusion_matrix_rows_actual_cols_predicted_0_1"]);
    EXPECT_EQ(document["int8"]["confusion_matrix"], keras["keras_confusion_matrix_rows_actual_cols_predicted_0_1"]);
    EXPECT_DOUBLE_EQ(document["int8"]["accuracy"].get<double>(), 0.9);
    EXPECT_LT(document["largest_output_difference"].get<double>(), 0.025);
    EXPECT_EQ(document["layers"].size(), keras["layers"].size());
    EXPECT_EQ(document["layers"][0]["output"], "clamp");  // relu fused into the clamp
    EXPECT_EQ(document["layers"][1]["output"], "table");  // sigmoid as a table
  }
  const auto text = run_anne("quantize paper-8 --calibrate " + train + kPaperOptions, dir);
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_NE(text.out.find("layer 2: dense 2 -> 3, sigmoid as table"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("int8:\n"), std::string::npos);
}

TEST(CliQuantize, BadCalibrationFiles) {
  const std::string dir = anne_test::temp_dir();
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name) << text;
    return dir + "/" + name;
  };
  auto result = run_anne("quantize paper-8 --calibrate " + write("three.csv", "a,b,c\n1,2,3\n4,5,6\n"), dir);
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("three.csv: 3 input columns, but the model takes 4"), std::string::npos) << result.err;

  result = run_anne("quantize paper-8 --calibrate " + write("constant.csv", "a,b,c,d\n1,2,3,4\n1,5,6,7\n"), dir);
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("constant.csv: column 'a' is constant (1): it gives the quantizer no range"), std::string::npos)
      << result.err;

  result = run_anne("quantize paper-8 --calibrate " + write("nan.csv", "a,b,c,d\n1,2,3,4\n1,nan,6,7\n"), dir);
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("nan.csv:3: column 'b' (2): 'nan' is not a finite number"), std::string::npos) << result.err;

  result = run_anne("quantize paper-8 --calibrate " + write("ok.csv", "a,b,c,d\n1,2,3,4\n2,5,6,7\n") + " --eval x.csv", dir);
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("--eval needs --label"), std::string::npos) << result.err;

  result = run_anne("quantize --calibrate x.csv", dir);
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("missing MODEL"), std::string::npos) << result.err;
}

}  // namespace
