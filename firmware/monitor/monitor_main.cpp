// SPDX-License-Identifier: MIT
// The condition-monitoring node (examples/condition-monitoring): reads one sensor record at a
// time, decides on the chip, drives the alarm output, and keeps its model in two flash slots.
// Records come over the serial line (`r v1,v2,...`, what `anne stream` sends), or from the
// board's sensors through read_sensors() below. monitor.hpp describes the decision and the lines.
#include <new>

#include "board.hpp"
#include "monitor.hpp"

namespace {

// The node's state, 10 KB that are mostly buffers, is built by main() in zeroed RAM (.bss). As a
// plain global it would be initialized at compile time (its members have initializers) and land
// in .data, whose initial image costs as much flash again.
alignas(anne::monitor::Monitor) unsigned char monitor_memory[sizeof(anne::monitor::Monitor)];

void write(void*, const char* text) { board_write(text); }
uint32_t ticks(void*) { return board_ticks(); }
uint32_t elapsed(void*, uint32_t from, uint32_t to) { return board_elapsed(from, to); }
void set_alarm(bool on) { board_alarm(on ? 1 : 0); }
bool erase(void*, uint32_t offset, uint32_t bytes) { return board_flash_erase(offset, bytes) != 0; }
bool program(void*, uint32_t offset, const uint8_t* data, uint32_t bytes) {
  return board_flash_program(offset, data, bytes) != 0;
}

}  // namespace

/// The hook for a real board: fill `record` with one reading of the sensors, in the order and the
/// units the model was trained on (for the example: air temperature [K], process temperature [K],
/// rotational speed [rpm], torque [Nm], tool wear [min], product type 0/1/2 for L/M/H), and return
/// true. Called whenever the serial line is quiet (on the Pico: after two seconds without a byte;
/// call monitor.decide from a timer instead for a faster rate). This default has no sensors: the
/// records come over the serial line. Define your own (a strong symbol) to replace it.
extern "C" __attribute__((weak)) bool read_sensors(float* record, uint32_t capacity) {
  (void)record;
  (void)capacity;
  return false;
}

int main() {
  anne::monitor::Monitor& monitor = *new (monitor_memory) anne::monitor::Monitor();
  anne::monitor::Hooks hooks;
  hooks.platform.write = write;
  hooks.platform.ticks = ticks;
  hooks.platform.elapsed = elapsed;
  hooks.platform.tick_unit = kBoardTickUnit;
  hooks.set_alarm = set_alarm;
  anne::storage::Flash flash;
  flash.base = board_flash_base();
  flash.sector_bytes = board_flash_sector_bytes();
  flash.page_bytes = board_flash_page_bytes();
  flash.erase = erase;
  flash.program = program;
  anne::storage::ModelSlots slots(flash, 0, board_flash_bytes() / 2);
  monitor.begin(hooks, slots);
  for (;;) {
    const int byte = board_read_byte();
    if (byte == kBoardInputEnded) return monitor.end_of_input() ? 0 : 1;
    if (byte == kBoardQuiet) {
      monitor.abort_transfer();  // a model transfer cut in the middle: the model stays as it was
      float record[anne::monitor::kMaxInputs];
      if (read_sensors(record, anne::monitor::kMaxInputs)) monitor.decide(record);
      continue;
    }
    monitor.feed(static_cast<uint8_t>(byte));
  }
}
