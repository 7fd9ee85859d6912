// SPDX-License-Identifier: MIT
// The monitor's persistent flash and alarm pin on a real Raspberry Pi Pico or Pico 2 with the Pico
// SDK: the last 8 KB of the board's flash (two 4 KB slots), written with flash_range_erase and
// flash_range_program with interrupts off (the flash cannot be read while it is written, and the
// code runs from it), read through the XIP window; the alarm on GPIO 25 (the Pico's LED).
#include <stdint.h>

#include "board.hpp"
#include "hardware/flash.h"
#include "hardware/gpio.h"
#include "hardware/sync.h"
#include "pico/stdlib.h"

#define MONITOR_FLASH_BYTES (2u * FLASH_SECTOR_SIZE)
#define MONITOR_FLASH_OFFSET (PICO_FLASH_SIZE_BYTES - MONITOR_FLASH_BYTES)
#define ALARM_PIN 25u

const uint8_t* board_flash_base(void) { return (const uint8_t*)(XIP_BASE + MONITOR_FLASH_OFFSET); }
uint32_t board_flash_bytes(void) { return MONITOR_FLASH_BYTES; }
uint32_t board_flash_sector_bytes(void) { return FLASH_SECTOR_SIZE; }
uint32_t board_flash_page_bytes(void) { return FLASH_PAGE_SIZE; }

int board_flash_erase(uint32_t offset, uint32_t bytes) {
  if (offset % FLASH_SECTOR_SIZE != 0 || bytes % FLASH_SECTOR_SIZE != 0 || offset + bytes > MONITOR_FLASH_BYTES) return 0;
  const uint32_t interrupts = save_and_disable_interrupts();
  flash_range_erase(MONITOR_FLASH_OFFSET + offset, bytes);
  restore_interrupts(interrupts);
  return 1;
}

int board_flash_program(uint32_t offset, const uint8_t* data, uint32_t bytes) {
  if (offset % FLASH_PAGE_SIZE != 0 || bytes % FLASH_PAGE_SIZE != 0 || offset + bytes > MONITOR_FLASH_BYTES) return 0;
  const uint32_t interrupts = save_and_disable_interrupts();
  flash_range_program(MONITOR_FLASH_OFFSET + offset, data, bytes);
  restore_interrupts(interrupts);
  return 1;
}

void board_alarm(int on) {
  static int ready = 0;
  if (!ready) {
    gpio_init(ALARM_PIN);
    gpio_set_dir(ALARM_PIN, GPIO_OUT);
    ready = 1;
  }
  gpio_put(ALARM_PIN, on != 0);
}
