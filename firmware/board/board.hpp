// SPDX-License-Identifier: MIT
// What anne's firmware programs need from the board they run on. One implementation per board:
// board_qemu.cpp (semihosting, the QEMU machines), board_rp2040.cpp (UART0, the RP2040 under
// rp2040js), board_pico.c (the Pico SDK, a real board) and board_host.cpp (stdio, the same programs
// built for the PC as their reference). C linkage, so the Pico SDK's C headers stay in a C file
// (they need C++ standard headers that Debian's bare-metal toolchain does not ship).
#pragma once

#include <stdint.h>

extern "C" {

/// Text out: the console, semihosting or stdout.
void board_write(const char* text);

/// The next input byte, or -1 once the input has ended.
int board_read_byte();

/// A free-running counter and the unit of the difference of two readings: processor cycles on the
/// RP2040 (SysTick), executed instructions on QEMU (SysTick under -icount), nanoseconds on the PC.
uint32_t board_ticks();
uint32_t board_elapsed(uint32_t from, uint32_t to);
extern const char* const kBoardTickUnit;

/// Ends the program; the emulator exits with `status`.
[[noreturn]] void board_exit(int status);
}

/// A point a harness can time without touching the program: BKPT #N on the RP2040 image, which
/// rp2040js reports with the cycle count (firmware/emulator/run-rp2040.mjs); nothing elsewhere.
template <unsigned N>
inline void board_marker() {
#if defined(ANNE_BOARD_RP2040)
  __asm volatile("bkpt %0" ::"i"(N) : "memory");
#endif
}
