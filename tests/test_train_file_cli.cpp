// anne train with .anne files: fine-tuning an imported Keras model lowers its loss on the new data
// and writes a valid model; a trained network is written whole, and evaluates as trained.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.hpp"

namespace {

using anne_test::run_anne;

/// The loss printed on the line that starts with `prefix` ("before fine-tuning: loss 1.0986, ...").
double loss_after(const std::string& out, const std::string& prefix) {
  const size_t at = out.find(prefix);
  EXPECT_NE(at, std::string::npos) << out;
  if (at == std::string::npos) return -1;
  return std::stod(out.substr(out.find("loss ", at) + 5));
}

TEST(TrainFiles, FineTuningAnImportedKerasModelLowersItsLossAndWritesAValidModel) {
  const std::string dir = anne_test::temp_dir();
  const std::string shared = std::string(ANNE_SHARED_DIR) + "/data";
  // tf.keras 2.13 IRIS model: 4-16relu-3softmax, saved untrained.
  ASSERT_EQ(run_anne("import " + shared + "/keras-real/iris-keras2.13-keras/iris_model.keras -o " + dir + "/iris.anne", dir).status, 0);
  const auto tuned = run_anne("train --from " + dir + "/iris.anne --csv " + shared +
                                  "/iris/iris.csv --label species --standardize --epochs 30 --optimizer adam --lr 0.01 --batch 16"
                                  " --quiet -o " + dir + "/tuned.anne",
                              dir);
  ASSERT_EQ(tuned.status, 0) << tuned.err;
  const double before = loss_after(tuned.out, "before fine-tuning:");
  const double after = loss_after(tuned.out, "after ");
  EXPECT_LT(after, before * 0.5) << tuned.out;
  const auto info = run_anne("info " + dir + "/tuned.anne --json", dir);
  ASSERT_EQ(info.status, 0) << info.err;
  const nlohmann::json model = nlohmann::json::parse(info.out);
  EXPECT_EQ(model["inputs"], 4);
  EXPECT_EQ(model["outputs"], 3);
  EXPECT_EQ(model["layers"][1]["activation"], "softmax");
}

TEST(TrainFiles, TheSelfLearningPresetWritesTheTrainedModel) {
  const std::string dir = anne_test::temp_dir();
  const auto trained = run_anne("train --preset paper-selflearning --quiet -o " + dir + "/self.anne", dir);
  ASSERT_EQ(trained.status, 0) << trained.err;
  const std::string iris = std::string(ANNE_SHARED_DIR) + "/data/iris/iris.csv";
  const auto evaluated = run_anne("eval --model " + dir + "/self.anne --csv " + iris +
                                      " --label species --classes versicolor,virginica --standardize paper --json",
                                  dir);
  ASSERT_EQ(evaluated.status, 0) << evaluated.err;
  EXPECT_GE(nlohmann::json::parse(evaluated.out)["accuracy"].get<double>(), 0.85);  // 100 rows, 80 of them trained on
  const auto diverged = run_anne("train --layers 4,1 --loss mse --lr 1e30 --batch 100 --csv " + iris +
                                     " --label species --classes versicolor,virginica --quiet -o " + dir + "/bad.anne",
                                 dir);
  EXPECT_EQ(diverged.status, 1);
  EXPECT_FALSE(std::filesystem::exists(dir + "/bad.anne"));
}

}  // namespace
