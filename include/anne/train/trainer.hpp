// SPDX-License-Identifier: MIT
// The training loop: mini-batch gradient descent over a Sequential network, in caller-provided
// memory (workspace.hpp), with the same code on the PC and on the chip.
//
// One step on a batch of B samples (x, t):
//   for each sample: forward, keeping z and y of every layer; L += loss(y, t) / B;
//                    dL/dy of the last layer (losses.hpp) scaled by 1/B, then backward through
//                    every trainable layer (backward.hpp), adding up the parameter gradients
//   divergence guard (guard.hpp): a NaN or infinite loss stops training and puts back the last
//                    weights that gave a finite loss
//   optimizer update (optimizers.hpp) of every parameter of the layers that are not frozen, into
//                    the workspace's second parameter buffer; the new weights take over only when
//                    every one is finite (else training stops: a gradient or the update blew up)
// One epoch: the training rows in a new random order (unless shuffle is off), cut into batches of
// batch_size (the last one may be smaller), then the validation set if there is one, then the
// callback with the epoch's numbers. That is Keras's model.fit(x, y, batch_size, epochs, shuffle).
//
// What a learner sees per epoch (EpochReport): the mean training loss over the epoch's samples and
// the training accuracy (as Keras's progress bar shows them), the validation loss and accuracy,
// and, unless TrainConfig::statistics is off, each layer's gradient norm ||dL/dparams||_2 over
// the epoch's batches (their root mean square; vanishing or exploding gradients show here) and
// each layer's share of dead units (output exactly 0 for every training sample of the epoch: dead
// ReLUs). The statistics cost a multiply-add per parameter per batch and a look at every unit per
// sample, a fifth more cycles for a one-sample step on a chip without an FPU; a program that does
// not show them turns them off.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/metrics.hpp"
#include "anne/network.hpp"
#include "anne/train/backward.hpp"
#include "anne/train/guard.hpp"
#include "anne/train/initializers.hpp"
#include "anne/train/losses.hpp"
#include "anne/train/optimizers.hpp"
#include "anne/train/random.hpp"
#include "anne/train/vectors.hpp"
#include "anne/train/workspace.hpp"

namespace anne {
namespace train {

struct TrainConfig {
  Loss loss = Loss::binary_crossentropy;
  OptimizerConfig optimizer;
  uint32_t batch_size = 32;  ///< Keras's default
  uint16_t epochs = 1;
  bool shuffle = true;
  uint32_t seed = 42;            ///< the shuffle order's seed
  uint16_t frozen_layers = 0;    ///< the first K layers keep their weights (fine-tuning)
  bool statistics = true;        ///< gradient norms and dead units per epoch (EpochReport)
};

/// Rows of inputs and their targets: rows * network_inputs floats, rows * target_width floats.
struct Samples {
  const float* inputs = nullptr;
  const float* targets = nullptr;
  uint32_t rows = 0;
};

struct EpochReport {
  uint16_t epoch = 0;   ///< from 1
  uint16_t epochs = 0;
  uint16_t layers = 0;
  float loss = 0.0f;     ///< mean training loss over the epoch's samples
  float accuracy = 0.0f;
  bool has_validation = false;
  float validation_loss = 0.0f;
  float validation_accuracy = 0.0f;
  const float* gradient_norms = nullptr;  ///< per layer; nullptr when TrainConfig::statistics is off
  const float* dead_fraction = nullptr;   ///< per layer; nullptr when TrainConfig::statistics is off
  Stop stop = Stop::none;
  uint32_t steps = 0;  ///< optimizer updates applied so far
};

/// Called after every epoch; return false to stop training.
using EpochCallback = bool (*)(const EpochReport& report, void* user);

class Trainer {
 public:
  /// Copies `source`'s layers and trainable parameters into `workspace` (workspace_bytes(source,
  /// config.optimizer.kind, rows) bytes, aligned to kWorkspaceAlign). `rows` is the most training
  /// rows fit() will see. The source network must outlive the trainer (frozen elementwise layers
  /// keep reading it).
  Status init(const Network& source, const TrainConfig& config, uint32_t rows, void* workspace, size_t bytes) {
    const Status valid = validate_network(source);
    if (valid != Status::ok) return valid;
    if (workspace == nullptr || reinterpret_cast<uintptr_t>(workspace) % kWorkspaceAlign != 0) {
      return Status::invalid_argument;
    }
    if (loss_info(config.loss) == nullptr || optimizer_info(config.optimizer.kind) == nullptr) {
      return Status::invalid_argument;
    }
    if (config.batch_size == 0 || config.frozen_layers >= source.count) return Status::invalid_argument;
    const WorkspaceLayout w = workspace_layout(source, config.optimizer.kind, rows);
    if (bytes < w.total_bytes) return Status::buffer_too_small;

    unsigned char* base = static_cast<unsigned char*>(workspace);
    layers_ = reinterpret_cast<Layer*>(base);
    count_ = source.count;
    params_ = reinterpret_cast<float*>(base + w.params_offset);
    grads_ = reinterpret_cast<float*>(base + w.grads_offset);
    previous_ = reinterpret_cast<float*>(base + w.previous_offset);
    state_ = reinterpret_cast<float*>(base + w.state_offset);
    z_ = reinterpret_cast<float*>(base + w.z_offset);
    y_ = reinterpret_cast<float*>(base + w.y_offset);
    scratch_ = reinterpret_cast<float*>(base + w.scratch_offset);
    batch_squares_ = reinterpret_cast<float*>(base + w.batch_squares_offset);
    epoch_norms_ = reinterpret_cast<float*>(base + w.epoch_norms_offset);
    dead_ = reinterpret_cast<float*>(base + w.dead_offset);
    order_ = reinterpret_cast<uint32_t*>(base + w.order_offset);
    active_ = base + w.active_offset;
    parameters_ = 0;
    for (uint16_t k = 0; k < source.count; ++k) parameters_ += trainable_parameter_count(source.layers[k]);
    widest_ = w.widest;
    units_ = w.units;
    first_trainable_ = 0;
    for (uint16_t k = 0; k < config.frozen_layers; ++k) first_trainable_ += trainable_parameter_count(source.layers[k]);
    capacity_rows_ = rows;
    config_ = config;
    steps_ = 0;
    random_ = Random(config.seed, kShuffleStream);

    // Copy each layer, pointing its trainable arrays at our copy of them.
    float* next = params_;
    for (uint16_t k = 0; k < count_; ++k) {
      Layer& layer = layers_[k];
      layer = source.layers[k];
      const LayerGradients to = parameter_split(layer, next);
      if (to.weights != nullptr) {
        copy_floats(layer.weights, to.weights, static_cast<size_t>(layer.units) * layer.inputs);
        layer.weights = to.weights;
      }
      if (to.bias != nullptr) {
        copy_floats(layer.bias, to.bias, layer.units);
        layer.bias = to.bias;
      }
      if (to.alpha != nullptr) {
        copy_floats(layer.activation.unit_alpha, to.alpha, layer.units);
        layer.activation.unit_alpha = to.alpha;
      }
      next += trainable_parameter_count(layer);
    }
    start_previous();
    zeros(grads_, parameters_);  // what gradients() shows before a step, and always for frozen layers
    zeros(state_, optimizer_state_floats(config.optimizer.kind, parameters_));
    zeros(epoch_norms_, count_);
    zeros(batch_squares_, count_);
    zeros(dead_, count_);
    for (size_t u = 0; u < w.units; ++u) active_[u] = 0;
    return Status::ok;
  }

  /// Keras's initialization for every trainable layer: Glorot uniform kernels, zero biases and
  /// PReLU slopes, drawn layer by layer from PCG32(seed, stream 1). Resets the optimizer.
  void initialize(uint32_t seed) {
    Random random(seed, kInitStream);
    float* at = params_;
    for (uint16_t k = 0; k < count_; ++k) {
      const Layer& layer = layers_[k];
      if (layer.kind == LayerKind::dense) {
        glorot_uniform(at, layer.inputs, layer.units, random);
        at += static_cast<size_t>(layer.units) * layer.inputs;
        if (layer.bias != nullptr) {
          zeros(at, layer.units);
          at += layer.units;
        }
      }
      if (layer.activation.kind == Activation::prelu) {
        zeros(at, layer.units);
        at += layer.units;
      }
    }
    zeros(state_, optimizer_state_floats(config_.optimizer.kind, parameters_));
    steps_ = 0;
    start_previous();
  }

  /// The network as it is now (its weights live in the workspace).
  Network network() const { return Network{layers_, count_}; }
  const float* parameters() const { return params_; }
  /// The last step's gradients dL/dparams, in the same order as parameters().
  const float* gradients() const { return grads_; }
  size_t parameter_count() const { return parameters_; }
  uint32_t steps() const { return steps_; }

  /// One optimizer step on the rows `indices[0..count)` of `data`. `*loss` is the batch's mean
  /// loss and `*correct` (when given) the number of rows classified right, both before the update.
  /// Returns why training must stop (Stop::none normally); then the weights are the last good
  /// ones and steps() counts only the updates that were kept. The optimizer state holds m (and v
  /// for Adam) of the trainable parameters, v starting parameter_count() floats after m.
  Stop step(const Samples& data, const uint32_t* indices, uint32_t count, float* loss, uint32_t* correct) {
    *loss = 0.0f;
    if (correct != nullptr) *correct = 0;
    if (count == 0) return Stop::none;
    const uint16_t inputs = network_inputs(network());
    const uint16_t outputs = network_outputs(network());
    const uint16_t width = target_width(config_.loss, outputs);
    const float scale = divide_by_count(1.0f, count);
    float loss_sum = 0.0f;
    uint32_t right = 0;
    for (uint32_t s = 0; s < count; ++s) {
      const float* x = data.inputs + static_cast<size_t>(indices[s]) * inputs;
      const float* t = data.targets + static_cast<size_t>(indices[s]) * width;
      const float* y = forward_cached(x);
      loss_sum += loss_value(config_.loss, y, t, outputs);
      if (correct != nullptr) right += classified_right(y, t, outputs);
      if (config_.statistics) mark_active_units();
      backward(x, t, scale, s == 0 ? GradientWrite::assign : GradientWrite::add);
    }
    *loss = loss_sum * scale;
    if (correct != nullptr) *correct = right;
    if (!math::is_finite(*loss)) return restore_previous(Stop::loss_not_finite);
    if (config_.statistics) compute_squared_gradient_norms();
    return update();
  }

  /// Mean loss and accuracy of the current network on `data` (no training).
  void evaluate(const Samples& data, float* loss, float* accuracy) {
    const uint16_t inputs = network_inputs(network());
    const uint16_t outputs = network_outputs(network());
    const uint16_t width = target_width(config_.loss, outputs);
    float loss_sum = 0.0f;
    uint32_t right = 0;
    for (uint32_t r = 0; r < data.rows; ++r) {
      const float* t = data.targets + static_cast<size_t>(r) * width;
      const float* y = forward_cached(data.inputs + static_cast<size_t>(r) * inputs);
      loss_sum += loss_value(config_.loss, y, t, outputs);
      right += classified_right(y, t, outputs);
    }
    *loss = data.rows > 0 ? loss_sum / static_cast<float>(data.rows) : 0.0f;
    *accuracy = data.rows > 0 ? static_cast<float>(right) / static_cast<float>(data.rows) : 0.0f;
  }

  /// config.epochs epochs of mini-batch training, calling `callback` (when given) after each.
  /// `validation` may be nullptr. `*last` receives the last epoch's report.
  Status fit(const Samples& train, const Samples* validation, EpochCallback callback, void* user,
             EpochReport* last) {
    if (train.rows == 0 || train.inputs == nullptr || train.targets == nullptr) return Status::invalid_argument;
    if (train.rows > capacity_rows_) return Status::buffer_too_small;
    for (uint32_t r = 0; r < train.rows; ++r) order_[r] = r;
    EpochReport report;
    report.epochs = config_.epochs;
    report.layers = count_;
    report.gradient_norms = config_.statistics ? epoch_norms_ : nullptr;
    report.dead_fraction = config_.statistics ? dead_ : nullptr;
    for (uint16_t epoch = 1; epoch <= config_.epochs; ++epoch) {
      report.epoch = epoch;
      run_epoch(train, report);
      report.has_validation = validation != nullptr && validation->rows > 0 && report.stop == Stop::none;
      if (report.has_validation) {
        evaluate(*validation, &report.validation_loss, &report.validation_accuracy);
      }
      report.steps = steps_;
      if (callback != nullptr && !callback(report, user) && report.stop == Stop::none) report.stop = Stop::by_callback;
      if (report.stop != Stop::none) break;
    }
    if (last != nullptr) *last = report;
    return Status::ok;
  }

 private:
  static constexpr uint64_t kInitStream = 1;
  static constexpr uint64_t kShuffleStream = 2;

  void run_epoch(const Samples& train, EpochReport& report) {
    if (config_.shuffle) shuffle(order_, train.rows, random_);
    zeros(epoch_norms_, count_);
    for (size_t u = 0; u < units_; ++u) active_[u] = 0;
    float loss_sum = 0.0f;
    uint32_t right = 0;
    uint32_t batches = 0;
    report.stop = Stop::none;
    for (uint32_t begin = 0; begin < train.rows; begin += config_.batch_size) {
      const uint32_t count = train.rows - begin < config_.batch_size ? train.rows - begin : config_.batch_size;
      float batch_loss = 0.0f;
      uint32_t batch_right = 0;
      report.stop = step(train, order_ + begin, count, &batch_loss, &batch_right);
      if (report.stop != Stop::none) {
        report.loss = batch_loss;
        break;
      }
      loss_sum += batch_loss * static_cast<float>(count);
      right += batch_right;
      ++batches;
      for (uint16_t k = 0; k < count_ && config_.statistics; ++k) epoch_norms_[k] += batch_squares_[k];
    }
    if (report.stop == Stop::none) {
      report.loss = loss_sum / static_cast<float>(train.rows);
      report.accuracy = static_cast<float>(right) / static_cast<float>(train.rows);
    }
    if (config_.statistics) finish_statistics(batches);
  }

  /// Each layer's gradient norm over the epoch's `batches` batches, the root mean square of theirs:
  /// sqrt(sum_b ||g_b||^2 / batches) (one square root per layer per epoch, not per batch), and its
  /// dead-unit share.
  void finish_statistics(uint32_t batches) {
    for (uint16_t k = 0; k < count_ && batches > 0; ++k) {
      epoch_norms_[k] = math::sqrt(epoch_norms_[k] / static_cast<float>(batches));
    }
    const unsigned char* active = active_;
    for (uint16_t k = 0; k < count_; ++k) {
      uint32_t dead = 0;
      for (uint16_t j = 0; j < layers_[k].units; ++j) dead += active[j] == 0 ? 1u : 0u;
      dead_[k] = static_cast<float>(dead) / static_cast<float>(layers_[k].units);
      active += layers_[k].units;
    }
  }

  /// A layer's trainable arrays in a buffer laid out as parameters() (weights, bias, PReLU
  /// slopes), the layer's part starting at `at`: where its parameters or their gradients are.
  static LayerGradients parameter_split(const Layer& layer, float* at) {
    LayerGradients g;
    if (layer.kind == LayerKind::dense) {
      g.weights = at;
      at += static_cast<size_t>(layer.units) * layer.inputs;
      if (layer.bias != nullptr) {
        g.bias = at;
        at += layer.units;
      }
    }
    if (layer.activation.kind == Activation::prelu) g.alpha = at;
    return g;
  }

  /// 1 when the outputs y give the target's class, else 0.
  uint32_t classified_right(const float* y, const float* target, uint16_t outputs) const {
    return predicted_class(y, outputs, class_threshold(config_.loss)) == target_class(config_.loss, target, outputs) ? 1u : 0u;
  }

  /// Forward through every layer keeping z and y; returns the output.
  const float* forward_cached(const float* x) {
    size_t offset = 0;
    for (uint16_t k = 0; k < count_; ++k) {
      layer_forward_cached(layers_[k], x, z_ + offset, y_ + offset);
      x = y_ + offset;
      offset += layers_[k].units;
    }
    return x;
  }

  void mark_active_units() {
    // y != 0 on the bit pattern (either zero has only the sign bit, if any): no float compare.
    for (size_t u = 0; u < units_; ++u) {
      if ((math::float_bits(y_[u]) & 0x7fffffffu) != 0) active_[u] = 1;
    }
  }

  /// Writes or adds (`how`) this sample's gradients (times `scale`) to grads_, down to the first
  /// trainable layer.
  void backward(const float* input, const float* target, float scale, GradientWrite how) {
    float* dy = scratch_;
    float* dz = scratch_ + widest_;
    size_t offset = units_;  // where layer k's z and y start, walking down
    for (uint16_t k = count_; k-- > config_.frozen_layers;) {
      const Layer& layer = layers_[k];
      offset -= layer.units;
      const float* z = z_ + offset;
      const float* y = y_ + offset;
      const LayerGradients g = gradients_of(layer);
      if (k + 1 == count_) {
        if (has_combined_gradient(layer.activation.kind, config_.loss)) {
          cross_entropy_gradient(config_.loss, y, target, layer.units, scale, dz);
        } else {
          loss_gradient(config_.loss, y, target, layer.units, scale, dy);
          activation_backward_with_slopes(layer, z, y, dy, dz, g.alpha, how);
        }
      } else {
        activation_backward_with_slopes(layer, z, y, dy, dz, g.alpha, how);
      }
      const float* x = k == 0 ? input : y_ + offset - layers_[k - 1].units;
      layer_backward_from_dz(layer, x, dz, g, how, k > config_.frozen_layers ? dy : nullptr);
    }
  }

  /// Each layer's ||dL/dparams||^2 for this batch (0 for a frozen layer); the square root waits
  /// for the end of the epoch.
  void compute_squared_gradient_norms() {
    size_t begin = 0;
    for (uint16_t k = 0; k < count_; ++k) {
      const size_t end = begin + trainable_parameter_count(layers_[k]);
      batch_squares_[k] = k < config_.frozen_layers ? 0.0f : sum_of_squares(grads_ + begin, end - begin);
      begin = end;
    }
  }

  /// The gradient arrays of a layer: grads_ is laid out as the parameters, so each sits where the
  /// parameter array it belongs to sits in params_.
  LayerGradients gradients_of(const Layer& layer) const {
    LayerGradients g;
    if (layer.kind == LayerKind::dense) {
      g.weights = grads_ + (layer.weights - params_);
      if (layer.bias != nullptr) g.bias = grads_ + (layer.bias - params_);
    }
    if (layer.activation.kind == Activation::prelu) g.alpha = grads_ + (layer.activation.unit_alpha - params_);
    return g;
  }

  /// The second parameter buffer starts as a copy of the first (the frozen layers' parameters,
  /// which no update writes, stay the same in both), with no earlier weights to go back to.
  void start_previous() {
    copy_floats(params_, previous_, parameters_);
    has_previous_ = false;
  }

  /// The optimizer's update (the trainable parameters only) goes into the other buffer, so the
  /// weights it started from stay there without a copy. The new weights become current only when
  /// every one is finite; a non-finite gradient always makes them so (p - lr inf, 0 inf and inf /
  /// inf are not finite), which names the reason.
  Stop update() {
    const size_t first = first_trainable_;
    const size_t n = parameters_ - first;
    optimizer_update(config_.optimizer, params_ + first, grads_ + first, state_ + first, n, steps_ + 1, previous_ + first);
    if (!all_finite(previous_ + first, n)) {
      has_previous_ = false;  // what the other buffer holds now is the rejected update
      return all_finite(grads_ + first, n) ? Stop::weights_not_finite : Stop::gradient_not_finite;
    }
    ++steps_;
    swap_parameters();
    has_previous_ = true;
    return Stop::none;
  }

  /// The weights before the last update, which gave a finite loss, become current again.
  Stop restore_previous(Stop why) {
    if (has_previous_) swap_parameters();
    has_previous_ = false;
    return why;
  }

  /// The two parameter buffers trade roles; each layer's trainable arrays move to the same place
  /// in the other buffer.
  void swap_parameters() {
    float* const from = params_;
    float* const to = previous_;
    for (uint16_t k = 0; k < count_; ++k) {
      Layer& layer = layers_[k];
      if (layer.kind == LayerKind::dense) {
        layer.weights = to + (layer.weights - from);
        if (layer.bias != nullptr) layer.bias = to + (layer.bias - from);
      }
      if (layer.activation.kind == Activation::prelu) {
        layer.activation.unit_alpha = to + (layer.activation.unit_alpha - from);
      }
    }
    previous_ = from;
    params_ = to;
  }

  Layer* layers_ = nullptr;
  uint16_t count_ = 0;
  float* params_ = nullptr;
  float* grads_ = nullptr;
  float* previous_ = nullptr;  ///< the other parameter buffer: the weights before the last update
  float* state_ = nullptr;
  float* z_ = nullptr;
  float* y_ = nullptr;
  float* scratch_ = nullptr;
  float* batch_squares_ = nullptr;  ///< this batch's ||g||^2 per layer
  float* epoch_norms_ = nullptr;    ///< the epoch's sum of batch_squares_, then its root mean square
  float* dead_ = nullptr;
  uint32_t* order_ = nullptr;
  unsigned char* active_ = nullptr;
  size_t parameters_ = 0;
  size_t widest_ = 0;
  size_t units_ = 0;            ///< sum of the layers' units
  size_t first_trainable_ = 0;  ///< parameters of the frozen layers come first
  uint32_t capacity_rows_ = 0;
  TrainConfig config_;
  uint32_t steps_ = 0;
  bool has_previous_ = false;  ///< previous_ holds the weights before the last update
  Random random_{0, 0};
};

}  // namespace train
}  // namespace anne
