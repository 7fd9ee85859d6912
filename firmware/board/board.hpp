// SPDX-License-Identifier: MIT
// What anne's firmware programs need from the board they run on. One implementation per board:
// board_qemu.cpp (semihosting, the QEMU machines), board_rp2040.cpp (UART0, the RP2040 under
// rp2040js), board_pico.c (the Pico SDK, a real board) and board_host.cpp (stdio, the same programs
// built for the PC as their reference). C linkage and C-compatible, so the Pico SDK's C headers stay in a C file.
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Text out: the console, semihosting or stdout.
void board_write(const char* text);

/// The next input byte; kBoardInputEnded once the input has ended (the emulators' scripted
/// input), kBoardQuiet when nothing came for a while (a real serial line, which never ends).
int board_read_byte();
enum { kBoardInputEnded = -1, kBoardQuiet = -2 };

/// A free-running counter and the unit of the difference of two readings: processor cycles on the
/// RP2040 (SysTick), executed instructions on QEMU (SysTick under -icount), nanoseconds on the PC.
uint32_t board_ticks();
uint32_t board_elapsed(uint32_t from, uint32_t to);
extern const char* const kBoardTickUnit;

/// Ends the program; the emulator exits with `status`.
__attribute__((noreturn)) void board_exit(int status);

/// Flash that keeps a model across resets (firmware/monitor: two slots, storage::ModelSlots):
/// board_flash_bytes() bytes, read through the memory map at board_flash_base(), erased by
/// sector and programmed by page at offsets from that base (nonzero: done). The Pico's QSPI
/// flash on a real board (board_pico_monitor.c), RAM on the emulators and the PC (board_ram_flash.cpp).
const uint8_t* board_flash_base(void);
uint32_t board_flash_bytes(void);
uint32_t board_flash_sector_bytes(void);
uint32_t board_flash_page_bytes(void);
int board_flash_erase(uint32_t offset, uint32_t bytes);
int board_flash_program(uint32_t offset, const uint8_t* data, uint32_t bytes);

/// The alarm output (nonzero: on): GPIO 25 on the RP2040 (the Pico's LED), nothing where there is no pin.
void board_alarm(int on);
#ifdef __cplusplus
}
#endif

#ifdef __cplusplus

/// A point a harness can time without touching the program: BKPT #N on the RP2040 image, which
/// rp2040js reports with the cycle count (firmware/emulator/run-rp2040.mjs); nothing elsewhere.
template <unsigned N>
inline void board_marker() {
#if defined(ANNE_BOARD_RP2040)
  __asm volatile("bkpt %0" ::"i"(N) : "memory");
#endif
}
#endif
