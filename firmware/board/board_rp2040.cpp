// SPDX-License-Identifier: MIT
// The RP2040 as rp2040js runs it (firmware/emulator/run-rp2040.mjs): the console on UART0 (PL011
// at 0x40034000), processor cycles from SysTick, and the end of the run as BKPT #0xEE with the exit
// status in r0. The harness raises GPIO 28 when its input is over (out of band: a model transfer
// may carry any byte value).
#include "board.hpp"
#include "systick.hpp"

namespace {

constexpr uint32_t kUart0 = 0x40034000u;
constexpr uint32_t kData = 0x000u;          // UARTDR
constexpr uint32_t kFlags = 0x018u;         // UARTFR
constexpr uint32_t kReceiveEmpty = 1u << 4;  // RXFE
constexpr uint32_t kTransmitFull = 1u << 5;  // TXFF
constexpr uint32_t kGpioIn = 0xD0000004u;  // SIO GPIO_IN
constexpr uint32_t kPadsBank0Gpio28 = 0x4001C000u + 4u + 4u * 28u;
constexpr uint32_t kEndOfInputPin = 1u << 28;

volatile uint32_t& uart(uint32_t offset) { return *reinterpret_cast<volatile uint32_t*>(kUart0 + offset); }

}  // namespace

const char* const kBoardTickUnit = "cycles";

void board_write(const char* text) {
  for (; *text != '\0'; ++text) {
    while ((uart(kFlags) & kTransmitFull) != 0) {
    }
    uart(kData) = static_cast<uint8_t>(*text);
  }
}

int board_read_byte() {
  // PADS_BANK0 GPIO28: input enable (IE, bit 6), which the emulator's reset state leaves off.
  *reinterpret_cast<volatile uint32_t*>(kPadsBank0Gpio28) |= 1u << 6;
  while ((uart(kFlags) & kReceiveEmpty) != 0) {
    if ((*reinterpret_cast<volatile uint32_t*>(kGpioIn) & kEndOfInputPin) != 0) return -1;
  }
  return static_cast<int>(uart(kData) & 0xffu);
}

uint32_t board_ticks() { return systick::now(); }

uint32_t board_elapsed(uint32_t from, uint32_t to) { return systick::elapsed(from, to); }

void board_exit(int status) {
  register int r0 __asm("r0") = status;
  for (;;) __asm volatile("bkpt 0xee" ::"r"(r0));
}
