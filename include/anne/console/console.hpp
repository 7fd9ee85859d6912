// SPDX-License-Identifier: MIT
// The anne console: a plain-text command line over bytes, the same code on the chip (a serial line)
// and on the PC (`anne console`, stdin and stdout). The platform feeds it bytes and gives it a
// text sink and a clock (output.hpp); everything else lives in this object, in arrays whose sizes
// are fixed at compile time. No heap, no exceptions: every bad input ends in one "error: ..." line
// and the console goes on. A received model is float32 (format version 1) or int8 (version 2,
// run in integers). docs/console.md describes the commands and the transfer protocol.
//
//   static anne::console::Console console;      // about 11 KB on a 32-bit chip (kRamBudget)
//   console.begin(platform, options);           // prints the banner (and the prompt)
//   for (;;) console.feed(read_byte());         // on a timeout in a transfer: abort_transfer()
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/activation.hpp"
#include "anne/console/line_reader.hpp"
#include "anne/console/model_copy.hpp"
#include "anne/console/number_parse.hpp"
#include "anne/console/output.hpp"
#include "anne/console/words.hpp"
#include "anne/datasets/iris_paper_split.hpp"
#include "anne/format.hpp"
#include "anne/metrics.hpp"
#include "anne/models/builtin.hpp"
#include "anne/network.hpp"
#include "anne/preprocess.hpp"
#include "anne/quant/quantized_format.hpp"
#include "anne/train/trainer.hpp"

namespace anne {
namespace console {

// Sizes, fixed at compile time. The largest network they admit is about that of Keras's IRIS
// tutorial (4-16-3, 131 parameters); the paper's networks have 30 and 26 parameters.
constexpr uint16_t kMaxLayers = 8;
/// Floats of weights, biases and slopes: one copy to run and change, one to reset to (1 KB each).
constexpr size_t kMaxParameters = 256;
/// The widest layer (and input): the console's vectors have this many floats.
constexpr uint16_t kMaxUnits = 32;
/// The receive buffer: a .anne file with kMaxParameters parameters in kMaxLayers layers and a name
/// of up to 212 bytes (40 header + 8 * 32 layer records + 212 + 256 * 4 data + 4 CRC = 1536).
constexpr uint32_t kMaxFileBytes = 1536;
/// The trainer's workspace (train/workspace.hpp): SGD on the 80 IRIS rows needs 12 bytes per
/// parameter, 8 per unit, 320 for the row order and the layer table; the paper's networks take
/// 1,024 and 898 bytes on a 64-bit PC, a 4-16-1 network about 1,900.
constexpr size_t kTrainWorkspaceBytes = 3072;
/// Room for a received model's name (longer names are cut).
constexpr uint16_t kNameCapacity = 32;
/// RAM a console may take on a 32-bit chip: the smallest target (a Cortex-M0 with 16 KB of RAM)
/// keeps 4 KB for the stack and the board.
constexpr size_t kRamBudget = 12 * 1024;

constexpr uint16_t kDefaultEpochs = 10;
constexpr uint16_t kMaxEpochs = 10000;
/// The working paper's self-learning example: SGD with learning rate 0.05, one row at a time.
constexpr float kDefaultLearningRate = 0.05f;
constexpr const char* kDefaultLearningRateText = "0.05";
constexpr uint32_t kTrainSeed = 42;
constexpr uint32_t kDefaultBenchRuns = 1000;
constexpr uint32_t kMaxBenchRuns = 100000;

struct ConsoleOptions {
  const char* prompt = nullptr;  ///< printed when the console waits for a line ("> "), or none
  bool echo = false;             ///< echo typed characters (a serial terminal that does not)
};

class Console {
 public:
  /// Starts (or restarts) the console on a platform: selects the first built-in network and
  /// prints the banner.
  void begin(const Platform& platform, const ConsoleOptions& options = ConsoleOptions()) {
    platform_ = platform;
    options_ = options;
    out_.attach(&platform_);
    reader_ = LineReader();
    receiving_ = false;
    select_builtin(0);
    out_.text("anne console: ").text(name_).text(" selected; type help for the commands").line();
    prompt();
  }

  /// One byte of input: a character of a line, or a raw byte of a model transfer.
  void feed(uint8_t byte) {
    if (receiving_) {
      take_transfer_byte(byte);
      return;
    }
    if (options_.echo) echo(byte);
    const LineReader::Event event = reader_.feed(byte);
    if (event == LineReader::Event::none) return;
    handle(event);
    if (!receiving_) prompt();
  }

  /// True between a `receive` line and the last byte of its transfer.
  bool receiving() const { return receiving_; }

  /// Gives up a transfer under way (the platform's timeout, or the end of its input): the bytes so
  /// far are dropped and the model stays as it was. Returns whether there was one.
  bool abort_transfer() {
    if (!receiving_) return false;
    receiving_ = false;
    error().text("transfer cut after ").whole(received_).text(" of ").whole(expected_).text(" bytes; the model is unchanged").line();
    prompt();
    return true;
  }

  /// The end of the input: a last line without its newline runs; a transfer under way is cut
  /// (true: the caller should report failure).
  bool end_of_input() {
    if (abort_transfer()) return true;
    const LineReader::Event event = reader_.finish();
    if (event == LineReader::Event::none) return false;
    handle(event);
    return abort_transfer();  // a last line "receive ..." with no bytes after it
  }

  /// The float network the commands work on (the last one, while an int8 model is selected).
  Network network() const { return model_.network(); }

  /// True while the selected model is an int8 one (a received .anne file of format version 2).
  bool quantized() const { return quantized_; }

 private:
  using Model = ModelCopy<kMaxLayers, kMaxParameters, kMaxUnits>;

  /// One row of the command table: `help` prints it, run_line looks commands up in it.
  struct Command {
    const char* name;
    const char* arguments;  ///< synopsis
    const char* help;
    uint8_t min_arguments;
    uint8_t max_arguments;  ///< kValueList: the rest of the line is a list of numbers
    void (Console::*run)(const Words& words);
    bool float_only = false;  ///< refused while an int8 model is selected: it changes float weights
  };
  static constexpr uint8_t kValueList = 0xff;

  struct CommandTable {
    const Command* rows;
    uint8_t count;
  };

  static CommandTable commands() {
    static constexpr Command kCommands[] = {
        {"help", "", "these commands", 0, 0, &Console::command_help},
        {"list", "", "the built-in networks and data", 0, 0, &Console::command_list},
        {"select", "NAME", "choose a built-in network (a copy in RAM that act and train change)", 1, 1, &Console::command_select},
        {"info", "", "the network's layers, activations and parameter counts", 0, 0, &Console::command_info},
        {"standardize", "[paper|off]", "z-score inputs with the paper's IRIS mean and std, or not", 0, 1, &Console::command_standardize},
        {"predict", "X1,X2,...", "the network's output for one input", 1, kValueList, &Console::command_predict},
        {"explain", "X1,X2,...", "every neuron of every layer for one input", 1, kValueList, &Console::command_explain},
        {"eval", "", "the paper's 20 IRIS test rows: outputs, confusion matrix, accuracy", 0, 0, &Console::command_eval},
        {"act", "LAYER NAME", "change a layer's activation function", 2, 2, &Console::command_act, true},
        {"reset", "", "back to the network's own weights and activations", 0, 0, &Console::command_reset, true},
        {"train", "[EPOCHS] [RATE]", "train from new random weights on the 80 IRIS training rows", 0, 2, &Console::command_train, true},
        {"fine-tune", "[EPOCHS] [RATE]", "train the last layer only, from the current weights", 0, 2, &Console::command_fine_tune, true},
        {"receive", "BYTES CRC32", "take a .anne model (float32 or int8): BYTES raw bytes follow", 2, 2, &Console::command_receive},
        {"bench", "[N]", "time N inferences", 0, 1, &Console::command_bench},
    };
    return {kCommands, static_cast<uint8_t>(sizeof kCommands / sizeof kCommands[0])};
  }

  // ---- lines and output ---------------------------------------------------------------------

  /// What a line that ended is: a command, or one error line.
  void handle(LineReader::Event event) {
    switch (event) {
      case LineReader::Event::none: break;
      case LineReader::Event::line: run_line(reader_.text(), reader_.length()); break;
      case LineReader::Event::too_long: error().text("line longer than ").whole(kLineCapacity).text(" characters").line(); break;
      case LineReader::Event::bad_byte:
        error().text("line ignored: byte 0x").hex(reader_.bad_byte(), 2).text(" at column ").whole(reader_.bad_column());
        out_.text(" is not printable ASCII").line();
        break;
    }
  }

  void run_line(const char* line, uint16_t length) {
    const Words words(line, length);
    if (words.count == 0) return;
    const CommandTable table = commands();
    for (uint8_t c = 0; c < table.count; ++c) {
      const Command& command = table.rows[c];
      if (!same_text(words.word[0], command.name)) continue;
      const uint16_t given = static_cast<uint16_t>(words.count - 1);
      const bool list = command.max_arguments == kValueList;
      if (given < command.min_arguments || (!list && given > command.max_arguments)) {
        error().text("wrong number of arguments; usage: ").text(command.name);
        out_.text(command.arguments[0] != '\0' ? " " : "").text(command.arguments).line();
        return;
      }
      if (command.float_only && quantized_) {
        error().text(command.name).text(" needs a float model; ").text(name_).text(" is int8 (quantized) and stays selected").line();
        return;
      }
      (this->*command.run)(words);
      return;
    }
    error().text("unknown command '").text(words.word[0].data, words.word[0].length).text("' (type help)").line();
  }

  Printer& error() { return out_.text("error: "); }

  void prompt() {
    if (options_.prompt == nullptr) return;
    out_.text(options_.prompt);
    out_.flush();
  }

  /// Echo for a terminal that does not: characters as typed, "\r\n" for a line end, backspace
  /// (0x08 or 0x7f) as "\b \b".
  void echo(uint8_t byte) {
    if (byte == '\n' && reader_.expects_lf()) return;
    const char text[2] = {static_cast<char>(byte), '\0'};
    if (byte == '\r' || byte == '\n') out_.text("\r\n");
    else if (byte == 0x08 || byte == 0x7f) out_.text("\b \b");
    else if (byte >= 0x20 && byte < 0x7f) out_.text(text);
    out_.flush();
  }

  /// The selected model's shape, "4-2-3-2-1", float or int8.
  void print_shape() {
    out_.whole(model_inputs());
    const uint16_t count = quantized_ ? qnetwork_.count : network().count;
    for (uint16_t k = 0; k < count; ++k) out_.text("-").whole(quantized_ ? qnetwork_.layers[k].units : network().layers[k].units);
  }

  uint16_t model_inputs() const { return quantized_ ? quant::quantized_inputs(qnetwork_) : network_inputs(network()); }
  uint16_t model_outputs() const { return quantized_ ? quant::quantized_outputs(qnetwork_) : network_outputs(network()); }

  /// Parameters as stored: float weights, biases and slopes; int8 weights and int32 biases.
  uint32_t parameter_count() const {
    if (!quantized_) return static_cast<uint32_t>(network_parameter_count(network()));
    uint32_t total = 0;
    for (uint16_t k = 0; k < qnetwork_.count; ++k) total += int8_layer_parameters(qnetwork_.layers[k]);
    return total;
  }

  /// An int8 layer's int8 weights and int32 biases.
  static uint32_t int8_layer_parameters(const quant::QuantizedLayer& layer) { return layer.units * (layer.inputs + 1u); }

  static const char* activation_name(const Layer& layer) { return activation_info(layer.activation.kind)->name; }

  /// A network's outputs and, for one or two outputs, its class ("-> class 1 (virginica)" for the
  /// IRIS task).
  void print_output(const float* y, uint16_t n) {
    out_.text("output");
    for (uint16_t j = 0; j < n; ++j) out_.text(" ").fixed(y[j], 6);
    const uint16_t predicted = predicted_class(y, n);
    out_.text(" -> class ").whole(predicted);
    if (standardize_ && n <= 2) out_.text(" (").text(iris::paper_split::kClassNames[predicted]).text(")");
    out_.line();
  }

  // ---- the network ----------------------------------------------------------------------------

  void select_builtin(uint8_t index) {
    const BuiltinModel& builtin = kBuiltinModels[index];
    builtin_ = index;
    source_ = builtin.network;
    name_ = builtin.name;
    description_ = builtin.description;
    standardize_ = true;
    quantized_ = false;
    model_.assign(source_);
  }

  /// Reads the values of `text` into x_ (as many as the network takes), standardized when that is on.
  bool read_input(Text text) {
    const uint16_t needed = model_inputs();
    // Values are separated by commas, or by spaces when there is no comma.
    bool commas = false;
    for (uint16_t i = 0; i < text.length; ++i) commas = commas || text.data[i] == ',';
    const char separator = commas ? ',' : ' ';
    uint16_t total = 0;
    Text field[kMaxUnits];
    for (uint16_t i = 0, start = 0; i <= text.length; ++i) {
      if (i < text.length && text.data[i] != separator) continue;
      const Text value = trim(Text{text.data + start, static_cast<uint16_t>(i - start)});
      start = static_cast<uint16_t>(i + 1);
      if (!commas && value.length == 0) continue;  // a run of spaces
      if (total < kMaxUnits) field[total] = value;
      ++total;
    }
    for (uint16_t i = 0; i < total && i < kMaxUnits; ++i) {
      const ParseStatus status = parse_float(field[i].data, field[i].length, &x_[i]);
      if (status != ParseStatus::ok) {
        error().text("value ").whole(i + 1u).text(" of ").whole(total);
        out_.text(status == ParseStatus::out_of_range ? " is out of float range: '" : " is not a number: '");
        out_.text(field[i].data, field[i].length).text("'").line();
        return false;
      }
    }
    if (total != needed) {
      error().text("the network takes ").whole(needed).text(" values, not ").whole(total).line();
      return false;
    }
    if (standardize_) anne::standardize(x_, iris::paper_split::kMean, iris::paper_split::kStd, x_, iris::kFeatures);
    return true;
  }

  /// The IRIS measurements of a subset position of the paper's split, as the network takes them.
  void iris_input(uint8_t position, float* x) const {
    const float* cm = iris::kFeaturesCm[iris::paper_split::kSubsetFirstRow + position];
    for (uint16_t i = 0; i < iris::kFeatures; ++i) x[i] = cm[i];
    if (standardize_) anne::standardize(x, iris::paper_split::kMean, iris::paper_split::kStd, x, iris::kFeatures);
  }

  /// eval and train need the IRIS task's shape: 4 inputs, one or two outputs.
  bool iris_shaped(const char* command) {
    if (model_inputs() == iris::kFeatures && model_outputs() <= 2) return true;
    error().text(command).text(" uses the IRIS data: a network with 4 inputs and 1 or 2 outputs, not ");
    print_shape();
    out_.line();
    return false;
  }

  /// y = the selected model's output for x. int8: y = dequantize(quantized_forward(quantize(x)))
  /// with the file's input and output scales, as `anne predict` runs a quantized model.
  Status forward_once(const float* x, float* y) {
    if (!quantized_) return forward(network(), x, model_inputs(), y, model_outputs(), scratch_, 2 * kMaxUnits);
    for (uint16_t i = 0; i < model_inputs(); ++i) codes_in_[i] = quant::quantize_value(x[i], qnetwork_.input);
    const Status status = quant::quantized_forward(qnetwork_, codes_in_, model_inputs(), codes_out_, model_outputs(), code_scratch_, 2 * kMaxUnits);
    for (uint16_t j = 0; j < model_outputs(); ++j) y[j] = quant::dequantize_value(codes_out_[j], qnetwork_.output);
    return status;
  }

  bool run_forward(const float* x, float* y) {
    const Status status = forward_once(x, y);
    if (status == Status::ok) return true;
    error().text("the network cannot run: ").text(status_message(status)).line();
    return false;
  }

  // ---- commands -------------------------------------------------------------------------------

  void command_help(const Words&) {
    const CommandTable table = commands();
    for (uint8_t c = 0; c < table.count; ++c) {
      const Command& command = table.rows[c];
      uint16_t width = 0;
      for (const char* s = command.name; *s != '\0'; ++s) ++width;
      for (const char* s = command.arguments; *s != '\0'; ++s) ++width;
      out_.text("  ").text(command.name).text(" ").text(command.arguments);
      for (; width < 28; ++width) out_.text(" ");
      out_.text(command.help).line();
    }
  }

  void command_list(const Words&) {
    out_.text("networks (select NAME):").line();
    for (uint8_t b = 0; b < kBuiltinCount; ++b) {
      out_.text(b == builtin_ ? "* " : "  ").text(kBuiltinModels[b].name).text("  ").text(kBuiltinModels[b].description).line();
    }
    if (builtin_ == kReceived) out_.text("* ").text(name_).text("  ").text(description_).line();
    out_.text("data:").line();
    out_.text("  iris-paper  the paper's IRIS split, versicolor (0) vs virginica (1): 80 training rows (train), 20 test rows (eval)").line();
  }

  void command_select(const Words& words) {
    for (uint8_t b = 0; b < kBuiltinCount; ++b) {
      if (!same_text(words.word[1], kBuiltinModels[b].name)) continue;
      select_builtin(b);
      out_.text("selected ").text(name_).text(": ");
      print_shape();
      out_.text(", ").whole(parameter_count()).text(" parameters").line();
      return;
    }
    error().text("unknown network '").text(words.word[1].data, words.word[1].length).text("' (built-in:");
    for (const BuiltinModel& builtin : kBuiltinModels) out_.text(" ").text(builtin.name);
    out_.text(")").line();
  }

  void command_info(const Words&) {
    out_.text(name_).text(": ").text(description_).line();
    if (quantized_) {
      print_quantized_info();
      return;
    }
    const Network net = network();
    for (uint16_t k = 0; k < net.count; ++k) {
      const Layer& layer = net.layers[k];
      out_.text("  layer ").whole(k + 1u).text(": ").text(layer_kind_info(layer.kind)->name).text(" ");
      out_.whole(layer.inputs).text(" -> ").whole(layer.units).text(", ").text(activation_name(layer));
      out_.text(", ").whole(static_cast<uint32_t>(layer_parameter_count(layer))).text(" parameters").line();
    }
    out_.text("  ").whole(static_cast<uint32_t>(network_parameter_count(net))).text(" parameters; ");
    print_standardization();
  }

  /// An int8 layer: the activation it stands for and how its codes are made (quantized_network.hpp).
  void print_quantized_info() {
    for (uint16_t k = 0; k < qnetwork_.count; ++k) {
      const quant::QuantizedLayer& layer = qnetwork_.layers[k];
      out_.text("  layer ").whole(k + 1u).text(": dense ").whole(layer.inputs).text(" -> ").whole(layer.units).text(", ");
      out_.text(activation_info(qtables_.meanings[k].activation)->name).text(" (int8 weights, ").text(quant::output_kind_name(layer.output));
      out_.text(" output), ").whole(int8_layer_parameters(layer)).text(" parameters").line();
    }
    out_.text("  ").whole(parameter_count()).text(" parameters (int8 weights, int32 biases); ");
    print_standardization();
  }

  void print_standardization() {
    out_.text(standardize_ ? "inputs: IRIS cm, z-scored with the paper's mean and std" : "inputs: taken as they are").line();
  }

  void command_standardize(const Words& words) {
    if (words.count == 2) {
      if (same_text(words.word[1], "paper")) {
        if (model_inputs() != iris::kFeatures) {
          error().text("the paper's standardization is for 4 inputs; the network takes ").whole(model_inputs()).line();
          return;
        }
        standardize_ = true;
      } else if (same_text(words.word[1], "off")) {
        standardize_ = false;
      } else {
        error().text("standardize takes paper or off, not '").text(words.word[1].data, words.word[1].length).text("'").line();
        return;
      }
    }
    print_standardization();
  }

  void command_predict(const Words& words) {
    if (!read_input(words.rest) || !run_forward(x_, y_)) return;
    print_output(y_, model_outputs());
  }

  /// Layer by layer: z = the layer's pre-activation (layer.hpp), y = f(z) (the activation table);
  /// for each neuron its weighted sum and bias, which add up to z.
  void command_explain(const Words& words) {
    if (!read_input(words.rest)) return;
    if (quantized_) {
      explain_quantized();
      return;
    }
    const Network net = network();
    float* x = x_;
    float* y = y_;
    for (uint16_t k = 0; k < net.count; ++k) {
      const Layer& layer = net.layers[k];
      out_.text("layer ").whole(k + 1u).text(": ").text(layer_kind_info(layer.kind)->name).text(" ");
      out_.whole(layer.inputs).text(" -> ").whole(layer.units).text(", activation ").text(activation_name(layer)).line();
      out_.text("  input ");
      for (uint16_t i = 0; i < layer.inputs; ++i) out_.text(" ").fixed(x[i], 6);
      out_.line();
      out_.text("  neuron  weighted sum          bias  pre-activation        output").line();
      layer_preactivation(layer, x, z_);
      activation_forward(layer.activation, z_, y, layer.units);
      for (uint16_t j = 0; j < layer.units; ++j) {
        const float bias = layer.bias != nullptr ? layer.bias[j] : 0.0f;
        const float sum = layer.kind == LayerKind::dense
                              ? weighted_sum(layer.weights + static_cast<size_t>(j) * layer.inputs, x, layer.inputs)
                              : (layer.weights != nullptr ? x[j] * layer.weights[j] : x[j]);
        out_.text("  ").whole(j + 1u, 6).text(" ").fixed(sum, 6, 13).text(" + ").fixed(bias, 6, 11);
        out_.text(" = ").fixed(z_[j], 6, 12).text(" -> ").fixed(y[j], 6, 12).line();
      }
      float* swap = x;
      x = y;
      y = swap;
    }
    print_output(x, network_outputs(net));
  }

  /// int8, layer by layer: the 16-bit codes in and out, each with its real value
  /// v = scale * (q - zero_point) in brackets (the input's scales, then each layer's output scales).
  void explain_quantized() {
    for (uint16_t i = 0; i < model_inputs(); ++i) codes_in_[i] = quant::quantize_value(x_[i], qnetwork_.input);
    int16_t* x = codes_in_;
    int16_t* y = code_scratch_;
    quant::QuantParams x_params = qnetwork_.input;
    for (uint16_t k = 0; k < qnetwork_.count; ++k) {
      const quant::QuantizedLayer& layer = qnetwork_.layers[k];
      const quant::QuantParams& y_params = qtables_.meanings[k].output;
      out_.text("layer ").whole(k + 1u).text(": dense ").whole(layer.inputs).text(" -> ").whole(layer.units);
      out_.text(", activation ").text(activation_info(qtables_.meanings[k].activation)->name).text(" (int8)").line();
      out_.text("  input codes");
      for (uint16_t i = 0; i < layer.inputs; ++i) print_code(x[i], x_params);
      out_.line();
      quant::quantized_layer_forward(layer, x, y);
      out_.text("  output codes");
      for (uint16_t j = 0; j < layer.units; ++j) print_code(y[j], y_params);
      out_.line();
      int16_t* swap = x;
      x = y;
      y = swap;
      x_params = y_params;
    }
    for (uint16_t j = 0; j < model_outputs(); ++j) y_[j] = quant::dequantize_value(x[j], qnetwork_.output);
    print_output(y_, model_outputs());
  }

  void print_code(int16_t code, const quant::QuantParams& params) {
    const int32_t value = code;
    out_.text(value < 0 ? " -" : " ").whole(static_cast<uint32_t>(value < 0 ? -value : value)).text(" (").fixed(quant::dequantize_value(code, params), 6).text(")");
  }

  void command_eval(const Words&) {
    namespace split = iris::paper_split;
    if (!iris_shaped("eval")) return;
    const uint16_t outputs = model_outputs();
    uint32_t counts[4];
    ConfusionMatrix matrix(counts, 2);
    matrix.clear();
    out_.text("  row  iris row  output    predicted  true").line();
    for (uint16_t r = 0; r < split::kTestRows; ++r) {
      iris_input(split::kTestPositions[r], x_);
      if (!run_forward(x_, y_)) return;
      const uint16_t predicted = predicted_class(y_, outputs);
      const uint8_t actual = split::label(split::kTestPositions[r]);
      matrix.add(actual, predicted);
      out_.whole(r + 1u, 5).whole(split::kSubsetFirstRow + split::kTestPositions[r] + 1u, 10).text("  ");
      for (uint16_t j = 0; j < outputs; ++j) out_.fixed(y_[j], 6).text(" ");
      out_.whole(predicted, 10).whole(actual, 6).line();
    }
    out_.text("confusion matrix [[").whole(counts[0]).text(",").whole(counts[1]).text("],[").whole(counts[2]);
    out_.text(",").whole(counts[3]).text("]] (rows: true class, columns: predicted class; 0 versicolor, 1 virginica)").line();
    print_accuracy(matrix.correct(), matrix.total());
  }

  void print_accuracy(uint32_t correct, uint32_t total) {
    const float accuracy = static_cast<float>(correct) / static_cast<float>(total);
    out_.text("accuracy ").fixed(accuracy, 4).text(" (").whole(correct).text(" of ").whole(total).text(")").line();
  }

  void command_act(const Words& words) {
    const Network net = network();
    uint32_t layer = 0;
    if (!parse_whole(words.word[1], net.count, &layer) || layer == 0) {
      error().text("layer '").text(words.word[1].data, words.word[1].length).text("' does not exist; the network has layers 1 to ");
      out_.whole(net.count).line();
      return;
    }
    const ActivationInfo* found = nullptr;
    for (const ActivationInfo& info : kActivations) {
      if (same_text(words.word[2], info.name) || same_text(words.word[2], info.alias)) found = &info;
    }
    if (found == nullptr) {
      error().text("unknown activation '").text(words.word[2].data, words.word[2].length).text("'; known:");
      for (const ActivationInfo& info : kActivations) out_.text(" ").text(info.name);
      out_.line();
      return;
    }
    if (found->kind == Activation::prelu) {
      error().text("prelu needs a learned slope per unit; act sets functions without weights").line();
      return;
    }
    model_.layer(static_cast<uint16_t>(layer - 1)).activation = default_spec(found->kind);
    out_.text("layer ").whole(layer).text(": activation ").text(found->name).line();
  }

  void command_reset(const Words&) {
    model_.assign(source_);
    out_.text(name_).text(": weights and activations reset").line();
  }

  void command_train(const Words& words) { fit(words, false); }
  void command_fine_tune(const Words& words) { fit(words, true); }

  /// train: Glorot-uniform weights (seed kTrainSeed), then SGD one row at a time in the data's
  /// order on the paper's 80 training rows, the 20 test rows as validation: the working paper's
  /// self-learning example. fine-tune: the same from the current weights, all layers but the last
  /// frozen. Binary cross-entropy for one output, sparse categorical cross-entropy for two.
  void fit(const Words& words, bool fine_tune) {
    namespace split = iris::paper_split;
    uint32_t epochs = kDefaultEpochs;
    float rate = kDefaultLearningRate;
    if (words.count > 1 && (!parse_whole(words.word[1], kMaxEpochs, &epochs) || epochs == 0)) {
      error().text("EPOCHS must be a whole number from 1 to ").whole(kMaxEpochs).text(", not '");
      out_.text(words.word[1].data, words.word[1].length).text("'").line();
      return;
    }
    if (words.count > 2 && (parse_float(words.word[2].data, words.word[2].length, &rate) != ParseStatus::ok || !(rate > 0.0f))) {
      error().text("RATE must be a positive number, not '").text(words.word[2].data, words.word[2].length).text("'").line();
      return;
    }
    if (!iris_shaped(fine_tune ? "fine-tune" : "train")) return;
    const Network net = network();
    if (fine_tune && net.count < 2) {
      error().text("fine-tune trains the last layer and keeps the others: the network needs 2 layers or more").line();
      return;
    }
    const size_t needed = train::workspace_bytes(net, train::Optimizer::sgd, split::kTrainRows);
    if (needed > kTrainWorkspaceBytes) {
      error().text("training this network needs ").whole(static_cast<uint32_t>(needed)).text(" bytes of workspace; the console has ");
      out_.whole(static_cast<uint32_t>(kTrainWorkspaceBytes)).line();
      return;
    }
    for (uint16_t r = 0; r < split::kTrainRows; ++r) {
      iris_input(split::kTrainPositions[r], train_x_ + r * iris::kFeatures);
      train_t_[r] = split::label(split::kTrainPositions[r]);
    }
    for (uint16_t r = 0; r < split::kTestRows; ++r) {
      iris_input(split::kTestPositions[r], test_x_ + r * iris::kFeatures);
      test_t_[r] = split::label(split::kTestPositions[r]);
    }
    train::TrainConfig config;
    config.loss = network_outputs(net) == 1 ? train::Loss::binary_crossentropy : train::Loss::sparse_categorical_crossentropy;
    config.optimizer.kind = train::Optimizer::sgd;
    config.optimizer.learning_rate = rate;
    config.batch_size = 1;
    config.epochs = static_cast<uint16_t>(epochs);
    config.shuffle = false;
    config.seed = kTrainSeed;
    config.statistics = false;  // print_epoch shows loss and accuracy, not gradient norms or dead units
    config.frozen_layers = fine_tune ? static_cast<uint16_t>(net.count - 1) : 0;
    train::Trainer trainer;
    const Status status = trainer.init(net, config, split::kTrainRows, workspace_, sizeof workspace_);
    if (status != Status::ok) {
      error().text("training cannot start: ").text(status_message(status)).line();
      return;
    }
    if (fine_tune) {
      out_.text("fine-tuning layer ").whole(net.count).text(" of ").text(name_).text(" from its current weights");
    } else {
      trainer.initialize(kTrainSeed);
      out_.text("training ").text(name_).text(" from random weights (Glorot uniform, seed ").whole(kTrainSeed).text(")");
    }
    out_.text(": 80 IRIS rows, SGD, learning rate ");
    if (words.count > 2) out_.text(words.word[2].data, words.word[2].length);  // as typed: 0.05f has no short decimal
    else out_.text(kDefaultLearningRateText);
    out_.text(", one row at a time").line();
    const train::Samples rows{train_x_, train_t_, split::kTrainRows};
    const train::Samples test{test_x_, test_t_, split::kTestRows};
    train::EpochReport last;
    trainer.fit(rows, &test, &Console::print_epoch, this, &last);
    if (last.stop != train::Stop::none) {
      error().text("stopped in epoch ").whole(last.epoch).text(": ").text(train::stop_message(last.stop));
      out_.text("; the weights are the last ones that gave a finite loss (try a smaller RATE)").line();
    }
    model_.assign(trainer.network());
  }

  static bool print_epoch(const train::EpochReport& report, void* user) {
    Printer& out = static_cast<Console*>(user)->out_;
    out.text("epoch ").whole(report.epoch).text("/").whole(report.epochs).text(" loss ").fixed(report.loss, 6);
    out.text(" accuracy ").fixed(report.accuracy, 4);
    if (report.has_validation) {
      out.text(" | test loss ").fixed(report.validation_loss, 6).text(" accuracy ").fixed(report.validation_accuracy, 4);
    }
    out.line();
    return true;
  }

  // ---- model transfer -------------------------------------------------------------------------

  /// receive BYTES CRC32: the next BYTES bytes are a .anne file whose CRC-32 (all BYTES bytes, as
  /// zlib's crc32) is CRC32. Refused at once, before any byte is taken as data, when it cannot fit.
  void command_receive(const Words& words) {
    uint32_t bytes = 0;
    uint32_t crc = 0;
    if (!parse_whole(words.word[1], 0xffffffffu, &bytes)) {
      error().text("BYTES must be a whole number, not '").text(words.word[1].data, words.word[1].length).text("'").line();
      return;
    }
    if (!parse_hex32(words.word[2], &crc)) {
      error().text("CRC32 must be 1 to 8 hexadecimal digits, not '").text(words.word[2].data, words.word[2].length).text("'").line();
      return;
    }
    if (bytes > kMaxFileBytes) {
      error().text("a model of ").whole(bytes).text(" bytes does not fit the receive buffer of ").whole(kMaxFileBytes);
      out_.text(" bytes; nothing is read").line();
      return;
    }
    if (bytes < format::kHeaderSize + 4) {
      error().text("a .anne file has at least ").whole(format::kHeaderSize + 4).text(" bytes, not ").whole(bytes).text("; nothing is read").line();
      return;
    }
    receiving_ = true;
    expected_ = bytes;
    received_ = 0;
    expected_crc_ = crc;
    transfer_skip_lf_ = reader_.expects_lf();  // "receive ...\r\n": the "\n" is not data
    reader_.skip_lf();
    out_.text("ready for ").whole(bytes).text(" bytes").line();
  }

  void take_transfer_byte(uint8_t byte) {
    if (transfer_skip_lf_) {
      transfer_skip_lf_ = false;
      if (byte == '\n') return;
    }
    file_[received_++] = byte;
    if (received_ < expected_) return;
    receiving_ = false;
    accept_file();
    prompt();
  }

  /// The bytes become the network only when their CRC matches, the file is valid and it fits.
  void accept_file() {
    const uint32_t crc = format::crc32(file_, expected_);
    if (crc != expected_crc_) {
      error().text("the bytes have CRC-32 ").hex(crc).text(", not ").hex(expected_crc_).text("; the model is unchanged").line();
      return;
    }
    Layer layers[kMaxLayers];
    format::ModelView view;
    format::FormatError problem = format::read_model(file_, expected_, layers, kMaxLayers, view);
    if (problem.status == Status::bad_version) {  // not float32: an int8 file (format version 2)?
      quant::format::QuantizedModelView quantized_view;
      quant::QuantizedLayer checked[kMaxLayers];
      problem = quant::format::read_quantized_model(file_, expected_, checked, nullptr, kMaxLayers, quantized_view);
      if (problem.status == Status::ok && file_size_matches() && quantized_fits(quantized_view.network)) {
        accept_quantized();
        name_received(quantized_view.name, quantized_view.name_length);
        print_received();
      }
      if (problem.status == Status::ok) return;
    }
    if (problem.status != Status::ok) {
      error().text("not a model the console can take: ");
      out_.text(problem.status == Status::buffer_too_small ? "more layers than 8" : status_message(problem.status));
      out_.text(" (byte ").whole(problem.offset);
      if (problem.layer != 0xffff) out_.text(", layer ").whole(problem.layer + 1u);
      out_.text("); the model is unchanged").line();
      return;
    }
    if (!file_size_matches()) return;
    if (!Model::fits(view.network)) {
      error().text("the model has ").whole(static_cast<uint32_t>(network_parameter_count(view.network))).text(" parameters, ");
      out_.whole(view.network.count).text(" layers, ").whole(network_max_units(view.network)).text(" units at the widest; the console holds ");
      out_.whole(static_cast<uint32_t>(kMaxParameters)).text(", ").whole(kMaxLayers).text(", ").whole(kMaxUnits).text("; the model is unchanged").line();
      return;
    }
    origin_.assign(view.network);
    source_ = origin_.network();
    model_.assign(source_);
    quantized_ = false;
    description_ = "received over the console";
    name_received(view.name, view.name_length);
    print_received();
  }

  /// The header's file size (bytes 8-11) is the size of the transfer; else one error line.
  bool file_size_matches() {
    if (format::read_u32(file_ + 8) == expected_) return true;
    error().text("the file says it has ").whole(format::read_u32(file_ + 8)).text(" bytes, not ").whole(expected_);
    out_.text("; the model is unchanged").line();
    return false;
  }

  /// An int8 network fits when its input and its widest layer fit the code vectors; else one error line.
  bool quantized_fits(const quant::QuantizedNetwork& net) {
    uint16_t widest = quant::quantized_inputs(net);
    for (uint16_t k = 0; k < net.count; ++k) widest = net.layers[k].units > widest ? net.layers[k].units : widest;
    if (widest <= kMaxUnits) return true;
    error().text("the int8 model has a layer of ").whole(widest).text(" units; the console holds ").whole(kMaxUnits);
    out_.text("; the model is unchanged").line();
    return false;
  }

  /// An int8 model is read in place, so its bytes move to a buffer of their own, which the next
  /// transfer does not touch (it lands in file_); read again there, they cannot fail the checks.
  void accept_quantized() {
    for (uint32_t i = 0; i < expected_; ++i) quantized_file_[i] = file_[i];
    quant::format::QuantizedModelView view;
    quant::format::read_quantized_model(quantized_file_, expected_, qtables_.layers, qtables_.meanings, kMaxLayers, view);
    qnetwork_ = view.network;
    quantized_ = true;
    description_ = "int8 (quantized), received over the console";
  }

  /// The received model's name, printable ASCII, cut to kNameCapacity - 1 characters.
  void name_received(const char* name, uint16_t name_length) {
    uint16_t length = 0;
    for (; length < name_length && length + 1 < kNameCapacity; ++length) {
      const char c = name[length];
      received_name_[length] = c >= 0x20 && c < 0x7f ? c : '?';
    }
    received_name_[length] = '\0';
    name_ = length > 0 ? received_name_ : "received";
    standardize_ = false;
    builtin_ = kReceived;
  }

  void print_received() {
    out_.text("model received: ");
    print_shape();
    out_.text(", ").whole(parameter_count()).text(" parameters").text(quantized_ ? ", int8" : "").text(" (").text(name_).text(")").line();
  }

  // ---- timing ---------------------------------------------------------------------------------

  uint32_t elapsed(uint32_t from, uint32_t to) const {
    return platform_.elapsed != nullptr ? platform_.elapsed(platform_.context, from, to) : to - from;
  }

  /// Each inference is timed on its own, so that a counter with a short period (a 24-bit SysTick
  /// wraps after 16.7 million cycles) still measures it; the cost of reading the counter, the least
  /// of 8 empty readings, is taken off:  T = sum(elapsed) / N - min(empty reading).
  void command_bench(const Words& words) {
    uint32_t runs = kDefaultBenchRuns;
    if (words.count > 1 && (!parse_whole(words.word[1], kMaxBenchRuns, &runs) || runs == 0)) {
      error().text("N must be a whole number from 1 to ").whole(kMaxBenchRuns).text(", not '");
      out_.text(words.word[1].data, words.word[1].length).text("'").line();
      return;
    }
    if (platform_.ticks == nullptr) {
      error().text("this platform has no clock").line();
      return;
    }
    for (uint16_t i = 0; i < kMaxUnits; ++i) x_[i] = 0.0f;
    if (model_inputs() == iris::kFeatures) iris_input(iris::paper_split::kTestPositions[0], x_);
    if (!run_forward(x_, y_)) return;
    uint32_t overhead = 0xffffffffu;
    for (int i = 0; i < 8; ++i) {
      const uint32_t from = platform_.ticks(platform_.context);
      const uint32_t reading = elapsed(from, platform_.ticks(platform_.context));
      overhead = reading < overhead ? reading : overhead;
    }
    uint64_t total = 0;
    for (uint32_t n = 0; n < runs; ++n) {
      const uint32_t from = platform_.ticks(platform_.context);
      forward_once(x_, y_);
      total += elapsed(from, platform_.ticks(platform_.context));
    }
    const uint32_t mean = static_cast<uint32_t>(total / runs);
    out_.whole(runs).text(" inferences, ").whole(mean > overhead ? mean - overhead : 0).text(" ");
    out_.text(platform_.tick_unit != nullptr ? platform_.tick_unit : "ticks");
    out_.text(" each").line();
  }

  // ---- state ----------------------------------------------------------------------------------

  Platform platform_;
  ConsoleOptions options_;
  Printer out_;
  LineReader reader_;
  Model model_;   ///< the network the commands run and change
  Model origin_;  ///< a received network as it came, for reset
  Network source_;  ///< what reset copies: a built-in network in flash, or origin_
  static constexpr uint8_t kBuiltinCount = sizeof kBuiltinModels / sizeof kBuiltinModels[0];
  static constexpr uint8_t kReceived = 0xff;
  uint8_t builtin_ = 0;  ///< the selected built-in network's index in kBuiltinModels, or kReceived
  const char* name_ = nullptr;  // set by begin(), as everything that is not zero: see ModelCopy
  const char* description_ = nullptr;
  char received_name_[kNameCapacity] = {};
  bool standardize_ = false;  ///< inputs are IRIS cm, z-scored with the paper's mean and std

  bool receiving_ = false;
  bool transfer_skip_lf_ = false;
  uint32_t expected_ = 0;  ///< bytes of the transfer under way
  uint32_t received_ = 0;
  uint32_t expected_crc_ = 0;
  alignas(4) uint8_t file_[kMaxFileBytes] = {};

  /// An int8 model's layer table, read in place from quantized_file_. Every byte starts at zero
  /// (QuantizedLayer and QuantParams have non-zero defaults), so that the console stays in .bss.
  struct QuantizedTables {
    quant::QuantizedLayer layers[kMaxLayers];
    quant::format::LayerMeaning meanings[kMaxLayers];
    constexpr QuantizedTables() : layers(), meanings() {
      for (quant::QuantizedLayer& layer : layers) layer.clamp_min = layer.clamp_max = 0;
      for (quant::format::LayerMeaning& meaning : meanings) meaning.output.scale = meaning.grid.scale = 0.0f;
    }
  };
  bool quantized_ = false;  ///< the selected model is qnetwork_, not model_
  QuantizedTables qtables_;
  quant::QuantizedNetwork qnetwork_{nullptr, 0, {0.0f, 0}, {0.0f, 0}};
  int16_t codes_in_[kMaxUnits] = {};
  int16_t codes_out_[kMaxUnits] = {};
  int16_t code_scratch_[2 * kMaxUnits] = {};

  /// The trainer runs on a float model only and an int8 model's bytes are read only while it is
  /// selected, so the two share their RAM: training (refused for int8) never meets an int8 model.
  union {
    alignas(train::kWorkspaceAlign) unsigned char workspace_[kTrainWorkspaceBytes] = {};
    alignas(4) uint8_t quantized_file_[kMaxFileBytes];
  };
  float train_x_[iris::paper_split::kTrainRows * iris::kFeatures] = {};
  float train_t_[iris::paper_split::kTrainRows] = {};
  float test_x_[iris::paper_split::kTestRows * iris::kFeatures] = {};
  float test_t_[iris::paper_split::kTestRows] = {};

  float x_[kMaxUnits] = {};
  float y_[kMaxUnits] = {};
  float z_[kMaxUnits] = {};
  float scratch_[2 * kMaxUnits] = {};
};

static_assert(sizeof(void*) != 4 || sizeof(Console) <= kRamBudget, "the console must fit a 16 KB chip with room for the stack");
static_assert(train::workspace_bytes(paper::paper8::kNetwork, train::Optimizer::sgd, iris::paper_split::kTrainRows) <=
                      kTrainWorkspaceBytes &&
                  train::workspace_bytes(paper::paper6::kNetwork, train::Optimizer::sgd, iris::paper_split::kTrainRows) <=
                      kTrainWorkspaceBytes,
              "the console trains the paper's networks");

}  // namespace console
}  // namespace anne
