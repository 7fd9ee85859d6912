// SPDX-License-Identifier: MIT
// The condition-monitoring node (firmware/monitor/monitor.hpp) on the PC: its probabilities
// against a double-precision closed form, the decision threshold and the alarm's hysteresis rule,
// bad lines, field fine-tuning, and persistence: after `save` a restarted node boots the saved
// model, and a power cut at every flash operation of a save leaves a node that boots the old model
// or the new one. And `anne stream`'s answers to bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "anne/format.hpp"
#include "anne_host/anne_file.hpp"
#include "anne_host/model.hpp"
#include "anne_host/train/layers_spec.hpp"
#include "cli_runner.hpp"
#include "cuttable_flash.hpp"
#include "monitor/monitor.hpp"

namespace {

using anne::monitor::Debounce;
using anne::monitor::Monitor;
using anne::test::CuttableFlash;
using anne::test::kSector;

constexpr uint32_t kSlotBytes = 3 * kSector;  // room for the settings and a small model

// A 3-4-1 network (relu, sigmoid) with fixed weights, the node's statistics and threshold.
const std::vector<float> kW1 = {0.8f, -0.5f, 0.3f, -0.6f, 0.9f, 0.2f, 0.4f, 0.4f, -0.7f, 0.1f, -0.2f, 0.5f};
const std::vector<float> kB1 = {0.1f, -0.2f, 0.05f, 0.3f};
const std::vector<float> kW2 = {1.2f, -0.9f, 0.7f, 1.1f};
const std::vector<float> kB2 = {-0.4f};
const double kMean[3] = {300.0, 1500.0, 40.0};
const double kStd[3] = {2.0, 180.0, 10.0};
constexpr float kThreshold = 0.6f;
const char* const kSetup = "mean 300,1500,40\nstd 2,180,10\nthreshold 0.6\ndebounce 2 3\n";

std::vector<uint8_t> model_file(const std::vector<float>& w2) {
  anne::host::HostModel model = anne::host::model_from_layers_spec("3,4:relu,1:sigmoid");
  model.name = "monitor-test";
  model.layers[0].weights = kW1.data();
  model.layers[0].bias = kB1.data();
  model.layers[1].weights = w2.data();
  model.layers[1].bias = kB2.data();
  return anne::host::encode_anne(model);
}

std::string transfer(const std::vector<uint8_t>& bytes) {
  char line[64];
  std::snprintf(line, sizeof line, "model %zu %x\n", bytes.size(), static_cast<unsigned>(anne::format::crc32(bytes.data(), bytes.size())));
  return line + std::string(bytes.begin(), bytes.end());
}

/// p of the network above for one raw record, in double precision.
double reference_probability(const double raw[3], const std::vector<float>& w2) {
  double z[3], out = kB2[0];
  for (int i = 0; i < 3; ++i) z[i] = (raw[i] - kMean[i]) / kStd[i];
  for (int j = 0; j < 4; ++j) {
    double h = kB1[j];
    for (int i = 0; i < 3; ++i) h += static_cast<double>(kW1[j * 3 + i]) * z[i];
    out += static_cast<double>(w2[j]) * std::max(h, 0.0);
  }
  return 1.0 / (1.0 + std::exp(-out));
}

/// A node on the PC: its text output collected, its alarm output recorded, its flash given.
struct Node {
  std::string output;
  std::vector<bool> alarm_changes;
  std::unique_ptr<Monitor> monitor = std::make_unique<Monitor>();
  std::unique_ptr<anne::storage::ModelSlots> slots;

  static Node* current;
  static void write(void* context, const char* text) { static_cast<Node*>(context)->output += text; }
  static void set_alarm(bool on) { current->alarm_changes.push_back(on); }

  explicit Node(CuttableFlash& flash) : slots(std::make_unique<anne::storage::ModelSlots>(flash.flash(), 0, kSlotBytes)) {
    current = this;
    anne::monitor::Hooks hooks;
    hooks.platform.context = this;
    hooks.platform.write = &write;
    hooks.set_alarm = &set_alarm;
    monitor->begin(hooks, *slots);
  }
  /// Feeds text and returns what the node printed for it.
  std::string run(const std::string& text) {
    output.clear();
    for (char c : text) monitor->feed(static_cast<uint8_t>(c));
    return output;
  }
};
Node* Node::current = nullptr;

std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> found;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) found.push_back(line);
  }
  return found;
}

const double kRecords[][3] = {{298.1, 1551, 42.8}, {302.5, 1300, 65.0}, {301.0, 1900, 20.1}, {296.4, 1420, 55.5},
                              {303.9, 1250, 70.2}, {299.9, 1600, 38.0}, {300.2, 1380, 61.3}, {297.0, 2100, 12.0}};

std::string record_lines(const char* command, int label = -1) {
  std::string text;
  for (const auto& r : kRecords) {
    std::ostringstream line;
    line << command << ' ' << r[0] << ',' << r[1] << ',' << r[2];
    if (label >= 0) line << ',' << (reference_probability(r, kW2) > 0.5 ? 0 : 1);  // labels the model gets wrong
    text += line.str() + "\n";
  }
  return text;
}

TEST(ConditionMonitor, ProbabilitiesAndDecisionsMatchTheClosedForm) {
  CuttableFlash flash;
  Node node(flash);
  EXPECT_EQ(node.output, "boot: no model in flash\n");
  EXPECT_EQ(node.run(transfer(model_file(kW2))), "ready for " + std::to_string(model_file(kW2).size()) + " bytes\nok model 3-4-1, 21 float32 parameters\n");
  node.run(kSetup);
  const std::vector<std::string> decisions = lines_starting(node.run(record_lines("r")), "d ");
  ASSERT_EQ(decisions.size(), std::size(kRecords));
  int positives = 0;
  for (size_t r = 0; r < decisions.size(); ++r) {
    int index = 0, decision = 0;
    double p = 0.0;
    char alarm[8] = {};
    ASSERT_EQ(std::sscanf(decisions[r].c_str(), "d %d %lf %d %7s", &index, &p, &decision, alarm), 4) << decisions[r];
    const double expected = reference_probability(kRecords[r], kW2);
    EXPECT_EQ(index, static_cast<int>(r + 1));
    EXPECT_NEAR(p, expected, 1e-5 + 1e-4 * expected) << decisions[r];
    EXPECT_EQ(decision, expected > kThreshold ? 1 : 0) << decisions[r];
    positives += decision;
  }
  EXPECT_GT(positives, 0);  // the records exercise both decisions
  EXPECT_LT(positives, static_cast<int>(decisions.size()));
}

TEST(ConditionMonitor, AlarmNeedsRaiseAfterPositivesInARowAndClearAfterNegatives) {
  // raise after 2 positive decisions in a row, clear after 3 negative ones in a row
  const bool decisions[] = {true, false, true, true, false, true, false, false, true, false, false, false, true};
  const bool expected[] = {false, false, false, true, true, true, true, true, true, true, true, false, false};
  Debounce debounce;
  for (size_t i = 0; i < std::size(decisions); ++i) {
    const bool before = debounce.on();
    const bool changed = debounce.take(decisions[i], 2, 3);
    EXPECT_EQ(debounce.on(), expected[i]) << "decision " << i + 1;
    EXPECT_EQ(changed, before != debounce.on());
  }
}

TEST(ConditionMonitor, AlarmOutputFollowsTheDecisionsThroughTheHooks) {
  CuttableFlash flash;
  Node node(flash);
  node.run(transfer(model_file(kW2)) + kSetup + "debounce 1 1\n");
  const std::string out = node.run(record_lines("r"));
  // With 1 and 1 the alarm is simply the decision: one change per flip, each printed as an event.
  std::vector<bool> flips;
  bool on = false;
  for (const std::string& line : lines_starting(out, "d ")) {
    const bool positive = line.find(" 1 ") != std::string::npos;
    if (positive != on) flips.push_back(on = positive);
  }
  EXPECT_EQ(node.alarm_changes, flips);
  EXPECT_EQ(lines_starting(out, "event alarm ").size(), flips.size());
}

TEST(ConditionMonitor, BadLinesGetAnErrorAndChangeNothing) {
  CuttableFlash flash;
  Node node(flash);
  EXPECT_EQ(node.run("r 1,2,3\n"), "error: r: no model yet (send one with model BYTES CRC32)\n");
  node.run(transfer(model_file(kW2)));
  EXPECT_EQ(node.run("r 1,2,3\n"), "error: r: set mean and std for the model's 3 inputs first\n");
  node.run(kSetup);
  EXPECT_EQ(node.run("r 1,2\n"), "error: r: 3 values expected, not 2\n");
  EXPECT_EQ(node.run("r 1,x,3\n"), "error: r: value 2 is not a number: 'x'\n");
  EXPECT_EQ(node.run("std 1,0,1\n"), "error: std: value 2 must be positive\n");
  EXPECT_EQ(node.run("threshold 1.5\n"), "error: usage: threshold T, with 0 < T < 1\n");
  EXPECT_EQ(node.run("debounce 0 2\n"), "error: usage: debounce RAISE CLEAR, each 1 to 1000\n");
  EXPECT_EQ(node.run("learn 1,2,3,7\n"), "error: learn: the label (the last value) must be 0 or 1\n");
  EXPECT_EQ(node.run("fine-tune 5 0.1\n"), "error: fine-tune needs learnt records and a float32 network of 2 layers or more\n");
  EXPECT_EQ(node.run("model 99999 0\n"), "error: a model of 99999 bytes does not fit (44 to 1536)\n");
  EXPECT_EQ(node.run("blink\n"), "error: unknown command 'blink'\n");
  // A transfer with one byte changed: refused by its CRC, the model answers as before.
  std::string bad = transfer(model_file(kW2));
  bad[bad.size() - 30] ^= 0x01;
  EXPECT_EQ(lines_starting(node.run(bad), "error: ").at(0), "error: model: CRC-32 mismatch; the model is unchanged");
  const std::string before = node.run("r 300,1500,40\n");
  EXPECT_EQ(before.substr(0, 4), "d 1 ");
  // A transfer cut in the middle (the line went quiet): dropped, and the model answers as before.
  const std::string whole = transfer(model_file(kW2));
  node.run(whole.substr(0, whole.size() / 2));
  EXPECT_TRUE(node.monitor->abort_transfer());
  EXPECT_EQ(node.run("r 300,1500,40\n").substr(0, 4), "d 2 ");
  // A transfer line ended by CR LF (a terminal's): the LF is not the first byte of the model.
  std::string crlf = transfer(model_file(kW2));
  crlf.insert(crlf.find('\n'), "\r");
  EXPECT_EQ(lines_starting(node.run(crlf), "ok ").at(0), "ok model 3-4-1, 21 float32 parameters");
}

TEST(ConditionMonitor, SavedModelBootsAfterARestart) {
  CuttableFlash flash;
  std::string decisions;
  {
    Node node(flash);
    node.run(transfer(model_file(kW2)) + kSetup);
    EXPECT_EQ(node.run("save\n"), "ok saved to slot 0, sequence 1\n");
    decisions = node.run(record_lines("r"));
  }
  Node restarted(flash);
  EXPECT_EQ(restarted.output, "boot: slot 0, sequence 1, model 3-4-1, 21 float32 parameters\n");
  EXPECT_EQ(restarted.run(record_lines("r")), decisions);  // the settings came back too
}

TEST(ConditionMonitor, FineTuningChangesOnlyTheLastLayerAndLowersTheLoss) {
  CuttableFlash flash;
  Node node(flash);
  node.run(transfer(model_file(kW2)) + kSetup);
  const std::string before = node.run(record_lines("r"));
  EXPECT_EQ(lines_starting(node.run(record_lines("learn", 1)), "ok ").back(), "ok 8 records to learn");
  const std::string tuned = node.run("fine-tune 50 0.5\n");
  double loss_before = 0.0, loss_after = 0.0;
  ASSERT_EQ(std::sscanf(tuned.c_str(), "ok fine-tuned layer 2 on 8 records, loss %lf -> %lf", &loss_before, &loss_after), 2) << tuned;
  EXPECT_LT(loss_after, loss_before);
  EXPECT_NE(node.run(record_lines("r")), before);
  // The saved model is a valid .anne file whose first layer is the one sent.
  EXPECT_EQ(node.run("save\n"), "ok saved to slot 0, sequence 1\n");
  anne::storage::ModelSlots slots(flash.flash(), 0, kSlotBytes);
  const anne::storage::SlotView saved = slots.current();
  ASSERT_EQ(saved.slot, 0u);
  anne::Layer layers[8];
  anne::format::ModelView view;
  ASSERT_EQ(anne::format::read_model(saved.payload + anne::monitor::kSettingsBytes, saved.payload_bytes - anne::monitor::kSettingsBytes,
                                     layers, 8, view).status,
            anne::Status::ok);
  for (size_t i = 0; i < kW1.size(); ++i) EXPECT_EQ(view.network.layers[0].weights[i], kW1[i]);
  bool changed = false;
  for (size_t i = 0; i < kW2.size(); ++i) changed = changed || view.network.layers[1].weights[i] != kW2[i];
  EXPECT_TRUE(changed);
}

TEST(ConditionMonitor, PowerCutAtEveryFlashWriteOfASaveBootsTheOldOrTheNewModel) {
  // The node runs model A (saved); model B arrives and is saved with the power cut at every flash
  // operation in turn. After each cut the restarted node must answer as A or as B, never fail.
  std::vector<float> other_w2 = kW2;
  other_w2[0] = -1.5f;
  CuttableFlash reference;
  std::string answers_a;
  {
    Node node(reference);
    node.run(transfer(model_file(kW2)) + kSetup + "save\n");
    answers_a = node.run(record_lines("r"));
  }
  for (long cut = 0;; ++cut) {
    SCOPED_TRACE("power cut at flash operation " + std::to_string(cut));
    CuttableFlash chip = reference;
    std::string saved;
    {
      Node node(chip);
      node.run(transfer(model_file(other_w2)));
      chip.operations = 0;
      chip.cut_at = cut;
      saved = node.run("save\n");
    }
    chip.cut_at = -1;
    Node restarted(chip);
    const std::string boot = restarted.output;
    ASSERT_EQ(boot.rfind("boot: slot ", 0), 0u) << boot;
    const std::string answers = restarted.run(record_lines("r"));
    if (saved.rfind("ok saved", 0) == 0) {
      EXPECT_NE(answers, answers_a);  // the new model answers
      EXPECT_EQ(cut, chip.operations);  // no cut happened: every operation ran
      break;
    }
    const bool old_model = answers == answers_a;
    const bool new_model = boot.find("sequence 2") != std::string::npos && answers != answers_a;
    EXPECT_TRUE(old_model || new_model) << "booted neither model";
    EXPECT_EQ(saved.rfind("error: save: ", 0), 0u) << saved;
    ASSERT_LT(cut, 100) << "the save never completed";
  }
}

// ---- anne stream: bad input ----

TEST(StreamCli, BadInputIsAClearErrorWithStatusOne) {
  const std::string dir = anne_test::temp_dir();
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name) << text;
    return dir + "/" + name;
  };
  const anne_test::CliResult missing = anne_test::run_anne("stream /nonexistent/records.csv --to emulator");
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("/nonexistent/records.csv"), std::string::npos) << missing.err;

  const std::string cells = write("bad_cell.csv", "a,b,failure\n1,2,0\n3,x,1\n");
  const anne_test::CliResult cell = anne_test::run_anne("stream " + cells + " --to emulator --label failure");
  EXPECT_EQ(cell.status, 1);
  EXPECT_NE(cell.err.find("bad_cell.csv:3"), std::string::npos) << cell.err;  // names the line
  EXPECT_NE(cell.err.find("'x'"), std::string::npos) << cell.err;

  const std::string labels = write("bad_label.csv", "a,b,failure\n1,2,0\n3,4,2\n");
  const anne_test::CliResult label = anne_test::run_anne("stream " + labels + " --to emulator --label failure");
  EXPECT_EQ(label.status, 1);
  EXPECT_NE(label.err.find("label '2' is not 0 or 1"), std::string::npos) << label.err;

  EXPECT_EQ(anne_test::run_anne("stream " + labels).status, 2);  // --to is required

  const std::string good = write("good.csv", "a,b,failure\n1,2,0\n");
  EXPECT_EQ(anne_test::run_anne("stream " + good + " --to emulator --label failure --learn " + good + " --lr -1").status, 2);
  EXPECT_EQ(anne_test::run_anne("stream " + good + " --to emulator --label failure --learn " + good + " --epochs 0").status, 2);
  const anne_test::CliResult port = anne_test::run_anne("stream " + good + " --to /nonexistent/ttyACM9 --label failure");
  EXPECT_EQ(port.status, 1);
  EXPECT_NE(port.err.find("/nonexistent/ttyACM9: cannot open the serial port"), std::string::npos) << port.err;
}

TEST(StreamCli, FileNamesReachTheEmulatorAsTheyAreNotThroughAShell) {
  // A stand-in for node, first on the PATH, writes the arguments it gets one per line. Names with
  // a quote, a space and a $ must arrive intact (a shell would have split or expanded them).
  const std::string dir = anne_test::temp_dir();
  std::ofstream(dir + "/node") << "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"" << dir << "/arguments\"\n";
  std::filesystem::permissions(dir + "/node", std::filesystem::perms::owner_all);
  std::ofstream(dir + "/records.csv") << "a,b,failure\n1,2,0\n";
  const std::string image = dir + "/it's $HOME.elf", session = dir + "/a session's file.txt";
  const auto quoted = [](const std::string& word) {  // for the test's own shell: '...', each ' as '\''
    std::string text = "'";
    for (const char c : word) text += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return text + "'";
  };
  const std::string command = "PATH=" + quoted(dir) + ":\"$PATH\" " ANNE_CLI_PATH " stream " + quoted(dir + "/records.csv") +
                              " --to emulator --label failure --image " + quoted(image) + " --session " + quoted(session) +
                              " > /dev/null 2>&1";
  std::system(command.c_str());  // the stand-in prints no transcript, so anne's status is not the point
  std::ifstream arguments(dir + "/arguments");
  std::vector<std::string> got;
  for (std::string line; std::getline(arguments, line);) got.push_back(line);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_NE(got[0].find("firmware/emulator/run-rp2040.mjs"), std::string::npos) << got[0];
  EXPECT_EQ(got[1], image);
  EXPECT_EQ(got[2], "--input");
  EXPECT_EQ(got[3], session);
}

}  // namespace
