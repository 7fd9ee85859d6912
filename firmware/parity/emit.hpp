// SPDX-License-Identifier: MIT
// Where a program's text goes: stdout on the host, semihosting on the bare-metal images.
#pragma once

void emit(const char* text);
