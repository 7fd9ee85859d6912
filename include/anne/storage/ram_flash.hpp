// SPDX-License-Identifier: MIT
// NOR flash simulated in RAM, for the PC and the emulators (which have no writable flash): erase
// sets whole sectors to 0xFF, programming can only clear bits (new = old AND data), as on the
// RP2040's QSPI flash. The same storage::Flash interface the Pico SDK board gives with
// flash_range_erase and flash_range_program.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/storage/model_slots.hpp"

namespace anne {
namespace storage {

template <uint32_t Bytes, uint32_t SectorBytes, uint32_t PageBytes>
class RamFlash {
  static_assert(Bytes % SectorBytes == 0 && SectorBytes % PageBytes == 0, "whole sectors of whole pages");

 public:
  /// A new chip: every byte erased.
  RamFlash() {
    for (uint8_t& byte : memory_) byte = 0xffu;
  }

  Flash flash() {
    Flash f;
    f.context = this;
    f.base = memory_;
    f.sector_bytes = SectorBytes;
    f.page_bytes = PageBytes;
    f.erase = &erase;
    f.program = &program;
    return f;
  }

  const uint8_t* bytes() const { return memory_; }

 private:
  static bool erase(void* context, uint32_t offset, uint32_t bytes) {
    RamFlash& self = *static_cast<RamFlash*>(context);
    if (offset % SectorBytes != 0 || bytes % SectorBytes != 0 || offset > Bytes || bytes > Bytes - offset) return false;
    for (uint32_t i = 0; i < bytes; ++i) self.memory_[offset + i] = 0xffu;
    return true;
  }

  static bool program(void* context, uint32_t offset, const uint8_t* data, uint32_t bytes) {
    RamFlash& self = *static_cast<RamFlash*>(context);
    if (offset % PageBytes != 0 || bytes % PageBytes != 0 || offset > Bytes || bytes > Bytes - offset) return false;
    for (uint32_t i = 0; i < bytes; ++i) self.memory_[offset + i] &= data[i];
    return true;
  }

  alignas(4) uint8_t memory_[Bytes];
};

}  // namespace storage
}  // namespace anne
