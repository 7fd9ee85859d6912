// SPDX-License-Identifier: MIT
// Minimal start-up for the bare-metal images: the vector table, copying .data and zeroing .bss,
// switching the FPU on where there is one, the constructors of globals, starting SysTick, then
// main(); its return value is the image's exit status (board_exit).
#include <stdint.h>

#include "board.hpp"
#include "systick.hpp"

extern "C" {
extern uint32_t __data_load, __data_start, __data_end, __bss_start, __bss_end, __stack_top;
extern void (*__init_array_start[])(), (*__init_array_end[])();
int main();
void reset_handler();
void fault_handler();
}

void reset_handler() {
  const uint32_t* from = &__data_load;
  for (uint32_t* to = &__data_start; to < &__data_end;) *to++ = *from++;
  for (uint32_t* to = &__bss_start; to < &__bss_end;) *to++ = 0;
#if defined(__ARM_FP)
  // CPACR: full access to coprocessors 10 and 11 (the FPU) before the first float instruction.
  volatile uint32_t* const cpacr = reinterpret_cast<volatile uint32_t*>(0xE000ED88u);
  *cpacr |= 0xFu << 20;
  __asm volatile("dsb\n isb");
#endif
  // (after the FPU: a constructor may compute with floats)
  for (void (**construct)() = __init_array_start; construct < __init_array_end; ++construct) (*construct)();
  systick::start();
  board_exit(main());
}

/// Any fault ends the run with status 99 instead of hanging the emulator.
void fault_handler() { board_exit(99); }

using Handler = void (*)();
__attribute__((section(".vectors"), used)) const Handler vector_table[16] = {
    reinterpret_cast<Handler>(&__stack_top), reset_handler, fault_handler, fault_handler,
    fault_handler, fault_handler, fault_handler, nullptr, nullptr, nullptr, nullptr,
    fault_handler, fault_handler, nullptr, fault_handler, fault_handler};
