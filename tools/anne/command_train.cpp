// SPDX-License-Identifier: MIT
// anne train: trains a network on the host with the core's trainer (include/anne/train/), the same
// code the device runs: from scratch (--layers, Glorot initialization) or by fine-tuning a model
// (--from, optionally freezing its first layers). Prints a progress line per epoch, then the
// confusion matrix on the test rows; writes the learning curve as CSV and SVG on request.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <utility>

#include "anne/train/trainer.hpp"
#include "anne_host/csv.hpp"
#include "anne_host/error.hpp"
#include "anne_host/evaluate.hpp"
#include "anne_host/anne_file.hpp"
#include "anne_host/model.hpp"
#include "anne_host/paper_split.hpp"
#include "anne_host/text.hpp"
#include "anne_host/train/curve.hpp"
#include "anne_host/train/data.hpp"
#include "anne_host/train/layers_spec.hpp"
#include "anne_host/train/progress.hpp"
#include "commands.hpp"
#include "options.hpp"

namespace anne::cli {

namespace {

/// What a preset fills in; options given on the command line win.
struct Preset {
  const char* name;
  const char* description;
  const char* layers;
  const char* loss;
  const char* optimizer;
  const char* learning_rate;
  long epochs;
  long batch;
  bool shuffle;
};

// The working paper's self-learning example: 4-3-1, relu then sigmoid, binary cross-entropy,
// plain SGD with learning rate 0.05, 100 epochs, one sample at a time in the data's order, on its
// IRIS split (80 training rows, 20 test rows, standardized).
constexpr Preset kPresets[] = {
    {"paper-selflearning", "the working paper's self-learning example on its IRIS split", "4,3:relu,1:sigmoid", "bce",
     "sgd", "0.05", 100, 1, false},
};

const Preset* find_preset(const std::string& name) {
  for (const Preset& preset : kPresets) {
    if (name == preset.name) return &preset;
  }
  std::string names;
  for (const Preset& preset : kPresets) names += (names.empty() ? "" : ", ") + std::string(preset.name);
  throw UsageError("unknown preset '" + name + "' (presets: " + names + ")");
}

float positive_float_option(const Args& args, const std::string& name, float fallback) {
  if (!args.has(name)) return fallback;
  const std::optional<float> value = host::parse_float(args.get(name));
  if (!value || !(*value > 0.0f)) throw UsageError("option " + name + " needs a positive number, not '" + args.get(name) + "'");
  return *value;
}

template <typename Info, size_t N>
std::string table_names(const Info (&table)[N]) {
  std::string names;
  for (const Info& info : table) names += (names.empty() ? "" : ", ") + std::string(info.name);
  return names;
}

struct Data {
  host::LabeledData train;
  host::LabeledData test;  ///< empty: no validation
  std::string source;
};

Data load_data(const Args& args, const Preset* preset) {
  Data data;
  if (!args.has("--csv")) {
    if (preset == nullptr) throw UsageError("missing option --csv (or --preset)");
    data.train = host::paper_train_set();
    data.test = host::paper_test_set();
    data.source = "the paper's IRIS split (80 training rows, 20 test rows, standardized)";
    return data;
  }
  if (!args.has("--label")) throw UsageError("--csv needs --label COLUMN");
  const host::CsvTable table = host::read_csv(args.get("--csv"));
  std::vector<std::string> classes;
  if (args.has("--classes")) classes = host::split(args.get("--classes"), ',');
  host::LabeledData all = host::labeled_data(table, args.get("--label"), classes);
  data.source = table.source;
  if (args.has("--test-split") && args.has("--test-csv")) throw UsageError("--test-split and --test-csv exclude each other");
  if (args.has("--test-csv")) {
    data.train = std::move(all);
    data.test = host::labeled_data(host::read_csv(args.get("--test-csv")), args.get("--label"), classes);
    if (data.test.features() != data.train.features()) {
      throw host::Error(args.get("--test-csv") + " has " + std::to_string(data.test.features()) + " feature columns, " +
                        data.source + " has " + std::to_string(data.train.features()));
    }
  } else if (args.has("--test-split")) {
    const std::optional<float> fraction = host::parse_float(args.get("--test-split"));
    if (!fraction || !(*fraction > 0.0f && *fraction < 1.0f)) {
      throw UsageError("option --test-split needs a fraction between 0 and 1, not '" + args.get("--test-split") + "'");
    }
    const uint32_t seed = static_cast<uint32_t>(integer_option(args, "--seed", 42, 0, 4294967295L));
    auto [train, test] = host::split_rows(all, *fraction, seed);
    data.train = std::move(train);
    data.test = std::move(test);
  } else {
    data.train = std::move(all);
  }
  if (args.has("--standardize")) {
    Standardization fitted;
    host::fit_standardization(data.train, fitted.mean, fitted.std_dev);
    standardize_rows(fitted, data.train.x);
    standardize_rows(fitted, data.test.x);
    std::string mean, std_dev;
    for (size_t i = 0; i < fitted.mean.size(); ++i) {
      mean += (i ? "," : "") + host::format_float(fitted.mean[i]);
      std_dev += (i ? "," : "") + host::format_float(fitted.std_dev[i]);
    }
    std::printf("standardized with the training rows' mean and std (for anne eval: --mean %s --std %s)\n",
                mean.c_str(), std_dev.c_str());
  }
  return data;
}

struct Progress {
  bool quiet;
  bool terminal;
  std::vector<host::CurveRow> curve;
};

bool on_epoch(const train::EpochReport& report, void* user) {
  Progress& progress = *static_cast<Progress*>(user);
  progress.curve.push_back(host::curve_row(report));
  if (progress.quiet) return true;
  const int every = report.epochs >= 20 ? report.epochs / 20 : 1;
  const bool last = report.epoch == report.epochs || report.stop != train::Stop::none;
  if (progress.terminal) {
    std::printf("\r%s%s", host::progress_line(report).c_str(), last ? "\n" : "");
    std::fflush(stdout);
  } else if (report.epoch == 1 || last || report.epoch % every == 0) {
    std::printf("%s\n", host::progress_line(report).c_str());
  }
  return true;
}

/// The threshold that maximizes class 1's F1 on the training rows (not the test rows), and what it
/// gives on both; `test_outputs` are the network's outputs for the test rows.
void report_chosen_threshold(const Network& net, const Data& data, std::vector<float> test_outputs) {
  const std::vector<float> train_outputs = host::predict(net, data.train.x.data(), data.train.rows());
  const float threshold = host::best_f1_threshold(train_outputs, data.train.y);
  host::Evaluation on_train = host::evaluate_outputs(train_outputs, 1, data.train, threshold);
  std::printf("decision threshold chosen on the training rows (best F1 of class 1): %s\ntraining rows, p > %s:\n%s",
              host::format_float(threshold).c_str(), host::format_float(threshold).c_str(),
              host::metrics_text(on_train, "  ").c_str());
  if (data.test.rows() == 0) return;
  host::Evaluation on_test = host::evaluate_outputs(std::move(test_outputs), 1, data.test, threshold);
  std::printf("test rows, p > %s:\n%s", host::format_float(threshold).c_str(), host::metrics_text(on_test, "  ").c_str());
}

int run_train(const Args& args) {
  const Preset* preset = args.has("--preset") ? find_preset(args.get("--preset")) : nullptr;
  if (args.has("--layers") && args.has("--from")) throw UsageError("--layers and --from exclude each other");
  if (!args.has("--layers") && !args.has("--from") && preset == nullptr) {
    throw UsageError("missing option --layers (a new network) or --from (a model to fine-tune)");
  }
  // Read every option before the (slow) data and training, so a typo fails at once.
  const bool fine_tune = args.has("--from");
  host::HostModel model = fine_tune ? host::load_model(args.get("--from"))
                                    : host::model_from_layers_spec(args.get_or("--layers", preset ? preset->layers : ""));
  const uint16_t outputs = network_outputs(model.network());
  const std::string loss_name = args.get_or("--loss", preset ? preset->loss : (outputs == 1 ? "bce" : "sparse_cce"));
  const train::LossInfo* loss = train::find_loss(loss_name.c_str());
  if (loss == nullptr) throw UsageError("unknown loss '" + loss_name + "' (losses: " + table_names(train::kLosses) + ")");
  const std::string optimizer_name = args.get_or("--optimizer", preset ? preset->optimizer : "sgd");
  const train::OptimizerInfo* optimizer = train::find_optimizer(optimizer_name.c_str());
  if (optimizer == nullptr) {
    throw UsageError("unknown optimizer '" + optimizer_name + "' (optimizers: " + table_names(train::kOptimizers) + ")");
  }
  if (train::is_categorical(loss->kind) && outputs < 2) {
    throw host::Error(std::string(loss->keras_name) + " needs one output per class, but the network has 1 output (use bce)");
  }
  train::TrainConfig config;
  config.loss = loss->kind;
  config.optimizer = train::optimizer_defaults(optimizer->kind);
  const float preset_lr = preset ? *host::parse_float(preset->learning_rate) : config.optimizer.learning_rate;
  config.optimizer.learning_rate = positive_float_option(args, "--lr", preset_lr);
  config.optimizer.momentum = positive_float_option(args, "--momentum", config.optimizer.momentum);
  config.epochs = static_cast<uint16_t>(integer_option(args, "--epochs", preset ? preset->epochs : 100, 1, 65535));
  config.batch_size = static_cast<uint32_t>(integer_option(args, "--batch", preset ? preset->batch : 32, 1, 1000000));
  config.shuffle = !args.has("--no-shuffle") && (preset == nullptr || preset->shuffle);
  config.seed = static_cast<uint32_t>(integer_option(args, "--seed", 42, 0, 4294967295L));
  if (args.has("--freeze") && !fine_tune) throw UsageError("--freeze is for fine-tuning a model given with --from");
  config.frozen_layers = static_cast<uint16_t>(integer_option(args, "--freeze", 0, 0, static_cast<long>(model.layers.size()) - 1));

  const Data data = load_data(args, preset);
  const Network source = model.network();
  if (data.train.features() != network_inputs(source)) {
    throw host::Error("the network has " + std::to_string(network_inputs(source)) + " inputs, but " + data.source +
                      " has " + std::to_string(data.train.features()) + " feature columns");
  }
  const host::LabeledData fit_rows = args.has("--oversample") ? host::oversample(data.train) : data.train;
  if (args.has("--oversample")) {
    std::printf("oversampled the training rows for class balance: %zu rows -> %zu\n", data.train.rows(), fit_rows.rows());
  }
  if (args.has("--choose-threshold") && outputs != 1) throw host::Error("--choose-threshold needs a network with one sigmoid output");
  const std::vector<float> train_targets = host::targets_for(config.loss, fit_rows, outputs);
  const std::vector<float> test_targets = host::targets_for(config.loss, data.test, outputs);
  const uint32_t rows = static_cast<uint32_t>(fit_rows.rows());

  const size_t bytes = train::workspace_bytes(source, config.optimizer.kind, rows);
  std::unique_ptr<unsigned char[]> workspace(new unsigned char[bytes]);  // new[] aligns for any Layer
  train::Trainer trainer;
  const Status status = trainer.init(source, config, rows, workspace.get(), bytes);
  if (status != Status::ok) throw host::Error(std::string("cannot train this network: ") + status_message(status));
  if (!fine_tune) trainer.initialize(config.seed);

  const train::Samples train_samples{fit_rows.x.data(), train_targets.data(), rows};
  const train::Samples test_samples{data.test.x.data(), test_targets.data(), static_cast<uint32_t>(data.test.rows())};
  float start_loss = 0.0f, start_accuracy = 0.0f;
  trainer.evaluate(train_samples, &start_loss, &start_accuracy);
  std::printf("training %s (%zu parameters, %zu trainable%s) on %s: %u rows, %zu test rows\n", model.name.c_str(),
              network_parameter_count(source), trainer.parameter_count(),
              config.frozen_layers ? (", first " + std::to_string(config.frozen_layers) + " layers frozen").c_str() : "",
              data.source.c_str(), rows, data.test.rows());
  std::printf("loss %s, optimizer %s (learning rate %s), batch %u, %u epochs, %s, workspace %zu bytes\n",
              loss->keras_name, optimizer->name, host::format_float(config.optimizer.learning_rate).c_str(),
              config.batch_size, config.epochs, config.shuffle ? "shuffled" : "in order", bytes);
  std::printf("%s: loss %.4f, accuracy %.4f on the training rows\n", fine_tune ? "before fine-tuning" : "initial",
              static_cast<double>(start_loss), static_cast<double>(start_accuracy));

  Progress progress{args.has("--quiet"), isatty(fileno(stdout)) != 0, {}};
  train::EpochReport last;
  trainer.fit(train_samples, data.test.rows() > 0 ? &test_samples : nullptr, &on_epoch, &progress, &last);
  float end_loss = 0.0f, end_accuracy = 0.0f;
  trainer.evaluate(train_samples, &end_loss, &end_accuracy);
  std::printf("after %u steps: loss %.4f, accuracy %.4f on the training rows\n", trainer.steps(),
              static_cast<double>(end_loss), static_cast<double>(end_accuracy));
  std::vector<float> test_outputs;  // kept for --choose-threshold, which scores the same outputs again
  if (data.test.rows() > 0) {
    host::Evaluation evaluation = host::evaluate(trainer.network(), data.test);
    std::printf("test rows:\n%s", host::metrics_text(evaluation, "  ").c_str());
    test_outputs = std::move(evaluation.output_values);
  }
  if (args.has("--choose-threshold")) report_chosen_threshold(trainer.network(), data, std::move(test_outputs));
  if (args.has("--curve")) host::write_curve_csv(args.get("--curve"), progress.curve);
  if (args.has("--plot")) host::write_curve_svg(args.get("--plot"), progress.curve, "anne train: " + model.name);
  const bool diverged = last.stop != train::Stop::none && last.stop != train::Stop::by_callback;
  if (diverged) {
    std::fprintf(stderr,
                 "anne train: stopped in epoch %u: %s; the weights are the last ones that gave a finite loss "
                 "(try a smaller --lr)\n",
                 last.epoch, train::stop_message(last.stop));
  }
  if (diverged) return kExitError;
  if (args.has("-o")) {
    // The trained layers point into the trainer's workspace, alive until the end of this function.
    host::HostModel trained;
    trained.name = model.name;
    const Network net = trainer.network();
    trained.layers.assign(net.layers, net.layers + net.count);
    host::save_anne(trained, args.get("-o"));
    std::printf("wrote %s\n", args.get("-o").c_str());
  }
  return kExitOk;
}

}  // namespace

Command train_command() {
  return {"train",
          "train a network on a labelled CSV file, from scratch or by fine-tuning a model",
          "",
          {{"--preset", "NAME", "fill in a known setup: " + table_names(kPresets)},
           {"--layers", "SPEC", "a new network: inputs, then units:activation per Dense layer (4,3:relu,1:sigmoid)"},
           {"--from", "MODEL", "fine-tune this model (" + host::builtin_model_names() + ", or a .anne file) instead"},
           {"--freeze", "K", "with --from: keep the first K layers' weights"},
           {"--csv", "FILE", "training data with a header row; every column but the label is an input"},
           {"--label", "COLUMN", "the label column, by name or 0-based index"},
           {"--classes", "LIST", "label values that are classes 0, 1, ... (other rows are skipped)"},
           {"--standardize", "", "z-score the inputs with the training rows' mean and std"},
           {"--test-split", "FRACTION", "hold out this share of the rows (seeded shuffle) as test rows"},
           {"--test-csv", "FILE", "test rows from this file instead (same columns as --csv)"},
           {"--seed", "N", "seed for the split, the initial weights and the shuffling (default 42)"},
           {"--epochs", "N", "passes over the training rows (default 100)"},
           {"--lr", "RATE", "learning rate (default: Keras's, 0.01 for SGD, 0.001 for Adam)"},
           {"--optimizer", "NAME", table_names(train::kOptimizers) + " (default sgd)"},
           {"--momentum", "MU", "for momentum and nesterov (default 0.9)"},
           {"--loss", "NAME", table_names(train::kLosses) + " (default bce for one output, else sparse_cce)"},
           {"--batch", "N", "rows per step (default 32; 1 = one sample at a time)"},
           {"--no-shuffle", "", "keep the rows in file order every epoch"},
           {"--oversample", "", "class imbalance: repeat each row of a smaller class round(largest / its rows) times"},
           {"--choose-threshold", "", "one sigmoid output: pick the threshold with the best F1 of class 1 on the training rows"},
           {"--curve", "FILE", "write the learning curve per epoch as CSV (loss, accuracy, gradient norms, dead units)"},
           {"--plot", "FILE", "draw the learning curve as SVG (loss, accuracy, gradient norm per layer)"},
           {"--quiet", "", "no progress lines"},
           {"-o", "FILE", "write the trained model as a .anne file (not written when training diverges)"}},
          &run_train,
          "examples:\n"
          "  anne train --preset paper-selflearning --curve curve.csv --plot curve.svg\n"
          "  anne train --layers 4,8:relu,3:softmax --csv ../shared/data/iris/iris.csv --label species \\\n"
          "             --standardize --test-split 0.2 --optimizer adam --lr 0.01 --epochs 200 --batch 16\n"
          "  anne train --from paper-8 --freeze 2 --csv ../shared/data/iris/iris.csv --label species \\\n"
          "             --classes versicolor,virginica --standardize --epochs 20\n"};
}

}  // namespace anne::cli
