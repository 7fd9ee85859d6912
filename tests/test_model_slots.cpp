// SPDX-License-Identifier: MIT
// The two-slot model store (include/anne/storage/model_slots.hpp) on simulated NOR flash: saves
// alternate slots with rising sequence numbers, and a power cut at every flash operation of a save
// (including half-done erases and half-written pages) leaves a node that boots the old payload or
// the new one, intact.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "anne/storage/model_slots.hpp"
#include "anne/storage/ram_flash.hpp"
#include "cuttable_flash.hpp"

namespace {

using anne::storage::Flash;
using anne::storage::kNoSlot;
using anne::storage::ModelSlots;
using anne::storage::SaveResult;
using anne::storage::SlotView;
using anne::test::CuttableFlash;
using anne::test::kFlashBytes;
using anne::test::kPage;
using anne::test::kSector;

constexpr uint32_t kSlotBytes = 2 * kSector;
constexpr uint32_t kFirstSlot = kSector;  // slots need not start at 0

/// A payload of `bytes` bytes that differs from every other seed's.
std::vector<uint8_t> payload(uint32_t bytes, uint8_t seed) {
  std::vector<uint8_t> data(bytes);
  for (uint32_t i = 0; i < bytes; ++i) data[i] = static_cast<uint8_t>(seed * 31u + i * 7u + (i >> 3));
  return data;
}

std::vector<uint8_t> booted(const SlotView& view) {
  return view.slot == kNoSlot ? std::vector<uint8_t>() : std::vector<uint8_t>(view.payload, view.payload + view.payload_bytes);
}

SaveResult save(ModelSlots& slots, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> page(kPage);
  return slots.save(data.data(), static_cast<uint32_t>(data.size()), page.data());
}

TEST(ModelSlots, EmptyFlashHasNoModel) {
  CuttableFlash chip;
  const ModelSlots slots(chip.flash(), kFirstSlot, kSlotBytes);
  EXPECT_EQ(slots.current().slot, kNoSlot);
  EXPECT_EQ(slots.capacity(), kSlotBytes - kPage);
}

TEST(ModelSlots, SavesAlternateSlotsWithRisingSequence) {
  CuttableFlash chip;
  ModelSlots slots(chip.flash(), kFirstSlot, kSlotBytes);
  for (uint8_t n = 1; n <= 5; ++n) {
    const std::vector<uint8_t> data = payload(100u + 150u * n % 900u, n);
    ASSERT_EQ(save(slots, data), SaveResult::saved);
    const SlotView view = slots.current();
    EXPECT_EQ(view.slot, n % 2 == 1 ? 0u : 1u);
    EXPECT_EQ(view.sequence, n);
    EXPECT_EQ(booted(view), data);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(view.payload) % 4, 0u);
  }
  // Nothing outside the two slots was touched.
  for (uint32_t i = 0; i < kFirstSlot; ++i) ASSERT_EQ(chip.memory[i], 0xffu);
  for (uint32_t i = kFirstSlot + 2 * kSlotBytes; i < kFlashBytes; ++i) ASSERT_EQ(chip.memory[i], 0xffu);
}

TEST(ModelSlots, RefusesAPayloadLargerThanASlotWithoutWriting) {
  CuttableFlash chip;
  ModelSlots slots(chip.flash(), kFirstSlot, kSlotBytes);
  ASSERT_EQ(save(slots, payload(300, 1)), SaveResult::saved);
  const long operations = chip.operations;
  EXPECT_EQ(save(slots, payload(slots.capacity() + 1, 2)), SaveResult::too_large);
  EXPECT_EQ(chip.operations, operations);
  EXPECT_EQ(booted(slots.current()), payload(300, 1));
  EXPECT_EQ(save(slots, payload(slots.capacity(), 3)), SaveResult::saved);  // exactly full fits
}

TEST(ModelSlots, ACorruptCurrentSlotFallsBackToTheOlderOne) {
  CuttableFlash chip;
  ModelSlots slots(chip.flash(), kFirstSlot, kSlotBytes);
  ASSERT_EQ(save(slots, payload(200, 1)), SaveResult::saved);
  ASSERT_EQ(save(slots, payload(200, 2)), SaveResult::saved);
  ASSERT_EQ(slots.current().slot, 1u);
  chip.memory[kFirstSlot + kSlotBytes + kPage + 150] ^= 0x10u;  // a bit of slot 1's payload flips
  EXPECT_EQ(booted(slots.current()), payload(200, 1));
  chip.memory[kFirstSlot + 6] ^= 0x01u;  // and a bit of slot 0's header (its sequence)
  EXPECT_EQ(slots.current().slot, kNoSlot);
}

TEST(ModelSlots, SequenceNumbersCompareAcrossTheWrap) {
  // Two headers written by hand: sequence 0xffffffff in slot 0, 0 in slot 1 (the newer one).
  CuttableFlash chip;
  ModelSlots slots(chip.flash(), kFirstSlot, kSlotBytes);
  const std::vector<uint8_t> data = payload(100, 9);
  for (uint32_t slot = 0; slot < 2; ++slot) {
    const uint32_t sequence = slot == 0 ? 0xffffffffu : 0u;
    const uint32_t start = kFirstSlot + slot * kSlotBytes;
    const uint32_t fields[4] = {anne::storage::kSlotMagic, sequence, 100u, anne::format::crc32(data.data(), 100)};
    for (uint32_t f = 0; f < 4; ++f) {
      for (uint32_t b = 0; b < 4; ++b) chip.memory[start + 4 * f + b] = static_cast<uint8_t>(fields[f] >> (8 * b));
    }
    const uint32_t header_crc = anne::format::crc32(&chip.memory[start], 16);
    for (uint32_t b = 0; b < 4; ++b) chip.memory[start + 16 + b] = static_cast<uint8_t>(header_crc >> (8 * b));
    for (uint32_t i = 0; i < 100; ++i) chip.memory[start + kPage + i] = data[i];
  }
  EXPECT_EQ(slots.current().slot, 1u);
  EXPECT_EQ(slots.current().sequence, 0u);
}

/// Saves `next` over a flash that holds `history` (saved in order), with the power cut at every
/// flash operation in turn, that operation done to 0, 1/8, 1/2 or 7/8. After each cut the node
/// must boot the last payload of `history`, or `next` when the cut came during the header write
/// (the switch) and left a whole header. Then the power comes back and a new save must work.
void cut_at_every_step(const std::vector<std::vector<uint8_t>>& history, const std::vector<uint8_t>& next) {
  CuttableFlash reference;
  ModelSlots reference_slots(reference.flash(), kFirstSlot, kSlotBytes);
  for (const std::vector<uint8_t>& data : history) ASSERT_EQ(save(reference_slots, data), SaveResult::saved);
  const long steps = reference_slots.save_steps(static_cast<uint32_t>(next.size()));
  const std::vector<uint8_t> old = booted(reference_slots.current());
  int header_cuts_booting_new = 0;
  for (long cut = 0; cut <= steps; ++cut) {
    for (uint32_t eighths : {0u, 1u, 4u, 7u}) {
      SCOPED_TRACE("power cut at flash operation " + std::to_string(cut) + " of " + std::to_string(steps) + ", " +
                   std::to_string(eighths) + "/8 done");
      CuttableFlash chip = reference;
      ModelSlots slots(chip.flash(), kFirstSlot, kSlotBytes);
      chip.operations = 0;
      chip.cut_at = cut;
      chip.eighths = eighths;
      const SaveResult result = save(slots, next);
      EXPECT_EQ(result == SaveResult::saved, cut == steps);
      EXPECT_EQ(chip.operations, std::min(cut + 1, steps));  // a failed operation ends the save
      // Power back: boot.
      const std::vector<uint8_t> found = booted(slots.current());
      if (cut == steps) {
        EXPECT_EQ(found, next);
      } else if (cut == steps - 1) {
        EXPECT_TRUE(found == old || found == next) << "booted neither the old nor the new payload";
        header_cuts_booting_new += found == next;
      } else {
        EXPECT_EQ(found, old) << "a cut before the header write must keep the old payload";
      }
      // The node keeps working: the next save succeeds and boots.
      chip.cut_at = -1;
      const std::vector<uint8_t> after = payload(77, 200);
      ASSERT_EQ(save(slots, after), SaveResult::saved);
      EXPECT_EQ(booted(slots.current()), after);
    }
  }
  // The 20-byte header is whole after 1/2 and 7/8 of its 64-byte page, not after 0 or 1/8.
  EXPECT_EQ(header_cuts_booting_new, 2);
}

TEST(ModelSlots, PowerCutAtEveryStepOfTheFirstSave) { cut_at_every_step({}, payload(333, 1)); }

TEST(ModelSlots, PowerCutAtEveryStepWithOneSlotInUse) { cut_at_every_step({payload(250, 1)}, payload(400, 2)); }

TEST(ModelSlots, PowerCutAtEveryStepWithBothSlotsInUse) {
  cut_at_every_step({payload(250, 1), payload(900, 2)}, payload(kSlotBytes - kPage, 3));
}

TEST(RamFlash, BehavesLikeNorFlash) {
  anne::storage::RamFlash<1024, 256, 64> chip;
  Flash flash = chip.flash();
  uint8_t page[64];
  for (uint8_t& b : page) b = 0x0fu;
  ASSERT_TRUE(flash.program(flash.context, 64, page, 64));
  for (uint8_t& b : page) b = 0x3cu;
  ASSERT_TRUE(flash.program(flash.context, 64, page, 64));
  EXPECT_EQ(chip.bytes()[64], 0x0cu);  // 0x0f AND 0x3c: programming only clears bits
  EXPECT_EQ(chip.bytes()[63], 0xffu);
  EXPECT_FALSE(flash.program(flash.context, 32, page, 64));   // not on a page boundary
  EXPECT_FALSE(flash.erase(flash.context, 0, 100));           // not whole sectors
  EXPECT_FALSE(flash.erase(flash.context, 1024, 256));        // past the end
  ASSERT_TRUE(flash.erase(flash.context, 0, 256));
  EXPECT_EQ(chip.bytes()[64], 0xffu);
}

}  // namespace
