// SPDX-License-Identifier: MIT
// The same program on the host and on each emulated chip: both paper networks on the 20 IRIS test
// rows, every output printed as the bits of its float, then the confusion matrix. The transcripts
// must be equal character for character: the core computes the same bits everywhere.
#include <stdint.h>

#include "anne/anne.hpp"
#include "emit.hpp"

namespace {

void emit_hex(uint32_t value) {
  char text[9];
  for (int i = 7; i >= 0; --i) {
    text[i] = "0123456789abcdef"[value & 0xfu];
    value >>= 4;
  }
  text[8] = '\0';
  emit(text);
}

void emit_decimal(uint32_t value) {
  char text[11];
  int at = 10;
  text[at] = '\0';
  do {
    text[--at] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  emit(text + at);
}

}  // namespace

int main() {
  namespace split = anne::iris::paper_split;
  int status = 0;
  for (const anne::BuiltinModel& model : anne::kBuiltinModels) {
    uint32_t counts[4];
    anne::ConfusionMatrix matrix(counts, 2);
    matrix.clear();
    float scratch[16];
    emit(model.name);
    emit("\n");
    for (uint16_t r = 0; r < split::kTestRows; ++r) {
      float input[4];
      float output[1];
      split::standardized_row(split::kTestPositions[r], input);
      if (anne::forward(model.network, input, 4, output, 1, scratch, 16) != anne::Status::ok) status = 1;
      matrix.add(split::label(split::kTestPositions[r]), anne::predicted_class(output, 1));
      emit("  ");
      emit_hex(anne::math::float_bits(output[0]));
      emit("\n");
    }
    emit("  confusion ");
    for (uint16_t cell = 0; cell < 4; ++cell) {
      emit_decimal(counts[cell]);
      emit(cell < 3 ? "," : "\n");
    }
    emit("  correct ");
    emit_decimal(matrix.correct());
    emit(" of ");
    emit_decimal(matrix.total());
    emit("\n");
  }
  return status;
}
