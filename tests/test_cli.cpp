// The anne command as a user runs it: outputs checked against Keras's numbers, usage errors exit 2,
// bad input exits 1 with a message.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "paper_data.hpp"
#include "reference_activations.hpp"

namespace {

using anne_test::paper_split_json;
using anne_test::run_anne;

TEST(CliDemo, JsonHoldsKerasNumbersForBothNetworks) {
  const auto result = run_anne("demo --json");
  ASSERT_EQ(result.status, 0) << result.err;
  const nlohmann::json document = nlohmann::json::parse(result.out);
  const nlohmann::json split = paper_split_json();
  ASSERT_EQ(document["networks"].size(), 2u);
  for (const auto& network : document["networks"]) {
    const std::string name = network["name"];
    const auto& keras = split["networks"][name];
    ASSERT_EQ(network["predictions"].size(), 20u) << name;
    for (size_t r = 0; r < 20; ++r) {
      const double p = network["predictions"][r];
      EXPECT_NEAR(std::round(p * 100) / 100, keras["keras_predict_round2"][r].get<double>(), 1e-9) << name << r;
      EXPECT_EQ(network["classes"][r].get<int>(), p > 0.5 ? 1 : 0);
    }
    EXPECT_EQ(network["confusion_matrix"], keras["keras_confusion_matrix_rows_actual_cols_predicted_0_1"]) << name;
    EXPECT_EQ(network["confusion_matrix"], nlohmann::json::parse("[[8,2],[0,10]]"));
    EXPECT_DOUBLE_EQ(network["accuracy"].get<double>(), 0.9);
    EXPECT_DOUBLE_EQ(network["precision"].get<double>(), 10.0 / 12);  // TP 10, FP 2
    EXPECT_DOUBLE_EQ(network["recall"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(network["f1"].get<double>(), 20.0 / 22);
  }
}

TEST(CliDemo, TextShowsEveryRowAndTheMetrics) {
  const auto result = run_anne("demo");
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_NE(result.out.find("paper-8"), std::string::npos);
  EXPECT_NE(result.out.find("paper-6"), std::string::npos);
  EXPECT_NE(result.out.find("accuracy 0.9000 (18 of 20)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("0.219777"), std::string::npos);  // paper-8, row 1 (Keras prints 0.22)
}

TEST(CliExplain, EveryNeuronAddsUp) {
  const auto result = run_anne("explain --model paper-8 --input 0.82,-0.22,-0.13,-0.65 --json");
  ASSERT_EQ(result.status, 0) << result.err;
  const nlohmann::json document = nlohmann::json::parse(result.out);
  const nlohmann::json keras_layers = paper_split_json()["networks"]["paper-8"]["layers"];
  ASSERT_EQ(document["layers"].size(), 4u);
  std::vector<double> x = {0.82, -0.22, -0.13, -0.65};
  for (size_t k = 0; k < 4; ++k) {
    const auto& layer = document["layers"][k];
    const std::string activation = layer["activation"];
    EXPECT_EQ(activation, keras_layers[k]["activation"]);
    std::vector<double> y;
    for (size_t j = 0; j < layer["neurons"].size(); ++j) {
      const auto& neuron = layer["neurons"][j];
      double sum = 0.0;
      for (size_t i = 0; i < x.size(); ++i) sum += x[i] * keras_layers[k]["kernel"][i][j].get<double>();
      EXPECT_NEAR(neuron["weighted_sum"].get<double>(), sum, 1e-5) << k << j;
      EXPECT_NEAR(neuron["bias"].get<double>(), keras_layers[k]["bias"][j].get<double>(), 1e-7);
      const double z = sum + keras_layers[k]["bias"][j].get<double>();
      EXPECT_NEAR(neuron["preactivation"].get<double>(), z, 1e-5);
      const double expected = anne_test::reference_activations().at(activation)(z, {});
      EXPECT_NEAR(neuron["output"].get<double>(), expected, 1e-5);
      y.push_back(expected);
    }
    x = y;
  }
  EXPECT_NEAR(document["output"][0].get<double>(), x[0], 1e-5);
}

TEST(CliExplain, TextAndStandardizedRawInput) {
  // Raw centimetres of the first test row (iris row 76: 6.8, 2.8, 4.8, 1.4) with --standardize paper.
  const auto result = run_anne("explain --model paper-6 --input 6.8,2.8,4.8,1.4 --standardize paper");
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_NE(result.out.find("layer 3: dense 2 -> 1, activation sigmoid"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("output: 0.11"), std::string::npos) << result.out;  // Keras: 0.11
}

TEST(CliEval, PaperTestRowsFromRawCsvGiveKerasConfusionMatrix) {
  const std::string dir = anne_test::temp_dir();
  const std::string csv = anne_test::write_paper_csv(dir, "test");
  const auto result =
      run_anne("eval --model paper-8 --csv " + csv + " --label species --classes versicolor,virginica --standardize paper --json", dir);
  ASSERT_EQ(result.status, 0) << result.err;
  const nlohmann::json document = nlohmann::json::parse(result.out);
  EXPECT_EQ(document["confusion_matrix"], nlohmann::json::parse("[[8,2],[0,10]]"));
  EXPECT_DOUBLE_EQ(document["accuracy"].get<double>(), 0.9);
  ASSERT_EQ(document["per_class"].size(), 2u);
  EXPECT_EQ(document["per_class"][1]["name"], "virginica");
  EXPECT_DOUBLE_EQ(document["per_class"][0]["recall"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(document["per_class"][1]["precision"].get<double>(), 10.0 / 12);
}

TEST(CliEval, WholeIrisSubsetAndExplicitStandardization) {
  const std::string iris = std::string(ANNE_SHARED_DIR) + "/data/iris/iris.csv";
  const auto with_paper = run_anne("eval --model paper-6 --csv " + iris +
                                   " --label species --classes versicolor,virginica --standardize paper --json");
  ASSERT_EQ(with_paper.status, 0) << with_paper.err;
  const auto explicit_std = run_anne("eval --model paper-6 --csv " + iris +
                                     " --label species --classes versicolor,virginica --json"
                                     " --mean 6.262,2.872,4.906,1.676 --std 0.659511940756193,0.33108307114680446,0.8214401986754728,0.4226393261399133");
  ASSERT_EQ(explicit_std.status, 0) << explicit_std.err;
  const auto a = nlohmann::json::parse(with_paper.out);
  const auto b = nlohmann::json::parse(explicit_std.out);
  EXPECT_EQ(a["rows"], 100);
  EXPECT_EQ(a["skipped_rows"], 50);  // the setosa rows
  EXPECT_EQ(a["confusion_matrix"], b["confusion_matrix"]);
  const auto text = run_anne("eval --model paper-6 --csv " + iris + " --label species --classes versicolor,virginica --standardize paper");
  EXPECT_NE(text.out.find("50 rows with other labels skipped"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("macro"), std::string::npos);
}

/// Versicolor and virginica rows of IRIS (the paper's two classes, all 100), as a CSV in `dir`.
std::string write_two_class_iris(const std::string& dir) {
  std::ifstream iris(std::string(ANNE_SHARED_DIR) + "/data/iris/iris.csv");
  std::ofstream csv(dir + "/two-class.csv");
  for (std::string line; std::getline(iris, line);) {
    if (line.find("setosa") == std::string::npos) csv << line << "\n";
  }
  return dir + "/two-class.csv";
}

/// The confusion matrix of decisions p > threshold against labels (class 1 = virginica).
nlohmann::json matrix_at(const std::vector<double>& p, const std::vector<int>& label, double threshold) {
  int m[2][2] = {{0, 0}, {0, 0}};
  for (size_t r = 0; r < p.size(); ++r) ++m[label[r]][p[r] > threshold ? 1 : 0];
  return nlohmann::json::array({{m[0][0], m[0][1]}, {m[1][0], m[1][1]}});
}

TEST(CliEval, ChosenThresholdHasTheBestF1OfEveryThreshold) {
  const std::string dir = anne_test::temp_dir();
  const std::string csv = write_two_class_iris(dir);
  const auto predicted = run_anne("predict paper-8 --csv " + csv + " --label species --standardize paper --json");
  ASSERT_EQ(predicted.status, 0) << predicted.err;
  const nlohmann::json predictions = nlohmann::json::parse(predicted.out)["predictions"];
  std::vector<double> p;
  for (const auto& row : predictions) p.push_back(row[0]);
  std::vector<int> label;
  std::ifstream rows(csv);
  std::string line;
  std::getline(rows, line);
  while (std::getline(rows, line)) label.push_back(line.find("virginica") != std::string::npos ? 1 : 0);
  ASSERT_EQ(p.size(), label.size());

  // Brute force: every output value (and 0) as the threshold, F1 of class 1 at each.
  double best_f1 = 0;
  for (double t : p) {
    for (double threshold : {t, 0.0}) {
      const nlohmann::json m = matrix_at(p, label, threshold);
      const double tp = m[1][1], fp = m[0][1], fn = m[1][0];
      best_f1 = std::max(best_f1, 2 * tp / (2 * tp + fp + fn));
    }
  }
  const std::string eval = "eval --model paper-8 --csv " + csv + " --label species --classes versicolor,virginica --standardize paper";
  const auto chosen = run_anne(eval + " --choose-threshold --json");
  ASSERT_EQ(chosen.status, 0) << chosen.err;
  const nlohmann::json document = nlohmann::json::parse(chosen.out);
  EXPECT_DOUBLE_EQ(document["f1"].get<double>(), best_f1);
  EXPECT_EQ(document["confusion_matrix"], matrix_at(p, label, document["threshold"].get<double>()));
  EXPECT_GT(best_f1, nlohmann::json::parse(run_anne(eval + " --json").out)["f1"].get<double>());  // better than 0.5 here

  const auto given = run_anne(eval + " --threshold 0.3 --json");
  ASSERT_EQ(given.status, 0) << given.err;
  EXPECT_EQ(nlohmann::json::parse(given.out)["confusion_matrix"], matrix_at(p, label, 0.3));
  const auto text = run_anne(eval + " --choose-threshold");
  EXPECT_NE(text.out.find("decision threshold chosen on these rows (best F1 of class 1): "), std::string::npos) << text.out;

  EXPECT_EQ(run_anne(eval + " --threshold 1.5").status, 2);
  EXPECT_EQ(run_anne(eval + " --threshold 0.3 --choose-threshold").status, 2);
}

TEST(CliEval, BadInputExitsOneWithAMessage) {
  const std::string iris = std::string(ANNE_SHARED_DIR) + "/data/iris/iris.csv";
  auto result = run_anne("eval --model paper-8 --csv " + iris + " --label species");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("the labels have 3 classes but the network tells 2 apart"), std::string::npos) << result.err;
  result = run_anne("eval --model paper-8 --csv /nonexistent.csv --label y");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("/nonexistent.csv: cannot open the file"), std::string::npos) << result.err;
  result = run_anne("eval --model paper-9 --csv " + iris + " --label species");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("unknown model 'paper-9' (built-in models: paper-8, paper-6"), std::string::npos) << result.err;
  result = run_anne("eval --model paper-8 --csv " + iris + " --label species --classes versicolor,virginica --mean 1,2 --std 1,1");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("--mean has 2 values and --std 2, but there are 4 inputs"), std::string::npos) << result.err;
  result = run_anne("explain --model paper-8 --input 1,2,3");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("the input has 3 values but the network takes 4"), std::string::npos) << result.err;
  result = run_anne("explain --model paper-8 --input 1,x,3,4");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("--input: element 2 'x' is not a finite number"), std::string::npos) << result.err;
}

TEST(CliEval, TooFewColumnsExitOneBeforeAnyRowIsRead) {
  // --choose-threshold predicts the rows to choose from: the width check has to come first there
  // too (it once read past the rows, which AddressSanitizer reported).
  const std::string dir = anne_test::temp_dir();
  std::ofstream(dir + "/narrow.csv") << "a,species\n1,versicolor\n2,virginica\n";
  const std::string eval = "eval --model paper-8 --csv " + dir + "/narrow.csv --label species --classes versicolor,virginica";
  for (const char* option : {"", " --choose-threshold"}) {
    const auto result = run_anne(eval + option);
    EXPECT_EQ(result.status, 1) << option;
    EXPECT_NE(result.err.find("the data has 1 feature columns (a) but the network takes 4 inputs"), std::string::npos)
        << option << "\n" << result.err;
  }
}

TEST(CliUsage, HelpVersionAndUsageErrors) {
  auto result = run_anne("--version");
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.out, "anne 0.1.0\n");
  result = run_anne("--help");
  EXPECT_EQ(result.status, 0);
  for (const char* command : {"demo", "explain", "eval", "bench"}) {
    EXPECT_NE(result.out.find(std::string("  ") + command + " "), std::string::npos) << command;
  }
  result = run_anne("eval --help");
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.out.find("usage: anne eval --model MODEL --csv FILE --label COLUMN"), std::string::npos) << result.out;

  for (const char* bad : {"", "frobnicate", "demo --jsn", "demo extra", "eval --model paper-8", "explain --model",
                          "explain --model paper-8 --input 1,2,3,4 --standardize zscore", "demo --json=yes",
                          "eval --model paper-8 --csv a.csv --label y --mean 1,2,3,4",
                          "demo --json --json"}) {
    result = run_anne(bad);
    EXPECT_EQ(result.status, 2) << "anne " << bad << "\n" << result.err;
    EXPECT_NE(result.err.find("usage: anne"), std::string::npos) << "anne " << bad << "\n" << result.err;
    EXPECT_TRUE(result.out.empty()) << bad;
  }
}

TEST(CliBench, ReportsNanosecondsPerInference) {
  const auto result = run_anne("bench --model paper-8 --json");
  ASSERT_EQ(result.status, 0) << result.err;
  const nlohmann::json document = nlohmann::json::parse(result.out);
  EXPECT_EQ(document["model"], "paper-8");
  EXPECT_EQ(document["batch_rows"], 20);
  EXPECT_TRUE(document["ns_per_inference_one_row"].is_number());
  EXPECT_TRUE(document["ns_per_inference_batch"].is_number());
}

}  // namespace
