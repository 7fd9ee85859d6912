// SPDX-License-Identifier: MIT
// NOR flash for the tests whose power can be cut in the middle of any erase or program: the
// storage::Flash interface of include/anne/storage/model_slots.hpp.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "anne/storage/model_slots.hpp"

namespace anne::test {

constexpr uint32_t kSector = 512;
constexpr uint32_t kPage = 64;
constexpr uint32_t kFlashBytes = 6 * kSector;

/// NOR flash whose power goes off during operation number `cut_at` (from 0): that operation does
/// `eighths`/8 of its work (the first bytes erased or programmed), every later one fails.
struct CuttableFlash {
  std::vector<uint8_t> memory = std::vector<uint8_t>(kFlashBytes, 0xffu);
  long operations = 0;
  long cut_at = -1;  ///< -1: never
  uint32_t eighths = 4;

  /// How many of `bytes` bytes the current operation may touch, and whether it completes.
  bool allowed(uint32_t bytes, uint32_t* touched) {
    const long number = operations++;
    if (cut_at < 0 || number < cut_at) {
      *touched = bytes;
      return true;
    }
    *touched = number == cut_at ? bytes * eighths / 8 : 0;
    return false;
  }

  static bool erase(void* context, uint32_t offset, uint32_t bytes) {
    CuttableFlash& self = *static_cast<CuttableFlash*>(context);
    EXPECT_EQ(offset % kSector, 0u);
    EXPECT_EQ(bytes % kSector, 0u);
    uint32_t touched = 0;
    const bool done = self.allowed(bytes, &touched);
    for (uint32_t i = 0; i < touched; ++i) self.memory.at(offset + i) = 0xffu;
    return done;
  }

  static bool program(void* context, uint32_t offset, const uint8_t* data, uint32_t bytes) {
    CuttableFlash& self = *static_cast<CuttableFlash*>(context);
    EXPECT_EQ(offset % kPage, 0u);
    EXPECT_EQ(bytes, kPage);
    uint32_t touched = 0;
    const bool done = self.allowed(bytes, &touched);
    for (uint32_t i = 0; i < touched; ++i) self.memory.at(offset + i) &= data[i];  // NOR: bits only clear
    return done;
  }

  storage::Flash flash() {
    storage::Flash f;
    f.context = this;
    f.base = memory.data();
    f.sector_bytes = kSector;
    f.page_bytes = kPage;
    f.erase = &erase;
    f.program = &program;
    return f;
  }
};

}  // namespace anne::test
