// SPDX-License-Identifier: MIT
// ARM semihosting: the debugger (here QEMU) carries out a request when the core executes BKPT 0xAB
// with the operation in r0 and its argument in r1.
#pragma once

#include <stdint.h>

namespace semihosting {

inline uint32_t call(uint32_t operation, const void* argument) {
  register uint32_t r0 __asm("r0") = operation;
  register const void* r1 __asm("r1") = argument;
  __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

/// SYS_WRITE0: a NUL-terminated string to the host's console.
inline void write(const char* text) { call(0x04, text); }

/// SYS_READC: one byte from the host's console; QEMU answers -1 (as an int) at the end of input.
inline int read_byte() { return static_cast<int>(call(0x07, nullptr)); }

/// SYS_EXIT_EXTENDED with ADP_Stopped_ApplicationExit: QEMU exits with `status`.
[[noreturn]] inline void exit(int status) {
  const uint32_t block[2] = {0x20026u, static_cast<uint32_t>(status)};
  for (;;) call(0x20, block);
}

}  // namespace semihosting
