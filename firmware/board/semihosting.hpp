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

/// SYS_GET_CMDLINE: the command line QEMU was given with -append, NUL-terminated; false if none.
inline bool command_line(char* text, uint32_t capacity) {
  uint32_t block[2] = {reinterpret_cast<uint32_t>(text), capacity};
  return call(0x15, block) == 0;
}

/// SYS_OPEN of a host file for reading in binary ("rb" is mode 1); a handle, or -1.
inline int32_t open_for_reading(const char* path) {
  uint32_t length = 0;
  while (path[length] != '\0') ++length;
  const uint32_t block[3] = {reinterpret_cast<uint32_t>(path), 1u, length};
  return static_cast<int32_t>(call(0x01, block));
}

/// SYS_READ of one byte from an open file: the byte, or -1 at its end. (SYS_READ answers the
/// count of bytes it did NOT read.)
inline int read_byte(int32_t handle) {
  uint8_t byte = 0;
  const uint32_t block[3] = {static_cast<uint32_t>(handle), reinterpret_cast<uint32_t>(&byte), 1u};
  return call(0x06, block) == 0 ? byte : -1;
}

/// SYS_EXIT_EXTENDED with ADP_Stopped_ApplicationExit: QEMU exits with `status`.
[[noreturn]] inline void exit(int status) {
  const uint32_t block[2] = {0x20026u, static_cast<uint32_t>(status)};
  for (;;) call(0x20, block);
}

}  // namespace semihosting
