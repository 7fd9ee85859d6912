// SPDX-License-Identifier: MIT
#include "emit.hpp"
#include "semihosting.hpp"

void emit(const char* text) { semihosting::write(text); }
