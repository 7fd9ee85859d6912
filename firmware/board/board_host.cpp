// SPDX-License-Identifier: MIT
// The PC: the same firmware programs built for the host, as the reference their device runs are
// compared with. stdio for text, the monotonic clock in nanoseconds.
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "board.hpp"

const char* const kBoardTickUnit = "ns";

void board_write(const char* text) { std::fputs(text, stdout); }

int board_read_byte() {
  const int byte = std::getchar();
  return byte == EOF ? -1 : byte;
}

uint32_t board_ticks() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<uint32_t>(static_cast<uint64_t>(now.tv_sec) * 1000000000u + static_cast<uint64_t>(now.tv_nsec));
}

uint32_t board_elapsed(uint32_t from, uint32_t to) { return to - from; }

void board_exit(int status) {
  std::fflush(stdout);
  std::exit(status);
}
