// SPDX-License-Identifier: MIT
#include "anne_host/train/progress.hpp"

#include <cstdio>

namespace anne::host {

std::string progress_line(const train::EpochReport& report, int bar_width) {
  const int filled = report.epochs > 0 ? bar_width * report.epoch / report.epochs : bar_width;
  char text[160];
  std::snprintf(text, sizeof text, "epoch %4d/%d [%s%s] loss %.4f acc %.4f", report.epoch, report.epochs,
                std::string(static_cast<size_t>(filled), '#').c_str(),
                std::string(static_cast<size_t>(bar_width - filled), '.').c_str(), static_cast<double>(report.loss),
                static_cast<double>(report.accuracy));
  std::string line = text;
  if (report.has_validation) {
    std::snprintf(text, sizeof text, " | val_loss %.4f val_acc %.4f", static_cast<double>(report.validation_loss),
                  static_cast<double>(report.validation_accuracy));
    line += text;
  }
  line += " | grad";
  for (uint16_t k = 0; k < report.layers; ++k) {
    std::snprintf(text, sizeof text, " %.3g", static_cast<double>(report.gradient_norms[k]));
    line += text;
  }
  bool any_dead = false;
  for (uint16_t k = 0; k < report.layers; ++k) any_dead = any_dead || report.dead_fraction[k] > 0.0f;
  if (any_dead) {
    line += " | dead";
    for (uint16_t k = 0; k < report.layers; ++k) {
      std::snprintf(text, sizeof text, " %.0f%%", 100.0 * static_cast<double>(report.dead_fraction[k]));
      line += text;
    }
  }
  return line;
}

}  // namespace anne::host
