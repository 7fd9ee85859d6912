// SPDX-License-Identifier: MIT
// The timed loops of `make bench-device`, the same program on every chip.
//
// Protocol (so any harness can time it): each measured loop sits between two markers, BKPT #n and
// BKPT #n+1 on the RP2040 image (rp2040js reports the cycles between them); SysTick times the
// same loop on every chip and the program prints that figure too (cycles on the RP2040,
// instructions on QEMU with -icount). Markers:
//   #1/#2   paper-8 float32, kInferences inferences
//   #5/#6   paper-6 float32, kInferences inferences
//   #7/#8   churn 12-64-32-1 float32, kChurnInferences inferences
//   #9/#10  paper-8 training, kTrainSteps sample-steps (batch of one: forward, loss, backward, SGD
//           update, divergence guard; the learner's statistics off, as the console trains)
//   #13/#14 the same with the learner's statistics (gradient norms, dead units), as `anne train`
//   #3/#4   paper-8 int8 (int8 weights, 16-bit activations; quantized_forward_fixed), kInferences inferences
//   #15/#16 paper-8 int8 with the generic loop (quantized_forward), kInferences inferences
//   #11/#12 churn 12-64-32-1 int8 (quantized_forward), kChurnInferences inferences
//           (the int8 loops take their inputs as 16-bit codes, quantized once before the loop)
// The program prints `inferences: N` and, per loop, a line
// `marker 1-2: paper-8 float32, 100 runs, 3811 cycles per run (SysTick)`; then the peak stack of
// one inference; it ends with status 0, or 1 if an inference failed.
#include <stdint.h>

#include "anne/anne.hpp"
#include "anne/quant/fixed_network.hpp"
#include "board.hpp"
#include "write.hpp"
#include "churn_net.hpp"
#include "churn_q.hpp"
#include "paper8_q.hpp"

namespace {

namespace split = anne::iris::paper_split;

constexpr uint32_t kInferences = 100;
constexpr uint32_t kChurnInferences = 10;  // ~3,000 multiply-adds each: keeps SysTick (24 bits) from wrapping
constexpr uint32_t kTrainSteps = 80;       // one epoch of the paper's training rows, one row per step

float rows[split::kTestRows][anne::iris::kFeatures];
float scratch[anne::forward_scratch_floats(churn_net::kNetwork)];
volatile float sink;  // keeps the compiler from dropping the loops
int status = 0;


void report(const char* markers, const char* what, uint32_t runs, uint32_t ticks) {
  board_write("marker ");
  board_write(markers);
  board_write(": ");
  board_write(what);
  board_write(", ");
  write_decimal(runs);
  board_write(" runs, ");
  write_decimal((ticks + runs / 2) / runs);
  board_write(" ");
  board_write(kBoardTickUnit);
  board_write(" per run (SysTick)\n");
}

/// One inference of `net` on IRIS test row `r` (paper networks) into `output`.
template <class Activations>
void infer_paper(const anne::Network& net, uint32_t r) {
  float output[1];
  if (anne::forward<Activations>(net, rows[r], 4, output, 1, scratch, sizeof scratch / sizeof scratch[0]) !=
      anne::Status::ok) {
    status = 1;
  }
  sink = output[0];
}

template <unsigned Start, unsigned Stop, class Activations>
void time_paper(const anne::Network& net, const char* markers, const char* what) {
  infer_paper<Activations>(net, 0);  // warm-up: the same path as the loop
  const uint32_t from = board_ticks();
  board_marker<Start>();
  // The rows in turn, counted without a division (a library call on the Cortex-M0+, not part of
  // an inference).
  for (uint32_t i = 0, r = 0; i < kInferences; ++i, r = r + 1 == split::kTestRows ? 0 : r + 1) {
    infer_paper<Activations>(net, r);
  }
  board_marker<Stop>();
  report(markers, what, kInferences, board_elapsed(from, board_ticks()));
}

void time_churn() {
  float input[12];
  for (int i = 0; i < 12; ++i) input[i] = 0.25f * static_cast<float>(i) - 1.5f;
  float output[1];
  const uint32_t from = board_ticks();
  board_marker<7>();
  for (uint32_t i = 0; i < kChurnInferences; ++i) {
    input[i % 12] += 0.125f;
    if (anne::forward<churn_net::Activations>(churn_net::kNetwork, input, 12, output, 1, scratch, sizeof scratch / sizeof scratch[0]) !=
        anne::Status::ok) {
      status = 1;
    }
    sink = output[0];
  }
  board_marker<8>();
  report("7-8", "churn 12-64-32-1 float32", kChurnInferences, board_elapsed(from, board_ticks()));
}

int16_t quantized_rows[split::kTestRows][anne::iris::kFeatures];
int16_t quantized_scratch[churn_q::kScratchCodes];
volatile int16_t quantized_sink;

void time_paper_int8() {
  for (uint16_t r = 0; r < split::kTestRows; ++r) {
    for (uint16_t i = 0; i < anne::iris::kFeatures; ++i) quantized_rows[r][i] = anne::quant::quantize_value(rows[r][i], paper8_q::kNetwork.input);
  }
  int16_t output[1];
  uint32_t from = board_ticks();
  board_marker<3>();
  for (uint32_t i = 0, r = 0; i < kInferences; ++i, r = r + 1 == split::kTestRows ? 0 : r + 1) {
    anne::quant::quantized_forward_fixed<paper8_q::kNetwork>(quantized_rows[r], output);
    quantized_sink = output[0];
  }
  board_marker<4>();
  report("3-4", "paper-8 int8", kInferences, board_elapsed(from, board_ticks()));

  from = board_ticks();
  board_marker<15>();
  for (uint32_t i = 0, r = 0; i < kInferences; ++i, r = r + 1 == split::kTestRows ? 0 : r + 1) {
    if (anne::quant::quantized_forward(paper8_q::kNetwork, quantized_rows[r], 4, output, 1, quantized_scratch,
                                       paper8_q::kScratchCodes) != anne::Status::ok) {
      status = 1;
    }
    quantized_sink = output[0];
  }
  board_marker<16>();
  report("15-16", "paper-8 int8 (generic loop)", kInferences, board_elapsed(from, board_ticks()));
}

void time_churn_int8() {
  int16_t input[12];
  for (int i = 0; i < 12; ++i) input[i] = anne::quant::quantize_value(0.25f * static_cast<float>(i) - 1.5f, churn_q::kNetwork.input);
  int16_t output[1];
  const uint32_t from = board_ticks();
  board_marker<11>();
  for (uint32_t i = 0; i < kChurnInferences; ++i) {
    input[i % 12] = static_cast<int16_t>(input[i % 12] + 2048);
    if (anne::quant::quantized_forward(churn_q::kNetwork, input, 12, output, 1, quantized_scratch, churn_q::kScratchCodes) !=
        anne::Status::ok) {
      status = 1;
    }
    quantized_sink = output[0];
  }
  board_marker<12>();
  report("11-12", "churn 12-64-32-1 int8", kChurnInferences, board_elapsed(from, board_ticks()));
}

constexpr anne::train::Optimizer kOptimizer = anne::train::Optimizer::sgd;
alignas(anne::train::kWorkspaceAlign) unsigned char workspace[anne::train::workspace_bytes(
    anne::paper::paper8::kNetwork, kOptimizer, split::kTrainRows)];
float train_inputs[split::kTrainRows * anne::iris::kFeatures];
float train_targets[split::kTrainRows];

/// kTrainSteps sample-steps of paper-8 from Keras's weights: one epoch of the paper's training
/// rows, one row per SGD step, between markers Start and Stop.
template <unsigned Start, unsigned Stop>
void time_training(bool statistics, const char* markers, const char* what) {
  split::training_rows(train_inputs, train_targets);
  anne::train::TrainConfig config;
  config.optimizer = anne::train::optimizer_defaults(kOptimizer);
  config.statistics = statistics;
  anne::train::Trainer trainer;
  if (trainer.init(anne::paper::paper8::kNetwork, config, split::kTrainRows, workspace, sizeof workspace) !=
      anne::Status::ok) {
    status = 1;
    return;
  }
  const anne::train::Samples train{train_inputs, train_targets, split::kTrainRows};
  float loss = 0.0f;
  uint32_t index = 0;
  trainer.step(train, &index, 1, &loss, nullptr);  // warm-up
  const uint32_t from = board_ticks();
  board_marker<Start>();
  for (index = 0; index < kTrainSteps; ++index) trainer.step(train, &index, 1, &loss, nullptr);
  board_marker<Stop>();
  report(markers, what, kTrainSteps, board_elapsed(from, board_ticks()));
  sink = loss;
}

/// Peak stack of one paper-8 inference: fill the free stack below this frame with a pattern, run
/// the inference, and find the deepest word that changed.
constexpr uint32_t kPaint = 0xA5A5A5A5u;
constexpr uint32_t kPaintWords = 512;

__attribute__((noinline)) uint32_t stack_pointer() {
  uint32_t sp;
  __asm volatile("mov %0, sp" : "=r"(sp));
  return sp;
}

__attribute__((noinline)) void paint_below(uint32_t top) {
  volatile uint32_t* word = reinterpret_cast<volatile uint32_t*>(top);
  for (uint32_t i = 1; i <= kPaintWords; ++i) word[-static_cast<int32_t>(i)] = kPaint;
}

__attribute__((noinline)) uint32_t deepest_change(uint32_t top) {
  const volatile uint32_t* word = reinterpret_cast<const volatile uint32_t*>(top);
  for (uint32_t i = kPaintWords; i >= 1; --i) {
    if (word[-static_cast<int32_t>(i)] != kPaint) return i * 4;
  }
  return 0;
}

void measure_stack() {
  // Paint from 64 bytes below this frame's stack pointer, which paint_below's own frame stays in.
  const uint32_t top = stack_pointer() - 64;
  paint_below(top);
  infer_paper<anne::paper::paper8::Activations>(anne::paper::paper8::kNetwork, 0);
  board_write("paper-8 float32: peak stack of one inference ");
  write_decimal(deepest_change(top) + 64);
  board_write(" bytes (forward() and what it calls, measured from the caller's frame)\n");
}

}  // namespace

int main() {
  for (uint16_t r = 0; r < split::kTestRows; ++r) split::standardized_row(split::kTestPositions[r], rows[r]);
  board_write("inferences: ");
  write_decimal(kInferences);
  board_write("\n");
  time_paper<1, 2, anne::paper::paper8::Activations>(anne::paper::paper8::kNetwork, "1-2", "paper-8 float32");
  time_paper<5, 6, anne::paper::paper6::Activations>(anne::paper::paper6::kNetwork, "5-6", "paper-6 float32");
  time_churn();
  time_paper_int8();
  time_churn_int8();
  time_training<9, 10>(false, "9-10", "paper-8 training sample-step (SGD)");
  time_training<13, 14>(true, "13-14", "paper-8 training sample-step (SGD) with the learner's statistics");
  measure_stack();
  return status;
}
