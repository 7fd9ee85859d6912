#!/usr/bin/env bash
# Runs the soft-float check image (firmware/softfloat/check.cpp, built by the firmware Makefile as
# BUILD_DIR/firmware/cortex-m0/softfloat-check.elf) on QEMU microbit's Cortex-M0: every routine of
# firmware/softfloat/float.S, dot.S and axpy.S against libgcc, bit for bit, on millions of operands. Prints one line
# when all agree, the image's whole transcript otherwise; exits non-zero on any mismatch, a fault
# (QEMU status 99) or a timeout.
#   firmware/check-softfloat.sh BUILD_DIR
set -uo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
image=$build/firmware/cortex-m0/softfloat-check.elf
if [ ! -f "$image" ]; then
  echo "softfloat: $image is missing (build the firmware first)" >&2
  exit 1
fi
start=$(date +%s)
transcript=$(timeout 180 "$here/run-qemu.sh" microbit "$image")
status=$?
seconds=$(( $(date +%s) - start ))
if [ $status -ne 0 ]; then
  echo "$transcript" >&2
  echo "softfloat: the check failed on the Cortex-M0 in QEMU microbit (status $status, ${seconds} s)" >&2
  exit 1
fi
summary=$(echo "$transcript" | awk '/: [0-9]+ cases, 0 mismatches$/ { n++; c += $2 } END { print n + 0, c + 0 }')
echo "softfloat: float.S, dot.S and axpy.S bit-identical to libgcc: ${summary#* } cases over ${summary%% *} routines (Cortex-M0 in QEMU microbit, ${seconds} s)"
