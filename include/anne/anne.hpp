// SPDX-License-Identifier: MIT
// The whole core in one include. Freestanding C++17: no heap, no exceptions, no RTTI, no iostream.
#pragma once

#include "anne/activation.hpp"
#include "anne/console/console.hpp"
#include "anne/datasets/iris.hpp"
#include "anne/datasets/iris_paper_split.hpp"
#include "anne/format.hpp"
#include "anne/layer.hpp"
#include "anne/math.hpp"
#include "anne/metrics.hpp"
#include "anne/models/builtin.hpp"
#include "anne/models/paper_networks.hpp"
#include "anne/network.hpp"
#include "anne/preprocess.hpp"
#include "anne/quant/quantized_network.hpp"
#include "anne/quant/requantize.hpp"
#include "anne/status.hpp"
#include "anne/train/trainer.hpp"
#include "anne/version.hpp"
