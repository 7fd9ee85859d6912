#!/usr/bin/env bash
# Runs a bare-metal image on a QEMU machine with its semihosting console on stdout; QEMU exits
# with the image's status. -icount makes every instruction take 2^8 ns of virtual time, so
# SysTick counts executed instructions deterministically (board_qemu.cpp). With --input FILE the
# image reads FILE's bytes (its path is the second word of the semihosting command line).
#   firmware/run-qemu.sh MACHINE IMAGE.elf [--input FILE]
set -euo pipefail
machine=$1
image=$2
arguments=arg=$image
if [ $# -ge 4 ] && [ "$3" = --input ]; then arguments+=",arg=$(realpath "$4")"; fi
exec qemu-system-arm -M "$machine" -nographic -monitor none -serial none \
  -icount shift=8,sleep=off -semihosting-config enable=on,target=native,chardev=console,$arguments \
  -chardev stdio,id=console,signal=off -kernel "$image" < /dev/null
