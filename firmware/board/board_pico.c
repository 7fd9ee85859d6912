// SPDX-License-Identifier: MIT
// A real Raspberry Pi Pico or Pico 2 with the Pico SDK: text over the SDK's stdio (USB serial and
// UART0, whichever the build enables: what Thonny's shell or any terminal talks to), processor
// cycles from SysTick (a 24-bit down-counter of processor clocks). The SDK runs this file's
// constructor once it has set the clocks up, before main().
#include <stdint.h>
#include <string.h>

#include "board.hpp"
#include "hardware/structs/systick.h"
#include "pico/stdlib.h"

__attribute__((constructor)) static void board_start(void) {
  stdio_init_all();
  systick_hw->rvr = 0xFFFFFFu;
  systick_hw->cvr = 0u;
  systick_hw->csr = 0x5u;  // ENABLE | CLKSOURCE = processor clock
}

const char* const kBoardTickUnit = "cycles";

void board_write(const char* text) {
  // A terminal wants CR LF: the SDK turns each \n into \r\n (cr_translation).
  stdio_put_string(text, (int)strlen(text), false, true);
}

int board_read_byte(void) {
  // A serial line never ends; after two quiet seconds the console may give up a model transfer.
  const int byte = stdio_getchar_timeout_us(2000000u);
  return byte == PICO_ERROR_TIMEOUT ? kBoardQuiet : byte;
}

uint32_t board_ticks(void) { return systick_hw->cvr; }

uint32_t board_elapsed(uint32_t from, uint32_t to) { return (from - to) & 0xFFFFFFu; }

void board_exit(int status) {
  board_write(status == 0 ? "program ended\n" : "program ended with an error\n");
  for (;;) sleep_ms(1000);
}
