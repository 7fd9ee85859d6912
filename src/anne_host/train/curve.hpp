// SPDX-License-Identifier: MIT
// The learning curve of a training run: one row per epoch, written as CSV and drawn as SVG.
#pragma once

#include <string>
#include <vector>

#include "anne/train/trainer.hpp"

namespace anne::host {

struct CurveRow {
  int epoch = 0;
  float loss = 0.0f;
  float accuracy = 0.0f;
  bool has_validation = false;
  float validation_loss = 0.0f;
  float validation_accuracy = 0.0f;
  std::vector<float> gradient_norms;  ///< per layer
  std::vector<float> dead_fraction;   ///< per layer
};

CurveRow curve_row(const train::EpochReport& report);

/// epoch,loss,accuracy,val_loss,val_accuracy,grad_norm_1..L,dead_1..L (val_ columns empty without
/// a validation set). Throws Error when the file cannot be written.
void write_curve_csv(const std::string& path, const std::vector<CurveRow>& rows);

/// Three panels against the epoch: loss and accuracy (training solid, validation dashed) and each
/// layer's gradient norm.
void write_curve_svg(const std::string& path, const std::vector<CurveRow>& rows, const std::string& title);

}  // namespace anne::host
