// SPDX-License-Identifier: MIT
#include <cstdio>

#include "emit.hpp"

void emit(const char* text) { std::fputs(text, stdout); }
