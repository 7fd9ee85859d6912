// SPDX-License-Identifier: MIT
// The device side of the paper's Thonny workflow: anne's console (include/anne/console) on the
// board's serial line. The same console is `anne console` on the PC; docs/console.md lists its
// commands. On a real Pico the console prompts and echoes what is typed (a terminal expects it);
// in the emulators it does neither, so its transcript can be compared with the PC's.
#include "anne/console/console.hpp"
#include "board.hpp"

namespace {

anne::console::Console console;

void write(void*, const char* text) { board_write(text); }
uint32_t ticks(void*) { return board_ticks(); }
uint32_t elapsed(void*, uint32_t from, uint32_t to) { return board_elapsed(from, to); }

}  // namespace

int main() {
  anne::console::Platform platform;
  platform.write = write;
  platform.ticks = ticks;
  platform.elapsed = elapsed;
  platform.tick_unit = kBoardTickUnit;
  anne::console::ConsoleOptions options;
#if defined(ANNE_BOARD_PICO)
  options.prompt = "> ";
  options.echo = true;
#endif
  console.begin(platform, options);
  for (;;) {
    const int byte = board_read_byte();
    if (byte == kBoardQuiet) {
      console.abort_transfer();  // a transfer cut in the middle: the model stays as it was
      continue;
    }
    if (byte == kBoardInputEnded) return console.end_of_input() ? 1 : 0;
    console.feed(static_cast<uint8_t>(byte));
  }
}
