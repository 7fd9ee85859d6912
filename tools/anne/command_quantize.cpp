// SPDX-License-Identifier: MIT
// anne quantize: int8 post-training quantization with a calibration file, and the float and int8
// models side by side.
#include <cmath>
#include <cstdio>

#include "anne/datasets/iris.hpp"
#include "anne_host/anne_file.hpp"
#include "anne_host/csv.hpp"
#include "anne_host/error.hpp"
#include "anne_host/evaluate.hpp"
#include "anne_host/model.hpp"
#include "anne_host/paper_split.hpp"
#include "anne_host/quantize.hpp"
#include "anne_host/text.hpp"
#include "commands.hpp"
#include "options.hpp"

namespace anne::cli {

namespace {

/// The working paper's split by name: its rows standardized with the paper's mean and std.
bool is_paper_set(const std::string& name) { return name == "paper-train" || name == "paper-test"; }

/// The rows of a CSV as network inputs: every column but the label (when one is named), or a
/// paper set. Checks the width and refuses a constant column: it shows the quantizer no range
/// for that input.
host::LabeledData read_rows(const Args& args, const std::string& path, uint16_t inputs) {
  if (is_paper_set(path)) {
    if (inputs != anne::iris::kFeatures) throw host::Error(path + ": 4 inputs, but the model takes " + std::to_string(inputs));
    return path == "paper-train" ? host::paper_train_set() : host::paper_test_set();
  }
  const host::CsvTable table = host::read_csv(path);
  host::LabeledData data;
  if (args.has("--label")) {
    std::vector<std::string> classes;
    if (args.has("--classes")) classes = host::split(args.get("--classes"), ',');
    data = host::labeled_data(table, args.get("--label"), classes);
  } else {
    data.feature_names = table.header;
    data.x = host::feature_matrix(table, table.header.size());
  }
  if (data.features() != inputs) {
    throw host::Error(path + ": " + std::to_string(data.features()) + " input columns, but the model takes " +
                      std::to_string(inputs));
  }
  const size_t rows = data.x.size() / inputs;
  for (size_t c = 0; c < inputs; ++c) {
    bool constant = true;
    for (size_t r = 1; r < rows && constant; ++r) constant = data.x[r * inputs + c] == data.x[c];
    if (constant && rows > 1) {
      throw host::Error(path + ": column '" + data.feature_names[c] + "' is constant (" + host::format_float(data.x[c]) +
                        "): it gives the quantizer no range to calibrate that input");
    }
  }
  if (auto standardization = standardization_from(args, inputs)) standardize_rows(*standardization, data.x);
  return data;
}

int run_quantize(const Args& args) {
  check_standardization_usage(args);
  if (args.has("--eval") && !is_paper_set(args.get("--eval")) && !args.has("--label")) throw UsageError("--eval needs --label: the column that holds the class");
  const host::HostModel model = host::load_model(args.positional().at(0));
  const Network net = model.network();
  const uint16_t inputs = network_inputs(net);
  const host::LabeledData calibration = read_rows(args, args.get("--calibrate"), inputs);
  const host::QuantizedModel quantized = host::quantize_model(model, calibration.x);

  const bool has_eval = args.has("--eval");
  const host::LabeledData eval_data = has_eval ? read_rows(args, args.get("--eval"), inputs) : host::LabeledData{};
  const host::LabeledData& data = has_eval ? eval_data : calibration;
  const size_t rows = data.x.size() / inputs;
  const std::vector<float> exact = host::predict(net, data.x.data(), rows);
  const std::vector<float> approx = host::predict_quantized(quantized, data.x.data(), rows);
  size_t worst_row = 0;
  double worst = 0.0;
  const uint16_t outputs = network_outputs(net);
  for (size_t i = 0; i < exact.size(); ++i) {
    const double difference = std::fabs(static_cast<double>(exact[i]) - approx[i]);
    if (difference > worst) {
      worst = difference;
      worst_row = i / outputs;
    }
  }
  const bool labelled = !data.y.empty();
  if (args.has("-o")) host::save_quantized_anne(quantized, args.get("-o"));  // last: nothing is written on an error

  const size_t bytes_int8 = quantized.parameter_bytes();
  const size_t bytes_float = 4 * network_parameter_count(net);

  if (args.has("--json")) {
    nlohmann::json layers = nlohmann::json::array();
    for (size_t k = 0; k < quantized.layers.size(); ++k) {
      layers.push_back({{"activation", host::activation_name(quantized.activations[k])},
                        {"output", quant::output_kind_name(quantized.layers[k].output)},
                        {"scale", quantized.outputs[k].scale},
                        {"zero_point", quantized.outputs[k].zero_point},
                        {"preactivation_scale", quantized.preactivations[k].scale},
                        {"preactivation_zero_point", quantized.preactivations[k].zero_point}});
    }
    nlohmann::json document = {{"model", model.name},
                               {"calibration_rows", calibration.x.size() / inputs},
                               {"evaluated_rows", rows},
                               {"input", {{"scale", quantized.input.scale}, {"zero_point", quantized.input.zero_point}}},
                               {"layers", layers},
                               {"float_parameter_bytes", bytes_float},
                               {"quantized_parameter_bytes", bytes_int8},
                               {"largest_output_difference", worst},
                               {"largest_difference_row", worst_row + 1}};
    if (labelled) {
      host::Evaluation float_eval = host::evaluate_outputs(exact, outputs, data);
      host::Evaluation int8_eval = host::evaluate_outputs(approx, outputs, data);
      document["float"] = host::metrics_json(float_eval);
      document["int8"] = host::metrics_json(int8_eval);
    }
    std::printf("%s\n", document.dump().c_str());
    return kExitOk;
  }

  std::printf("%s: int8 post-training quantization, calibrated on %s (%zu rows)\n", model.name.c_str(),
              args.get("--calibrate").c_str(), calibration.x.size() / inputs);
  std::printf("  parameters: %zu bytes as float32, %zu bytes quantized (int8 weights, int32 biases,\n"
              "  requantizers and 16-bit activation tables)\n",
              bytes_float, bytes_int8);
  std::printf("  input: scale %s, zero point %d\n", host::format_float(quantized.input.scale).c_str(), quantized.input.zero_point);
  for (size_t k = 0; k < quantized.layers.size(); ++k) {
    std::printf("  layer %zu: %s %u -> %u, %s as %s; output scale %s, zero point %d\n", k + 1, "dense",
                quantized.layers[k].inputs, quantized.layers[k].units, host::activation_name(quantized.activations[k]).c_str(),
                quant::output_kind_name(quantized.layers[k].output), host::format_float(quantized.outputs[k].scale).c_str(),
                quantized.outputs[k].zero_point);
  }
  if (args.has("-o")) std::printf("wrote %s\n", args.get("-o").c_str());
  std::printf("%s (%zu rows): largest output difference %.6f (row %zu)\n",
              has_eval ? args.get("--eval").c_str() : "on the calibration rows", rows, worst, worst_row + 1);
  if (labelled) {
    host::Evaluation float_eval = host::evaluate_outputs(exact, outputs, data);
    host::Evaluation int8_eval = host::evaluate_outputs(approx, outputs, data);
    std::printf("float32:\n%sint8:\n%s", host::metrics_text(float_eval, "  ").c_str(),
                host::metrics_text(int8_eval, "  ").c_str());
  }
  return kExitOk;
}

}  // namespace

Command quantize_command() {
  std::vector<Option> options = {
      {"--calibrate", "FILE", "CSV rows whose ranges set the scales (every column an input, but --label), or paper-train", true},
      {"--label", "COLUMN", "a label column to leave out of the inputs (and to score the models with)"},
      {"--classes", "LIST", "label values that are classes 0, 1, ... (other rows are skipped)"},
      {"--eval", "FILE", "compare the float and int8 models on this labelled CSV (needs --label), or paper-test"},
      {"-o", "FILE", "write the quantized model (a .anne file, format version 2, e.g. model.q.anne)"}};
  for (Option& option : standardization_options()) options.push_back(option);
  options.push_back(json_option());
  return {"quantize", "quantize a network to int8 and compare it with the float model", "MODEL", options, &run_quantize,
          "MODEL is a built-in network or a .anne file. Weights become int8 with one scale per unit, biases\n"
          "int32, activations 16-bit codes with a scale and zero point per layer from the calibration rows\n"
          "(TFLite's 16x8 scheme; docs/quantization.md). paper-train and paper-test are the working paper's\n"
          "80 training and 20 test rows, standardized.\n\n"
          "example: anne quantize paper-8 --calibrate train.csv --label species --classes versicolor,virginica \\\n"
          "           --standardize paper --eval test.csv\n"};
}

}  // namespace anne::cli
