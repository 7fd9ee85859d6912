// anne quantize as a user runs it: the float and int8 models side by side on the paper's split,
// and each kind of bad calibration file refused with its message.
#include <gtest/gtest.h>

#include <filesystem>
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

TEST(CliQuantize, WritesAModelThatPredictEvalInfoExplainAndExportTake) {
  const std::string dir = anne_test::temp_dir();
  const std::string test = anne_test::write_paper_csv(dir, "test");
  const auto quantized = run_anne("quantize paper-8 --calibrate paper-train -o " + dir + "/p8.q.anne", dir);
  ASSERT_EQ(quantized.status, 0) << quantized.err;
  EXPECT_NE(quantized.out.find("wrote " + dir + "/p8.q.anne"), std::string::npos) << quantized.out;
  const std::string model = dir + "/p8.q.anne";

  // predict: the 20 test rows, every output equal to Keras's at 2 decimals
  const auto predicted = run_anne("predict " + model + " --csv " + test + " --label species --standardize paper --json", dir);
  ASSERT_EQ(predicted.status, 0) << predicted.err;
  const nlohmann::json rows = nlohmann::json::parse(predicted.out)["predictions"];
  const nlohmann::json keras = anne_test::paper_split_json()["networks"]["paper-8"]["keras_predict_round2"];
  ASSERT_EQ(rows.size(), 20u);
  for (size_t r = 0; r < 20; ++r) {
    EXPECT_NEAR(std::round(rows[r][0].get<double>() * 100) / 100, keras[r].get<double>(), 1e-9) << "row " << r + 1;
  }
  // eval: Keras's confusion matrix
  const auto evaluated = run_anne("eval --model " + model + " --csv " + test + kPaperOptions + " --json", dir);
  ASSERT_EQ(evaluated.status, 0) << evaluated.err;
  EXPECT_EQ(nlohmann::json::parse(evaluated.out)["confusion_matrix"],
            anne_test::paper_split_json()["networks"]["paper-8"]["keras_confusion_matrix_rows_actual_cols_predicted_0_1"]);
  // info: scales and zero points per layer
  const auto info = run_anne("info " + model, dir);
  ASSERT_EQ(info.status, 0) << info.err;
  EXPECT_NE(info.out.find("  2   sigmoid      table          2 -> 3"), std::string::npos) << info.out;
  const auto info_json = run_anne("info " + model + " --json", dir);
  ASSERT_EQ(info_json.status, 0) << info_json.err;
  const nlohmann::json layers = nlohmann::json::parse(info_json.out)["layers"];
  ASSERT_EQ(layers.size(), 4u);
  EXPECT_EQ(layers[0]["zero_point"], -32768);  // relu: the code of 0 is the lowest code
  EXPECT_EQ(layers[3]["table"].size(), 65u);
  // explain: integer codes with their real values; the output is what predict printed for row 1
  const auto explained = run_anne("explain --model " + model + " --input 0.8157548,-0.2174681,-0.1290416,-0.6530391 --json", dir);
  ASSERT_EQ(explained.status, 0) << explained.err;
  const nlohmann::json trace = nlohmann::json::parse(explained.out)["layers"];
  EXPECT_EQ(trace.size(), 4u);
  EXPECT_NEAR(trace[3]["units"][0]["output_value"].get<double>(), rows[0][0].get<double>(), 1e-6);
  const auto explained_text = run_anne("explain --model " + model + " --input 0.82,-0.22,-0.13,-0.65", dir);
  EXPECT_NE(explained_text.out.find("layer 2: dense 2 -> 3, sigmoid as table"), std::string::npos) << explained_text.out;
  // export: a header with the network checked at compile time
  const auto exported = run_anne("export " + model + " --cpp " + dir + "/p8q.hpp --name p8q", dir);
  ASSERT_EQ(exported.status, 0) << exported.err;
  const std::string text = anne_test::read_text(dir + "/p8q.hpp");
  EXPECT_NE(text.find("static_assert(anne::quant::validate_exported_network(kNetwork) == anne::Status::ok"), std::string::npos);
}

TEST(CliQuantize, DamagedQuantizedFilesAreRefusedWithTheirByte) {
  const std::string dir = anne_test::temp_dir();
  ASSERT_EQ(run_anne("quantize paper-8 --calibrate paper-train -o " + dir + "/p8.q.anne", dir).status, 0);
  const std::string bytes = anne_test::read_text(dir + "/p8.q.anne");
  std::string flipped = bytes;
  flipped[100] ^= 1;
  std::ofstream(dir + "/flipped.anne", std::ios::binary) << flipped;
  auto result = run_anne("info " + dir + "/flipped.anne", dir);
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("flipped.anne: byte " + std::to_string(bytes.size() - 4) + ": CRC-32 mismatch"), std::string::npos)
      << result.err;
  std::ofstream(dir + "/short.anne", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  result = run_anne("predict " + dir + "/short.anne --csv x.csv", dir);
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("short.anne: byte 8: file truncated"), std::string::npos) << result.err;
}

TEST(CliQuantize, BadCalibrationFiles) {
  const std::string dir = anne_test::temp_dir();
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name) << text;
    return dir + "/" + name;
  };
  const std::string out = " -o " + dir + "/never.q.anne";
  auto result = run_anne("quantize paper-8 --calibrate " + write("three.csv", "a,b,c\n1,2,3\n4,5,6\n") + out, dir);
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("three.csv: 3 input columns, but the model takes 4"), std::string::npos) << result.err;

  result = run_anne("quantize paper-8 --calibrate " + write("constant.csv", "a,b,c,d\n1,2,3,4\n1,5,6,7\n") + out, dir);
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("constant.csv: column 'a' is constant (1): it gives the quantizer no range"), std::string::npos)
      << result.err;

  result = run_anne("quantize paper-8 --calibrate " + write("nan.csv", "a,b,c,d\n1,2,3,4\n1,nan,6,7\n") + out, dir);
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("nan.csv:3: column 'b' (2): 'nan' is not a finite number"), std::string::npos) << result.err;

  result = run_anne("quantize paper-8 --calibrate " + write("ok.csv", "a,b,c,d\n1,2,3,4\n2,5,6,7\n") + " --eval x.csv", dir);
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("--eval needs --label"), std::string::npos) << result.err;

  result = run_anne("quantize --calibrate x.csv", dir);
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("missing MODEL"), std::string::npos) << result.err;
  // Nothing was written by any of them, not even a temporary file.
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) files += entry.path().extension() == ".anne" ||
                                                                            entry.path().filename().string().find(".anne-tmp") == 0;
  EXPECT_EQ(files, 0u);
}

}  // namespace
