// SPDX-License-Identifier: MIT
// The QEMU machines (microbit: Cortex-M0; mps2-an505: Cortex-M33): text through semihosting, and
// instruction counts from SysTick. QEMU has no cycle model; run with -icount shift=8,sleep=off
// every instruction takes 2^8 ns of virtual time, so instructions = SysTick clocks x clock period
// in ns / 256 (microbit 16 MHz: 62.5 ns; AN505 20 MHz: 50 ns).
#include "board.hpp"
#include "semihosting.hpp"
#include "systick.hpp"

#if defined(ANNE_BOARD_MICROBIT)
constexpr uint32_t kPeriodTimesTwoNs = 125;
#elif defined(ANNE_BOARD_AN505)
constexpr uint32_t kPeriodTimesTwoNs = 100;
#else
#error "board_qemu.cpp needs ANNE_BOARD_MICROBIT or ANNE_BOARD_AN505"
#endif

const char* const kBoardTickUnit = "instructions";

void board_write(const char* text) { semihosting::write(text); }

namespace {
int32_t input = -2;  // not opened yet
}

/// The input is a host file, the second word of the semihosting command line ("IMAGE FILE", see
/// run-qemu.sh), read through semihosting. Not QEMU's stdin: its stdio chardev makes stdin
/// non-blocking, so a read can fail before the bytes arrive.
int board_read_byte() {
  if (input == -2) {
    char line[256];
    const char* path = nullptr;
    if (semihosting::command_line(line, sizeof line)) {
      for (char* c = line; *c != '\0'; ++c) {
        if (*c == ' ') {
          path = c + 1;
          break;
        }
      }
    }
    input = path != nullptr && *path != '\0' ? semihosting::open_for_reading(path) : -1;
  }
  return input < 0 ? -1 : semihosting::read_byte(input);
}

uint32_t board_ticks() { return systick::now(); }

uint32_t board_elapsed(uint32_t from, uint32_t to) {
  return (systick::elapsed(from, to) * kPeriodTimesTwoNs + 256u) / 512u;
}

void board_exit(int status) { semihosting::exit(status); }
