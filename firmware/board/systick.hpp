// SPDX-License-Identifier: MIT
// The Cortex-M SysTick timer as a free-running 24-bit down-counter of processor clocks.
#pragma once

#include <stdint.h>

namespace systick {

inline volatile uint32_t& reg(uint32_t address) { return *reinterpret_cast<volatile uint32_t*>(address); }

/// RVR = 2^24 - 1, CVR = 0 (reloads at once), CSR = ENABLE | CLKSOURCE (processor clock), no interrupt.
inline void start() {
  reg(0xE000E014u) = 0xFFFFFFu;
  reg(0xE000E018u) = 0u;
  reg(0xE000E010u) = 0x5u;
}

inline uint32_t now() { return reg(0xE000E018u); }

/// Clocks from `from` to `to`; the counter counts down and wraps every 2^24 clocks, so an interval
/// must be shorter than that (16.7 million clocks).
inline uint32_t elapsed(uint32_t from, uint32_t to) { return (from - to) & 0xFFFFFFu; }

}  // namespace systick
