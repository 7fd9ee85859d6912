// SPDX-License-Identifier: MIT
// The training progress line the CLI prints after each epoch:
//   epoch  12/100 [###.........] loss 0.4321 acc 0.8750 | val_loss 0.4502 val_acc 0.8500 | grad 0.12 0.05
#pragma once

#include <string>

#include "anne/train/trainer.hpp"

namespace anne::host {

std::string progress_line(const train::EpochReport& report, int bar_width = 20);

}  // namespace anne::host
