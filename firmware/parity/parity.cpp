// SPDX-License-Identifier: MIT
// The same program on the host and on each emulated chip; the transcripts must be equal character
// for character, because the core computes the same bits everywhere:
//   - both paper networks on the 20 IRIS test rows: every output as the bits of its float, the
//     confusion matrix and the count of correct rows;
//   - three imported Keras models (exported as C++ headers at build time) on fixed pseudo-random
//     inputs: every output's bits;
//   - a short training run of paper-8 on the 80 training rows (Adam, 3 epochs, batch 8): each
//     epoch's loss and every trained parameter's bits;
//   - the quantized paper-8 and churn networks (exported at build time): every 16-bit output code,
//     paper-8 through both quantized_forward and the unrolled quantized_forward_fixed.
#include <stdint.h>

#include "anne/anne.hpp"
#include "anne/quant/fixed_network.hpp"
#include "board.hpp"
#include "write.hpp"
#include "churn_net.hpp"
#include "diabetes_net.hpp"
#include "flownet_net.hpp"
#include "churn_q.hpp"
#include "paper8_q.hpp"

namespace {

namespace split = anne::iris::paper_split;



void write_floats(const float* values, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    board_write(i % 8 == 0 ? "  " : " ");
    write_hex(anne::math::float_bits(values[i]));
    if (i % 8 == 7 || i + 1 == count) board_write("\n");
  }
}

constexpr size_t kScratchFloats = 256;
float scratch[kScratchFloats];

int paper_networks() {
  int status = 0;
  for (const anne::BuiltinModel& model : anne::kBuiltinModels) {
    uint32_t counts[4];
    anne::ConfusionMatrix matrix(counts, 2);
    matrix.clear();
    board_write(model.name);
    board_write("\n");
    for (uint16_t r = 0; r < split::kTestRows; ++r) {
      float input[anne::iris::kFeatures];
      float output[1];
      split::standardized_row(split::kTestPositions[r], input);
      if (anne::forward(model.network, input, 4, output, 1, scratch, kScratchFloats) != anne::Status::ok) status = 1;
      matrix.add(split::label(split::kTestPositions[r]), anne::predicted_class(output, 1));
      write_floats(output, 1);
    }
    board_write("  confusion ");
    for (uint16_t cell = 0; cell < 4; ++cell) {
      write_decimal(counts[cell]);
      board_write(cell < 3 ? "," : "\n");
    }
    board_write("  correct ");
    write_decimal(matrix.correct());
    board_write(" of ");
    write_decimal(matrix.total());
    board_write("\n");
  }
  return status;
}

struct ImportedModel {
  const char* name;
  const anne::Network& network;
};

int imported_models() {
  static const ImportedModel kModels[] = {
      {"churn (Keras 3.9 .h5)", churn_net::kNetwork},
      {"diabetes with BatchNormalization (Keras 3.5 .keras)", diabetes_net::kNetwork},
      {"flownet, leaky ReLU (Keras 3.9 .keras)", flownet_net::kNetwork},
  };
  static_assert(churn_net::kScratchFloats <= kScratchFloats && diabetes_net::kScratchFloats <= kScratchFloats &&
                    flownet_net::kScratchFloats <= kScratchFloats,
                "scratch too small for the imported models");
  int status = 0;
  anne::train::Random random(2026, 11);
  for (const ImportedModel& model : kModels) {
    board_write(model.name);
    board_write("\n");
    const uint16_t inputs = anne::network_inputs(model.network);
    const uint16_t outputs = anne::network_outputs(model.network);
    for (int row = 0; row < 8; ++row) {
      float input[16];
      float output[4];
      if (inputs > 16 || outputs > 4) return 1;
      for (uint16_t i = 0; i < inputs; ++i) input[i] = 4.0f * random.uniform() - 2.0f;
      if (anne::forward(model.network, input, inputs, output, outputs, scratch, kScratchFloats) != anne::Status::ok) {
        status = 1;
      }
      write_floats(output, outputs);
    }
  }
  return status;
}

bool write_epoch(const anne::train::EpochReport& report, void*) {
  board_write("  epoch ");
  write_decimal(report.epoch);
  board_write(" loss ");
  write_hex(anne::math::float_bits(report.loss));
  board_write(" accuracy ");
  write_hex(anne::math::float_bits(report.accuracy));
  board_write("\n");
  return true;
}

constexpr anne::train::Optimizer kOptimizer = anne::train::Optimizer::adam;
alignas(anne::train::kWorkspaceAlign) unsigned char workspace[anne::train::workspace_bytes(
    anne::paper::paper8::kNetwork, kOptimizer, split::kTrainRows)];
float train_inputs[split::kTrainRows * anne::iris::kFeatures];
float train_targets[split::kTrainRows];

int training_run() {
  split::training_rows(train_inputs, train_targets);
  anne::train::TrainConfig config;
  config.optimizer = anne::train::optimizer_defaults(kOptimizer);
  config.optimizer.learning_rate = 0.01f;
  config.batch_size = 8;
  config.epochs = 3;
  config.seed = 7;
  anne::train::Trainer trainer;
  if (trainer.init(anne::paper::paper8::kNetwork, config, split::kTrainRows, workspace, sizeof workspace) !=
      anne::Status::ok) {
    return 1;
  }
  board_write("paper-8 trained (Adam 0.01, batch 8, 3 epochs)\n");
  const anne::train::Samples train{train_inputs, train_targets, split::kTrainRows};
  const anne::Status status = trainer.fit(train, nullptr, write_epoch, nullptr, nullptr);
  write_floats(trainer.parameters(), trainer.parameter_count());
  return status == anne::Status::ok ? 0 : 1;
}

void write_codes(const int16_t* codes, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    board_write(i % 8 == 0 ? "  " : " ");
    write_hex(static_cast<uint16_t>(codes[i]));
    if (i % 8 == 7 || i + 1 == count) board_write("\n");
  }
}

int16_t quantized_scratch[churn_q::kScratchCodes];

/// The quantized networks: paper-8 on the 20 test rows (generic and unrolled, which must agree),
/// churn on pseudo-random rows; every output as its 16-bit code.
int quantized_models() {
  int status = 0;
  board_write("paper-8 int8\n");
  for (uint16_t r = 0; r < split::kTestRows; ++r) {
    float row[anne::iris::kFeatures];
    split::standardized_row(split::kTestPositions[r], row);
    int16_t input[anne::iris::kFeatures], generic[1], fixed[1];
    for (uint16_t i = 0; i < anne::iris::kFeatures; ++i) input[i] = anne::quant::quantize_value(row[i], paper8_q::kNetwork.input);
    if (anne::quant::quantized_forward(paper8_q::kNetwork, input, 4, generic, 1, quantized_scratch, paper8_q::kScratchCodes) !=
        anne::Status::ok) {
      status = 1;
    }
    anne::quant::quantized_forward_fixed<paper8_q::kNetwork>(input, fixed);
    if (fixed[0] != generic[0]) status = 1;
    write_codes(generic, 1);
  }
  board_write("churn int8\n");
  anne::train::Random random(2026, 12);
  for (int row = 0; row < 8; ++row) {
    int16_t input[12], output[1];
    for (uint16_t i = 0; i < 12; ++i) input[i] = anne::quant::quantize_value(4.0f * random.uniform() - 2.0f, churn_q::kNetwork.input);
    if (anne::quant::quantized_forward(churn_q::kNetwork, input, 12, output, 1, quantized_scratch, churn_q::kScratchCodes) !=
        anne::Status::ok) {
      status = 1;
    }
    write_codes(output, 1);
  }
  return status;
}

}  // namespace

int main() {
  const int status = paper_networks() | imported_models() | training_run() | quantized_models();
  return status;
}
