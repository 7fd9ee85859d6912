// SPDX-License-Identifier: MIT
// The host library reports bad input with exceptions carrying a message that names what is wrong
// and where; the anne command prints it and exits non-zero. (The core has no exceptions.)
#pragma once

#include <stdexcept>
#include <string>

namespace anne::host {

/// Bad input: a malformed file, a shape that does not fit, an unknown name.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace anne::host
