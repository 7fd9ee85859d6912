// SPDX-License-Identifier: MIT
#pragma once

#define ANNE_VERSION_MAJOR 0
#define ANNE_VERSION_MINOR 1
#define ANNE_VERSION_PATCH 0
#define ANNE_VERSION_STRING "0.1.0"
