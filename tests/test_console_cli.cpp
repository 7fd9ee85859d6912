// `anne console` as a learner (or a script) runs it: a session piped into stdin, answers on stdout,
// checked against Keras's outputs (../shared/data/iris/paper-split.json), the core's forward pass
// and `anne predict`; model transfers made with `anne console --send`, good and broken.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "anne/datasets/iris_paper_split.hpp"
#include "anne/format.hpp"
#include "anne/models/builtin.hpp"
#include "anne/network.hpp"
#include "cli_runner.hpp"
#include "paper_data.hpp"
#include "test_console_text.hpp"

namespace {

using anne_test::CliResult;
using anne_test::read_text;
using anne_test::run_anne;
using anne_test::temp_dir;

/// `anne ARGS` with stdin from a file holding `input` (bytes as they are).
CliResult run_with_input(const std::string& args, const std::string& input, const std::string& dir = temp_dir()) {
  {
    std::ofstream file(dir + "/stdin", std::ios::binary);
    file << input;
  }
  const std::string out = dir + "/stdout";
  const std::string err = dir + "/stderr";
  const std::string command = std::string(ANNE_CLI_PATH) + " " + args + " <" + dir + "/stdin >" + out + " 2>" + err;
  const int raw = std::system(command.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(out), read_text(err)};
}

CliResult console(const std::string& input) { return run_with_input("console", input); }

/// The raw cm of the paper's test row r (0-based).
std::string test_row(uint16_t r) { return anne_test::raw_row(anne::iris::paper_split::kTestPositions[r]); }

/// The value of every one-output "output Y -> class C" line, in order.
std::vector<double> outputs(const std::string& text) {
  std::vector<double> values;
  for (const auto& line : anne_test::output_lines(text)) {
    if (line.size() == 1) values.push_back(line[0]);
  }
  return values;
}

std::string fixed6(double value) { return anne_test::printf_fixed(value, 6); }

TEST(CliConsole, ScriptedPaperSessionMatchesKerasAndTheCore) {
  const nlohmann::json json = anne_test::paper_split_json();
  std::string script = "select paper-8\neval\n";
  for (uint16_t r = 0; r < anne::iris::paper_split::kTestRows; ++r) script += "predict " + test_row(r) + "\n";
  script += "act 1 tanh\npredict " + test_row(0) + "\nreset\npredict " + test_row(0) + "\ntrain 5\n";
  const CliResult result = console(script);
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.out.find("anne console: paper-8 selected; type help for the commands\nselected paper-8: 4-2-3-2-1, 30 parameters\n"), 0u)
      << "no prompt when stdin is not a terminal:\n" << result.out;
  EXPECT_NE(result.out.find("confusion matrix [[8,2],[0,10]]"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("accuracy 0.9000 (18 of 20)"), std::string::npos) << result.out;

  const std::vector<double> y = outputs(result.out);
  ASSERT_EQ(y.size(), 22u) << result.out;
  const auto& keras = json["networks"]["paper-8"]["keras_predict_round2"];
  for (size_t r = 0; r < 20; ++r) EXPECT_NEAR(std::round(y[r] * 100.0) / 100.0, keras[r].get<double>(), 1e-9) << "row " << r + 1;

  // act 1 tanh: the core's forward with that activation; reset: the built-in answer again.
  const anne::Network paper8 = anne::find_builtin_model("paper-8")->network;
  std::vector<anne::Layer> layers(paper8.layers, paper8.layers + paper8.count);
  layers[0].activation = anne::default_spec(anne::Activation::tanh);
  float x[4], out[1], scratch[16];
  anne::iris::paper_split::standardized_row(anne::iris::paper_split::kTestPositions[0], x);
  ASSERT_EQ(anne::forward({layers.data(), paper8.count}, x, 4, out, 1, scratch, 16), anne::Status::ok);
  EXPECT_EQ(fixed6(y[20]), fixed6(out[0]));
  EXPECT_NE(fixed6(y[20]), fixed6(y[0]));
  EXPECT_EQ(fixed6(y[21]), fixed6(y[0])) << "reset";

  // train 5: five epoch lines, the loss lower at the end.
  const std::vector<double> losses = anne_test::epoch_losses(result.out);
  ASSERT_EQ(losses.size(), 5u) << result.out;
  EXPECT_LT(losses.back(), losses.front());
}

/// A model file made the way a learner makes one: `anne train --preset paper-selflearning -o`.
std::string trained_model(const std::string& dir) {
  const CliResult made = run_anne("train --preset paper-selflearning -o " + dir + "/model.anne", dir);
  EXPECT_EQ(made.status, 0) << made.err;
  return dir + "/model.anne";
}

TEST(CliConsole, AReceivedModelPredictsLikeAnnePredict) {
  const std::string dir = temp_dir();
  const std::string model = trained_model(dir);
  const CliResult sent = run_anne("console --send " + model, dir + "/..");
  ASSERT_EQ(sent.status, 0) << sent.err;
  const std::string file = read_text(model);
  EXPECT_EQ(sent.out.substr(sent.out.size() - file.size()), file) << "the bytes follow the receive line";
  EXPECT_EQ(sent.out.rfind("receive " + std::to_string(file.size()) + " ", 0), 0u) << sent.out.substr(0, 40);

  const std::vector<std::string> rows = {"0.5,-1,2,0.1", "6.3,2.5,4.9,1.5", "-3,0,0.25,7"};
  std::string script = sent.out;
  for (const std::string& row : rows) script += "predict " + row + "\n";
  const CliResult session = console(script);
  ASSERT_EQ(session.status, 0) << session.out;
  EXPECT_NE(session.out.find("model received: 4-3-1, 19 parameters"), std::string::npos) << session.out;

  {
    std::ofstream csv(dir + "/rows.csv");
    csv << "a,b,c,d\n";
    for (const std::string& row : rows) csv << row << "\n";
  }
  const CliResult predicted = run_anne("predict " + model + " --csv " + dir + "/rows.csv", dir);
  ASSERT_EQ(predicted.status, 0) << predicted.err;
  std::istringstream lines(predicted.out);
  const std::vector<double> y = outputs(session.out);
  ASSERT_EQ(y.size(), rows.size()) << session.out;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    std::getline(lines, line);
    EXPECT_EQ(fixed6(y[r]), fixed6(std::stof(line))) << rows[r];
  }

  // The same file preselected with --model.
  const CliResult preselected = run_with_input("console --model " + model, "predict " + rows[0] + "\n");
  ASSERT_EQ(preselected.status, 0);
  EXPECT_EQ(outputs(preselected.out), std::vector<double>{y[0]}) << preselected.out;
}

TEST(CliConsole, BrokenTransfersLeaveThePreviousModelAnswering) {
  const std::string dir = temp_dir();
  const std::string sent = run_anne("console --send " + trained_model(dir), dir + "/..").out;
  const size_t line_end = sent.find('\n') + 1;
  const std::string predict = "predict " + test_row(16) + "\n";
  const CliResult plain = console(predict);
  ASSERT_EQ(outputs(plain.out).size(), 1u);

  // A wrong CRC on the receive line.
  std::string wrong = sent;
  wrong[line_end - 2] = wrong[line_end - 2] == '0' ? '1' : '0';
  CliResult result = console(wrong + predict);
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.out.find("error: the bytes have CRC-32"), std::string::npos) << result.out;
  EXPECT_EQ(outputs(result.out), outputs(plain.out));

  // A size larger than the console's buffer: refused at once, the bytes then read as (bad) lines.
  result = console("receive 100000 1234abcd\n" + sent.substr(line_end) + "\n" + predict);
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.out.find("error: a model of 100000 bytes does not fit the receive buffer of 1536 bytes; nothing is read"),
            std::string::npos) << result.out;
  EXPECT_EQ(outputs(result.out), outputs(plain.out));

  // The input ends in the middle of the bytes: exit status 1.
  result = console(predict + sent.substr(0, sent.size() - 20));
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.out.find("error: transfer cut after "), std::string::npos) << result.out;
  EXPECT_EQ(outputs(result.out), outputs(plain.out));
}

/// An int8 model made the way a user makes one: `anne quantize paper-8 --calibrate paper-train -o`.
std::string quantized_model(const std::string& dir) {
  const CliResult made = run_anne("quantize paper-8 --calibrate paper-train -o " + dir + "/p8.q.anne", dir);
  EXPECT_EQ(made.status, 0) << made.err;
  return dir + "/p8.q.anne";
}

/// The output column of each row of an `eval` table.
std::vector<std::string> eval_outputs(const std::string& text) {
  std::vector<std::string> values;
  bool table = false;
  for (const std::string& line : anne_test::lines_of(text)) {
    if (line.rfind("confusion matrix", 0) == 0) table = false;
    if (table) {
      std::istringstream fields(line);
      std::string row, iris_row, output;
      fields >> row >> iris_row >> output;
      values.push_back(output);
    }
    if (line == "  row  iris row  output    predicted  true") table = true;
  }
  return values;
}

TEST(CliConsole, AReceivedInt8ModelPredictsAndEvaluatesLikeAnnePredictAndEval) {
  const std::string dir = temp_dir();
  const std::string model = quantized_model(dir);
  const std::string test = anne_test::write_paper_csv(dir, "test");
  const CliResult sent = run_anne("console --send " + model, dir + "/..");
  ASSERT_EQ(sent.status, 0) << sent.err;

  std::string script = sent.out + "info\nstandardize paper\neval\n";
  for (uint16_t r = 0; r < anne::iris::paper_split::kTestRows; ++r) script += "predict " + test_row(r) + "\n";
  script += "act 1 tanh\ntrain 1\nreset\npredict " + test_row(0) + "\n";
  const CliResult session = console(script);
  ASSERT_EQ(session.status, 0) << session.out;
  EXPECT_NE(session.out.find("model received: 4-2-3-2-1, 30 parameters, int8 (paper-8)\n"), std::string::npos) << session.out;
  EXPECT_NE(session.out.find("paper-8: int8 (quantized), received over the console\n"
                             "  layer 1: dense 4 -> 2, relu (int8 weights, clamp output), 10 parameters\n"),
            std::string::npos) << session.out;

  // predict and eval: the numbers `anne predict` and `anne eval` print for the same file.
  const CliResult predicted = run_anne("predict " + model + " --csv " + test + " --label species --standardize paper --json", dir);
  ASSERT_EQ(predicted.status, 0) << predicted.err;
  const nlohmann::json rows = nlohmann::json::parse(predicted.out)["predictions"];
  ASSERT_EQ(rows.size(), 20u);
  const std::vector<double> y = outputs(session.out);
  const std::vector<std::string> evaluated_rows = eval_outputs(session.out);
  ASSERT_EQ(y.size(), 21u) << session.out;
  ASSERT_EQ(evaluated_rows.size(), 20u) << session.out;
  for (size_t r = 0; r < 20; ++r) {
    EXPECT_EQ(fixed6(y[r]), fixed6(rows[r][0].get<double>())) << "predict, row " << r + 1;
    EXPECT_EQ(evaluated_rows[r], fixed6(rows[r][0].get<double>())) << "eval, row " << r + 1;
  }
  const CliResult evaluated = run_anne("eval --model " + model + " --csv " + test + " --label species --standardize paper --json", dir);
  ASSERT_EQ(evaluated.status, 0) << evaluated.err;
  const nlohmann::json matrix = nlohmann::json::parse(evaluated.out)["confusion_matrix"];
  std::ostringstream line;
  line << "confusion matrix [[" << matrix[0][0] << "," << matrix[0][1] << "],[" << matrix[1][0] << "," << matrix[1][1] << "]]";
  EXPECT_NE(session.out.find(line.str()), std::string::npos) << line.str() << "\n" << session.out;

  // Commands that change float weights are refused, and the int8 model still answers.
  for (const char* command : {"act", "train", "reset"}) {
    EXPECT_NE(session.out.find(std::string("error: ") + command + " needs a float model; paper-8 is int8 (quantized) and stays selected\n"),
              std::string::npos) << command;
  }
  EXPECT_EQ(fixed6(y[20]), fixed6(y[0]));
}

TEST(CliConsole, BrokenInt8TransfersLeaveThePreviousInt8ModelAnswering) {
  const std::string dir = temp_dir();
  const std::string sent = run_anne("console --send " + quantized_model(dir), dir + "/..").out;
  const size_t line_end = sent.find('\n') + 1;
  const std::string predict = "predict 0.5,-1,2,0.1\n";
  const CliResult plain = console(sent + predict);
  ASSERT_EQ(outputs(plain.out).size(), 1u) << plain.out;

  // A flipped byte in the layer table, announced with the CRC of the flipped bytes: the file's
  // own CRC-32 (its last 4 bytes) no longer matches.
  std::string flipped = sent.substr(line_end);
  flipped[100] = static_cast<char>(flipped[100] ^ 1);
  char line[64];
  std::snprintf(line, sizeof line, "receive %zu %08x\n", flipped.size(),
                static_cast<unsigned>(anne::format::crc32(reinterpret_cast<const uint8_t*>(flipped.data()), flipped.size())));
  CliResult result = console(sent + line + flipped + predict);
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.out.find("error: not a model the console can take: "), std::string::npos) << result.out;
  EXPECT_EQ(outputs(result.out), outputs(plain.out));

  // A wrong CRC on the receive line, then a transfer cut short.
  std::string wrong = sent;
  wrong[line_end - 2] = wrong[line_end - 2] == '0' ? '1' : '0';
  result = console(sent + wrong + predict);
  EXPECT_NE(result.out.find("error: the bytes have CRC-32"), std::string::npos) << result.out;
  EXPECT_EQ(outputs(result.out), outputs(plain.out));
  result = console(sent + predict + sent.substr(0, sent.size() - 20));
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(outputs(result.out), outputs(plain.out));
}

TEST(CliConsole, BadInputGivesErrorLinesAndTheSessionGoesOn) {
  const CliResult result = console("xyz\npredict 1,2,x,4\npredict 1,2\n" + std::string(1 << 20, 'a') + "\nhelp\n" +
                                   std::string(1 << 20, 'b'));
  EXPECT_EQ(result.status, 0) << "the session ended normally";
  EXPECT_NE(result.out.find("error: unknown command 'xyz' (type help)\n"), std::string::npos);
  EXPECT_NE(result.out.find("error: value 3 of 4 is not a number: 'x'\n"), std::string::npos);
  EXPECT_NE(result.out.find("error: the network takes 4 values, not 2\n"), std::string::npos);
  size_t too_long = 0;
  for (size_t at = 0; (at = result.out.find("error: line longer than 128 characters\n", at)) != std::string::npos; ++at) ++too_long;
  EXPECT_EQ(too_long, 2u) << "one per long line, the last one without a newline";
  EXPECT_NE(result.out.find("\n  bench [N]"), std::string::npos) << "help ran between them";
}

TEST(CliConsole, ALastLineWithoutANewlineStillRuns) {
  const CliResult result = console("predict 1,2,3,4\nxyz");
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.out.find("error: unknown command 'xyz' (type help)\n"), std::string::npos) << result.out;
}

TEST(CliConsole, OptionsAndTheirErrors) {
  const CliResult preselect = run_with_input("console --model paper-6", "info\n");
  EXPECT_EQ(preselect.status, 0);
  EXPECT_NE(preselect.out.find("selected paper-6: 4-3-2-1, 26 parameters"), std::string::npos) << preselect.out;
  const CliResult unknown = run_with_input("console --model /nonexistent/model.anne", "");
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("cannot open"), std::string::npos) << unknown.err;
  const CliResult name = run_with_input("console --model paper-9", "");
  EXPECT_EQ(name.status, 1);
  EXPECT_NE(name.err.find("unknown model 'paper-9' (built-in models: paper-8, paper-6; or a .anne file)"), std::string::npos)
      << name.err;
  const CliResult both = run_with_input("console --model paper-6 --send x.anne", "");
  EXPECT_EQ(both.status, 2);
  EXPECT_NE(both.err.find("--send and --model exclude each other"), std::string::npos) << both.err;
  const CliResult help = run_anne("console --help");
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("--send FILE"), std::string::npos);
  const CliResult bench = console("bench 2000\n");
  long each = -1;
  for (const std::string& line : anne_test::lines_of(bench.out)) std::sscanf(line.c_str(), "2000 inferences, %ld ns each", &each);
  EXPECT_GE(each, 0) << bench.out;
  EXPECT_LT(each, 1000000) << "a paper network takes well under a millisecond on a PC";
}

}  // namespace
