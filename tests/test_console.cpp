// The console's core pieces (include/anne/console/) against independent references: the line
// reader byte by byte, the number reader against glibc's strtof (correctly rounded), the number
// printer against glibc's printf("%.*f"), and the console itself driven in process: the paper's
// networks against Keras's outputs (../shared/data/iris/paper-split.json) and a double-precision
// forward pass written here, act/reset against the core's forward, training, and every way a model
// transfer can go wrong.
#include <gtest/gtest.h>

#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "anne/console/console.hpp"
#include "anne/console/line_reader.hpp"
#include "anne/console/number_format.hpp"
#include "anne/console/number_parse.hpp"
#include "anne/datasets/iris_paper_split.hpp"
#include "anne/format.hpp"
#include "anne/models/builtin.hpp"
#include "anne_host/anne_file.hpp"
#include "anne_host/model.hpp"
#include "anne_host/paper_split.hpp"
#include "anne_host/quantize.hpp"
#include "paper_data.hpp"
#include "test_console_text.hpp"

namespace {

using anne::console::LineReader;
using anne::console::ParseStatus;
using Event = LineReader::Event;
using anne_test::epoch_losses;
using anne_test::lines_of;
using anne_test::printf_fixed;
using anne_test::raw_row;

// ---- line reader ----------------------------------------------------------------------------

/// Feeds text; returns each event that is not `none`, with the line's text for Event::line.
std::vector<std::string> feed_lines(LineReader& reader, const std::string& bytes) {
  std::vector<std::string> events;
  for (char c : bytes) {
    switch (reader.feed(static_cast<uint8_t>(c))) {
      case Event::none: break;
      case Event::line: events.push_back("line:" + std::string(reader.text(), reader.length())); break;
      case Event::too_long: events.push_back("too_long"); break;
      case Event::bad_byte: events.push_back("bad_byte"); break;
    }
  }
  return events;
}

TEST(ConsoleLineReader, CrLfAndCrLfEachEndOneLine) {
  using V = std::vector<std::string>;
  LineReader reader;
  EXPECT_EQ(feed_lines(reader, "a b\n"), (V{"line:a b"}));
  EXPECT_EQ(feed_lines(reader, "cd\r"), (V{"line:cd"}));
  EXPECT_EQ(feed_lines(reader, "\nef\r\ngh\n"), (V{"line:ef", "line:gh"})) << "the \\n after \\r is part of its line end";
  EXPECT_EQ(feed_lines(reader, "\n\r"), (V{"line:", "line:"})) << "\\n then \\r: two (empty) lines";
  EXPECT_EQ(feed_lines(reader, "\r\r\n"), (V{"line:", "line:"}));
}

TEST(ConsoleLineReader, ALineExactlyAtTheLimitIsALine) {
  LineReader reader;
  const std::string full(anne::console::kLineCapacity, 'x');
  const auto events = feed_lines(reader, full + "\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], "line:" + full);
  EXPECT_EQ(reader.length(), anne::console::kLineCapacity);
  EXPECT_EQ(reader.text()[anne::console::kLineCapacity], '\0');
}

TEST(ConsoleLineReader, AnOverlongLineGivesOneEventAtItsEndAndTheNextLineIsIntact) {
  using V = std::vector<std::string>;
  LineReader reader;
  EXPECT_EQ(feed_lines(reader, std::string(anne::console::kLineCapacity + 1, 'y') + "\nnext\n"),
            (V{"too_long", "line:next"}));
  EXPECT_EQ(feed_lines(reader, std::string(1 << 20, 'z')), V{}) << "nothing until the line ends";
  EXPECT_EQ(reader.finish(), Event::too_long);
  EXPECT_EQ(feed_lines(reader, "after\r\n"), (V{"line:after"}));
  EXPECT_EQ(reader.finish(), Event::none) << "no line begun";
}

TEST(ConsoleLineReader, NonPrintableBytesSpoilTheirLineOnly) {
  using V = std::vector<std::string>;
  LineReader reader;
  EXPECT_EQ(feed_lines(reader, std::string("ab\0cd\x01\n", 7)), (V{"bad_byte"}));
  EXPECT_EQ(reader.bad_byte(), 0x00);
  EXPECT_EQ(reader.bad_column(), 3u);
  EXPECT_EQ(feed_lines(reader, "\xc3\xa4\n"), (V{"bad_byte"}));
  EXPECT_EQ(reader.bad_byte(), 0xc3);
  EXPECT_EQ(reader.bad_column(), 1u);
  EXPECT_EQ(feed_lines(reader, "fine\n"), (V{"line:fine"}));
  EXPECT_EQ(feed_lines(reader, std::string(anne::console::kLineCapacity + 5, '\0') + "\n"), (V{"too_long"}))
      << "too long wins over a bad byte";
}

TEST(ConsoleLineReader, TabIsASpaceAndBackspaceRemovesACharacter) {
  using V = std::vector<std::string>;
  LineReader reader;
  EXPECT_EQ(feed_lines(reader, "a\tb\n"), (V{"line:a b"}));
  EXPECT_EQ(feed_lines(reader, "helpx\b\n"), (V{"line:help"}));
  EXPECT_EQ(feed_lines(reader, "\b\b\bok\n"), (V{"line:ok"}));
  EXPECT_EQ(feed_lines(reader, "infox\x7f\n"), (V{"line:info"})) << "DEL, as many terminals send for backspace";
}

// ---- number reader --------------------------------------------------------------------------

ParseStatus parse(const std::string& text, float* out) { return anne::console::parse_float(text.data(), text.size(), out); }

uint32_t bits(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

TEST(ConsoleNumberParse, ReadsDecimalNumbers) {
  const std::vector<std::pair<std::string, float>> cases = {
      {"1.5", 1.5f},   {"-2", -2.0f},  {"3e-2", 3e-2f},      {"+.5", 0.5f},           {"1.", 1.0f},
      {"0", 0.0f},     {"1E3", 1000.0f}, {"6.3", 6.3f},       {"-0.416431", -0.416431f}, {"0.000001", 1e-6f},
      {"3.4028234e38", FLT_MAX},        {"1e-45", 1.4e-45f}, {"1.17549435e-38", FLT_MIN}, {"007", 7.0f},
      {"6.261999999999998", 6.262f},    {"16777217", 16777216.0f}, {"16777219", 16777220.0f},
  };
  for (const auto& [text, expected] : cases) {
    float value = -99.0f;
    ASSERT_EQ(parse(text, &value), ParseStatus::ok) << text;
    EXPECT_EQ(bits(value), bits(expected)) << text;
  }
  float zero = 1.0f;
  ASSERT_EQ(parse("-0", &zero), ParseStatus::ok);
  EXPECT_TRUE(std::signbit(zero));
}

TEST(ConsoleNumberParse, RefusesWhatIsNotANumber) {
  for (const std::string text : {"", "1.2.3", "abc", "nan", "NaN", "inf", "-inf", "infinity", "1e", "1e+", "--1", "+-1",
                                 "1 2", " 1", "1 ", "0x10", ".", "-", "e5", "1,5", "1e5.5", "5x", "1..2", ".e1"}) {
    float value = 0.0f;
    EXPECT_EQ(parse(text, &value), ParseStatus::not_a_number) << "'" << text << "'";
  }
}

TEST(ConsoleNumberParse, RefusesValuesOutsideTheFloatRange) {
  for (const std::string text : {"1e39", "-1e39", "3.5e38", "3.4028236e38", "1e-46", "7e-46", "1e-50", "1e100000000"}) {
    float value = 0.0f;
    EXPECT_EQ(parse(text, &value), ParseStatus::out_of_range) << text;
  }
  float value = 0.0f;
  EXPECT_EQ(parse("7.1e-46", &value), ParseStatus::ok) << "above half the smallest float: rounds up to it";
  EXPECT_EQ(bits(value), 1u);
  EXPECT_EQ(parse("0e999", &value), ParseStatus::ok) << "zero is zero at any exponent";
  EXPECT_EQ(parse("1" + std::string(121, '1'), &value), ParseStatus::too_many_digits);
  EXPECT_EQ(parse("1." + std::string(200, '0'), &value), ParseStatus::ok) << "zeros beyond 120 digits are exact";
  EXPECT_EQ(value, 1.0f);
}

/// glibc's strtof rounds correctly; the console's reader must give the same bits.
void expect_like_strtof(const std::string& text) {
  errno = 0;
  const float reference = std::strtof(text.c_str(), nullptr);
  float value = 0.0f;
  const ParseStatus status = parse(text, &value);
  const bool zero = text.substr(0, text.find('e')).find_first_of("123456789") == std::string::npos;
  if (zero) {
    ASSERT_EQ(status, ParseStatus::ok) << text;
    EXPECT_EQ(bits(value), bits(reference)) << text;
  } else if (reference == 0.0f || std::isinf(reference)) {
    EXPECT_EQ(status, ParseStatus::out_of_range) << text;
  } else {
    ASSERT_EQ(status, ParseStatus::ok) << text;
    EXPECT_EQ(bits(value), bits(reference)) << text << " strtof " << reference << " console " << value;
  }
}

TEST(ConsoleNumberParse, AgreesWithStrtofOnRandomDecimals) {
  std::mt19937 random(7);
  for (int n = 0; n < 100000; ++n) {
    std::string text = random() % 4 == 0 ? "-" : "";
    const int digits = 1 + static_cast<int>(random() % 30);
    const int point = static_cast<int>(random() % (digits + 1));
    for (int i = 0; i < digits; ++i) {
      if (i == point) text += '.';
      text += static_cast<char>('0' + random() % 10);
    }
    if (random() % 2 == 0) text += "e" + std::to_string(static_cast<int>(random() % 100) - 60);
    expect_like_strtof(text);
  }
}

TEST(ConsoleNumberParse, RoundsExactMidpointsBetweenFloatsToEven) {
  // The midpoint of two neighbouring floats is exact in double; printf prints all its digits.
  std::mt19937 random(11);
  for (int n = 0; n < 20000; ++n) {
    const uint32_t low = static_cast<uint32_t>(random() % 0x7f7fffffu);
    float a;
    std::memcpy(&a, &low, sizeof a);
    const double middle = (static_cast<double>(a) + static_cast<double>(std::nextafter(a, INFINITY))) / 2.0;
    char text[200];
    std::snprintf(text, sizeof text, "%.118e", middle);
    expect_like_strtof(text);
  }
}

// ---- number printer -------------------------------------------------------------------------

std::string fixed(float value, int decimals) { return anne::console::format_fixed(value, static_cast<uint8_t>(decimals)).text; }

TEST(ConsoleNumberFormat, KnownDecimalStrings) {
  EXPECT_EQ(fixed(0.5f, 0), "0") << "ties to even";
  EXPECT_EQ(fixed(1.5f, 0), "2");
  EXPECT_EQ(fixed(2.5f, 0), "2");
  EXPECT_EQ(fixed(0.125f, 2), "0.12");
  EXPECT_EQ(fixed(0.375f, 2), "0.38");
  EXPECT_EQ(fixed(0.1f, 9), "0.100000001");
  EXPECT_EQ(fixed(-0.0f, 6), "-0.000000");
  EXPECT_EQ(fixed(-1e-7f, 2), "-0.00");
  EXPECT_EQ(fixed(0.21977696f, 6), "0.219777");
  EXPECT_EQ(fixed(-1.028579f, 6), "-1.028579");
  EXPECT_EQ(fixed(1e10f, 1), "10000000000.0");
  EXPECT_EQ(fixed(FLT_MAX, 0), "340282346638528859811704183484516925440");
  EXPECT_EQ(fixed(1.4e-45f, 9), "0.000000000");
  EXPECT_EQ(fixed(0.05f, 1), "0.1") << "0.05f is a little above 0.05";
  EXPECT_EQ(fixed(7.0f, 3), "7.000");
  EXPECT_EQ(fixed(NAN, 6), "nan");
  EXPECT_EQ(fixed(INFINITY, 6), "inf");
  EXPECT_EQ(fixed(-INFINITY, 6), "-inf");
  EXPECT_EQ(fixed(3.0f, 20), "3.000000000") << "at most 9 decimals";
  EXPECT_STREQ(anne::console::format_whole(0).text, "0");
  EXPECT_STREQ(anne::console::format_whole(4294967295u).text, "4294967295");
  EXPECT_STREQ(anne::console::format_whole(1000).text, "1000");
}

TEST(ConsoleNumberFormat, EqualsPrintfForRandomFloatsAndDecimals) {
  std::mt19937 random(3);
  for (int n = 0; n < 200000; ++n) {
    const uint32_t pattern = static_cast<uint32_t>(random());
    float value;
    std::memcpy(&value, &pattern, sizeof value);
    if (!std::isfinite(value)) continue;
    const int decimals = static_cast<int>(random() % 10);
    ASSERT_EQ(fixed(value, decimals), printf_fixed(value, decimals)) << "bits " << std::hex << pattern;
  }
  // Values a learner sees: probabilities, weights, sums.
  for (int n = 0; n < 100000; ++n) {
    const float value = std::uniform_real_distribution<float>(-10.0f, 10.0f)(random);
    ASSERT_EQ(fixed(value, 6), printf_fixed(value, 6)) << value;
  }
}

// ---- the console in process -----------------------------------------------------------------

/// A console on a test platform: its output collected in a string, a clock that the test drives.
struct Session {
  std::string out;
  uint32_t clock = 0;
  uint32_t clock_step = 0;
  anne::console::Platform platform;
  anne::console::Console console;

  explicit Session(bool with_clock = true) {
    platform.context = this;
    platform.write = [](void* self, const char* text) { static_cast<Session*>(self)->out += text; };
    if (with_clock) {
      platform.ticks = [](void* self) {
        Session& s = *static_cast<Session*>(self);
        s.clock -= s.clock_step;  // a down-counter, like SysTick
        return s.clock & 0xffffffu;
      };
      platform.elapsed = [](void*, uint32_t from, uint32_t to) { return (from - to) & 0xffffffu; };
      platform.tick_unit = "cycles";
    }
    console.begin(platform);
  }

  /// The console's answer to `input` (bytes as they come).
  std::string run(const std::string& input) {
    out.clear();
    for (char c : input) console.feed(static_cast<uint8_t>(c));
    return out;
  }
};

std::unique_ptr<Session> session(bool with_clock = true) { return std::make_unique<Session>(with_clock); }

/// The numbers of the first "output Y1 Y2 ... -> class C" line.
std::vector<double> outputs(const std::string& answer) {
  const auto lines = anne_test::output_lines(answer);
  EXPECT_FALSE(lines.empty()) << "no output line in: " << answer;
  return lines.empty() ? std::vector<double>{} : lines[0];
}

/// y = f(x . kernel + bias) in double, reading Keras's [inputs][units] kernels from the JSON:
/// neither code nor weight layout shared with the core. Returns z and y of every layer.
std::vector<std::vector<double>> reference_layers(const nlohmann::json& layers, std::vector<double> x) {
  std::vector<std::vector<double>> trace;
  for (const auto& layer : layers) {
    const auto& kernel = layer["kernel"];
    const auto& bias = layer["bias"];
    std::vector<double> z(bias.size()), y(bias.size());
    for (size_t j = 0; j < z.size(); ++j) {
      z[j] = bias[j].get<double>();
      for (size_t i = 0; i < x.size(); ++i) z[j] += x[i] * kernel[i][j].get<double>();
      y[j] = layer["activation"] == "relu" ? std::max(z[j], 0.0) : 1.0 / (1.0 + std::exp(-z[j]));
    }
    trace.push_back(z);
    trace.push_back(y);
    x = y;
  }
  return trace;
}

class ConsolePaperNetwork : public ::testing::TestWithParam<const char*> {};

TEST_P(ConsolePaperNetwork, EvalGivesKerasConfusionMatrixAndAccuracy) {
  const nlohmann::json keras = anne_test::paper_split_json()["networks"][GetParam()];
  auto s = session();
  const std::string answer = s->run(std::string("select ") + GetParam() + "\neval\n");
  const auto& m = keras["keras_confusion_matrix_rows_actual_cols_predicted_0_1"];
  char expected[80];
  std::snprintf(expected, sizeof expected, "confusion matrix [[%d,%d],[%d,%d]]", m[0][0].get<int>(), m[0][1].get<int>(),
                m[1][0].get<int>(), m[1][1].get<int>());
  EXPECT_NE(answer.find(expected), std::string::npos) << answer;
  EXPECT_NE(answer.find("confusion matrix [[8,2],[0,10]]"), std::string::npos);
  EXPECT_DOUBLE_EQ(keras["keras_accuracy"].get<double>(), 0.9);
  EXPECT_NE(answer.find("accuracy 0.9000 (18 of 20)"), std::string::npos) << answer;
}

TEST_P(ConsolePaperNetwork, PredictOfTheTestRowsGivesKerasOutputs) {
  namespace split = anne::iris::paper_split;
  const nlohmann::json json = anne_test::paper_split_json();
  const auto& keras = json["networks"][GetParam()]["keras_predict_round2"];
  const auto& standardized = json["test_inputs_standardized"];
  auto s = session();
  s->run(std::string("select ") + GetParam() + "\n");
  for (uint16_t r = 0; r < split::kTestRows; ++r) {
    const std::vector<double> y = outputs(s->run("predict " + raw_row(split::kTestPositions[r]) + "\n"));
    ASSERT_EQ(y.size(), 1u);
    EXPECT_NEAR(std::round(y[0] * 100.0) / 100.0, keras[r].get<double>(), 1e-9) << "row " << r + 1;
    std::vector<double> x;
    for (const auto& v : standardized[r]) x.push_back(v.get<double>());
    const double reference = reference_layers(json["networks"][GetParam()]["layers"], x).back()[0];
    EXPECT_NEAR(y[0], reference, 1e-5) << "row " << r + 1;
  }
}

INSTANTIATE_TEST_SUITE_P(Paper, ConsolePaperNetwork, ::testing::Values("paper-8", "paper-6"));

TEST(ConsoleSession, ExplainShowsEveryNeuronLikeADoublePrecisionForwardPass) {
  const nlohmann::json json = anne_test::paper_split_json();
  std::vector<double> x;
  for (const auto& v : json["test_inputs_standardized"][16]) x.push_back(v.get<double>());
  const auto trace = reference_layers(json["networks"]["paper-8"]["layers"], x);
  auto s = session();
  const std::string answer = s->run("explain " + raw_row(anne::iris::paper_split::kTestPositions[16]) + "\n");
  // Each neuron line: "j  sum + bias = z -> y"; the layer count goes up with each "layer K:" line.
  int layer = -1;
  int lines = 0;
  for (const std::string& line : lines_of(answer)) {
    if (line.rfind("layer ", 0) == 0) ++layer;
    int j = 0;
    double sum, bias, z, y;
    if (std::sscanf(line.c_str(), " %d %lf + %lf = %lf -> %lf", &j, &sum, &bias, &z, &y) != 5) continue;
    ++lines;
    --j;
    EXPECT_NEAR(sum + bias, z, 2e-6);
    EXPECT_NEAR(z, trace[2 * layer][j], 2e-6) << "layer " << layer + 1 << " neuron " << j + 1;
    EXPECT_NEAR(y, trace[2 * layer + 1][j], 2e-6) << "layer " << layer + 1 << " neuron " << j + 1;
  }
  EXPECT_EQ(lines, 2 + 3 + 2 + 1) << answer;
  const std::vector<double> y = outputs(answer);
  ASSERT_EQ(y.size(), 1u);
  EXPECT_NEAR(y[0], trace.back()[0], 2e-6);
  EXPECT_NEAR(std::round(y[0] * 100.0) / 100.0, 0.72, 1e-9) << "Keras: 0.72 for test row 17";
  EXPECT_NE(answer.find(" -> class 1 (virginica)\n"), std::string::npos) << "wrongly, as in Keras";
}

TEST(ConsoleSession, ActChangesOneActivationAsTheCoreComputesItAndResetRestores) {
  namespace split = anne::iris::paper_split;
  const anne::Network paper8 = anne::find_builtin_model("paper-8")->network;
  auto s = session();
  const std::string row = raw_row(split::kTestPositions[0]);
  const std::string before = s->run("predict " + row + "\n");
  ASSERT_EQ(s->run("act 1 tanh\n"), "layer 1: activation tanh\n");

  // The reference: the core's forward on a copy of the layers with tanh in layer 1.
  std::vector<anne::Layer> layers(paper8.layers, paper8.layers + paper8.count);
  layers[0].activation = anne::default_spec(anne::Activation::tanh);
  float x[4], y[1], scratch[16];
  split::standardized_row(split::kTestPositions[0], x);
  ASSERT_EQ(anne::forward({layers.data(), paper8.count}, x, 4, y, 1, scratch, 16), anne::Status::ok);
  const std::string after = s->run("predict " + row + "\n");
  EXPECT_EQ(after.substr(0, after.find(" ->")), "output " + printf_fixed(y[0], 6)) << after;
  EXPECT_NE(after, before);

  EXPECT_EQ(s->run("act 4 swish\n"), "layer 4: activation silu\n") << "aliases are accepted";
  EXPECT_EQ(s->run("reset\n"), "paper-8: weights and activations reset\n");
  EXPECT_EQ(s->run("predict " + row + "\n"), before);
  EXPECT_NE(s->run("info\n").find("layer 1: dense 4 -> 2, relu, 10 parameters"), std::string::npos);
}

TEST(ConsoleSession, BadCommandsAndArgumentsGiveOneErrorLineNamingThem) {
  auto s = session();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"xyz", "error: unknown command 'xyz' (type help)\n"},
      {"predict 1,2,x,4", "error: value 3 of 4 is not a number: 'x'\n"},
      {"predict 1,,2,3", "error: value 2 of 4 is not a number: ''\n"},
      {"predict 1,2,3", "error: the network takes 4 values, not 3\n"},
      {"predict 1 2 3 4 5", "error: the network takes 4 values, not 5\n"},
      {"predict 1,2,3,1e39", "error: value 4 of 4 is out of float range: '1e39'\n"},
      {"predict nan,1,2,3", "error: value 1 of 4 is not a number: 'nan'\n"},
      {"predict", "error: wrong number of arguments; usage: predict X1,X2,...\n"},
      {"select paper-9", "error: unknown network 'paper-9' (built-in: paper-8 paper-6)\n"},
      {"select", "error: wrong number of arguments; usage: select NAME\n"},
      {"info now", "error: wrong number of arguments; usage: info\n"},
      {"act 0 relu", "error: layer '0' does not exist; the network has layers 1 to 4\n"},
      {"act 5 relu", "error: layer '5' does not exist; the network has layers 1 to 4\n"},
      {"act x relu", "error: layer 'x' does not exist; the network has layers 1 to 4\n"},
      {"act 1 prelu", "error: prelu needs a learned slope per unit; act sets functions without weights\n"},
      {"train 0", "error: EPOCHS must be a whole number from 1 to 10000, not '0'\n"},
      {"train 10 -1", "error: RATE must be a positive number, not '-1'\n"},
      {"train 10 fast", "error: RATE must be a positive number, not 'fast'\n"},
      {"bench 0", "error: N must be a whole number from 1 to 100000, not '0'\n"},
      {"receive x 0", "error: BYTES must be a whole number, not 'x'\n"},
      {"receive 100 xyz", "error: CRC32 must be 1 to 8 hexadecimal digits, not 'xyz'\n"},
      {"receive 10 0", "error: a .anne file has at least 44 bytes, not 10; nothing is read\n"},
      {"standardize maybe", "error: standardize takes paper or off, not 'maybe'\n"},
  };
  for (const auto& [line, expected] : cases) EXPECT_EQ(s->run(line + "\n"), expected) << line;
  const std::string unknown = s->run("act 1 foo\n");
  EXPECT_EQ(unknown.rfind("error: unknown activation 'foo'; known: linear relu relu6", 0), 0u) << unknown;
  EXPECT_NE(unknown.find(" gelu_tanh mish exponential prelu\n"), std::string::npos) << unknown;
  EXPECT_EQ(s->run("  \n\n"), "") << "empty lines are no commands";
}

TEST(ConsoleSession, HelpListsTheCommandTable) {
  auto s = session();
  const std::string help = "\n" + s->run("help\n");
  for (const char* name : {"help", "list", "select NAME", "info", "standardize [paper|off]", "predict X1,X2,...",
                           "explain X1,X2,...", "eval", "act LAYER NAME", "reset", "train [EPOCHS] [RATE]",
                           "fine-tune [EPOCHS] [RATE]", "receive BYTES CRC32", "bench [N]"}) {
    EXPECT_NE(help.find(std::string("\n  ") + name + " "), std::string::npos) << name;
  }
  const std::string list = s->run("list\n");
  EXPECT_NE(list.find("* paper-8  working paper Tab. 2"), std::string::npos) << list;
  EXPECT_NE(list.find("  paper-6  working paper Tab. 3"), std::string::npos) << list;
  EXPECT_NE(list.find("iris-paper"), std::string::npos) << list;
}

TEST(ConsoleSession, TrainPrintsOneLinePerEpochWithFallingLoss) {
  auto s = session();
  s->run("select paper-6\n");
  const std::string answer = s->run("train 5\n");
  const auto losses = epoch_losses(answer);
  ASSERT_EQ(losses.size(), 5u) << answer;
  for (size_t e = 1; e < losses.size(); ++e) EXPECT_LT(losses[e], losses[e - 1]) << answer;
  EXPECT_EQ(s->run("train 5\n"), answer) << "new random weights from the same seed: the same run";

  s->run("select paper-8\n");
  const auto paper8 = epoch_losses(s->run("train 20 0.05\n"));
  ASSERT_EQ(paper8.size(), 20u);
  EXPECT_LT(paper8.back(), 0.5 * paper8.front());
}

TEST(ConsoleSession, FineTuneChangesOnlyTheLastLayer) {
  auto s = session();
  const std::string row = raw_row(anne::iris::paper_split::kTestPositions[16]);
  const std::string before = s->run("explain " + row + "\n");
  const std::string answer = s->run("fine-tune 3 0.5\n");
  ASSERT_EQ(epoch_losses(answer).size(), 3u) << answer;
  EXPECT_NE(answer.find("fine-tuning layer 4 of paper-8 from its current weights"), std::string::npos) << answer;
  const std::string after = s->run("explain " + row + "\n");
  const size_t last = before.find("layer 4:");
  EXPECT_EQ(after.substr(0, last), before.substr(0, last)) << "layers 1 to 3 unchanged";
  EXPECT_NE(after.substr(last), before.substr(last));
}

TEST(ConsoleSession, TrainRefusesANetworkTheDataDoesNotFit) {
  // A received 2-input network: eval and train need the 4 IRIS measurements.
  anne::host::HostModel model = anne::host::load_model("paper-6");
  model.layers.erase(model.layers.begin());  // 3 -> 2 -> 1
  auto s = session();
  const std::vector<uint8_t> file = anne::host::encode_anne(model);
  char line[64];
  std::snprintf(line, sizeof line, "receive %zu %x\n", file.size(), anne::format::crc32(file.data(), file.size()));
  ASSERT_NE(s->run(line + std::string(file.begin(), file.end())).find("model received: 3-2-1, 11 parameters"), std::string::npos);
  EXPECT_EQ(s->run("train\n"), "error: train uses the IRIS data: a network with 4 inputs and 1 or 2 outputs, not 3-2-1\n");
  EXPECT_EQ(s->run("eval\n"), "error: eval uses the IRIS data: a network with 4 inputs and 1 or 2 outputs, not 3-2-1\n");
  EXPECT_EQ(s->run("standardize paper\n"), "error: the paper's standardization is for 4 inputs; the network takes 3\n");
}

std::string transfer(const std::vector<uint8_t>& file, const char* end = "\n");

TEST(ConsoleSession, PromptAndEchoForASerialTerminal) {
  auto s = session();
  anne::console::ConsoleOptions options;
  options.prompt = "> ";
  options.echo = true;
  s->out.clear();
  s->console.begin(s->platform, options);
  EXPECT_EQ(s->out, "anne console: paper-8 selected; type help for the commands\n> ");
  EXPECT_EQ(s->run("resex\bt\r\n"), "resex\b \bt\r\npaper-8: weights and activations reset\n> ")
      << "typed characters echoed, backspace rubbed out, one line end for \\r\\n";
  const std::vector<uint8_t> file = anne::host::encode_anne(anne::host::load_model("paper-6"));
  const std::string answer = s->run(transfer(file));
  EXPECT_EQ(answer.find("receive "), 0u) << "the receive line is echoed";
  EXPECT_NE(answer.find("\r\nready for "), std::string::npos);
  EXPECT_EQ(answer.substr(answer.find("ready for")),
            "ready for " + std::to_string(file.size()) + " bytes\nmodel received: 4-3-2-1, 26 parameters (paper-6)\n> ")
      << "the raw bytes are not echoed";
}

TEST(ConsoleSession, BenchTimesEachInferenceWithAShortWrappingCounter) {
  auto s = session();
  s->clock_step = 1000;  // each reading 1000 "cycles" after the last, wrapping at 2^24 many times
  EXPECT_EQ(s->run("bench 100000\n"), "100000 inferences, 0 cycles each\n") << "the reading's own cost taken off";
  EXPECT_EQ(s->run("bench\n"), "1000 inferences, 0 cycles each\n");
  auto no_clock = session(false);
  EXPECT_EQ(no_clock->run("bench\n"), "error: this platform has no clock\n");
}

// ---- model transfer -------------------------------------------------------------------------

std::string transfer(const std::vector<uint8_t>& file, const char* end) {
  char line[64];
  std::snprintf(line, sizeof line, "receive %zu %08x%s", file.size(), anne::format::crc32(file.data(), file.size()), end);
  return line + std::string(file.begin(), file.end());
}

/// paper-8 quantized with the paper's standardized training rows as calibration.
anne::host::QuantizedModel quantize_paper8() {
  return anne::host::quantize_model(anne::host::load_model("paper-8"), anne::host::paper_train_set().x);
}

TEST(ConsoleSession, AnInt8ModelRunsInIntegersAsTheHostRunsIt) {
  namespace split = anne::iris::paper_split;
  const anne::host::QuantizedModel quantized = quantize_paper8();
  auto s = session();
  const std::string received = s->run(transfer(anne::host::encode_quantized_anne(quantized)));
  EXPECT_NE(received.find("model received: 4-2-3-2-1, 30 parameters, int8 (paper-8)\n"), std::string::npos) << received;
  EXPECT_TRUE(s->console.quantized());
  s->run("standardize paper\n");
  for (uint16_t r = 0; r < split::kTestRows; ++r) {
    float x[4];
    split::standardized_row(split::kTestPositions[r], x);
    const std::vector<float> host = anne::host::predict_quantized(quantized, x, 1);
    const std::vector<double> y = outputs(s->run("predict " + raw_row(split::kTestPositions[r]) + "\n"));
    ASSERT_EQ(y.size(), 1u);
    EXPECT_EQ(printf_fixed(y[0], 6), printf_fixed(host[0], 6)) << "row " << r + 1;
  }
  // explain ends with predict's answer; the last layer's output code is the one the host computes.
  const std::string row = raw_row(split::kTestPositions[3]);
  const std::string explained = s->run("explain " + row + "\n");
  const std::string predicted = s->run("predict " + row + "\n");
  EXPECT_EQ(explained.substr(explained.size() - predicted.size()), predicted) << explained;
  float x[4];
  split::standardized_row(split::kTestPositions[3], x);
  const std::vector<anne::host::QuantizedLayerTrace> trace = anne::host::trace_quantized(quantized, x);
  EXPECT_NE(explained.find("layer 4: dense 2 -> 1, activation sigmoid (int8)\n  input codes "), std::string::npos) << explained;
  EXPECT_NE(explained.find("  output codes " + std::to_string(trace.back().units[0].output) + " ("), std::string::npos) << explained;

  EXPECT_EQ(s->run("fine-tune\n"), "error: fine-tune needs a float model; paper-8 is int8 (quantized) and stays selected\n");
  EXPECT_EQ(s->run("predict " + row + "\n"), predicted);
  EXPECT_NE(s->run("list\n").find("* paper-8  int8 (quantized), received over the console\n"), std::string::npos);
  EXPECT_EQ(s->run("select paper-8\n"), "selected paper-8: 4-2-3-2-1, 30 parameters\n");
  EXPECT_FALSE(s->console.quantized());
  EXPECT_NE(s->run("predict " + row + "\n"), predicted) << "the float network again";
}

/// paper-6 with tanh in its second layer, as a .anne file.
std::vector<uint8_t> tanh_paper6() {
  anne::host::HostModel model = anne::host::load_model("paper-6");
  model.layers[1].activation = anne::default_spec(anne::Activation::tanh);
  model.name = "paper-6 tanh";
  return anne::host::encode_anne(model);
}

/// A dense network of the given widths (e.g. {4, 40, 1}), sigmoid everywhere, small weights.
anne::host::HostModel dense_model(const std::vector<uint16_t>& widths) {
  anne::host::HostModel model;
  model.name = "test";
  for (size_t k = 0; k + 1 < widths.size(); ++k) {
    const size_t n = static_cast<size_t>(widths[k]) * widths[k + 1] + widths[k + 1];
    model.storage.emplace_back(new float[n]);
    for (size_t i = 0; i < n; ++i) model.storage.back()[i] = 0.01f * static_cast<float>(i % 7) - 0.02f;
    anne::Layer layer;
    layer.inputs = widths[k];
    layer.units = widths[k + 1];
    layer.weights = model.storage.back().get();
    layer.bias = layer.weights + static_cast<size_t>(widths[k]) * widths[k + 1];
    layer.activation = anne::default_spec(anne::Activation::sigmoid);
    model.layers.push_back(layer);
  }
  return model;
}

TEST(ConsoleSession, AnInt8ModelTooWideIsRefusedAndTheOldOneAnswers) {
  const anne::host::QuantizedModel wide = anne::host::quantize_model(dense_model({4, 40, 1}), anne::host::paper_train_set().x);
  auto s = session();
  const std::string before = s->run("predict 1,2,3,4\n");
  const std::string answer = s->run(transfer(anne::host::encode_quantized_anne(wide)));
  EXPECT_NE(answer.find("error: the int8 model has a layer of 40 units; the console holds 32; the model is unchanged\n"),
            std::string::npos) << answer;
  EXPECT_FALSE(s->console.quantized());
  EXPECT_EQ(s->run("predict 1,2,3,4\n"), before);
}

/// The core's output for raw (not standardized) inputs, as the console prints it.
std::string core_output(const anne::host::HostModel& model, const std::vector<float>& x) {
  std::vector<float> y(anne::network_outputs(model.network()));
  float scratch[64];
  EXPECT_EQ(anne::forward(model.network(), x.data(), x.size(), y.data(), y.size(), scratch, 64), anne::Status::ok);
  std::string text = "output";
  for (float v : y) text += " " + printf_fixed(v, 6);
  return text;
}

std::string before_arrow(const std::string& answer) { return answer.substr(0, answer.find(" ->")); }

TEST(ConsoleTransfer, AReceivedModelAnswersLikeTheCoreAndResetKeepsIt) {
  const std::vector<uint8_t> file = tanh_paper6();
  for (const char* end : {"\n", "\r\n", "\r"}) {
    auto s = session();
    EXPECT_EQ(s->run(transfer(file, end)),
              "ready for " + std::to_string(file.size()) + " bytes\nmodel received: 4-3-2-1, 26 parameters (paper-6 tanh)\n")
        << "line end " << (end[1] != '\0' ? "CRLF" : end[0] == '\r' ? "CR" : "LF");
    EXPECT_FALSE(s->console.receiving());
  }
  auto s = session();
  s->run(transfer(file));
  const anne::host::HostModel reference = [] {
    anne::host::HostModel m = anne::host::load_model("paper-6");
    m.layers[1].activation = anne::default_spec(anne::Activation::tanh);
    return m;
  }();
  const std::string predict = s->run("predict 0.5,-1,2,0.25\n");
  EXPECT_EQ(before_arrow(predict), core_output(reference, {0.5f, -1.0f, 2.0f, 0.25f})) << "inputs taken as they are";
  s->run("act 2 relu\n");
  EXPECT_NE(s->run("predict 0.5,-1,2,0.25\n"), predict);
  EXPECT_EQ(s->run("reset\n"), "paper-6 tanh: weights and activations reset\n");
  EXPECT_EQ(s->run("predict 0.5,-1,2,0.25\n"), predict) << "reset goes back to the received weights";
  EXPECT_NE(s->run("list\n").find("* paper-6 tanh  received over the console"), std::string::npos);
}

/// A session whose model is the received tanh paper-6; `check` answers predict as it did before.
struct Received {
  std::unique_ptr<Session> s = session();
  std::string answer;
  Received() {
    s->run(transfer(tanh_paper6()));
    answer = s->run("predict 0.5,-1,2,0.25\n");
  }
  void expect_unchanged() const { EXPECT_EQ(s->run("predict 0.5,-1,2,0.25\n"), answer); }
};

TEST(ConsoleTransfer, AWrongCrcKeepsThePreviousModel) {
  Received r;
  std::vector<uint8_t> file = anne::host::encode_anne(dense_model({4, 2, 1}));
  char line[64];
  std::snprintf(line, sizeof line, "receive %zu %x\n", file.size(), anne::format::crc32(file.data(), file.size()) ^ 1u);
  const std::string answer = r.s->run(line + std::string(file.begin(), file.end()));
  EXPECT_NE(answer.find("error: the bytes have CRC-32 "), std::string::npos) << answer;
  EXPECT_NE(answer.find("; the model is unchanged\n"), std::string::npos) << answer;
  r.expect_unchanged();
}

TEST(ConsoleTransfer, ACutTransferKeepsThePreviousModel) {
  Received r;
  const std::string bytes = transfer(anne::host::encode_anne(dense_model({4, 2, 1})));
  r.s->run(bytes.substr(0, bytes.size() - 10));
  EXPECT_TRUE(r.s->console.receiving());
  r.s->out.clear();
  EXPECT_TRUE(r.s->console.abort_transfer()) << "the platform's timeout";
  EXPECT_EQ(r.s->out.find("error: transfer cut after "), 0u) << r.s->out;
  EXPECT_FALSE(r.s->console.abort_transfer()) << "nothing left to abort";
  r.expect_unchanged();

  r.s->run(bytes.substr(0, 60));
  r.s->out.clear();
  EXPECT_TRUE(r.s->console.end_of_input()) << "the end of the input in a transfer is a failure";
  EXPECT_NE(r.s->out.find("error: transfer cut after"), std::string::npos) << r.s->out;
  r.expect_unchanged();
  EXPECT_FALSE(r.s->console.end_of_input());
}

TEST(ConsoleTransfer, ASizeLargerThanTheBufferIsRefusedBeforeAnyByteIsRead) {
  Received r;
  const uint32_t too_big = anne::console::kMaxFileBytes + 1;
  EXPECT_EQ(r.s->run("receive " + std::to_string(too_big) + " 12345678\n"),
            "error: a model of 1537 bytes does not fit the receive buffer of 1536 bytes; nothing is read\n");
  EXPECT_FALSE(r.s->console.receiving());
  // A sender that does not wait for "ready" sends the bytes anyway: they are read as lines, refused.
  const std::vector<uint8_t> file = anne::host::encode_anne(dense_model({4, 2, 1}));
  const std::string answer = r.s->run(std::string(file.begin(), file.end()) + "\n");
  EXPECT_EQ(answer.find("error: "), 0u) << answer;
  r.expect_unchanged();
}

TEST(ConsoleTransfer, FilesTheConsoleCannotHoldAreRefused) {
  Received r;
  // A valid file with a layer wider than the console's vectors.
  std::string answer = r.s->run(transfer(anne::host::encode_anne(dense_model({4, 40, 1}))));
  EXPECT_NE(answer.find("error: the model has 241 parameters, 2 layers, 40 units at the widest; the console holds 256, 8, 32"),
            std::string::npos) << answer;
  r.expect_unchanged();
  // More layers than the console's table.
  answer = r.s->run(transfer(anne::host::encode_anne(dense_model({1, 1, 1, 1, 1, 1, 1, 1, 1, 1}))));
  EXPECT_NE(answer.find("error: not a model the console can take: more layers than 8 (byte 12)"), std::string::npos) << answer;
  r.expect_unchanged();
  // The transport CRC is right, the file's own is not (a byte changed before it was sent).
  std::vector<uint8_t> broken = anne::host::encode_anne(dense_model({4, 2, 1}));
  broken[broken.size() / 2] ^= 0x40;
  answer = r.s->run(transfer(broken));
  EXPECT_NE(answer.find("error: not a model the console can take: CRC-32 mismatch"), std::string::npos) << answer;
  r.expect_unchanged();
  // Bytes after the file's end.
  std::vector<uint8_t> longer = anne::host::encode_anne(dense_model({4, 2, 1}));
  const size_t size = longer.size();
  longer.resize(size + 4, 0);
  answer = r.s->run(transfer(longer));
  EXPECT_NE(answer.find("error: the file says it has " + std::to_string(size) + " bytes, not " + std::to_string(size + 4)),
            std::string::npos) << answer;
  r.expect_unchanged();
}

TEST(ConsoleTransfer, RandomBytesNeverBecomeAModel) {
  Received r;
  std::mt19937 random(5);
  for (int n = 0; n < 300; ++n) {
    std::vector<uint8_t> bytes(44 + random() % 600);
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(random());
    if (n % 2 == 0) std::memcpy(bytes.data(), "ANNE\x01\x00\x28\x00", 8);  // get past the magic and version
    const std::string answer = r.s->run(transfer(bytes));
    ASSERT_NE(answer.find("error: "), std::string::npos) << answer;
  }
  r.expect_unchanged();
}

TEST(ConsoleRobustness, RandomInputNeverCrashesOrStopsTheConsole) {
  // Words the console knows, numbers good and bad, and raw bytes, in random order: run under
  // AddressSanitizer and UndefinedBehaviorSanitizer (make test-sanitize), no read or write goes
  // astray; afterwards the console still answers.
  const std::vector<std::string> words = {"help", "list", "select", "paper-8", "paper-6", "info", "predict", "explain",
                                          "eval", "act", "reset", "train", "fine-tune", "bench", "standardize", "paper",
                                          "off", "1", "2", "4", "-3.5e2", "1e39", "x", ",", "tanh", "softmax", "0", "99999"};
  auto s = session();
  std::mt19937 random(9);
  for (int n = 0; n < 3000; ++n) {
    std::string line;
    const int count = static_cast<int>(random() % 6);
    for (int w = 0; w < count; ++w) line += words[random() % words.size()] + (random() % 3 == 0 ? "," : " ");
    if (random() % 20 == 0) line += static_cast<char>(random());
    if (line.find("train") != std::string::npos || line.find("fine-tune") != std::string::npos) line = "train 1";
    if (line.find("bench") != std::string::npos) line = "bench 10";
    s->run(line + (random() % 2 == 0 ? "\n" : "\r\n"));
  }
  s->run("reset\n");
  EXPECT_NE(s->run("select paper-8\neval\n").find("accuracy"), std::string::npos);
}

TEST(ConsoleMemory, FixedSizesAsDocumented) {
  EXPECT_EQ(anne::console::kLineCapacity, 128u);
  EXPECT_EQ(anne::console::kMaxFileBytes, 1536u);
  // 40 header + 8 layer records + a 212-byte name + 256 floats + the CRC fill the receive buffer.
  EXPECT_EQ(40u + 8u * 32u + 212u + 256u * 4u + 4u, anne::console::kMaxFileBytes);
  EXPECT_LE(anne::train::workspace_bytes(dense_model({4, 16, 1}).network(), anne::train::Optimizer::sgd, 80),
            anne::console::kTrainWorkspaceBytes);
  std::printf("sizeof(Console) on this host: %zu bytes\n", sizeof(anne::console::Console));
}

}  // namespace
