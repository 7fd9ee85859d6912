// Fuzz target: the console's line parser, commands and serial model transfer, fed arbitrary bytes
// as a serial line would (printable or not, lines of any length, `receive` with any size and CRC
// followed by any bytes, a transfer cut by the end of the input). Whatever arrives, the console
// must answer in lines and never read or write out of bounds; the model it runs afterwards must
// still answer `predict`.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "anne/console/console.hpp"

namespace {

void discard(void*, const char*) {}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto console = std::make_unique<anne::console::Console>();
  anne::console::Platform platform;
  platform.write = discard;
  console->begin(platform);
  for (size_t i = 0; i < size; ++i) console->feed(data[i]);
  console->end_of_input();
  const char probe[] = "\npredict 1,2,3,4\n";
  for (const char c : probe) {
    if (c != '\0') console->feed(static_cast<uint8_t>(c));
  }
  return 0;
}
