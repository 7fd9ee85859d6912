// SPDX-License-Identifier: MIT
// The monitor's persistent flash and alarm pin where there is no writable flash: the emulators
// (rp2040js maps the flash read-only, QEMU's machines have none to spare) and the PC. The flash is
// NOR flash simulated in RAM (storage::RamFlash: erase to 0xFF, programming only clears bits), so
// it lasts until the program ends. The alarm is GPIO 25 on the RP2040 (the Pico's LED) and
// nothing on QEMU and the PC; the monitor prints every change as an event line on all of them.
#include "anne/storage/ram_flash.hpp"
#include "board.hpp"

namespace {
// Two slots of 2 KB: a 256-byte header page and 1,792 bytes of payload each.
anne::storage::RamFlash<4096, 1024, 256> flash;
}  // namespace

const uint8_t* board_flash_base() { return flash.flash().base; }
uint32_t board_flash_bytes() { return 4096u; }
uint32_t board_flash_sector_bytes() { return flash.flash().sector_bytes; }
uint32_t board_flash_page_bytes() { return flash.flash().page_bytes; }

int board_flash_erase(uint32_t offset, uint32_t bytes) {
  const anne::storage::Flash f = flash.flash();
  return f.erase(f.context, offset, bytes) ? 1 : 0;
}

int board_flash_program(uint32_t offset, const uint8_t* data, uint32_t bytes) {
  const anne::storage::Flash f = flash.flash();
  return f.program(f.context, offset, data, bytes) ? 1 : 0;
}

#if defined(ANNE_BOARD_RP2040)
namespace {
constexpr uint32_t kAlarmPin = 25;
volatile uint32_t& reg(uint32_t address) { return *reinterpret_cast<volatile uint32_t*>(address); }
}  // namespace

void board_alarm(int on) {
  reg(0x40014000u + 8u * kAlarmPin + 4u) = 5u;  // IO_BANK0 GPIO25_CTRL: function 5, SIO
  reg(0xD0000024u) = 1u << kAlarmPin;           // SIO GPIO_OE_SET: an output
  reg(on ? 0xD0000014u : 0xD0000018u) = 1u << kAlarmPin;  // GPIO_OUT_SET or GPIO_OUT_CLR
}
#else
void board_alarm(int) {}
#endif
