// SPDX-License-Identifier: MIT
// Two flash slots for a model (or any payload), so that saving a new one never loses the working
// one: a power cut at any moment of a save leaves the node booting the old payload or the new one,
// never a broken one.
//
// Each slot is `slot_bytes` of flash (a whole number of erase sectors) laid out as
//   page 0      header: magic "SLOT", sequence, payload bytes, payload CRC-32, header CRC-32
//   page 1...   the payload
// A save goes to the slot that is NOT current, in this order:
//   1. erase the slot, sector by sector          (its header is gone first: the slot is invalid)
//   2. program the payload, page by page         (still invalid: no header)
//   3. read the payload back and check its CRC   (a bad write stops here; the old slot still rules)
//   4. program the header page, sequence + 1     (the switch: one page write)
// Boot reads both headers and takes the valid slot with the newer sequence. A slot is valid when
// its header has the magic, its own CRC matches, the payload fits and the payload's CRC matches.
// A cut during step 4 leaves a header whose CRC cannot match, unless the page was completely
// written, so the switch is atomic.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "anne/format.hpp"

namespace anne {
namespace storage {

/// The board's flash, memory-mapped for reading (as the RP2040's XIP window is). Offsets count
/// from `base`. erase works on whole sectors, program on whole pages (of erased bytes); each
/// returns false when the flash refuses (or the power is gone).
struct Flash {
  void* context = nullptr;
  const uint8_t* base = nullptr;
  uint32_t sector_bytes = 0;
  uint32_t page_bytes = 0;
  bool (*erase)(void* context, uint32_t offset, uint32_t bytes) = nullptr;
  bool (*program)(void* context, uint32_t offset, const uint8_t* data, uint32_t bytes) = nullptr;
};

constexpr uint32_t kSlotMagic = 0x544f4c53u;  // "SLOT" little-endian
constexpr uint32_t kHeaderBytes = 20;          // 5 fields of 4 bytes
constexpr uint32_t kNoSlot = 0xffffffffu;

enum class SaveResult : uint8_t {
  saved,
  too_large,     ///< the payload does not fit a slot: nothing was written
  erase_failed,  ///< the flash refused an erase: the current slot is untouched
  write_failed,  ///< the flash refused a page: the current slot is untouched
  verify_failed, ///< the payload read back differs: the current slot is untouched
};

constexpr const char* save_message(SaveResult result) {
  switch (result) {
    case SaveResult::saved: return "saved";
    case SaveResult::too_large: return "the payload is larger than a slot";
    case SaveResult::erase_failed: return "flash erase failed";
    case SaveResult::write_failed: return "flash write failed";
    case SaveResult::verify_failed: return "the written payload's CRC does not match";
  }
  return "unknown result";
}

/// What boot finds: the slot (0 or 1, kNoSlot when neither is valid), its sequence number and
/// its payload (in flash, `payload_bytes` long, 4-byte aligned when the flash base and the page
/// size are).
struct SlotView {
  uint32_t slot = kNoSlot;
  uint32_t sequence = 0;
  const uint8_t* payload = nullptr;
  uint32_t payload_bytes = 0;
};

class ModelSlots {
 public:
  /// Two slots of `slot_bytes` each from flash offset `first_offset` (both multiples of the
  /// sector size, slot_bytes at least two pages).
  ModelSlots(const Flash& flash, uint32_t first_offset, uint32_t slot_bytes)
      : flash_(flash), first_offset_(first_offset), slot_bytes_(slot_bytes) {}

  /// The most payload bytes a slot holds.
  uint32_t capacity() const { return slot_bytes_ - flash_.page_bytes; }

  /// The valid slot with the newer sequence number (serial-number order, so the counter may wrap).
  SlotView current() const {
    const SlotView a = view(0), b = view(1);
    if (a.slot == kNoSlot) return b;
    if (b.slot == kNoSlot) return a;
    return static_cast<int32_t>(b.sequence - a.sequence) > 0 ? b : a;
  }

  /// Writes `payload` to the slot that is not current, checks it, then makes it current.
  /// `page` is the caller's buffer of page_bytes bytes (a page is programmed from RAM).
  SaveResult save(const uint8_t* payload, uint32_t bytes, uint8_t* page) {
    if (bytes > capacity()) return SaveResult::too_large;
    const SlotView now = current();
    const uint32_t target = now.slot == 0 ? 1u : 0u;
    const uint32_t start = slot_offset(target);
    for (uint32_t at = 0; at < slot_bytes_; at += flash_.sector_bytes) {
      if (!flash_.erase(flash_.context, start + at, flash_.sector_bytes)) return SaveResult::erase_failed;
    }
    for (uint32_t done = 0; done < bytes; done += flash_.page_bytes) {
      const uint32_t n = bytes - done < flash_.page_bytes ? bytes - done : flash_.page_bytes;
      fill_page(page, payload + done, n);
      if (!flash_.program(flash_.context, start + flash_.page_bytes + done, page, flash_.page_bytes)) {
        return SaveResult::write_failed;
      }
    }
    const uint32_t crc = format::crc32(payload, bytes);
    if (format::crc32(flash_.base + start + flash_.page_bytes, bytes) != crc) return SaveResult::verify_failed;
    const uint32_t sequence = now.slot == kNoSlot ? 1u : now.sequence + 1u;
    write_header(page, sequence, bytes, crc);
    if (!flash_.program(flash_.context, start, page, flash_.page_bytes)) return SaveResult::write_failed;
    return view(target).slot == target ? SaveResult::saved : SaveResult::verify_failed;
  }

  /// Flash operations one save of `bytes` takes: the erases, the payload pages and the header.
  uint32_t save_steps(uint32_t bytes) const {
    return slot_bytes_ / flash_.sector_bytes + (bytes + flash_.page_bytes - 1) / flash_.page_bytes + 1;
  }

 private:
  uint32_t slot_offset(uint32_t slot) const { return first_offset_ + slot * slot_bytes_; }

  /// Slot `slot` as boot sees it: kNoSlot unless header and payload check out.
  SlotView view(uint32_t slot) const {
    const uint8_t* header = flash_.base + slot_offset(slot);
    SlotView found;
    if (format::read_u32(header) != kSlotMagic) return found;
    if (format::crc32(header, kHeaderBytes - 4) != format::read_u32(header + 16)) return found;
    const uint32_t bytes = format::read_u32(header + 8);
    if (bytes > capacity()) return found;
    const uint8_t* payload = header + flash_.page_bytes;
    if (format::crc32(payload, bytes) != format::read_u32(header + 12)) return found;
    found.slot = slot;
    found.sequence = format::read_u32(header + 4);
    found.payload = payload;
    found.payload_bytes = bytes;
    return found;
  }

  /// n bytes of data, the rest of the page 0xFF (erased flash: programming it changes nothing).
  void fill_page(uint8_t* page, const uint8_t* data, uint32_t n) const {
    for (uint32_t i = 0; i < flash_.page_bytes; ++i) page[i] = i < n ? data[i] : 0xffu;
  }

  void write_header(uint8_t* page, uint32_t sequence, uint32_t bytes, uint32_t crc) const {
    const uint32_t fields[4] = {kSlotMagic, sequence, bytes, crc};
    fill_page(page, nullptr, 0);
    for (uint32_t f = 0; f < 4; ++f) format::write_u32(page + 4 * f, fields[f]);
    format::write_u32(page + 16, format::crc32(page, kHeaderBytes - 4));
  }

  Flash flash_;
  uint32_t first_offset_;
  uint32_t slot_bytes_;
};

}  // namespace storage
}  // namespace anne
